// `seqrun check` as users run it: the real CLI in a child process, on copies of the seed diagrams.
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { escapeControls } from '../../src/diagnostics/escape.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(repo, 'test/fixtures/seed-bindings');
const config = join(fixture, 'seqrun.config.ts');
let dir: string;

function seqrun(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd: options.cwd ?? dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SEQRUN_PROFILE: '', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, all: result.stdout + result.stderr };
}

/** A project in the temp folder: the seed bindings plus `extra` handlers written in extra.ts. */
async function projectWith(extra: string): Promise<void> {
  const bindings = ['arch.ts', 'tags.ts', 'interim.ts'].map((f) => JSON.stringify(join(fixture, 'steps', f)));
  await writeFile(join(dir, 'seqrun.config.ts'), `export default {\n  bindings: [${bindings.join(', ')}, './extra.ts'],\n};\n`);
  await writeFile(
    join(dir, 'extra.ts'),
    `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};\n\nexport default defineSteps((s) => {\n${extra}\n});\n`,
  );
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-check-'));
  await copyFile(join(repo, 'specs/interim.seq'), join(dir, 'interim.seq'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seqrun check', () => {
  test('control characters of a step reach no output raw: pretty, github and plan', async () => {
    await writeFile(join(dir, 'hostile.seq'), 'Pay CI->AWS: \u001b]0;owned\u0007Deploy\u009b2J\n');
    for (const args of [
      ['check', 'hostile.seq'],
      ['check', '--format', 'github', 'hostile.seq'],
      ['plan', 'hostile.seq'],
    ]) {
      const run = seqrun([...args, '--config', config, '--allow-unused'].filter((a) => args[0] === 'check' || a !== '--allow-unused'));
      expect(run.all).toContain('\\e]0;owned\\aDeploy\\x9b2J');
      expect(escapeControls(run.all)).toBe(run.all);
    }
  });

  test('a folder named like a diagram, holding none, is an error naming it (exit 2), not an empty pass', async () => {
    await mkdir(join(dir, 'x.seq'));
    const run = seqrun(['check', 'x.seq', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      'x.seq error SEQ005 no diagram in x.seq: it is a folder with no .seq, .mmd, .md or .markdown file under it',
    );
  });

  test('passes on a copy of specs/interim.seq with the seed bindings', () => {
    const run = seqrun(['check', 'interim.seq', '--config', config]);
    expect(run.stdout).toBe('1 diagram, 23 steps: 23 bound. diagrams and bindings are in sync.\n');
    expect(run.code).toBe(0);
  });

  test('one changed word fails naming the line and printing a ready-to-paste snippet', async () => {
    const text = await readFile(join(dir, 'interim.seq'), 'utf8');
    await writeFile(join(dir, 'interim.seq'), text.replace('Fetch source from S3', 'Fetch sources from S3'));
    const run = seqrun(['check', 'interim.seq', '--config', config, '--allow-unused']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('interim.seq:6:1 error SEQ301 Undefined note (expectation): "Fetch sources from S3".');
    expect(run.stdout).toMatch(/hint: Did you mean "Fetch source from S3" \(.*seed-bindings\/steps\/interim\.ts:11\)\?/);
    expect(run.stdout).toContain("s.expect('Fetch sources from S3', { over: 'AWS' }, async (_ctx) => {");
    expect(run.stdout).toContain('> 6 | Note right of AWS: Fetch sources from S3');
  });

  test('without --allow-unused the handler the changed word orphaned is reported too', async () => {
    const text = await readFile(join(dir, 'interim.seq'), 'utf8');
    await writeFile(join(dir, 'interim.seq'), text.replace('Fetch source from S3', 'Fetch sources from S3'));
    const run = seqrun(['check', 'interim.seq', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/seed-bindings\/steps\/interim\.ts:11:5 error SEQ305 The expect handler "Fetch source from S3"/);
  });

  test('a handler nothing uses fails naming its file and line', async () => {
    await projectWith("  s.call('Rollback release', () => undefined);");
    const run = seqrun(['check', 'interim.seq']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('extra.ts:4:5 error SEQ305 The call handler "Rollback release" matches no step of the checked diagrams.');
    expect(seqrun(['check', 'interim.seq', '--allow-unused']).code).toBe(0);
  });

  test('an ambiguous step names both candidates', async () => {
    await projectWith("  s.call('Copy repo to {word}', () => undefined);");
    const run = seqrun(['check', 'interim.seq']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('interim.seq:4:1 error SEQ302 Ambiguous call: "Copy repo to S3" matches 2 handlers:');
    expect(run.stdout).toMatch(/Copy repo to S3 at .*seed-bindings\/steps\/interim\.ts:9\n/);
    expect(run.stdout).toContain('  Copy repo to {word} at extra.ts:4\n');
  });

  test('--format github emits valid workflow commands', async () => {
    await projectWith("  s.call('Copy repo to {word}', () => undefined);\n  s.note('Unused, with: commas % and colons', () => undefined);");
    const run = seqrun(['check', 'interim.seq', '--format', 'github']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    const annotations = lines.filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(2);
    const command =
      /^::(error|warning) ((?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*(?:,(?:file|line|col|endLine|endColumn|title)=[^,:\r\n]*)*)::([^\r\n]*)$/;
    for (const line of annotations) expect(line).toMatch(command);
    expect(annotations[0]).toMatch(
      /^::error file=interim\.seq,line=4,col=1,endColumn=29,title=seqrun SEQ302::Ambiguous call: "Copy repo to S3" matches 2 handlers:%0A/,
    );
    expect(annotations[1]).toContain('::The note handler "Unused, with: commas %25 and colons" matches no step');
    expect(lines.filter((l) => !l.startsWith('::'))).toEqual(['1 diagram, 23 steps: 22 bound, 1 ambiguous; 1 unused handler. 2 errors.']);
  });

  test('--format json reports the summary and every diagnostic with its location', async () => {
    await projectWith("  s.call('Rollback release', () => undefined);");
    const run = seqrun(['check', 'interim.seq', '--format', 'json']);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      summary: Record<string, number>;
      diagnostics: { code: string; file: string; line: number }[];
    };
    expect(run.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.summary).toMatchObject({ diagrams: 1, steps: 23, bound: 23, unusedHandlers: 1, errors: 1 });
    expect(report.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([['SEQ305', 'extra.ts', 4]]);
  });

  test('with no paths it checks the specs of the config profile chosen by SEQRUN_PROFILE', () => {
    const run = seqrun(['check'], { cwd: fixture, env: { SEQRUN_PROFILE: 'all' } });
    expect(run.stdout).toBe('3 diagrams, 65 steps: 65 bound. diagrams and bindings are in sync.\n');
    expect(run.code).toBe(0);
  });
});

describe('seqrun check: bad input exits 2 with a located message and no stack trace', () => {
  test('a typo in the config', async () => {
    await writeFile(join(dir, 'seqrun.config.ts'), "export default {\n  bindings: [],\n  spec: ['interim.seq'],\n};\n");
    const run = seqrun(['check']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("seqrun.config.ts:3:3 error SEQ311 Unknown key 'spec' in");
    expect(run.stdout).toContain("hint: Did you mean 'specs'?");
    expect(run.stdout).toMatch(/\n1 error while loading the config, bindings or diagrams: nothing was checked\.\n$/);
    expect(run.all).not.toMatch(/\n\s+at /);
  });

  test('a binding module that throws on load, a duplicate parameter type, an expression that does not compile', async () => {
    await projectWith("  s.parameterType({ name: 'arch', regexp: /arm64/ });\n  s.call('Deploy {environment}', () => undefined);");
    await writeFile(
      join(dir, 'throws.ts'),
      "const region: string | undefined = undefined;\nif (!region) throw new Error('AWS_REGION is not set');\nexport {};\n",
    );
    const configText = await readFile(join(dir, 'seqrun.config.ts'), 'utf8');
    await writeFile(join(dir, 'seqrun.config.ts'), configText.replace("'./extra.ts'", "'./extra.ts', './throws.ts'"));
    const run = seqrun(['check', 'interim.seq']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('throws.ts:2:20 error SEQ313 The binding module failed to load: AWS_REGION is not set');
    expect(run.stdout).toMatch(/extra\.ts:4:5 error SEQ315 Parameter type \{arch\} is defined twice: already defined at .*arch\.ts:7\./);
    expect(run.stdout).toContain('extra.ts:5:5 error SEQ316 The expression "Deploy {environment}" does not compile');
    expect(run.all).not.toMatch(/\n\s+at /);
    const verbose = seqrun(['check', 'interim.seq', '--verbose']);
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(/Error: AWS_REGION is not set\n\s+at .*throws\.ts:2:20/);
  });

  test('a diagram that does not parse', async () => {
    await writeFile(join(dir, 'broken.seq'), 'Pay CI->AWS Push\n');
    const run = seqrun(['check', 'broken.seq', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/broken\.seq:1:\d+ error SEQ1\d\d/);
  });
});
