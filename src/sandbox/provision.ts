// Provisioning: what `seqrun run --sandbox` does between `up` and the run. The config's
// `sandbox.provision` names a module whose default export creates what the diagram expects to find
// (CodeBuild projects, an ECR repository, a release tag in the git remote...) in the fresh sandbox.
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedConfig } from '../bind/config.ts';
import type { SandboxState } from './sandbox.ts';
import { DECLARED_KEYS, provisionDeclared } from './declared.ts';
import { SandboxError } from './services.ts';

/** What a provisioning module gets besides the sandbox. */
export interface ProvisionContext {
  /** The project root (the config file's folder). */
  readonly root: string;
  readonly profile: string | null;
  /** The profile's settings, as written (`$NAME` not expanded). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The run's `--var` values (e.g. `release`). */
  readonly vars: Readonly<Record<string, string>>;
  /** The run's environment with the sandbox's variables over it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A progress line for the user (stderr). */
  readonly log: (line: string) => void;
  /** Aborted when the user stops the run (Ctrl-C) while provisioning. */
  readonly signal?: AbortSignal;
}

/**
 * The default export of a `sandbox.provision` module. It may return environment variables for the run
 * (the URL of a stand-in it started, say), added over the sandbox's.
 */
export type SandboxProvision = (sandbox: SandboxState, ctx: ProvisionContext) => Promise<void | Readonly<Record<string, string>>>;

export interface ProvisionOptions {
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** Provisions a started sandbox (what loadProvision returns); resolves with the variables the module returned. */
export type Provisioner = (sandbox: SandboxState, options: ProvisionOptions) => Promise<Readonly<Record<string, string>>>;

async function importProvision(file: string, shown: string): Promise<SandboxProvision> {
  if (
    !(await stat(file).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    throw new SandboxError(
      `sandbox.provision names ${shown}, which does not exist; fix the path in seqrun.config.ts (it is relative to the config file)`,
    );
  }
  const module = (await import(pathToFileURL(file).href).catch((error: unknown) => {
    throw new SandboxError(`sandbox.provision: ${shown} could not be loaded: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  })) as { default?: unknown };
  if (typeof module.default !== 'function') {
    throw new SandboxError(
      `sandbox.provision: ${shown} has no default export function; write \`export default async function provision(sandbox, ctx) { ... }\``,
    );
  }
  return module.default as SandboxProvision;
}

/**
 * Loads the config's provisioning module (before the sandbox starts, so a missing or broken one
 * starts nothing). Every failure, then or when provisioning, is a SandboxError naming the module.
 */
export async function loadProvision(config: ResolvedConfig): Promise<Provisioner> {
  const module = await loadModule(config);
  const declared = DECLARED_KEYS.some((key) => (config.sandbox[key]?.length ?? 0) > 0);
  return async (sandbox, options) => {
    if (declared) {
      const made = await provisionDeclared(config.sandbox, { ...options.env, ...sandbox.env }, config.root).catch((error: unknown) => {
        throw new SandboxError(
          `provisioning the sandbox's declared resources failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      });
      options.log(`sandbox: made ${made.join(', ')}`);
    }
    if (module) return module(sandbox, options);
    if (!declared)
      options.log(
        'sandbox: nothing to provision in the config (sandbox.provision, buckets, ecrRepositories, codebuildProjects); the run starts against an empty sandbox',
      );
    return {};
  };
}

/** The config's provisioning module, loaded (or null when the config names none). */
async function loadModule(config: ResolvedConfig): Promise<Provisioner | null> {
  const file = config.sandbox.provision;
  if (file === null) return null;
  const near = relative(config.root, file);
  const shown = near === '' || near.startsWith('..') ? file : near;
  const provision = await importProvision(file, shown);
  return async (sandbox, options) => {
    options.log(`sandbox: provisioning with ${shown}`);
    const ctx: ProvisionContext = {
      root: config.root,
      profile: config.profile,
      settings: config.settings,
      vars: options.vars,
      env: { ...options.env, ...sandbox.env },
      log: options.log,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    let returned: unknown;
    try {
      returned = await provision(sandbox, ctx);
    } catch (error) {
      throw new SandboxError(`provisioning the sandbox with ${shown} failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return variablesReturned(returned, shown);
  };
}

function variablesReturned(value: unknown, shown: string): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return {};
  const entries = typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : null;
  if (entries === null || entries.some(([name, v]) => typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)))
    throw new SandboxError(
      `sandbox.provision: ${shown} returned ${JSON.stringify(value)}; return nothing, or environment variables for the run as { NAME: 'value' }`,
    );
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Loads and calls the config's provisioning module on a started sandbox; resolves with the variables it returned. */
export async function provisionSandbox(
  config: ResolvedConfig,
  sandbox: SandboxState,
  options: ProvisionOptions,
): Promise<Readonly<Record<string, string>>> {
  return (await loadProvision(config))(sandbox, options);
}
