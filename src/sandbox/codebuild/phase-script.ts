// Runs one buildspec phase's commands with bash in its own process group, CodeBuild-style: commands
// run in order and stop at the first failure; exported variables carry over to the next phase.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PhaseProcess {
  readonly done: Promise<{ exitCode: number | null; signal: string | null }>;
  /** Kills the whole process group (the phase's bash and everything it started). */
  kill(): void;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function phaseScript(commands: readonly string[], envFile: string): string {
  const lines = [
    `if [ -f ${quote(envFile)} ]; then . ${quote(envFile)} 2>/dev/null; fi`,
    `__seqrun_save() { export -p > ${quote(envFile)}; }; trap __seqrun_save EXIT`,
  ];
  for (const command of commands) {
    lines.push(`printf '%s\\n' ${quote(`[Container] Running command ${command}`)}`);
    lines.push(command);
    lines.push(
      `__seqrun_rc=$?; if [ "$__seqrun_rc" -ne 0 ]; then printf '%s %s\\n' ${quote(`[Container] Command did not exit successfully ${command} exit status`)} "$__seqrun_rc"; exit "$__seqrun_rc"; fi`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function startPhaseProcess(
  dir: string,
  name: string,
  commands: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
  onLine: (line: string) => void,
): PhaseProcess {
  const script = join(dir, `phase-${name}.sh`);
  writeFileSync(script, phaseScript(commands, join(dir, 'exported.env')));
  const child = spawn('bash', [script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const flushers = [splitLines(child, 'stdout', onLine), splitLines(child, 'stderr', onLine)];
  const done = new Promise<{ exitCode: number | null; signal: string | null }>((resolve) => {
    child.once('error', (error) => {
      onLine(`[Container] cannot run bash: ${error.message}`);
      resolve({ exitCode: 127, signal: null });
    });
    child.once('close', (exitCode, signal) => {
      for (const flush of flushers) flush();
      resolve({ exitCode, signal });
    });
  });
  return {
    done,
    kill: () => {
      if (child.pid === undefined) return;
      try {
        // A negative pid signals the process group that `detached` gave the phase.
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}

function splitLines(child: ChildProcess, stream: 'stdout' | 'stderr', onLine: (line: string) => void): () => void {
  let pending = '';
  child[stream]?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  });
  return () => {
    if (pending !== '') onLine(pending);
    pending = '';
  };
}
