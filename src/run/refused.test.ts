// A `--x` reply whose handler succeeds fails, said as written: the message names `--x` and offers
// the plain reply, as a `-x` call's names `-x` and offers the plain call.
import { describe, expect, it } from 'vitest';
import { mermaidDiagram, msg } from '../../test/fixtures/run/blocks.ts';
import { defineSteps } from '../bind/define.ts';
import { bind } from '../bind/plan.ts';
import { createRegistry } from '../bind/registry.ts';
import type { RunEvent, StepFinished } from './events.ts';
import { runPlan } from './executor.ts';

describe('a refused step whose handler succeeds', () => {
  it('is named by its arrow as written, a reply offered the plain reply', async () => {
    const { registry } = createRegistry({
      modules: [
        defineSteps((s) => {
          s.call('Push the image', () => ({ status: 201 }));
          s.reply('Accepted', () => undefined);
        }),
      ],
    });
    const plan = bind(
      mermaidDiagram([msg('CI', 'Registry', 'Push the image'), msg('Registry', 'CI', 'Accepted', 'dotted-cross')]),
      registry,
    );
    const events: RunEvent[] = [];
    const outcome = await runPlan(plan, {
      runId: 'r1',
      diagram: 'test.mmd',
      diagramHash: 'h',
      vars: {},
      env: {},
      onEvent: (e) => events.push(e),
    });
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's1' });
    const error = events.find((e): e is StepFinished => e.type === 'step-finished' && e.stepId === 's1')?.error;
    expect(error?.message).toMatch(/must be refused \(--x\), but its handler succeeded: .* or draw it as a reply \(-->>\)\.$/);
  });
});
