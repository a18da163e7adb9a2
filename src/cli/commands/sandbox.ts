// `seqrun sandbox up|down|env|status [--dir .seqrun/sandbox]`: the local endpoints for a rehearsal.
import { escapeControls } from '../../diagnostics/escape.ts';
import type { CommandSpec, Io } from '../io.ts';

interface SandboxArgs {
  readonly action: 'up' | 'down' | 'env' | 'status';
  readonly dir: string;
  readonly port: readonly string[];
}

function parsePorts(values: readonly string[], names: readonly string[]): Record<string, number> | string {
  const ports: Record<string, number> = {};
  for (const value of values) {
    const [name, port] = value.split('=');
    if (!name || !names.includes(name) || !port || !/^\d+$/.test(port) || Number(port) > 65535) {
      return `--port '${value}' is not SERVICE=PORT with SERVICE one of ${names.join(', ')}`;
    }
    ports[name] = Number(port);
  }
  return ports;
}

async function up(args: SandboxArgs, io: Io): Promise<number> {
  const { startSandbox, SERVICE_NAMES } = await import('../../sandbox/index.ts');
  const ports = parsePorts(args.port, SERVICE_NAMES);
  if (typeof ports === 'string') {
    io.stderr(`seqrun sandbox: ${ports}\n`);
    return 2;
  }
  const state = await startSandbox({
    dir: args.dir,
    cwd: io.cwd,
    env: io.env,
    ports,
    onProgress: (line) => io.stderr(`  ${line}\n`),
    onWarning: (line) => io.stderr(`  warning: ${line}\n`),
  });
  io.stderr(
    `sandbox up in ${state.dir}\nUse it with:  eval "$(seqrun sandbox env --dir ${JSON.stringify(args.dir)})"\nStop it with: seqrun sandbox down --dir ${JSON.stringify(args.dir)}\n`,
  );
  return 0;
}

async function status(args: SandboxArgs, io: Io): Promise<number> {
  const { sandboxStatus } = await import('../../sandbox/index.ts');
  const found = await sandboxStatus({ dir: args.dir, cwd: io.cwd });
  if (found === null) {
    io.stdout(`no sandbox in ${args.dir}; start one with: seqrun sandbox up\n`);
    return 1;
  }
  const lines = found.services.map(
    (s) => `  ${s.name.padEnd(13)} ${s.running ? 'running' : 'STOPPED'}  pid ${String(s.pid).padEnd(7)} ${s.url}`,
  );
  io.stdout(`sandbox in ${found.dir}\n${lines.join('\n')}\n`);
  io.stdout(`Slack messages received: ${found.messages.length}\n`);
  for (const m of found.messages) io.stdout(`  ${escapeControls(`${m.ts} ${m.channel} (${m.via}): ${m.text}`)}\n`);
  return found.services.every((s) => s.running) ? 0 : 1;
}

const spec: CommandSpec<SandboxArgs> = {
  command: 'sandbox <action>',
  describe: 'Local endpoints for rehearsing a release: moto (S3, ECR, SQS, Step Functions), CodeBuild, two registries, a git remote, Slack',
  builder: (y) =>
    y
      .positional('action', {
        choices: ['up', 'down', 'env', 'status'] as const,
        describe: 'up: start; env: print the environment; status: what runs and the Slack messages; down: stop',
      })
      .option('dir', { type: 'string', default: '.seqrun/sandbox', describe: 'The state folder' })
      .option('port', { type: 'string', array: true, default: [], describe: 'Fix a service port, SERVICE=PORT (repeatable)' }),
  run: async (args, io) => {
    const { SandboxError, readSandboxState, sandboxDir, stopSandbox, formatEnvironment } = await import('../../sandbox/index.ts');
    try {
      if (args.action === 'up') return await up(args, io);
      if (args.action === 'status') return await status(args, io);
      if (args.action === 'down') {
        const stopped = await stopSandbox({ dir: args.dir, cwd: io.cwd });
        io.stderr(
          stopped.length === 0 ? `no sandbox was running in ${args.dir}\n` : stopped.map((s) => `  ${s.name}: ${s.result}\n`).join(''),
        );
        return 0;
      }
      const state = await readSandboxState(sandboxDir({ dir: args.dir, cwd: io.cwd }));
      if (state === null) {
        io.stderr(`seqrun sandbox env: no sandbox in ${args.dir}; start one with: seqrun sandbox up\n`);
        return 1;
      }
      io.stdout(formatEnvironment(state.env));
      return 0;
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      io.stderr(`seqrun sandbox ${args.action}: ${error.message}\n`);
      return 1;
    }
  },
};
export default spec;
