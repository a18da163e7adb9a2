// `seqrun lsp`: the language server over a pair of streams (the CLI passes stdin and stdout). The
// protocol's requests are answered from the Workspace; document notifications run one at a time, in
// the order they came, so that an edit never overtakes the opening of its document.
import { readFile } from 'node:fs/promises';
import {
  CodeActionKind,
  createConnection,
  type CodeAction,
  type Connection,
  type InitializeResult,
  type Location,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { BindCode } from '../bind/codes.ts';
import { addHandlerActions, didYouMeanAction, textRange } from './actions.ts';
import { completions, stepContext } from './completion.ts';
import { fileOf, sourceLocation, uriOf } from './convert.ts';
import { formattingEdits } from './formatting.ts';
import { hoverText, labelHoverText } from './hover.ts';
import { labelHandlers, labelOn } from './labels.ts';
import { definitions, handlersAt, handlersOf, labelReferences, references } from './navigation.ts';
import { bindingFiles, type ProjectOptions } from './projects.ts';
import { isDiagramFile, Workspace } from './workspace.ts';

export interface ServeOptions extends ProjectOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

const CAPABILITIES: InitializeResult = {
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    completionProvider: { triggerCharacters: [':', ' '] },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    documentFormattingProvider: true,
  },
  serverInfo: { name: 'seqrun' },
};

/** Runs `work` after everything queued before it; a failure is logged, never the end of the server. */
function serialQueue(connection: Connection): (work: () => unknown) => void {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    tail = tail.then(work).catch((error: unknown) => connection.console.error(`seqrun: ${String(error)}`));
  };
}

/** Starts the server; resolves when the client says `exit`. */
export function serve(options: ServeOptions): Promise<void> {
  const connection = createConnection(options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(options, (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }));
  const queue = serialQueue(connection);
  const isDiagram = (uri: string): boolean => isDiagramFile(fileOf(uri));

  connection.onInitialize(() => CAPABILITIES);
  documents.onDidOpen(({ document }) => {
    if (isDiagram(document.uri)) queue(() => workspace.openDocument(document.uri, document.getText()));
  });
  documents.onDidChangeContent(({ document }) => {
    if (isDiagram(document.uri)) queue(() => workspace.changeDocument(document.uri, document.getText()));
  });
  documents.onDidClose(({ document }) => {
    if (isDiagram(document.uri)) queue(() => workspace.closeDocument(document.uri));
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) queue(() => workspace.fileChanged(fileOf(change.uri)));
  });
  answerRequests(connection, documents, workspace);
  documents.listen(connection);
  // After listen, replacing its save handler: a saved binding module counts even when it is not open here.
  connection.onDidSaveTextDocument(({ textDocument }) => queue(() => workspace.fileChanged(fileOf(textDocument.uri))));
  return new Promise((resolve) => {
    connection.onExit(() => {
      workspace.dispose();
      resolve();
    });
    connection.listen();
  });
}

interface Answering {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly workspace: Workspace;
}

/** The step on 0-based `line` of an open diagram, with its document and its project's state. */
function stepAt({ workspace }: Answering, uri: string, line: number) {
  const open = workspace.document(uri);
  const at = open?.doc.stepAt(line);
  return open && at ? { open, at, state: workspace.state(open.configFile) } : undefined;
}

function answerRequests(connection: Connection, documents: TextDocuments<TextDocument>, workspace: Workspace): void {
  const answering: Answering = { connection, documents, workspace };
  answerHoverAndDefinition(answering);
  answerReferences(answering);
  answerCompletion(answering);
  answerCodeActions(answering);
  connection.onDocumentFormatting(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    return document && isDiagramFile(fileOf(textDocument.uri)) ? formattingEdits(document.getText(), fileOf(textDocument.uri)) : [];
  });
}

/** The mermaid block label bound like a step on 0-based `line` of an open diagram. */
function labelAt({ workspace }: Answering, uri: string, line: number) {
  const open = workspace.document(uri);
  const part = open?.doc.partAt(line);
  const at = part ? labelOn(part, line) : undefined;
  return open && at ? { open, at, state: workspace.state(open.configFile) } : undefined;
}

function answerHoverAndDefinition(answering: Answering): void {
  answering.connection.onHover(({ textDocument, position }) => {
    const found = stepAt(answering, textDocument.uri, position.line);
    const label = found ? undefined : labelAt(answering, textDocument.uri, position.line);
    const project = (found ?? label)?.state?.project;
    const context = { registry: project?.registry ?? null, config: project?.config ?? null, root: project?.root ?? '' };
    const value = found ? hoverText(found.at, context) : label ? labelHoverText(label.at, context) : null;
    return value === null ? null : { contents: { kind: 'markdown', value } };
  });
  answering.connection.onDefinition(({ textDocument, position }) => {
    const found = stepAt(answering, textDocument.uri, position.line);
    if (found) return definitions(found.at);
    const label = labelAt(answering, textDocument.uri, position.line);
    return label ? labelHandlers(label.at).map((h) => sourceLocation(h.source)) : null;
  });
}

/** From a step, or from a handler's line in a binding module, to every step bound to the same handler. */
function answerReferences(answering: Answering): void {
  const { workspace } = answering;
  answering.connection.onReferences(async ({ textDocument, position, context }): Promise<Location[]> => {
    const found = stepAt(answering, textDocument.uri, position.line);
    const file = fileOf(textDocument.uri);
    // A binding module may serve several projects: every loaded one that registers a handler there.
    const targets = found
      ? [{ configFile: found.open.configFile, handlers: handlersOf(found.at) }]
      : (await workspace.projects.all()).map((s) => ({
          configFile: s.configFile,
          handlers: handlersAt(s.project?.registry.handlers ?? [], file, position.line),
        }));
    const locations: Location[] = [];
    for (const { configFile, handlers } of targets) {
      if (configFile === null || handlers.length === 0) continue;
      if (context.includeDeclaration) locations.push(...handlers.map((h) => sourceLocation(h.source)));
      const steps = await workspace.allSteps(configFile);
      locations.push(...references(handlers, steps), ...labelReferences(handlers, steps));
    }
    return locations;
  });
}

function answerCompletion({ connection, documents, workspace }: Answering): void {
  connection.onCompletion(({ textDocument, position }) => {
    const open = workspace.document(textDocument.uri);
    const registry = workspace.state(open?.configFile ?? null)?.project?.registry;
    const document = documents.get(textDocument.uri);
    const part = open?.doc.partAt(position.line);
    if (!open || !registry || !document || !part) return [];
    const typed = document.getText({ start: { line: position.line, character: 0 }, end: position });
    const context = stepContext(typed, part.parsed.diagrams[0]?.dialect === 'mermaid');
    if (!context || context.textStart > position.character) return [];
    return completions(registry.handlers, context, { start: { line: position.line, character: context.textStart }, end: position });
  });
}

/** A module's text as the editor has it (unsaved edits included), else as on disk. */
async function moduleText(documents: TextDocuments<TextDocument>, file: string): Promise<string> {
  return documents.get(uriOf(file))?.getText() ?? (await readFile(file, 'utf8').catch(() => ''));
}

function answerCodeActions(answering: Answering): void {
  const { connection, documents } = answering;
  connection.onCodeAction(async ({ textDocument, context }): Promise<CodeAction[]> => {
    const actions: CodeAction[] = [];
    for (const diagnostic of context.diagnostics.filter((d) => d.code === BindCode.undefinedStep)) {
      const line = diagnostic.range.start.line;
      const found = stepAt(answering, textDocument.uri, line);
      const project = found?.state?.project;
      const document = documents.get(textDocument.uri);
      if (!found || !project || !document) continue;
      const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
      actions.push(...didYouMeanAction(found.at, project.registry, textDocument.uri, textRange(lineText, line), [diagnostic]));
      const files = await bindingFiles(project);
      const modules = await Promise.all(files.map(async (file) => ({ file, text: await moduleText(documents, file) })));
      actions.push(...addHandlerActions(found.at, modules, project.root, [diagnostic]));
    }
    return actions;
  });
}
