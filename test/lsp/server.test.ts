// `seqrun lsp` driven by a real LSP client over stdio (test/lsp/client.ts): a Markdown document with two
// ```sequence fences bound by the seed's test bindings, in a project made in a temp folder.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  CompletionRequest,
  type Diagnostic,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentFormattingRequest,
  HoverRequest,
  type Location,
  ReferencesRequest,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { type LspClient, repo, startServer, uriOf, writeSeedProject } from './client.ts';

const fixture = join(repo, 'test/fixtures/seed-bindings/steps');
const interimBindings = join(fixture, 'interim.ts');
const EXTRA = `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};\n\nexport default defineSteps((s) => {\n  s.note('Announce the release', () => undefined);\n});\n`;

let dir: string;
let client: LspClient;
let doc: TextDocument;
let docUri: string;
let version = 1;

async function seedDocument(): Promise<string> {
  const interim = (await readFile(join(repo, 'specs/interim.seq'), 'utf8')).replace('Fetch source from S3', 'Fetch sources from S3');
  const second = 'Pay CI->AWS: Push #build-release to ECR\nAWS-->Pay CI: Success\nNote left of Pay CI: Roll back the release\n';
  return `# Release process\n\nText before.\n\n\`\`\`sequence\n${interim}\`\`\`\n\n## Publish\n\n\`\`\`sequence\n${second}\`\`\`\n`;
}

const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const firstLine = (d: Diagnostic): string => messageOf(d).split('\n')[0] ?? '';
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));
const byLine = (list: readonly Diagnostic[]) => [...list].sort((a, b) => a.range.start.line - b.range.start.line);

async function change(text: string): Promise<void> {
  doc = TextDocument.create(docUri, 'markdown', ++version, text);
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: docUri, version },
    contentChanges: [{ text }],
  });
}

function seqrunCheck(): { code: string; message: string; line: number | null; column: number | null }[] {
  const run = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), 'check', 'doc.md', '--format', 'json', '--allow-unused'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SEQRUN_PROFILE: '' },
  });
  return (JSON.parse(run.stdout) as { diagnostics: { code: string; message: string; line: number | null; column: number | null }[] })
    .diagnostics;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-lsp-'));
  const text = await seedDocument();
  // Overrides by text and by the document's own line (in the second fence); `doc.md:1` addresses no step.
  const overrides = {
    'Copy repo to S3': { timeoutMs: 120_000 },
    [`doc.md:${lineOf(text, 'Push #build-release to ECR') + 1}`]: { retry: { attempts: 2 } },
  };
  await writeSeedProject(dir, EXTRA, ['./doc.md'], { ...overrides, 'doc.md:1': { timeoutMs: 5 } });
  await writeFile(join(dir, 'doc.md'), text);
  docUri = uriOf(join(dir, 'doc.md'));
  doc = TextDocument.create(docUri, 'markdown', version, text);
  client = await startServer(dir);
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: docUri, languageId: 'markdown', version, text },
  });
});

afterAll(async () => {
  await client?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('seqrun lsp over stdio', () => {
  test('diagnostics as check gives them, at exact ranges in the Markdown file', async () => {
    const text = doc.getText();
    const list = byLine(await client.diagnosticsFor(docUri, (d) => d.length === 2));
    const fetch = lineOf(text, 'Fetch sources from S3');
    const rollBack = lineOf(text, 'Roll back the release');
    expect(list.map((d) => [d.code, d.range])).toEqual([
      [
        'SEQ301',
        { start: { line: fetch, character: 0 }, end: { line: fetch, character: 'Note right of AWS: Fetch sources from S3'.length } },
      ],
      [
        'SEQ301',
        {
          start: { line: rollBack, character: 0 },
          end: { line: rollBack, character: 'Note left of Pay CI: Roll back the release'.length },
        },
      ],
    ]);
    const checked = seqrunCheck();
    expect(list.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1])).toEqual(
      checked.map((d) => [d.code, d.line, d.column]),
    );
    list.forEach((d, i) => expect(messageOf(d).startsWith(checked[i]?.message ?? '?')).toBe(true));
    expect(messageOf(list[0] as Diagnostic)).toContain('Did you mean "Fetch source from S3"');
  });

  test('a handler no spec step uses is reported at its registration in the binding module', async () => {
    const extra = await client.diagnosticsFor(uriOf(join(dir, 'extra.ts')), (d) => d.length > 0);
    expect(extra.map((d) => [d.code, d.range.start.line, firstLine(d)])).toEqual([
      ['SEQ305', 3, 'The note handler "Announce the release" matches no step of the checked diagrams.'],
    ]);
  });

  test('a step override that addresses no step is reported in the config; by file:line they count in the document', async () => {
    const config = await client.diagnosticsFor(uriOf(join(dir, 'seqrun.config.ts')), (d) => d.length > 0);
    expect(config.map((d) => [d.code, firstLine(d)])).toEqual([
      ['SEQ319', 'The step override "doc.md:1" in `steps` matches no step of the checked diagrams.'],
    ]);
  });

  test('hover shows the handler, its mode, timeout and join; a reply what it answers; a note what it expects on', async () => {
    const text = doc.getText();
    const hover = async (needle: string) => {
      const result = await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: docUri },
        position: { line: lineOf(text, needle), character: 3 },
      });
      return (result?.contents as { value: string } | undefined)?.value ?? '';
    };
    const trigger = await hover('Trigger CodeBuild (ARM)');
    expect(trigger).toContain('**call** `Trigger CodeBuild (ARM)` (Pay CI → AWS) · job');
    expect(trigger).toMatch(/handler `Trigger CodeBuild \{arch\}` at `[^`]*seed-bindings\/steps\/interim\.ts:10` \(job\)/);
    expect(trigger).toContain('timeout 1 h 00 min · no retry');
    expect(trigger).toContain(`joined by the reply on line ${lineOf(text, 'Await CodeBuild result') + 2}: \`Success\``);
    const reply = lineOf(text, 'Await CodeBuild result') + 1;
    const answer = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: docUri },
      position: { line: reply, character: 2 },
    });
    expect((answer?.contents as { value: string }).value).toContain(
      `answers the call on line ${lineOf(text, 'Trigger CodeBuild (ARM)') + 1}: \`Trigger CodeBuild (ARM)\``,
    );
    expect(await hover('Push #build-candidate-arm to ECR')).toContain(
      `an expectation of the call on line ${lineOf(text, 'Trigger CodeBuild (ARM)') + 1}`,
    );
    expect(await hover('Push #build-release, #build-release-arm')).toContain('retry 3 attempts');
    expect(await hover('Push #build-release to ECR')).toContain('retry 2 attempts');
    expect(await hover('Copy repo to S3')).toContain('timeout 2 min 00 s');
  });

  test('go to definition leads from a step to its handler', async () => {
    const result = (await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: docUri },
      position: { line: lineOf(doc.getText(), 'Copy repo to S3'), character: 1 },
    })) as Location[];
    expect(result).toEqual([{ uri: uriOf(interimBindings), range: { start: { line: 8, character: 4 }, end: { line: 8, character: 4 } } }]);
  });

  test('find references leads from a handler in a binding module to every step it binds', async () => {
    const source = (await readFile(interimBindings, 'utf8')).split('\n');
    const result = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: uriOf(interimBindings) },
      position: { line: source.findIndex((l) => l.includes("'Slack notification'")), character: 4 },
      context: { includeDeclaration: false },
    });
    const lines = doc
      .getText()
      .split('\n')
      .flatMap((l, i) => (l.includes('Slack notification') ? [i] : []));
    expect(lines).toHaveLength(2);
    expect(result?.map((l) => [l.uri, l.range.start.line])).toEqual(lines.map((line) => [docUri, line]));
  });

  test('completion offers the expressions that fit the arrow and participants, parameters as placeholders', async () => {
    const text = doc.getText();
    const line = lineOf(text, 'Roll back the release') + 1;
    const lines = text.split('\n');
    lines.splice(line, 0, 'Pay CI->AWS: Push');
    await change(lines.join('\n'));
    const items = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: docUri },
      position: { line, character: 'Pay CI->AWS: Push'.length },
    });
    const list = Array.isArray(items) ? items : (items?.items ?? []);
    const labels = list.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['Push {tags} to ECR', 'Push {tags} to ECR {arch}', 'Copy repo to S3']));
    expect(labels).not.toContain('Push {tags} to Dockerhub');
    expect(labels).not.toContain('Slack notification');
    const ecr = list.find((i) => i.label === 'Push {tags} to ECR');
    expect(ecr?.textEdit).toEqual({
      range: { start: { line, character: 'Pay CI->AWS: '.length }, end: { line, character: 'Pay CI->AWS: Push'.length } },
      newText: 'Push ${1:tags} to ECR',
    });
    lines.splice(line, 1);
    await change(lines.join('\n'));
  });

  test('"did you mean" rewrites a near-miss step to the registered text', async () => {
    const list = await client.diagnosticsFor(docUri, (d) => d.length === 2);
    const fetch = byLine(list)[0] as Diagnostic;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: docUri },
      range: fetch.range,
      context: { diagnostics: [fetch] },
    });
    const fix = actions?.find((a) => a.title === 'Did you mean "Fetch source from S3"?');
    const edits = (fix as { edit?: { changes?: Record<string, TextEdit[]> } } | undefined)?.edit?.changes?.[docUri] ?? [];
    const fixed = TextDocument.applyEdits(doc, edits);
    expect(fixed).toBe(doc.getText().replace('Fetch sources from S3', 'Fetch source from S3'));
    await change(fixed);
    const after = await client.diagnosticsFor(docUri, (d) => d.length === 1);
    expect(after.map((d) => firstLine(d))).toEqual(['Undefined note (action): "Roll back the release".']);
  });

  test('the snippet of an undefined step goes into the binding module picked; saving it re-loads the bindings', async () => {
    const list = await client.diagnosticsFor(docUri, (d) => d.length === 1);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: docUri },
      range: (list[0] as Diagnostic).range,
      context: { diagnostics: list },
    });
    const titles = actions?.map((a) => a.title) ?? [];
    expect(titles).toContain('Add a handler for "Roll back the release" to extra.ts');
    const add = actions?.find((a) => a.title === 'Add a handler for "Roll back the release" to extra.ts') as {
      edit: { changes: Record<string, TextEdit[]> };
    };
    const extraUri = uriOf(join(dir, 'extra.ts'));
    const extra = TextDocument.create(extraUri, 'typescript', 1, EXTRA);
    const written = TextDocument.applyEdits(extra, add.edit.changes[extraUri] ?? []);
    expect(written).toContain(
      "  s.note('Announce the release', () => undefined);\n  s.note('Roll back the release', { over: 'Pay CI' }, async (_ctx) => {\n",
    );
    await writeFile(join(dir, 'extra.ts'), written.replace("throw new Error('not implemented yet');", 'return undefined;'));
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: extraUri } });
    expect(await client.diagnosticsFor(docUri, (d) => d.length === 0)).toEqual([]);
  });

  test('a binding module that fails to load is a diagnostic at its line; fixed and saved, the server recovers', async () => {
    const extraUri = uriOf(join(dir, 'extra.ts'));
    const good = await readFile(join(dir, 'extra.ts'), 'utf8');
    await writeFile(join(dir, 'extra.ts'), good.replace('export default', 'const broken = ;\nexport default'));
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: extraUri } });
    const failed = await client.diagnosticsFor(extraUri, (d) => d.some((x) => x.code === 'SEQ313'));
    expect(failed.map((d) => [d.code, d.range.start.line])).toEqual([['SEQ313', 2]]);
    // Without extra.ts the document's last step is undefined again, and the server still answers.
    expect((await client.diagnosticsFor(docUri, (d) => d.length === 1))[0]?.code).toBe('SEQ301');
    await writeFile(join(dir, 'extra.ts'), good);
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: extraUri } });
    // What is left is check's finding on the module as it now is: its first handler is still unused.
    const recovered = await client.diagnosticsFor(extraUri, (d) => !d.some((x) => x.code === 'SEQ313'));
    expect(recovered.map((d) => [d.code, d.range.start.line])).toEqual([['SEQ305', 3]]);
    expect(await client.diagnosticsFor(docUri, (d) => d.length === 0)).toEqual([]);
  });

  test("a diagram with no config above it gets check's SEQ310 on its first line, and its parse errors", async () => {
    const lonely = await mkdtemp(join(tmpdir(), 'seqrun-lsp-lonely-'));
    try {
      const uri = uriOf(join(lonely, 'lonely.seq'));
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'seq', version: 1, text: 'A->B: Deploy\nA-B nothing\n' },
      });
      const list = await client.diagnosticsFor(uri);
      expect(list.map((d) => [d.code, d.range.start.line])).toEqual([
        ['SEQ310', 0],
        [expect.stringMatching(/^SEQ1/), 1],
      ]);
      expect(firstLine(list[0] as Diagnostic)).toBe(`No seqrun.config.ts in ${lonely} or its parents.`);
    } finally {
      await rm(lonely, { recursive: true, force: true });
    }
  });

  test('formatting is seqrun fmt, as edits', async () => {
    const uri = uriOf(join(dir, 'messy.seq'));
    const text = 'participant  Pay CI\nPay CI ->AWS:   Copy repo to S3  \nNote   left of Pay CI:Slack notification\n';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'seq', version: 1, text },
    });
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(TextDocument.applyEdits(TextDocument.create(uri, 'seq', 1, text), edits ?? [])).toBe(
      'participant Pay CI\nPay CI->AWS: Copy repo to S3\nNote left of Pay CI: Slack notification\n',
    );
  });
});
