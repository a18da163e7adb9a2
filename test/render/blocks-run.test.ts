// A run drawn onto a mermaid diagram's blocks: the branch taken and those skipped, a loop's iteration
// count with its body step drawn from its iterations, par branch times, a critical block's compensation.
import { describe, expect, it } from 'vitest';
import { defineSteps, type StepRegistrar } from '../../src/bind/define.ts';
import { bind } from '../../src/bind/plan.ts';
import { createRegistry } from '../../src/bind/registry.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { runPlan } from '../../src/run/executor.ts';
import { mermaidInputToMermaid } from '../../src/render/mermaid-input.ts';
import { foldRun } from '../../src/render/run-view.ts';
import { block, mermaidDiagram, msg } from '../fixtures/run/blocks.ts';

async function drawn(register: (s: StepRegistrar) => void): Promise<string> {
  const diagram = mermaidDiagram([
    block('loop', [['loop', 'for each app', [msg('CI', 'AWS', 'Build app')]]]),
    block('par', [
      ['par', 'ARM', [msg('CI', 'AWS', 'Build ARM')]],
      ['and', 'x86', [msg('CI', 'AWS', 'Build x86')]],
    ]),
    block('alt', [
      ['alt', 'deploy to prod', [msg('CI', 'Prod', 'Deploy')]],
      ['else', '', [msg('CI', 'Staging', 'Deploy')]],
    ]),
    block('critical', [
      ['critical', 'E2E', [msg('CI', 'AWS', 'Run E2E')]],
      ['option', 'the tests failed', [msg('CI', 'Slack', 'Notify')]],
    ]),
  ]);
  const { registry } = createRegistry({ modules: [defineSteps(register)] });
  const events: RunEvent[] = [];
  await runPlan(bind(diagram, registry), {
    runId: 'r',
    diagram: 'test.mmd',
    diagramHash: 'h',
    vars: {},
    env: {},
    onEvent: (e) => events.push(e),
  });
  return mermaidInputToMermaid(diagram, foldRun(events));
}

function common(s: StepRegistrar): void {
  s.loop('for each app', () => ['a', 'b', 'c']);
  s.call('Build app', () => undefined);
  s.call('Build ARM', () => undefined);
  s.call('Build x86', () => undefined);
  s.condition('deploy to prod', () => false);
  s.call('Deploy', () => undefined);
  s.condition('the tests failed', () => true);
  s.call('Notify', () => undefined);
}

describe('a run drawn onto mermaid blocks', () => {
  it('marks iterations, branch times, the branch taken and the one skipped, and the compensation', async () => {
    const text = await drawn((s) => {
      common(s);
      s.call('Run E2E', () => {
        throw new Error('3 tests failed');
      });
    });
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines).toContain('loop for each app (3 iterations)');
    expect(lines.find((l) => l.startsWith('par ARM ('))).toMatch(/^par ARM \(\d+ ms\)$/);
    expect(lines.find((l) => l.startsWith('and x86 ('))).toMatch(/^and x86 \(\d+ ms\)$/);
    expect(lines).toContain('alt deploy to prod (skipped)');
    expect(lines).toContain('else (taken)');
    expect(lines).toContain('critical E2E (failed: 3 tests failed)');
    expect(lines).toContain('option the tests failed (compensation ran)');
    // The loop's body step is drawn from its three iterations: passed, not "not run".
    expect(text).toMatch(/Build app \(✔ passed/);
    expect(text).toContain('CI->>Prod: Deploy (↷ skipped)');
  });
});
