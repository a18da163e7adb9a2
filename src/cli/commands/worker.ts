// `seqrun worker --engine stepfunctions --queue URL --journal s3://BUCKET/PREFIX [--concurrency N] [--var NAME=VALUE] [FILES]`:
// answers the Tasks of deployed machines, up to N messages at once. The S3 journal is where the workers share each run's outputs, state and
// started jobs, so it is required (the flag, or the config's `journal`). `--var` gives the handlers what
// an execution's input must not carry, the secret vars (stepfunctions-vars.ts), merged under the input's.
import { DEFAULT_CONCURRENCY } from '../../app/stepfunctions-slots.ts';
import type { CommandSpec } from '../io.ts';

interface WorkerArgs {
  readonly files: readonly string[];
  readonly engine: string;
  readonly queue: string;
  readonly journal?: string;
  readonly concurrency?: string;
  readonly var: readonly string[];
  readonly config?: string;
  readonly profile?: string;
}

/** `--concurrency` and `--var` as numbers and vars, or what is wrong with them. */
async function parseFlags(args: WorkerArgs): Promise<{ concurrency: number; given: Record<string, string> } | string> {
  const concurrency = args.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(args.concurrency);
  if (!(/^\s*\d+\s*$/.test(args.concurrency ?? '1') && concurrency >= 1))
    return `--concurrency ${String(args.concurrency)} is not a positive whole number: give how many messages the worker answers at once (e.g. --concurrency ${DEFAULT_CONCURRENCY})`;
  const { parseVars } = await import('./run.ts');
  const given = parseVars(args.var);
  return typeof given === 'string' ? given : { concurrency, given };
}

const spec: CommandSpec<WorkerArgs> = {
  command: 'worker [files..]',
  describe: "Answer a Step Functions machine's steps: poll its SQS queue and run the bound handlers",
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, describe: "The diagrams it runs (default: the config's specs)" })
      .option('engine', { type: 'string', demandOption: true, choices: ['stepfunctions'], describe: 'The engine whose steps it answers' })
      .option('queue', { type: 'string', demandOption: true, describe: 'The SQS queue URL the machine sends its steps to' })
      .option('journal', {
        type: 'string',
        describe:
          "The S3 journal (s3://bucket/prefix; default: the config's journal) the workers share: each run's step outputs, state and started jobs",
      })
      .option('concurrency', {
        // A string, so that a usage error can quote what was given (yargs makes `x` NaN).
        type: 'string',
        describe: `How many messages (steps) it answers at once: a job one step awaits does not hold up the others (default ${DEFAULT_CONCURRENCY})`,
      })
      .option('var', {
        type: 'string',
        array: true,
        default: [],
        describe: "A variable NAME=VALUE for every run's handlers (repeatable), e.g. a secret seqrun run cannot put in the execution",
      })
      .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
      .option('profile', { type: 'string', describe: 'A profile of the config (default: $SEQRUN_PROFILE)' }),
  run: async (args, io) => {
    const flags = await parseFlags(args);
    if (typeof flags === 'string') {
      io.stderr(`seqrun worker: ${flags}\n`);
      return 2;
    }
    const { concurrency, given } = flags;
    const { relative } = await import('node:path');
    const { loadForCheck } = await import('./check-run.ts');
    const { bindCheckingParticipants } = await import('../../bind/index.ts');
    const { diagramHash } = await import('../../ast/meaning.ts');
    const { showDiagnostics } = await import('../show-diagnostics.ts');
    const { pollQueue, StepFunctionsWorker } = await import('../../app/stepfunctions-worker.ts');
    const { sfnClient, sqsClient } = await import('../../app/stepfunctions-clients.ts');
    const profile = args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined);
    const loaded = await loadForCheck(io, { paths: args.files, configPath: args.config, profile });
    await showDiagnostics(io, loaded.diagnostics, {});
    if (loaded.fatal || !loaded.project) return 2;
    const project = loaded.project;
    const { workerVars } = await import('../../app/stepfunctions-vars.ts');
    const vars = workerVars(project.config, given);
    if (vars.problems.length > 0) {
      io.stderr(vars.problems.map((problem) => `seqrun worker: ${problem}\n`).join(''));
      return 2;
    }
    const plans = new Map(
      loaded.diagrams.map((d) => [
        diagramHash(d),
        { plan: bindCheckingParticipants(d, project.registry, project.config), name: relative(io.cwd, d.file) },
      ]),
    );
    const errors = [...plans.values()].flatMap(({ plan }) => plan.diagnostics.filter((d) => d.severity === 'error'));
    if (errors.length > 0) {
      await showDiagnostics(io, errors, {});
      return 1;
    }
    const url = args.journal ?? project.config.journal?.url;
    if (url === undefined) {
      io.stderr(
        "seqrun worker: --journal s3://BUCKET/PREFIX is required (or journal: in seqrun.config.ts): the workers share each run's step outputs, state and started jobs there. Give every worker of a queue the same location.\n",
      );
      return 2;
    }
    const { parseS3Location } = await import('../../store/location.ts');
    const { s3Client } = await import('../../store/s3-objects.ts');
    let journal;
    try {
      journal = { client: s3Client(io.env), location: parseS3Location(url) };
    } catch (error) {
      io.stderr(`seqrun worker: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    const worker = new StepFunctionsWorker({
      plans,
      vars: vars.vars,
      env: io.env,
      journal,
      secretNames: vars.secretNames,
      config: { ...project.config.settings, participants: project.config.participants, profile: project.config.profile },
    });
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const sqs = sqsClient(io.env);
    const sfn = sfnClient(io.env);
    const names = [...plans.entries()].map(([hash, p]) => `${p.name} (${hash.slice(0, 12)})`).join(', ');
    io.stderr(`seqrun worker: answering ${args.queue} for ${names}, journal ${url}, ${concurrency} at once\n`);
    try {
      const onNote = (line: string): void => io.stderr(`seqrun worker: ${line}\n`);
      await pollQueue({ sqs, sfn, queueUrl: args.queue, worker, signal: stop.signal, concurrency, onNote });
    } catch (error) {
      io.stderr(`seqrun worker: ${error instanceof Error ? error.message : String(error)} (queue ${args.queue})\n`);
      return 2;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      sqs.destroy();
      sfn.destroy();
      worker.close();
      journal.client.destroy();
    }
    return 130;
  },
};
export default spec;
