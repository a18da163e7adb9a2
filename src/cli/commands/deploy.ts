// `seqrun deploy --engine stepfunctions FILE --role-arn ARN`: creates (or updates) the workers' SQS
// queue, its dead-letter queue and the state machine compiled from the diagram; prints them as JSON.
import {
  deadLetterQueueName,
  DEFAULT_MAX_RECEIVE_COUNT,
  MAX_QUEUE_NAME,
  MAX_RECEIVE_COUNT_RANGE,
} from '../../app/stepfunctions-dead-letter.ts';
import type { CommandSpec } from '../io.ts';

interface DeployArgs {
  readonly file: string;
  readonly engine: string;
  readonly roleArn: string;
  readonly name?: string;
  readonly visibilityTimeout?: number;
  readonly maxReceiveCount?: number;
  readonly queueName?: string;
  readonly config?: string;
  readonly profile?: string;
}

const spec: CommandSpec<DeployArgs> = {
  command: 'deploy <file>',
  describe: 'Create or update a Step Functions state machine for a diagram, and the queue its workers poll',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'One diagram (.seq, .mmd, file.md#slug)' })
      .option('engine', { type: 'string', demandOption: true, choices: ['stepfunctions'], describe: 'The engine to deploy to' })
      .option('role-arn', {
        type: 'string',
        demandOption: true,
        describe: "The machine's execution role (it needs sqs:SendMessage on the queue)",
      })
      .option('name', { type: 'string', describe: "The machine's name; the queue is seqrun-NAME (default: the diagram's file name)" })
      .option('queue-name', {
        type: 'string',
        describe:
          "The workers' SQS queue (default: seqrun-NAME); deploy several diagrams with one name and one pool of workers answers them all",
      })
      .option('visibility-timeout', {
        type: 'number',
        describe:
          "The queue's visibility timeout in seconds (0-43200): how soon a step whose worker died is delivered to another (default: the queue's; 30 for a new one)",
      })
      .option('max-receive-count', {
        type: 'number',
        describe: `How many times a message is received (1-1000) before SQS moves it to the dead-letter queue QUEUE-dlq: one no worker can read goes there (default ${DEFAULT_MAX_RECEIVE_COUNT})`,
      })
      .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
      .option('profile', { type: 'string', describe: 'A profile of the config (default: $SEQRUN_PROFILE)' }),
  run: async (args, io) => {
    const { relative } = await import('node:path');
    const { loadForCheck } = await import('./check-run.ts');
    const { bindCheckingParticipants } = await import('../../bind/index.ts');
    const { toStateMachine } = await import('../../engines/stepfunctions/compile.ts');
    const { showDiagnostics } = await import('../show-diagnostics.ts');
    const { defaultQueueName, deployMachine, machineName } = await import('../../app/stepfunctions-deploy.ts');
    const profile = args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined);
    const loaded = await loadForCheck(io, { paths: [args.file], configPath: args.config, profile });
    await showDiagnostics(io, loaded.diagnostics, {});
    if (loaded.fatal || !loaded.project) return 2;
    const [diagram, ...others] = loaded.diagrams;
    if (!diagram || others.length > 0) {
      io.stderr(`seqrun: ${args.file} holds ${loaded.diagrams.length} diagrams: deploy one, named as file.md#slug.\n`);
      return 2;
    }
    const visibility = args.visibilityTimeout;
    if (visibility !== undefined && !(Number.isInteger(visibility) && visibility >= 0 && visibility <= 43_200)) {
      io.stderr(`seqrun deploy: --visibility-timeout ${String(visibility)} is not a whole number of seconds from 0 to 43200\n`);
      return 2;
    }
    const receives = args.maxReceiveCount;
    const { least, most } = MAX_RECEIVE_COUNT_RANGE;
    if (receives !== undefined && !(Number.isInteger(receives) && receives >= least && receives <= most)) {
      io.stderr(`seqrun deploy: --max-receive-count ${String(receives)} is not a whole number from ${least} to ${most}\n`);
      return 2;
    }
    const name = machineName(diagram, args.name);
    const deadLetter = deadLetterQueueName(args.queueName ?? defaultQueueName(name));
    if (deadLetter.length > MAX_QUEUE_NAME) {
      io.stderr(
        `seqrun deploy: the dead-letter queue's name ${deadLetter} is longer than SQS's ${MAX_QUEUE_NAME} characters: choose a shorter --queue-name (or --name)\n`,
      );
      return 2;
    }
    const plan = bindCheckingParticipants(diagram, loaded.project.registry, loaded.project.config);
    const source = relative(io.cwd, diagram.file);
    const compiled = toStateMachine(plan, { source, queueUrl: '${SeqrunQueueUrl}' });
    await showDiagnostics(io, [...plan.diagnostics, ...compiled.diagnostics], {});
    if (!compiled.machine || plan.diagnostics.some((d) => d.severity === 'error')) return 1;
    try {
      const deployed = await deployMachine(io.env, {
        name,
        roleArn: args.roleArn,
        machine: compiled.machine,
        ...(visibility === undefined ? {} : { visibilitySeconds: visibility }),
        ...(receives === undefined ? {} : { maxReceiveCount: receives }),
        ...(args.queueName === undefined ? {} : { queueName: args.queueName }),
      });
      io.stdout(`${JSON.stringify(deployed, null, 2)}\n`);
      return 0;
    } catch (error) {
      io.stderr(`seqrun deploy: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
      return 2;
    }
  },
};
export default spec;
