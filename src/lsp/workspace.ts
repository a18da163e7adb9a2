// What the server knows: the open documents, the projects they belong to, and the spec files of those
// projects (read from disk while not open), so that "unused handler" and "find references" cover the
// diagrams `seqrun check` covers. Every change ends in diagnostics handed to `publish`.
import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { unusedDiagnostics, unusedHandlers } from '../bind/plan.ts';
import { unusedOverrideDiagnostics, unusedOverrides } from '../bind/overrides.ts';
import { loadProject, type Project } from '../bind/project.ts';
import type { Plan, PlannedStep } from '../bind/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { splitSelector } from '../syntax/files.ts';
import { fileOf, toLspDiagnostic, uriOf } from './convert.ts';
import { absoluteStep, DiagramDocument, type StepAt, type UpdateCount } from './document.ts';
import { type ProjectOptions, type ProjectState, Projects } from './projects.ts';

export type Publish = (uri: string, diagnostics: LspDiagnostic[]) => void;

export interface OpenDocument {
  readonly uri: string;
  readonly file: string;
  readonly doc: DiagramDocument;
  text: string;
  /** The config file of its project; null when none was found (its diagnostic is on the document). */
  configFile: string | null;
  /** Why steps are not bound (no config found), shown on the document's first line. */
  unbound: readonly Diagnostic[];
}

const DIAGRAM_EXTENSIONS = new Set(['.seq', '.mmd', '.md', '.markdown']);
export const isDiagramFile = (file: string): boolean => DIAGRAM_EXTENSIONS.has(extname(file).toLowerCase());

/** What `check` without paths reports beyond each step: unused handlers and unused step overrides. */
async function unusedFindings(steps: readonly { at: StepAt }[], project: Project): Promise<Diagnostic[]> {
  const plans = [...new Set(steps.map((s) => s.at.plan))];
  const found = unusedDiagnostics(unusedHandlers(plans, project.registry));
  if (Object.keys(project.config.steps).length === 0) return found;
  // Overrides address steps by `file:line` of the document: the steps go back to their document lines.
  const byPlan = new Map<Plan, PlannedStep[]>();
  for (const { at } of steps) {
    const list = byPlan.get(at.plan) ?? [];
    list.push({ ...at.planned, step: absoluteStep(at) });
    byPlan.set(at.plan, list);
  }
  const keys = unusedOverrides(
    [...byPlan].map(([plan, planned]) => ({ ...plan, steps: planned })),
    project.config,
  );
  const configText = keys.length > 0 ? await readFile(project.configFile, 'utf8').catch(() => '') : '';
  return [...found, ...unusedOverrideDiagnostics(keys, project.configFile, configText)];
}

export class Workspace {
  readonly projects: Projects;
  private readonly publish: Publish;
  private readonly open = new Map<string, OpenDocument>();
  private readonly settled = new Map<string, ProjectState>();
  private readonly onDisk = new Map<string, DiagramDocument>();
  /** URIs that got project-level diagnostics, per project, so that fixed ones are cleared. */
  private readonly projectUris = new Map<string, Set<string>>();
  private readonly unusedTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(options: ProjectOptions, publish: Publish) {
    this.projects = new Projects(options);
    this.publish = publish;
  }

  document(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  state(configFile: string | null): ProjectState | undefined {
    return configFile === null ? undefined : this.settled.get(configFile);
  }

  async openDocument(uri: string, text: string): Promise<void> {
    const file = fileOf(uri);
    const open: OpenDocument = { uri, file, doc: new DiagramDocument(file), text, configFile: null, unbound: [] };
    this.open.set(uri, open);
    open.configFile = await this.projects.configFor(file);
    if (open.configFile === null) {
      // check's own account of the missing config, where the user is looking.
      const missing = await loadProject({ cwd: dirname(file) });
      open.unbound = missing.diagnostics.map((d) => ({ ...d, file, span: null }));
    } else {
      await this.ensure(open.configFile);
    }
    if (this.open.get(uri) !== open) return;
    this.refresh(open);
    if (open.configFile !== null) this.scheduleUnused(open.configFile, 0);
  }

  /** Re-reads the document after an edit: only its changed parts are parsed and bound again. */
  changeDocument(uri: string, text: string): UpdateCount | null {
    const open = this.open.get(uri);
    if (!open) return null;
    open.text = text;
    const count = this.refresh(open);
    if (open.configFile !== null) this.scheduleUnused(open.configFile, 150);
    return count;
  }

  closeDocument(uri: string): void {
    const open = this.open.get(uri);
    this.open.delete(uri);
    this.publish(uri, []);
    if (open?.configFile) {
      this.onDisk.delete(open.file);
      this.scheduleUnused(open.configFile, 0);
    }
  }

  /** A saved or changed file: a module under a project re-loads that project and re-binds its documents. */
  async fileChanged(file: string): Promise<void> {
    this.onDisk.delete(file);
    if (isDiagramFile(file)) {
      for (const configFile of this.settled.keys()) this.scheduleUnused(configFile, 0);
      return;
    }
    const states = await this.projects.reloadFor(file);
    for (const state of states) {
      this.settled.set(state.configFile, state);
      for (const open of this.open.values()) if (open.configFile === state.configFile) this.refresh(open);
      await this.publishProject(state.configFile);
    }
  }

  private async ensure(configFile: string): Promise<ProjectState> {
    const known = this.settled.get(configFile);
    if (known) return known;
    const state = await this.projects.get(configFile);
    this.settled.set(configFile, state);
    return state;
  }

  private refresh(open: OpenDocument): UpdateCount {
    const state = this.state(open.configFile);
    const count = open.doc.update(open.text, state?.binder ?? null);
    const diagnostics = open.doc.diagnostics().map(({ part, diagnostic }) => toLspDiagnostic(diagnostic, part));
    this.publish(open.uri, [...open.unbound.map((d) => toLspDiagnostic(d)), ...diagnostics]);
    return count;
  }

  private scheduleUnused(configFile: string, delayMs: number): void {
    clearTimeout(this.unusedTimers.get(configFile));
    const timer = setTimeout(() => {
      this.unusedTimers.delete(configFile);
      void this.publishProject(configFile);
    }, delayMs);
    this.unusedTimers.set(configFile, timer);
  }

  /** A spec file's document: the open one, else read from disk (and kept until it changes). */
  private async specDocument(file: string, state: ProjectState): Promise<DiagramDocument | null> {
    for (const open of this.open.values()) if (open.file === file) return open.doc;
    let doc = this.onDisk.get(file);
    if (!doc) {
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) return null;
      doc = new DiagramDocument(file);
      doc.update(text, state.binder);
      this.onDisk.set(file, doc);
    }
    doc.bindAll(state.binder);
    return doc;
  }

  /** The plans of the diagrams the project's config names (`check` without paths), with their documents. */
  async specSteps(configFile: string): Promise<{ uri: string; at: StepAt }[]> {
    const state = await this.ensure(configFile);
    const found: { uri: string; at: StepAt }[] = [];
    for (const spec of state.project?.specs ?? []) {
      const { path, slug } = splitSelector(spec);
      const doc = await this.specDocument(path, state);
      if (!doc) continue;
      for (const at of doc.steps()) {
        if (slug === null || at.plan.diagram.slug === slug) found.push({ uri: uriOf(path), at });
      }
    }
    return found;
  }

  /** Every step of the open documents and of the project's specs, each once. */
  async allSteps(configFile: string): Promise<{ uri: string; at: StepAt }[]> {
    const seen = new Set<string>();
    const steps: { uri: string; at: StepAt }[] = [];
    for (const open of this.open.values()) {
      if (open.configFile !== configFile) continue;
      seen.add(open.file);
      for (const at of open.doc.steps()) steps.push({ uri: open.uri, at });
    }
    for (const { uri, at } of await this.specSteps(configFile)) if (!seen.has(fileOf(uri))) steps.push({ uri, at });
    return steps;
  }

  /** Load problems and unused handlers, at the config and binding files they name. */
  private async publishProject(configFile: string): Promise<void> {
    const state = await this.ensure(configFile);
    const byUri = new Map<string, LspDiagnostic[]>();
    const add = (d: Diagnostic) => {
      const uri = uriOf(d.file);
      byUri.set(uri, [...(byUri.get(uri) ?? []), toLspDiagnostic(d)]);
    };
    state.diagnostics.forEach(add);
    if (state.project && state.project.specs.length > 0)
      (await unusedFindings(await this.specSteps(configFile), state.project)).forEach(add);
    const before = this.projectUris.get(configFile) ?? new Set();
    // An open diagram's own diagnostics are published by refresh; these go to config and binding files.
    for (const uri of before) if (!byUri.has(uri) && !this.open.has(uri)) this.publish(uri, []);
    for (const [uri, diagnostics] of byUri) if (!this.open.has(uri)) this.publish(uri, diagnostics);
    this.projectUris.set(configFile, new Set(byUri.keys()));
  }

  dispose(): void {
    for (const timer of this.unusedTimers.values()) clearTimeout(timer);
  }
}
