// Through the CLI: where a mermaid run failed. A step inside a par, an opt or a critical block is named
// by its own id (a loop's by its iteration id) at its line; a block by its id at its header only when the
// block failed itself (a condition that threw, a loop's bound, a top-level break).
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalOf, REPO, runCli } from './support.ts';

const STEPS = `import { defineSteps } from 'seqrun';
export default defineSteps((s) => {
  s.loop('for each app', () => ['demo', 'tiny']);
  s.loop('until healthy', { maxIterations: 2 }, () => () => true);
  s.condition('the app has tests', (ctx) => {
    if (ctx.item === 'tiny') throw new Error('no test list for tiny');
    return true;
  });
  s.condition('no option', () => false);
  s.call('Build', () => undefined);
  s.note('Build', () => undefined);
  s.call('Test', (ctx) => {
    if (ctx.item === 'tiny') throw new Error('tiny: 2 tests failed');
  });
  s.call('Fail', () => {
    throw new Error('boom');
  });
});
`;

const DIAGRAMS: Record<string, string> = {
  'par.mmd': 'sequenceDiagram\n  par ARM\n    CI->>AWS: Build\n  and x86\n    CI->>AWS: Fail\n  end\n',
  'loop-par.mmd':
    'sequenceDiagram\n  loop for each app\n    par one\n      CI->>AWS: Build\n    and two\n      CI->>AWS: Test\n    end\n  end\n',
  'critical.mmd': 'sequenceDiagram\n  critical E2E\n    CI->>AWS: Fail\n  option no option\n    CI->>AWS: Build\n  end\n',
  'condition.mmd': 'sequenceDiagram\n  loop for each app\n    opt the app has tests\n      CI->>AWS: Build\n    end\n  end\n',
  'guard.mmd': 'sequenceDiagram\n  loop until healthy\n    CI->>AWS: Build\n  end\n',
  'compensated.mmd': 'sequenceDiagram\n  critical E2E\n    CI->>AWS: Fail\n  option\n    CI->>AWS: Build\n  end\n',
  'numbered.mmd': 'sequenceDiagram\n  autonumber 7\n  CI->>AWS: Build\n  Note over CI: Build\n  CI->>AWS: Fail\n',
};

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqrun-failed-at-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    join(dir, 'seqrun.config.ts'),
    "import { defineConfig } from 'seqrun';\nexport default defineConfig({ bindings: ['steps.ts'] });\n",
  );
  writeFileSync(join(dir, 'steps.ts'), STEPS);
  for (const [name, text] of Object.entries(DIAGRAMS)) writeFileSync(join(dir, name), text);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'seqrun'), 'dir');
  return dir;
}

async function failedRun(dir: string, diagram: string) {
  const r = await runCli(['run', diagram], dir);
  expect(r.code).toBe(1);
  const finished = journalOf(dir).events.at(-1);
  return { stderr: r.stderr, stdout: r.stdout, finished };
}

describe("mermaid's autonumber in reports", () => {
  it('heads each numbered step with the number mermaid draws beside it (notes have none)', async () => {
    const dir = project();
    const r = await runCli(['run', 'numbered.mmd', '--junit', 'junit.xml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('passed [s0] (7) CI->>AWS: Build');
    expect(r.stdout).toContain('passed [s1] Note over CI: Build');
    expect(r.stdout).toContain('failed [s2] (8) CI->>AWS: Fail at numbered.mmd:5:3: boom');
    expect(r.stderr).toBe('seqrun: step s2 failed at numbered.mmd:5:3 ((8) CI->>AWS: Fail): boom\n');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<testcase name="s2 (8) CI-&gt;&gt;AWS: Fail"');
    const report = await runCli(['render', 'numbered.mmd', '--run', 'latest', '--format', 'markdown'], dir);
    expect(report.stdout).toContain('| s2 | 5 | `(8) CI->>AWS: Fail` | ✘ failed |');
  });
});

describe('where a mermaid run failed, through the CLI', () => {
  it('a step failing in a par branch, in a par inside a loop, in a critical block no option accepts: the step, at its line', async () => {
    const dir = project();
    const par = await failedRun(dir, 'par.mmd');
    expect(par.finished).toMatchObject({ type: 'run-finished', failedStepId: 's1' });
    expect(par.stderr).toBe('seqrun: step s1 failed at par.mmd:5:5 (CI->>AWS: Fail): boom\n');

    const loopPar = await failedRun(dir, 'loop-par.mmd');
    expect(loopPar.finished).toMatchObject({ failedStepId: 's1#2' });
    expect(loopPar.stderr).toBe('seqrun: step s1#2 failed at loop-par.mmd:6:7 (CI->>AWS: Test): tiny: 2 tests failed\n');
    expect(loopPar.stdout).toContain('failed [s1#2] CI->>AWS: Test at loop-par.mmd:6:7: tiny: 2 tests failed');

    const critical = await failedRun(dir, 'critical.mmd');
    expect(critical.finished).toMatchObject({ failedStepId: 's0' });
    expect(critical.stderr).toBe('seqrun: step s0 failed at critical.mmd:3:5 (CI->>AWS: Fail): boom\n');
  });

  it('a step whose failure a critical block compensated: said compensated, and the run passes', async () => {
    const dir = project();
    const r = await runCli(['run', 'compensated.mmd'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("seqrun: step s0 failed at compensated.mmd:3:5 (CI->>AWS: Fail): boom (compensated by block b0's option 1)\n");
    expect(journalOf(dir).events).toContainEqual(
      expect.objectContaining({ type: 'block', blockId: 'b0', what: 'compensation', branch: 0, failedStepId: 's0' }),
    );
  });

  it('a condition that threw in an iteration, a guard past its bound: the block, at its header', async () => {
    const dir = project();
    const condition = await failedRun(dir, 'condition.mmd');
    expect(condition.finished).toMatchObject({ failedStepId: 'b1#2' });
    expect(condition.stderr).toMatch(
      /^seqrun: block b1#2 failed at condition\.mmd:3:5 \(opt the app has tests\): The condition "the app has tests" \(.*condition\.mmd:3:5\) threw: no test list for tiny\n$/,
    );
    expect(condition.stdout).toContain('failed [b1#2] opt the app has tests at condition.mmd:3:5: The condition');

    const guard = await failedRun(dir, 'guard.mmd');
    expect(guard.finished).toMatchObject({ failedStepId: 'b0' });
    expect(guard.stderr).toMatch(
      /^seqrun: block b0 failed at guard\.mmd:2:3 \(loop until healthy\): The loop "until healthy" .* still held after 2 iterations/,
    );
  });
});
