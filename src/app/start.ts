// `seqrun run` and `seqrun resume` behind the CLI: everything but argument parsing and signals.
// Problems are diagnostics or refusals printed here; the CLI only passes the exit code on.
import { resolve } from 'node:path';
import type { Project, ResolvedConfig } from '../bind/index.ts';
import { isMissing, readRun, runsDir, type RunMissing, type RunRead } from '../run/run-folder.ts';
import { sandboxGone, summaryOf } from '../run/resume.ts';
import { newRunId } from '../run/run-id.ts';
import { MASK, runRedactor } from '../run/redact.ts';
import { prepare } from './prepare.ts';
import { chooseRun, runList } from './resumable.ts';
import { holdingRelease, releaseOfRun } from './release-lock.ts';
import { findRun, holdingLease, journalChoice, type JournalChoice } from './journal-store.ts';
import { releaseKey } from '../run/lock.ts';
import { JournalStoreError } from '../store/errors.ts';
import { describePlan, execute, EXIT, type Execution, type ReportOptions } from './session.ts';
import { showForRun } from './show-diagnostics.ts';
import { prepareRun } from './prepare-run.ts';
import type { RunIo } from './io.ts';

export interface StartRequest {
  readonly diagram: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly dryRun: boolean;
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
  /** `--journal s3://…` (over the config's `journal`) and `--wait-for-lease`. */
  readonly journal?: string | undefined;
  readonly waitForLease?: boolean | undefined;
}

/** A journal store that cannot be used is said plainly (exit 2 before anything ran); anything else is not ours to catch. */
async function sayingStoreErrors(command: 'run' | 'resume', io: RunIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof JournalStoreError)) throw error;
    io.stderr(`seqrun ${command}: ${error.message}\n`);
    return EXIT.usage;
  }
}

/** The execution under the S3 lease when the run has an S3 journal (`choice`), else as it is. */
function underLease(
  command: 'run' | 'resume',
  choice: JournalChoice | null,
  at: { readonly runId: string; readonly key: string; readonly io: RunIo; readonly signal: AbortSignal },
  execute: (env: RunIo['env'], store: Execution['store']) => Promise<number>,
): (env: RunIo['env']) => Promise<number> {
  const { runId, key, io, signal } = at;
  return (env) =>
    holdingLease(command, choice, { runId, pid: io.pid, key, env, stderr: io.stderr, signal }, (lease) =>
      execute(env, choice === null ? undefined : { choice, lease }),
    );
}

/**
 * Wraps the execution (`seqrun run --sandbox`: up, provision, run, down). Called once the diagram is
 * bound, so a diagram or config that does not bind starts nothing; `execute` runs with `env`.
 */
export type AroundExecute = (config: ResolvedConfig, execute: (env: RunIo['env']) => Promise<number>) => Promise<number>;

export async function startRun(request: StartRequest, report: ReportOptions, io: RunIo, around?: AroundExecute): Promise<number> {
  const ready = await prepareRun(request, io);
  if (typeof ready === 'number') return ready;
  const { prepared, redactor, vars } = ready;
  const { config } = prepared.project;
  if (request.dryRun) {
    io.stdout(describePlan(prepared, io.cwd));
    return EXIT.passed;
  }
  const runId = newRunId();
  const release = releaseOfRun(prepared, vars, redactor);
  const choice = journalChoice(request.journal, config, request.waitForLease ?? false);
  const go = underLease('run', choice, { runId, key: releaseKey(release, release.keyVars), io, signal: report.interrupt }, (env, store) =>
    execute({ prepared, runId, vars, redactor, ...(store ? { store } : {}) }, report, { ...io, env }),
  );
  // The lock comes before the sandbox: a run that is refused starts nothing.
  return sayingStoreErrors('run', io, () =>
    holdingRelease('run', { root: config.root, runId, pid: io.pid, stderr: io.stderr }, release, () =>
      around ? around(config, go) : go(io.env),
    ),
  );
}

export interface ResumeRequest {
  readonly runId?: string | undefined;
  readonly vars: Readonly<Record<string, string>>;
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
  readonly journal?: string | undefined;
  readonly waitForLease?: boolean | undefined;
}

function refuse(io: RunIo, message: string): number {
  io.stderr(`seqrun resume: ${message}\n`);
  return EXIT.usage;
}

/**
 * A resume runs with the profile its run started with (journaled in `run-started`): without
 * `--profile` that profile is loaded; a different `--profile` is refused. Journals from before the
 * profile was recorded are resumed with whatever was given. A string is a refusal, null a shown error.
 */
async function projectForResume(
  request: ResumeRequest,
  journaled: string | null | undefined,
  project: Project,
  io: RunIo,
  redact: (text: string) => string,
): Promise<Project | string | null> {
  if (journaled === undefined || journaled === project.config.profile) return project;
  const named = (profile: string | null): string => (profile === null ? 'no profile' : `profile '${profile}'`);
  if (request.profile !== undefined) {
    return `was started with ${named(journaled)}, not ${named(project.config.profile)}; resume it ${journaled === null ? 'without --profile' : `with --profile ${journaled} (or without --profile)`}`;
  }
  const { loadProject } = await import('../bind/index.ts');
  const again = await loadProject({ cwd: io.cwd, configPath: request.configPath, profile: journaled ?? undefined, redact });
  if (!again.project || again.diagnostics.some((d) => d.severity === 'error')) {
    await showForRun(again.diagnostics, io);
    return null;
  }
  return again.project;
}

/** The one run of the project a resume without an id continues; with none or several, the exit code after saying so. */
async function onlyResumable(root: string, io: RunIo): Promise<RunRead | number> {
  const choice = await chooseRun(runsDir(root));
  if (choice.kind === 'one') return choice.run;
  if (choice.kind === 'none') {
    if (choice.runs === 0) return refuse(io, `no run to resume in ${root}/.seqrun/runs; start one with 'seqrun run FILE'`);
    io.stdout(`every run in ${root}/.seqrun/runs passed; nothing to resume\n`);
    return EXIT.passed;
  }
  io.stderr(
    `seqrun resume: ${choice.runs.length} runs did not pass; say which to resume: seqrun resume RUN\n${runList(choice.runs)}` +
      `('seqrun resume latest' takes the latest run.)\n`,
  );
  return EXIT.usage;
}

/** `around`: `seqrun resume --sandbox` (a fresh sandbox: only a run that did nothing in its own can continue). */
export async function resumeRun(request: ResumeRequest, report: ReportOptions, io: RunIo, around?: AroundExecute): Promise<number> {
  const { loadProject } = await import('../bind/index.ts');
  const redactor = runRedactor(request.vars, io.env);
  const redact = (text: string): string => redactor.text(text);
  const loaded = await loadProject({ cwd: io.cwd, configPath: request.configPath, profile: request.profile, redact });
  if (!loaded.project || loaded.diagnostics.some((d) => d.severity === 'error')) {
    await showForRun(loaded.diagnostics, io);
    return EXIT.usage;
  }
  const project = loaded.project;
  const root = project.root;
  const choice = journalChoice(request.journal, project.config, request.waitForLease ?? false);
  if (choice !== null && request.runId === undefined) {
    return refuse(io, `name the run to resume from ${choice.url}: seqrun resume RUN-ID (or latest) --journal ${choice.url}`);
  }
  return sayingStoreErrors('resume', io, async () => {
    const found =
      request.runId === undefined
        ? await onlyResumable(root, io)
        : choice === null
          ? await readRun(runsDir(root), request.runId)
          : await findRun(root, request.runId, choice, io.env);
    if (typeof found === 'number') return found;
    return resumeFound(found, choice, { request, report, io, around, root, loaded: project, redactor });
  });
}

interface ResumeContext {
  readonly request: ResumeRequest;
  readonly report: ReportOptions;
  readonly io: RunIo;
  readonly around: AroundExecute | undefined;
  readonly root: string;
  readonly loaded: Project;
  readonly redactor: ReturnType<typeof runRedactor>;
}

async function resumeFound(found: RunRead | RunMissing, choice: JournalChoice | null, c: ResumeContext): Promise<number> {
  const { request, report, io, around, root, redactor } = c;
  const redact = (text: string): string => redactor.text(text);
  if (isMissing(found)) {
    return refuse(
      io,
      found.kind === 'no-latest'
        ? `no run to resume in ${found.runs}; start one with 'seqrun run FILE'`
        : `no journal for run '${found.runId}' (looked for ${found.journal})`,
    );
  }
  const { runId, read } = found;
  const summary = summaryOf(found.fold);
  if (!summary.started) return refuse(io, `the journal of run '${runId}' has no run-started event; it cannot be resumed`);
  if (summary.finished?.status === 'passed') {
    io.stdout(`run ${runId} already passed; nothing to resume\n`);
    return EXIT.passed;
  }
  const gone = sandboxGone(summary, around ? null : (io.env['SEQRUN_SANDBOX_ID'] ?? null));
  if (gone) return refuse(io, `run ${runId} ${gone}`);
  const project = await projectForResume(request, summary.started.profile, c.loaded, io, redact);
  if (typeof project === 'string') return refuse(io, `run ${runId} ${project}`);
  if (project === null) return EXIT.usage;
  const preparation = await prepare({ cwd: io.cwd, diagram: resolve(root, summary.started.diagram), project });
  if (!preparation.ok) {
    await showForRun(preparation.diagnostics, io);
    return EXIT.usage;
  }
  const { prepared } = preparation;
  if (prepared.hash !== summary.started.diagramHash) {
    return refuse(
      io,
      `${summary.started.diagram} changed since run ${runId} started (its steps differ from the journaled ones), so the journal no longer says which steps are done. Restore the diagram as it was, or start a new run with 'seqrun run ${summary.started.diagram}'.`,
    );
  }
  const vars = { ...summary.started.vars, ...request.vars };
  const masked = Object.keys(vars).filter((k) => vars[k] === MASK);
  if (masked.length > 0)
    return refuse(io, `the secret variables ${masked.join(', ')} are not journaled; pass them again with --var NAME=VALUE`);
  if (report.format !== 'json') {
    const jobs = [...summary.openJobs.keys()];
    io.stdout(
      `resuming run ${runId}: ${summary.passed.size} steps already passed${jobs.length ? `, re-attaching ${jobs.join(', ')}` : ''}${read.tornTail ? ' (the journal ended in a torn line, dropped)' : ''}\n`,
    );
  }
  const release = {
    diagram: summary.started.diagram,
    profile: summary.started.profile,
    vars: summary.started.vars,
    keyVars: prepared.project.config.releaseKey,
  };
  const go = underLease(
    'resume',
    choice,
    { runId, key: releaseKey(release, release.keyVars), io, signal: report.interrupt },
    (env, store) =>
      execute({ prepared, runId, vars, resume: summary, history: read.events, redactor, ...(store ? { store } : {}) }, report, {
        ...io,
        env,
      }),
  );
  return holdingRelease('resume', { root, runId, pid: io.pid, stderr: io.stderr }, release, () =>
    around ? around(prepared.project.config, go) : go(io.env),
  );
}
