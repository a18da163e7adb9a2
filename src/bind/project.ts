// Loading a project: find and import seqrun.config.ts, then its binding modules, into a Registry.
// Every failure is a diagnostic with a file and line; nothing here throws at the caller.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { BindCode } from './codes.ts';
import { type Locate, type ResolvedConfig, resolveConfig } from './config.ts';
import { isStepModule, type StepModule } from './define.ts';
import { expandGlob } from './glob.ts';
import { createRegistry, messageOf, type Registry } from './registry.ts';
import { stackFrames } from './source.ts';
import { typeScriptLoadFailure } from './typescript-load.ts';
import type { RegisteredParameterType } from './types.ts';

export const CONFIG_FILE = 'seqrun.config.ts';

export interface Project {
  /** The folder of the config file. */
  readonly root: string;
  readonly configFile: string;
  readonly config: ResolvedConfig;
  readonly registry: Registry;
  /** Absolute paths (or `file.md#slug` selectors) of the diagrams the config names. */
  readonly specs: readonly string[];
}

export interface LoadProjectOptions {
  readonly cwd: string;
  /** An explicit config file; otherwise `seqrun.config.ts` in `cwd` or the nearest parent. */
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
  /** Masks secrets in load failures (their messages quote errors thrown by the config or a binding module). */
  readonly redact?: ((text: string) => string) | undefined;
  /**
   * Import the config and binding modules afresh (a long-lived process such as `seqrun lsp` re-loads them
   * after an edit): a new value gives their URLs a new query, so Node's module cache does not answer.
   * Modules they import themselves stay cached.
   */
  readonly fresh?: string | undefined;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** `seqrun.config.ts` in `cwd` or the nearest parent folder, or null. */
export async function findConfig(cwd: string): Promise<string | null> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (await exists(join(dir, CONFIG_FILE))) return join(dir, CONFIG_FILE);
    if (dirname(dir) === dir) return null;
  }
}

function fileDiagnostic(code: DiagnosticCode, file: string, message: string, hint: string, line = 0, column = 1): Diagnostic {
  const start = { line, column, offset: 0 };
  return { code, severity: 'error', message, hint, file, span: line > 0 ? { start, end: start } : null };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a module's load failure happened in that module: its stack frame, else a `file:line:col` in the message. */
function failureLine(error: unknown, file: string): { line: number; column: number } {
  const frame = stackFrames(error instanceof Error ? error.stack : undefined).find((f) => f.file === file);
  if (frame) return frame;
  const text = error instanceof Error ? error.message : String(error);
  const match = new RegExp(`${escapeRegExp(file)}:(\\d+):(\\d+)`).exec(text);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : { line: 0, column: 1 };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * A module's exports. A TypeScript file in a package without `"type": "module"` loads as CommonJS,
 * whose namespace wraps `module.exports` in `default`: its named exports are unwrapped here.
 */
function exportsOf(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace['default'];
  if (!isPlainObject(inner) || !('default' in inner) || isStepModule(inner)) return namespace;
  const { default: innerDefault, ...named } = inner;
  return { ...named, default: innerDefault };
}

async function importModule(file: string, fresh?: string): Promise<{ exports: Record<string, unknown> } | { error: unknown }> {
  const url = pathToFileURL(file).href + (fresh === undefined ? '' : `?fresh=${encodeURIComponent(fresh)}`);
  try {
    return { exports: exportsOf((await import(url)) as Record<string, unknown>) };
  } catch (error) {
    return { error };
  }
}

/** Finds the line where `key:` is written; with `asValue`, where the string `'key'` is written. */
function locator(source: string, asValue = false): Locate {
  const lines = source.split('\n');
  return (key) => {
    const pattern = asValue ? new RegExp(`['"\`]${escapeRegExp(key)}['"\`]`) : new RegExp(`(^|[\\s{,'"])${escapeRegExp(key)}['"]?\\s*:`);
    const index = lines.findIndex((l) => pattern.test(l));
    if (index < 0) return { line: 1, column: 1 };
    const column = (lines[index] ?? '').indexOf(key) + 1;
    return { line: index + 1, column: Math.max(column, 1) };
  };
}

/** The diagnostic for a module that did not load: where the problem is written, and what to do. */
function loadFailure(code: DiagnosticCode, file: string, what: string, error: unknown): Diagnostic {
  const typeScript = typeScriptLoadFailure(error);
  if (typeScript) {
    const at = typeScript.file ?? file;
    const importedBy = at === file ? '' : ` (in a module that ${file} imports)`;
    const message = `The ${what} failed to load${importedBy}: ${typeScript.message}`;
    return fileDiagnostic(code, at, message, typeScript.hint, typeScript.line || 1, typeScript.column);
  }
  const { line, column } = failureLine(error, file);
  return fileDiagnostic(
    code,
    file,
    `The ${what} failed to load: ${messageOf(error)}`,
    `Fix the error in the ${what} (run with --verbose for the stack).`,
    line || 1,
    column,
  );
}

/** Stack traces of load failures, by diagnostic, for `--verbose`. */
export type Stacks = Map<Diagnostic, string>;

const stackText = (error: unknown): string => (error instanceof Error && error.stack ? error.stack : String(error));

interface LoadedConfig {
  readonly config: ResolvedConfig | null;
  readonly diagnostics: Diagnostic[];
  readonly locate: Locate;
  readonly locateValue: Locate;
}

async function loadConfig(file: string, profile: string | undefined, stacks: Stacks, fresh?: string): Promise<LoadedConfig> {
  const source = await readFile(file, 'utf8').catch(() => '');
  const locate = locator(source);
  const locateValue = locator(source, true);
  const loaded = await importModule(file, fresh);
  if ('error' in loaded) {
    const failure = loadFailure(BindCode.configLoadFailed, file, 'config file', loaded.error);
    stacks.set(failure, stackText(loaded.error));
    return { config: null, locate, locateValue, diagnostics: [failure] };
  }
  const resolved = resolveConfig(loaded.exports['default'], { file, root: dirname(file), profile, locate });
  return { ...resolved, locate, locateValue };
}

async function loadBindings(
  config: ResolvedConfig,
  configFile: string,
  locate: Locate,
  stacks: Stacks,
  fresh?: string,
): Promise<{ modules: StepModule[]; diagnostics: Diagnostic[] }> {
  const modules: StepModule[] = [];
  const diagnostics: Diagnostic[] = [];
  const { line } = locate('bindings');
  for (const pattern of config.bindings) {
    const files = await expandGlob(config.root, pattern);
    if (files.length === 0) {
      // A warning: a new project's empty bindings folder is where `check` starts (it prints a snippet per step).
      const none = fileDiagnostic(
        BindCode.bindingNotFound,
        configFile,
        `No binding module matches '${pattern}' yet.`,
        'Write one there (`seqrun check` prints a handler to paste for every step), or fix the path or glob in `bindings`.',
        line,
      );
      diagnostics.push({ ...none, severity: 'warning' });
    }
    for (const file of files) {
      const loaded = await importModule(file, fresh);
      if ('error' in loaded) {
        const failure = loadFailure(BindCode.bindingLoadFailed, file, 'binding module', loaded.error);
        stacks.set(failure, stackText(loaded.error));
        diagnostics.push(failure);
        continue;
      }
      const found = Object.values(loaded.exports).filter(isStepModule);
      if (found.length === 0) {
        const warning = fileDiagnostic(
          BindCode.bindingNotFound,
          file,
          'The binding module exports no steps.',
          "Write `export default defineSteps((s) => { ... })` with defineSteps from 'seqrun', or leave helper modules out of `bindings`.",
          1,
        );
        diagnostics.push({ ...warning, severity: 'warning' });
      }
      for (const module of found) if (!modules.includes(module)) modules.push(module);
    }
  }
  return { modules, diagnostics };
}

/** Loads the config, its profile, and every binding module into a registry. Never throws. */
export interface LoadedProject {
  readonly project: Project | null;
  readonly diagnostics: Diagnostic[];
  /** The stack trace behind each load failure, shown only with `--verbose`. */
  readonly stacks: ReadonlyMap<Diagnostic, string>;
}

export async function loadProject(options: LoadProjectOptions): Promise<LoadedProject> {
  const loaded = await loadUnredacted(options);
  return options.redact ? redactLoaded(loaded, options.redact) : loaded;
}

function redactLoaded(loaded: LoadedProject, redact: (text: string) => string): LoadedProject {
  const stacks: Stacks = new Map();
  const diagnostics = loaded.diagnostics.map((d) => {
    const masked: Diagnostic = { ...d, message: redact(d.message), ...(d.hint === undefined ? {} : { hint: redact(d.hint) }) };
    const stack = loaded.stacks.get(d);
    if (stack !== undefined) stacks.set(masked, redact(stack));
    return masked;
  });
  return { ...loaded, diagnostics, stacks };
}

async function loadUnredacted(options: LoadProjectOptions): Promise<LoadedProject> {
  const stacks: Stacks = new Map();
  const configFile = options.configPath ? resolve(options.cwd, options.configPath) : await findConfig(options.cwd);
  if (configFile === null || !(await exists(configFile))) {
    const file = configFile ?? join(resolve(options.cwd), CONFIG_FILE);
    const message = configFile
      ? `The config file ${configFile} does not exist.`
      : `No ${CONFIG_FILE} in ${resolve(options.cwd)} or its parents.`;
    return {
      project: null,
      stacks,
      diagnostics: [
        fileDiagnostic(
          BindCode.configNotFound,
          file,
          message,
          `Create ${CONFIG_FILE} with \`export default defineConfig({ bindings: [...] })\`, or pass --config.`,
        ),
      ],
    };
  }
  const { config, diagnostics, locate, locateValue } = await loadConfig(configFile, options.profile, stacks, options.fresh);
  if (!config) return { project: null, diagnostics, stacks };
  const bindings = await loadBindings(config, configFile, locate, stacks, options.fresh);
  const parameterTypes: RegisteredParameterType[] = config.parameterTypes.map((definition) => ({
    ...definition,
    source: { file: configFile, ...locateValue(definition.name) },
  }));
  const { registry, diagnostics: registryDiagnostics } = createRegistry({ modules: bindings.modules, parameterTypes });
  const all = [...diagnostics, ...bindings.diagnostics, ...registryDiagnostics];
  const specs = (
    await Promise.all(config.specs.map(async (s) => (/[*?]/.test(s) ? expandGlob(config.root, s) : [resolve(config.root, s)])))
  ).flat();
  return { project: { root: config.root, configFile, config, registry, specs }, diagnostics: all, stacks };
}
