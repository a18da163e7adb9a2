// docs/getting-started.md done as a new team does it: every command of the guide, in order, in a fresh
// folder outside this repository, with seqrun packed and installed from its tarball. From `seqrun init`
// through `seqrun check` to a green `seqrun run --sandbox` of examples/static-site (only moto and the
// local Slack started) and the run rendered into the document. Starts moto_server and the local Slack
// (through the sandbox); installs from npm's cache what it has (the package's dependencies,
// TypeScript 7, @types/node 24).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isAlive } from '../../src/sandbox/processes.ts';
import { guideBlocks, guideCommands } from '../docs/guide.ts';
import { NPM_ENV, packSeqrun } from '../package/packed.ts';

let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'seqrun-static-site-'));
  tarball = packSeqrun(work, { build: false });
}, 120_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Done {
  readonly command: string;
  readonly code: number | null;
  readonly out: string;
}

/** One command of the guide in bash, in `cwd`; returns its output and the folder it ended in (`cd`). */
function shell(command: string, cwd: string): Done & { readonly cwd: string } {
  // What the guide installs from the registry comes from the tarball here.
  const line = command.startsWith('npm install ') ? `${command.replace(/ seqrun(?= |$)/, ` ${tarball}`)} --prefer-offline` : command;
  const env = {
    ...NPM_ENV,
    PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
    CI: 'true',
    NO_COLOR: '1',
    SEQRUN_PROFILE: '',
  };
  const script = `${line}\nstatus=$?\nprintf '\\n@cwd=%s\\n' "$PWD"\nexit $status\n`;
  const result = spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  const out = `${result.stdout}${result.stderr}`;
  return { command, code: result.status, out, cwd: /@cwd=(.*)\n/.exec(result.stdout)?.[1] ?? cwd };
}

test(
  'every command of docs/getting-started.md does what it says: init, check, a green sandbox run, a rendered report',
  { timeout: 900_000 },
  () => {
    const done: Done[] = [];
    let cwd = work;
    for (const { command, exit } of guideCommands()) {
      const result = shell(command, cwd);
      cwd = result.cwd;
      done.push(result);
      expect({ command, code: result.code }, result.out).toEqual({ command, code: exit });
    }
    const output = (command: string): string => done.find((d) => d.command === command)?.out ?? '';
    const checks = done.filter((d) => d.command === 'npx seqrun check').map((d) => d.out);

    expect(output('npx seqrun init')).toContain(
      'wrote seqrun.config.ts\nwrote docs/release.md\nwrote steps/release.ts\nwrote tsconfig.json\n',
    );
    expect(checks[0]).toContain('1 diagram, 4 steps: 4 bound. diagrams and bindings are in sync.');
    // The new diagram against init's sample bindings: a handler to paste for each new step, the samples unused.
    expect(checks[1]).toMatch(/^docs\/release\.md:22:1 error SEQ301 Undefined call: "Upload the site to the bucket"\.$/m);
    expect(checks[1]).toContain("s.call('Upload the site to the bucket', { from: 'CI', to: 'S3' }");
    expect(checks[1]).toMatch(/^steps\/release\.ts:6:5 error SEQ305 The call handler "Tag release \{word\}" matches no step/m);
    expect(checks[1]).toContain('1 diagram, 11 steps: 4 bound, 7 undefined; 2 unused handlers. 9 errors.');
    expect(checks[2]).toContain('1 diagram, 11 steps: 11 bound. diagrams and bindings are in sync.');
    expect(output('npx seqrun plan docs/release.md')).toMatch(/version +optional, \/\\d\+\\\.\\d\+\\\.\\d\+\//);

    const run = output('npx seqrun run --sandbox docs/release.md');
    // Only the services the bindings use: the s3 and slack packs (git, shell, http and job need none).
    expect(run).toContain(
      'sandbox: starting moto (seqrun/packs/s3 in steps/release.ts, the resources declared in sandbox), slack (seqrun/packs/slack in steps/release.ts)',
    );
    const started = [...run.matchAll(/^(\S+) answers on \S+ \(pid (\d+)\)$/gm)];
    expect(started.map((m) => m[1])).toEqual(['moto', 'slack']);
    expect(run).toContain('sandbox: pushed the site (v1.9.0, v1.10.0) to a local git remote');
    expect(run).toMatch(/^ {2}s0 │ fetching refs\/tags\/v1\.10\.0$/m);
    expect(run).toMatch(/^passed \[s10\] CI->Slack: Announce the release/m);
    // The run ends as the guide says it does.
    const promised =
      guideBlocks()
        .find((b) => b.language === '' && b.text.startsWith('run passed'))
        ?.text.trim() ?? '(missing)';
    const pattern = promised.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]+>/g, '.+');
    expect(run).toMatch(new RegExp(`^${pattern}$`, 'm'));
    // Nothing of the sandbox is left running.
    expect(started.map((m) => Number(m[2])).filter((pid) => isAlive(pid) || isAlive(-pid))).toEqual([]);

    // What each step did is journaled; the CDN's bearer token, sent on every request, is not.
    const runId = /^run (\S+) started/m.exec(run)?.[1] ?? '(none)';
    const journal = readFileSync(join(cwd, '.seqrun/runs', runId, 'journal.ndjson'), 'utf8');
    expect(journal).toContain('"output":{"tag":"v1.10.0",');
    expect(journal).toContain('"output":{"uploaded":2,"unchanged":0}');
    expect(journal).toContain('"output":{"channel":"#site-releases",');
    expect(journal).not.toMatch(/bearer|authorization|CDN_TOKEN=/i);

    const document = readFileSync(join(cwd, 'docs/release.md'), 'utf8');
    expect(document).toMatch(/\*\*Last run:\*\* ✔ passed · .* · \[report\]\(runs\/release\/releasing-wwwexampleorg\.md\)/);
    const report = join(cwd, 'docs/runs/release/releasing-wwwexampleorg.md');
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('| Status | passed |');
  },
);
