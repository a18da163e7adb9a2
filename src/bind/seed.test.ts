// Reply pairing, jobs and expectations on the three seed diagrams, with the seed test bindings.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseFile } from '../syntax/index.ts';
import arch from '../../test/fixtures/seed-bindings/steps/arch.ts';
import interim from '../../test/fixtures/seed-bindings/steps/interim.ts';
import tags from '../../test/fixtures/seed-bindings/steps/tags.ts';
import { defineSteps } from './define.ts';
import { bind, unusedHandlers } from './plan.ts';
import { loadProject, type Project } from './project.ts';
import { createRegistry } from './registry.ts';
import type { Plan } from './types.ts';

const fixture = fileURLToPath(new URL('../../test/fixtures/seed-bindings', import.meta.url));
const specs = fileURLToPath(new URL('../../specs/', import.meta.url));

async function diagramOf(name: string) {
  const { diagrams, diagnostics } = await parseFile(`${specs}${name}.seq`);
  expect(diagnostics).toEqual([]);
  const [diagram] = diagrams;
  if (!diagram) throw new Error(`no diagram in ${name}`);
  return diagram;
}

/** One row per step: index, kind, the call it belongs to (reply/expectation), job join and overlaps. */
function shape(plan: Plan): (string | number | null | readonly number[])[][] {
  return plan.steps.map((s) => {
    const row: (string | number | null | readonly number[])[] = [s.index, s.kind];
    if (s.kind === 'call') row.push(s.mode ?? 'sync');
    if (s.answers !== undefined) row.push(s.answers);
    if (s.expectationOf !== undefined) row.push(s.expectationOf);
    if (s.mode === 'job') row.push(s.joinedAt ?? null, s.overlaps ?? []);
    return row;
  });
}

let project: Project;
beforeAll(async () => {
  const loaded = await loadProject({ cwd: fixture, profile: 'all' });
  expect(loaded.diagnostics).toEqual([]);
  if (!loaded.project) throw new Error('no project');
  project = loaded.project;
});

describe('seed diagrams', () => {
  test('interim: the Success after "Await CodeBuild result" answers the ARM build, which overlaps the x86 steps', async () => {
    const plan = bind(await diagramOf('interim'), project.registry, project.config);
    expect(plan.diagnostics).toEqual([]);
    expect(shape(plan)).toEqual([
      [0, 'note'],
      [1, 'call', 'sync'],
      [2, 'reply', 1],
      [3, 'call', 'sync'],
      [4, 'call', 'job', 11, [7, 8, 9, 10]],
      [5, 'expect', 4],
      [6, 'expect', 4],
      [7, 'call', 'sync'],
      [8, 'call', 'sync'],
      [9, 'call', 'sync'],
      [10, 'note'],
      [11, 'reply', 4],
      [12, 'note'],
      [13, 'note'],
      [14, 'call', 'job', 16, []],
      [15, 'expect', 14],
      [16, 'reply', 14],
      [17, 'call', 'sync'],
      [18, 'reply', 17],
      [19, 'call', 'sync'],
      [20, 'reply', 19],
      [21, 'note'],
      [22, 'note'],
    ]);
    expect(plan.steps[4]?.step.text).toBe('Trigger CodeBuild (ARM)');
    expect(plan.steps[4]?.binding).toMatchObject({ status: 'bound', args: [['ARM']] });
    expect(plan.steps[3]?.options).toEqual({ timeoutMs: 120_000 });
  });

  test('final: the second Await/Success pair answers the manifest build', async () => {
    const plan = bind(await diagramOf('final'), project.registry, project.config);
    expect(plan.diagnostics).toEqual([]);
    expect(shape(plan)).toEqual([
      [0, 'note'],
      [1, 'call', 'sync'],
      [2, 'reply', 1],
      [3, 'call', 'sync'],
      [4, 'call', 'job', 8, [7]],
      [5, 'expect', 4],
      [6, 'expect', 4],
      [7, 'note'],
      [8, 'reply', 4],
      [9, 'call', 'job', 12, [11]],
      [10, 'expect', 9],
      [11, 'note'],
      [12, 'reply', 9],
      [13, 'note'],
      [14, 'note'],
      [15, 'call', 'job', 17, []],
      [16, 'expect', 15],
      [17, 'reply', 15],
      [18, 'call', 'sync'],
      [19, 'reply', 18],
      [20, 'call', 'sync'],
      [21, 'reply', 20],
      [22, 'note'],
      [23, 'note'],
    ]);
    expect(plan.steps[9]?.step.text).toBe('Trigger manifest CodeBuild');
    expect(plan.steps[4]?.binding).toMatchObject({ status: 'bound', args: [['ARM', 'x86']] });
  });

  test('current: every reply answers the call right before it', async () => {
    const plan = bind(await diagramOf('current'), project.registry, project.config);
    expect(plan.diagnostics).toEqual([]);
    expect(shape(plan)).toEqual([
      [0, 'note'],
      [1, 'call', 'sync'],
      [2, 'reply', 1],
      [3, 'call', 'sync'],
      [4, 'call', 'sync'],
      [5, 'call', 'sync'],
      [6, 'reply', 5],
      [7, 'note'],
      [8, 'note'],
      [9, 'call', 'job', 11, []],
      [10, 'expect', 9],
      [11, 'reply', 9],
      [12, 'call', 'sync'],
      [13, 'reply', 12],
      [14, 'call', 'sync'],
      [15, 'reply', 14],
      [16, 'note'],
      [17, 'note'],
    ]);
  });

  test('the seed bindings leave no handler unused across the three diagrams', async () => {
    const plans = await Promise.all(['current', 'interim', 'final'].map(async (n) => bind(await diagramOf(n), project.registry)));
    expect(unusedHandlers(plans, project.registry)).toEqual([]);
  });

  test('interim: with a sync ARM trigger the Success after "Await CodeBuild result" answers nothing', async () => {
    const withoutJob = { ...interim, registrations: interim.registrations.filter((r) => r.expression !== 'Trigger CodeBuild {arch}') };
    const sync = defineSteps((s) => s.call('Trigger CodeBuild {arch}', () => undefined));
    const { registry } = createRegistry({ modules: [arch, tags, withoutJob, sync] });
    const plan = bind(await diagramOf('interim'), registry);
    expect(plan.steps[11]?.answers).toBeNull();
    expect(plan.steps.slice(5, 7).map((s) => s.kind)).toEqual(['expect', 'expect']);
    expect(plan.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([['SEQ303', 12]]);
  });
});
