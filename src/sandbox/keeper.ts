// Ties a sandbox to the run that started it (`seqrun run --sandbox`). Its stdin is a pipe from the
// runner, which nobody writes to: the pipe closes when the runner exits, however it exits (SIGKILL
// too), and then the keeper stops the sandbox's services and their builds. `node keeper.ts <state-dir>`.
import { stopSandbox } from './sandbox.ts';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: keeper <sandbox-state-dir>\n');
  process.exit(2);
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void stopSandbox({ dir }).then(
    (stopped) => {
      const running = stopped.filter((s) => s.result === 'stopped').map((s) => s.name);
      if (running.length > 0) process.stderr.write(`keeper: the run ended without stopping its sandbox; stopped ${running.join(', ')}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`keeper: could not stop the sandbox in ${dir}: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
