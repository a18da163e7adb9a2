// The seed processes in both dialects: specs/*.mmd are what `seqrun fmt --to mermaid` makes of specs/*.seq,
// and `seqrun plan --json` (the real CLI) gives both the same steps, kinds, pairing and handlers.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { convertSource } from '../../src/syntax/mermaid/format.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = ['current', 'interim', 'final'] as const;

function seqrun(args: readonly string[]) {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface PlannedStep {
  readonly line?: number;
  readonly [key: string]: unknown;
}

/** The plan's steps without their line numbers (the mermaid file has its `sequenceDiagram` line first). */
function plannedSteps(file: string): PlannedStep[] {
  const run = seqrun(['plan', file, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const [plan] = JSON.parse(run.stdout) as { steps: PlannedStep[] }[];
  return (plan?.steps ?? []).map(({ line: _line, ...step }) => step);
}

describe.each(SEEDS)('specs/%s in both dialects', (name) => {
  test('the committed .mmd is the converter output of the .seq (so the two cannot drift)', async () => {
    const seq = await readFile(join(repo, `specs/${name}.seq`), 'utf8');
    const mmd = await readFile(join(repo, `specs/${name}.mmd`), 'utf8');
    expect(convertSource(seq, `specs/${name}.seq`)).toEqual({ text: mmd, converted: 1, broken: 0, diagnostics: [] });
    expect(mmd.startsWith('sequenceDiagram\n')).toBe(true);
  });

  test('seqrun plan --json gives the same steps, kinds, pairing and handlers', () => {
    const fromSeq = plannedSteps(`specs/${name}.seq`);
    const fromMmd = plannedSteps(`specs/${name}.mmd`);
    expect(fromMmd).toEqual(fromSeq);
    // Not two empty plans: every step is bound or built in, replies answer calls, handlers have locations.
    expect(fromSeq.length).toBeGreaterThan(15);
    expect(fromSeq.every((s) => s['status'] === 'bound' || s['status'] === 'builtin')).toBe(true);
    expect(fromSeq.filter((s) => s['kind'] === 'reply').every((s) => typeof s['answers'] === 'string')).toBe(true);
    expect(fromSeq.some((s) => typeof s['handler'] === 'string' && /^specs\/steps\/\w+\.ts:\d+$/.test(s['handler']))).toBe(true);
  });
});

test('seqrun check checks both dialects of the three processes clean, and specs/ as a whole', () => {
  const both = seqrun(['check', '--allow-unused', ...SEEDS.flatMap((name) => [`specs/${name}.seq`, `specs/${name}.mmd`])]);
  expect(both.stderr).toBe('');
  expect(both.stdout).toBe('6 diagrams, 130 steps: 130 bound. diagrams and bindings are in sync.\n');
  expect(both.code).toBe(0);
  const folder = seqrun(['check', 'specs']);
  expect(folder.stderr).toBe('');
  expect(folder.stdout).toMatch(/^\d+ diagrams, (\d+) steps: \1 bound\. diagrams and bindings are in sync\./);
  expect(folder.code).toBe(0);
});
