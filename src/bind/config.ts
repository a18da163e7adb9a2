// `seqrun.config.ts`: the shape users write, and its validation into a ResolvedConfig.
import { resolve as resolvePath } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { ParameterTypeDefinition, StepOptions } from './types.ts';
import { BindCode } from './codes.ts';
import { suggest } from '../diagnostics/suggest.ts';
import type { DeclaredResources } from '../sandbox/declared.ts';
import { inputsProblems, type InputDeclaration } from './inputs.ts';
import { DEFAULT_TIMEOUTS, MAX_TIMER_MS, TIMEOUT_KEYS, type Timeouts } from './timeouts.ts';

/** Settings for one participant, handed to handlers and packs (`ctx.config.participants`). */
export type ParticipantSettings = Readonly<Record<string, unknown>>;

export interface SeqrunConfig {
  /** Binding modules: paths or globs (`specs/steps/**\/*.ts`), relative to the config file. */
  readonly bindings?: readonly string[];
  /** Diagrams `seqrun check` checks when given no paths (files, folders, `doc.md#slug`, globs). */
  readonly specs?: readonly string[];
  /** Parameter types usable in every expression, besides those the binding modules define. */
  readonly parameterTypes?: readonly ParameterTypeDefinition[];
  /** Per-participant settings, keyed by participant id. */
  readonly participants?: Readonly<Record<string, ParticipantSettings>>;
  /** Per-step overrides of timeout and retry, keyed by step text or `file:line` (file relative to the config). */
  readonly steps?: Readonly<Record<string, StepOptions>>;
  /** Free-form settings handed to handlers as `ctx.config`. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** What `seqrun run --sandbox` does to the fresh sandbox before the run. */
  readonly sandbox?: SandboxConfig;
  /** Default time limits per step kind, and the grace periods of a stopping run, in ms. */
  readonly timeouts?: Timeouts;
  /**
   * Names of run variables (`--var`) and environment variables whose values are secret, besides those
   * whose names look secret (`TOKEN`, `PASSWORD`, `WEBHOOK`...): masked wherever they appear.
   */
  readonly secrets?: readonly string[];
  /**
   * The run variables that identify a release (`['app', 'release']`): two runs that agree on them (and
   * on the diagram and profile) are the same release, and only one runs at a time. Default: all of them.
   */
  readonly releaseKey?: readonly string[];
  /** The run variables the processes take (`--var NAME=VALUE`): required, pattern, default, secret. */
  readonly vars?: Readonly<Record<string, InputDeclaration>>;
  /** Where a run's report is published, `{runId}` standing for the run id: handlers get it as `ctx.run.reportUrl`. */
  readonly reportUrl?: string;
  /**
   * Where runs are journaled besides `.seqrun/runs`: `s3://bucket/prefix` (or with the lease's time to
   * live, `{ url, leaseSeconds }`, default 60). A run with an S3 journal holds a lease on its release
   * there and can be resumed on any machine (`seqrun resume RUN-ID`). `--journal` overrides it.
   */
  readonly journal?: string | JournalConfig;
  /** Named partial configs merged over the base, selected by `--profile` or `SEQRUN_PROFILE`. */
  readonly profiles?: Readonly<Record<string, Omit<SeqrunConfig, 'profiles'>>>;
}

export interface JournalConfig {
  readonly url: string;
  readonly leaseSeconds?: number;
}

export const DEFAULT_LEASE_SECONDS = 60;

export interface SandboxConfig extends DeclaredResources {
  /**
   * A module (relative to the config file) whose default export `(sandbox, ctx) => Promise<void>`
   * `seqrun run --sandbox` calls after `up` and before the run: create what the diagram expects.
   */
  readonly provision?: string;
}

/** A validated config with its profile applied and every field present. */
export interface ResolvedConfig {
  /** The folder of the config file; relative paths in the config are resolved against it. */
  readonly root: string;
  readonly profile: string | null;
  readonly bindings: readonly string[];
  readonly specs: readonly string[];
  readonly parameterTypes: readonly ParameterTypeDefinition[];
  readonly participants: Readonly<Record<string, ParticipantSettings>>;
  readonly steps: Readonly<Record<string, StepOptions>>;
  readonly settings: Readonly<Record<string, unknown>>;
  /** `sandbox.provision` as an absolute path, or null; and the resources declared for the sandbox. */
  readonly sandbox: { readonly provision: string | null } & DeclaredResources;
  /** The default time limits and grace periods, every one set. */
  readonly timeouts: Required<Timeouts>;
  /** Variables declared secret: the base's and the profile's. */
  readonly secrets: readonly string[];
  /** The config's `reportUrl`, or null. */
  readonly reportUrl: string | null;
  /** The config's `journal` (the lease's time to live filled in), or null: the local journal only. */
  readonly journal: Required<JournalConfig> | null;
  /** The variables that identify a release, or null for all of them. */
  readonly releaseKey: readonly string[] | null;
  /** The declared inputs, the profile's over the base's (by name). */
  readonly vars: Readonly<Record<string, InputDeclaration>>;
}

/** Typed identity, so that `seqrun.config.ts` gets completion and checking. */
export function defineConfig(config: SeqrunConfig): SeqrunConfig {
  return config;
}

const KEYS = [
  'bindings',
  'specs',
  'parameterTypes',
  'participants',
  'steps',
  'settings',
  'sandbox',
  'secrets',
  'vars',
  'releaseKey',
  'reportUrl',
  'journal',
  'timeouts',
  'profiles',
] as const;
const STEP_OPTION_KEYS = ['timeoutMs', 'retry'];

/** Where a key is written in the config source, for diagnostics (first occurrence, else line 1). */
export type Locate = (key: string) => { line: number; column: number };

interface Checker {
  readonly file: string;
  readonly locate: Locate;
  readonly diagnostics: Diagnostic[];
}

function problem(c: Checker, key: string, message: string, hint: string): void {
  const { line, column } = c.locate(key);
  const start = { line, column, offset: 0 };
  c.diagnostics.push({
    code: BindCode.configInvalid,
    severity: 'error',
    message,
    hint,
    file: c.file,
    span: { start, end: { ...start, column: column + key.length } },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(c: Checker, value: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = suggest(key, known);
    problem(c, key, `Unknown key '${key}' in ${where}.`, guess ? `Did you mean '${guess}'?` : `Known keys: ${known.join(', ')}.`);
  }
}

function checkStringList(c: Checker, config: Record<string, unknown>, key: string, example: string): void {
  const value = config[key];
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problem(c, key, `'${key}' must be a list of strings.`, `Write ${key}: [${example}].`);
  }
}

function checkRecord(c: Checker, config: Record<string, unknown>, key: string, ofRecords: boolean): void {
  const value = config[key];
  if (value === undefined) return;
  if (!isRecord(value) || (ofRecords && Object.values(value).some((v) => !isRecord(v)))) {
    problem(c, key, `'${key}' must be an object${ofRecords ? ' of objects' : ''}.`, `See docs/handlers.md for the shape of '${key}'.`);
  }
}

const MODULE_FILE = /\.(ts|mts|js|mjs)$/;

function checkSandbox(c: Checker, config: Record<string, unknown>, where: string): void {
  const value = config['sandbox'];
  if (value === undefined) return;
  const example = "Write sandbox: { provision: './sandbox/provision.ts' } (a module whose default export provisions the sandbox).";
  if (!isRecord(value)) return problem(c, 'sandbox', `'sandbox' in ${where} must be an object.`, example);
  checkKeys(c, value, ['provision', 'buckets', 'ecrRepositories', 'codebuildProjects'], `sandbox in ${where}`);
  checkStringList(c, value, 'buckets', "'pay-ci-sources'");
  checkStringList(c, value, 'ecrRepositories', "'govukpay/frontend'");
  const projects = value['codebuildProjects'];
  if (projects !== undefined && (!Array.isArray(projects) || projects.some((p) => !isRecord(p) || typeof p['name'] !== 'string'))) {
    problem(
      c,
      'codebuildProjects',
      `'sandbox.codebuildProjects' in ${where} must be a list of projects with a name.`,
      "Write codebuildProjects: [{ name: 'site-build', source: { type: 'S3', location: 'bucket/key.zip' }, buildspec: 'ci/buildspec.yml' }].",
    );
  }
  const provision = value['provision'];
  if (provision !== undefined && (typeof provision !== 'string' || !MODULE_FILE.test(provision))) {
    problem(
      c,
      'provision',
      `'sandbox.provision' in ${where} must be the path of a .ts, .mts, .js or .mjs module, not ${JSON.stringify(provision)}.`,
      example,
    );
  }
}

function checkTimeouts(c: Checker, config: Record<string, unknown>, where: string): void {
  const value = config['timeouts'];
  if (value === undefined) return;
  const example = 'Write timeouts: { call: 600_000, job: 3_600_000 } (milliseconds).';
  if (!isRecord(value)) return problem(c, 'timeouts', `'timeouts' in ${where} must be an object.`, example);
  checkKeys(c, value, TIMEOUT_KEYS, `timeouts in ${where}`);
  for (const [key, ms] of Object.entries(value)) {
    if (!TIMEOUT_KEYS.includes(key as keyof Timeouts)) continue;
    // A step may have no limit (Infinity); a grace period always ends.
    const grace = key === 'stopGrace' || key === 'cancelGrace';
    if (typeof ms === 'number' && ms > 0 && (!grace || ms <= MAX_TIMER_MS)) continue;
    const what = grace ? `a number of milliseconds from 1 to ${MAX_TIMER_MS}` : 'a number of milliseconds above 0 (Infinity: no limit)';
    problem(c, key, `'timeouts.${key}' in ${where} must be ${what}, not ${String(ms)}.`, example);
  }
}

function checkJournal(c: Checker, journal: unknown, where: string): void {
  if (journal === undefined) return;
  const url = isRecord(journal) ? journal['url'] : journal;
  const seconds = isRecord(journal) ? journal['leaseSeconds'] : undefined;
  const hint = "Write journal: 's3://my-bucket/seqrun' or journal: { url: 's3://my-bucket/seqrun', leaseSeconds: 60 }.";
  if (typeof url !== 'string' || !url.startsWith('s3://')) {
    problem(c, 'journal', `'journal' in ${where} must be an s3:// location.`, hint);
  } else if (seconds !== undefined && !(typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 1)) {
    problem(c, 'journal', `'journal.leaseSeconds' in ${where} must be a number of seconds, at least 1.`, hint);
  } else if (isRecord(journal)) {
    checkKeys(c, journal, ['url', 'leaseSeconds'], `${where}'s journal`);
  }
}

function checkSection(c: Checker, config: Record<string, unknown>, where: string, known: readonly string[]): void {
  checkKeys(c, config, known, where);
  checkSandbox(c, config, where);
  checkTimeouts(c, config, where);
  checkStringList(c, config, 'bindings', "'specs/steps/*.ts'");
  checkStringList(c, config, 'specs', "'specs/*.seq'");
  checkStringList(c, config, 'secrets', "'DB_URL', 'releaseNote'");
  checkStringList(c, config, 'releaseKey', "'app', 'release'");
  if (config['reportUrl'] !== undefined && typeof config['reportUrl'] !== 'string') {
    problem(
      c,
      'reportUrl',
      `'reportUrl' in ${where} must be a string.`,
      "Write reportUrl: 'https://ci.example.org/runs/{runId}/report.html'.",
    );
  }
  checkJournal(c, config['journal'], where);
  for (const p of inputsProblems(config['vars'], where)) problem(c, p.key, p.message, p.hint);
  if (config['parameterTypes'] !== undefined && !Array.isArray(config['parameterTypes'])) {
    problem(c, 'parameterTypes', `'parameterTypes' must be a list.`, `Write parameterTypes: [{ name, regexp }].`);
  }
  checkRecord(c, config, 'participants', true);
  checkRecord(c, config, 'settings', false);
  checkRecord(c, config, 'steps', true);
  const steps = config['steps'];
  if (isRecord(steps)) {
    for (const [stepKey, options] of Object.entries(steps)) {
      if (isRecord(options)) checkKeys(c, options, STEP_OPTION_KEYS, `steps['${stepKey}']`);
    }
  }
}

/** Validates a loaded config and applies a profile. Problems are diagnostics, never throws. */
export function resolveConfig(
  raw: unknown,
  options: { file: string; root: string; profile?: string | undefined; locate: Locate },
): { config: ResolvedConfig | null; diagnostics: Diagnostic[] } {
  const c: Checker = { file: options.file, locate: options.locate, diagnostics: [] };
  if (!isRecord(raw)) {
    problem(c, 'export default', 'The config file must `export default defineConfig({ ... })`.', "Import defineConfig from 'seqrun'.");
    return { config: null, diagnostics: c.diagnostics };
  }
  checkSection(c, raw, options.file, KEYS);
  checkRecord(c, raw, 'profiles', true);
  const profiles = isRecord(raw['profiles']) ? raw['profiles'] : {};
  for (const [name, profile] of Object.entries(profiles)) {
    if (isRecord(profile))
      checkSection(
        c,
        profile,
        `profile '${name}'`,
        KEYS.filter((k) => k !== 'profiles'),
      );
  }
  const profileName = options.profile ?? null;
  if (profileName !== null && !isRecord(profiles[profileName])) {
    const known = Object.keys(profiles);
    const guess = suggest(profileName, known);
    problem(
      c,
      'profiles',
      `Unknown profile '${profileName}'.`,
      guess ? `Did you mean '${guess}'?` : `Known profiles: ${known.join(', ') || 'none'}.`,
    );
  }
  if (c.diagnostics.length > 0) return { config: null, diagnostics: c.diagnostics };
  return { config: merge(raw as SeqrunConfig, profileName, options.root), diagnostics: [] };
}

function merge(base: SeqrunConfig, profileName: string | null, root: string): ResolvedConfig {
  const profile = profileName === null ? {} : (base.profiles?.[profileName] ?? {});
  return {
    root,
    profile: profileName,
    bindings: profile.bindings ?? base.bindings ?? [],
    specs: profile.specs ?? base.specs ?? [],
    parameterTypes: [...(base.parameterTypes ?? []), ...(profile.parameterTypes ?? [])],
    participants: mergeRecords(base.participants, profile.participants),
    steps: mergeRecords(base.steps, profile.steps),
    settings: { ...base.settings, ...profile.settings },
    sandbox: { ...base.sandbox, ...profile.sandbox, provision: provisionPath(profile.sandbox ?? base.sandbox, root) },
    timeouts: { ...DEFAULT_TIMEOUTS, ...base.timeouts, ...profile.timeouts },
    secrets: [...new Set([...(base.secrets ?? []), ...(profile.secrets ?? [])])],
    vars: mergeRecords(base.vars, profile.vars),
    releaseKey: profile.releaseKey ?? base.releaseKey ?? null,
    reportUrl: profile.reportUrl ?? base.reportUrl ?? null,
    journal: resolveJournal(profile.journal ?? base.journal),
  };
}

function resolveJournal(journal: string | JournalConfig | undefined): Required<JournalConfig> | null {
  if (journal === undefined) return null;
  if (typeof journal === 'string') return { url: journal, leaseSeconds: DEFAULT_LEASE_SECONDS };
  return { url: journal.url, leaseSeconds: journal.leaseSeconds ?? DEFAULT_LEASE_SECONDS };
}

function provisionPath(sandbox: SandboxConfig | undefined, root: string): string | null {
  return sandbox?.provision === undefined ? null : resolvePath(root, sandbox.provision);
}

function mergeRecords<T extends object>(
  base: Readonly<Record<string, T>> | undefined,
  over: Readonly<Record<string, T>> | undefined,
): Record<string, T> {
  const out: Record<string, T> = { ...base };
  for (const [key, value] of Object.entries(over ?? {})) out[key] = { ...out[key], ...value } as T;
  return out;
}

/** An empty config rooted at `root`, for binding without a config file (tests, the API). */
export function emptyConfig(root: string): ResolvedConfig {
  return {
    root,
    profile: null,
    bindings: [],
    specs: [],
    parameterTypes: [],
    participants: {},
    steps: {},
    settings: {},
    sandbox: { provision: null },
    secrets: [],
    vars: {},
    releaseKey: null,
    reportUrl: null,
    journal: null,
    timeouts: DEFAULT_TIMEOUTS,
  };
}
