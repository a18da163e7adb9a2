// Both versions a diff compares: the working tree as `check` loads it, and BASE written from git into a
// temporary folder under the project's `.seqrun/` (so its binding modules resolve the project's
// node_modules), loaded the same way, then removed.
import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagram } from '../ast/types.ts';
import { bind, createRegistry, emptyConfig, loadProject, type Project } from '../bind/index.ts';
import type { Plan } from '../bind/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { loadDiagrams } from '../syntax/index.ts';
import { checkoutInto, resolveBase, topFolder } from './git.ts';
import { handlerIdentity } from './handlers.ts';
import { isModule, relativeImports } from './imports.ts';
import type { Side } from './compare.ts';
import type { Version } from './diff.ts';

export interface DiffRequest {
  readonly cwd: string;
  readonly base?: string | undefined;
  /** Diagrams (files, folders, `file.md#slug`); none: the config's specs, at BASE and now. */
  readonly paths: readonly string[];
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
  readonly redact?: ((text: string) => string) | undefined;
}

export interface LoadedVersions {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly before: Version;
  readonly after: Version;
  /** Problems of either version: parse errors, BASE's bindings that did not load (warnings here). */
  readonly diagnostics: readonly Diagnostic[];
}

/** `a/b.md#slug` relative to the top folder, `/`-separated. */
const toRelative = (top: string, path: string): string => relative(top, path).split(sep).join('/');

/** The folder part of a binding glob before its first wildcard: `specs/steps/*.ts` → `specs/steps`. */
function globFolder(pattern: string): string {
  const fixed = pattern.split(/[*?[{]/)[0] ?? '';
  return fixed.endsWith('/') || fixed === '' ? fixed.replace(/\/$/, '') || '.' : dirname(fixed);
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The plans of the diagrams `paths` name (relative, `#slug` allowed) in the version under `root`. */
async function plansAt(
  root: string,
  paths: readonly string[],
  project: Project | null,
): Promise<{ plans: Plan[]; diagnostics: Diagnostic[] }> {
  const registry = project?.registry ?? createRegistry({ modules: [] }).registry;
  const config = project?.config ?? emptyConfig(root);
  const plans: Plan[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    // A diagram file only one version has is added or deleted, not an error.
    if (!(await exists(join(root, path.replace(/#.*$/, ''))))) continue;
    const loaded = await loadDiagrams(join(root, path));
    diagnostics.push(...loaded.diagnostics);
    plans.push(...loaded.diagrams.map((d: Diagram) => bind(d, registry, config)));
  }
  return { plans, diagnostics };
}

/** Writes `paths` of `commit` into `copy`, then what their modules import by relative path, until nothing new is imported. */
async function checkoutWithImports(top: string, commit: string, paths: readonly string[], copy: string): Promise<void> {
  const seen = new Set<string>();
  let next = [...paths];
  while (next.length > 0) {
    next.forEach((p) => seen.add(p));
    const written = await checkoutInto(top, commit, next, copy);
    for (const path of written.keys()) seen.add(path);
    const imported = [...written].flatMap(([path, text]) => (isModule(path) ? relativeImports(text.toString('utf8'), path) : []));
    next = [...new Set(imported)].filter((p) => !seen.has(p));
  }
}

/** Copies an earlier `seqrun diff` left behind when it was killed: older than an hour, so never one still in use. */
async function removeStaleCopies(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const hourAgo = Date.now() - 3_600_000;
  for (const name of names.filter((n) => /^diff-[0-9a-f-]{36}$/.test(n))) {
    const modified = await stat(join(folder, name)).then(
      (s) => s.mtimeMs,
      () => Date.now(),
    );
    if (modified < hourAgo) await rm(join(folder, name), { recursive: true, force: true });
  }
}

/** BASE's project from the temporary copy; when it does not load, a warning and no handlers. */
async function baseProject(
  request: DiffRequest,
  copy: string,
  configRel: string,
): Promise<{ project: Project | null; diagnostics: Diagnostic[] }> {
  const configFile = join(copy, configRel);
  if (!(await exists(configFile))) return { project: null, diagnostics: [] };
  const loaded = await loadProject({ cwd: copy, configPath: configFile, profile: request.profile, redact: request.redact });
  const failed = loaded.diagnostics.filter((d) => d.severity === 'error');
  const shown = (d: Diagnostic): Diagnostic => ({ ...d, file: `BASE:${toRelative(copy, d.file)}`, severity: 'warning', code: 'SEQ353' });
  return { project: loaded.project, diagnostics: failed.map(shown) };
}

/** Loads the working tree (`project`, loaded by the caller as `check` does) and BASE, and binds both. */
export async function loadVersions(request: DiffRequest, project: Project): Promise<LoadedVersions> {
  const top = await topFolder(request.cwd);
  const base = await resolveBase(top, request.base);
  const configRel = toRelative(top, project.configFile);
  const configDir = dirname(project.configFile);
  const named = request.paths.length > 0 ? request.paths.map((p) => resolve(request.cwd, p)) : project.specs;
  const diagramPaths = named.map((p) => toRelative(top, isAbsolute(p) ? p : resolve(top, p)));
  // The folders the bindings and the specs' globs start in: what BASE's config may name is there.
  const folders = [...project.config.bindings, ...project.config.specs.filter((s) => /[*?[{]/.test(s))]
    .map((g) => toRelative(top, resolve(configDir, globFolder(g))))
    .filter((f) => !f.startsWith('..'));
  await removeStaleCopies(join(project.root, '.seqrun'));
  const copy = join(project.root, '.seqrun', `diff-${randomUUID()}`);
  try {
    const first = [configRel, ...folders, ...diagramPaths.map((p) => p.replace(/#.*$/, '')).filter((p) => !p.startsWith('..'))];
    await checkoutWithImports(top, base.commit, first, copy);
    const before = await baseProject(request, copy, configRel);
    const baseSpecs = request.paths.length > 0 || !before.project ? [] : before.project.specs.map((p) => toRelative(copy, p));
    const extra = baseSpecs.filter((p) => !diagramPaths.includes(p));
    if (extra.length > 0) await checkoutWithImports(top, base.commit, extra, copy);
    const paths = [...diagramPaths, ...extra];
    const was = await plansAt(copy, paths, before.project);
    const now = await plansAt(top, paths, project);
    // BASE's handlers are identified now: their files go when the copy does.
    const identifyBefore = handlerIdentity(copy);
    for (const handler of before.project?.registry.handlers ?? []) identifyBefore(handler);
    const side = (root: string, plans: readonly Plan[], identify: Side['identify']): Version => ({
      diagrams: plans.map((plan) => ({ key: diagramKey(root, plan.diagram), plan })),
      identify,
    });
    return {
      base,
      before: side(copy, was.plans, identifyBefore),
      after: side(top, now.plans, handlerIdentity(top)),
      diagnostics: [
        ...before.diagnostics,
        ...was.diagnostics.map((d) => ({ ...d, severity: 'warning' as const, file: `BASE:${toRelative(copy, d.file)}` })),
        ...now.diagnostics,
      ],
    };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** A diagram's name in the diff: its file relative to its version's top folder, `#slug` for a fence. */
export function diagramKey(root: string, diagram: Diagram): string {
  const file = toRelative(root, diagram.file);
  return diagram.slug === null ? file : `${file}#${diagram.slug}`;
}
