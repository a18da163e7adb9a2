// The projects the open documents belong to: each config file loaded once into a registry, and again,
// with fresh imports, when the config or a module under its folder is saved. A project that fails to
// load leaves its diagnostics at the files and lines they name; the server goes on without bindings.
import { dirname, extname, relative, isAbsolute } from 'node:path';
import { expandGlob } from '../bind/glob.ts';
import { findConfig, loadProject, type Project } from '../bind/project.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Binder } from './document.ts';

export interface ProjectState {
  readonly configFile: string;
  readonly project: Project | null;
  /** Config and binding load problems, at the files and lines they name. */
  readonly diagnostics: readonly Diagnostic[];
  readonly binder: Binder | null;
}

export interface ProjectOptions {
  /** An explicit config file for every document (`seqrun lsp --config`). */
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
}

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** A file whose change may change the bindings: a TypeScript or JavaScript module. */
export const isModuleFile = (file: string): boolean => MODULE_EXTENSIONS.has(extname(file).toLowerCase());

const inside = (folder: string, file: string): boolean => {
  const path = relative(folder, file);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
};

export class Projects {
  private readonly options: ProjectOptions;
  private readonly states = new Map<string, Promise<ProjectState>>();
  private readonly configByFolder = new Map<string, Promise<string | null>>();
  private loads = 0;

  constructor(options: ProjectOptions) {
    this.options = options;
  }

  /** The config file that governs `file`: the explicit one, else the nearest `seqrun.config.ts` above it. */
  configFor(file: string): Promise<string | null> {
    if (this.options.configPath !== undefined) return Promise.resolve(this.options.configPath);
    if (!isAbsolute(file)) return Promise.resolve(null);
    const folder = dirname(file);
    let found = this.configByFolder.get(folder);
    if (!found) this.configByFolder.set(folder, (found = findConfig(folder)));
    return found;
  }

  /** The project of `configFile`, loaded on first use. */
  get(configFile: string): Promise<ProjectState> {
    let state = this.states.get(configFile);
    if (!state) this.states.set(configFile, (state = this.load(configFile)));
    return state;
  }

  /** Loaded projects, settled. */
  async all(): Promise<ProjectState[]> {
    return Promise.all(this.states.values());
  }

  /** Re-loads, with fresh imports, every loaded project whose config is `file` or whose folder holds it. */
  async reloadFor(file: string): Promise<ProjectState[]> {
    if (!isModuleFile(file)) return [];
    const affected = [...this.states.keys()].filter((configFile) => configFile === file || inside(dirname(configFile), file));
    return Promise.all(affected.map((configFile) => this.reload(configFile)));
  }

  reload(configFile: string): Promise<ProjectState> {
    const state = this.load(configFile);
    this.states.set(configFile, state);
    return state;
  }

  private async load(configFile: string): Promise<ProjectState> {
    const version = ++this.loads;
    const { project, diagnostics } = await loadProject({
      cwd: dirname(configFile),
      configPath: configFile,
      profile: this.options.profile,
      fresh: String(version),
    });
    const binder = project ? { registry: project.registry, config: project.config, version } : null;
    return { configFile, project, diagnostics, binder };
  }
}

/** The binding modules a project's config names, as files (the targets of "add a handler"). */
export async function bindingFiles(project: Project): Promise<string[]> {
  const lists = await Promise.all(project.config.bindings.map((pattern) => expandGlob(project.config.root, pattern)));
  return [...new Set(lists.flat())];
}
