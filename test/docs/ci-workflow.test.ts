// docs/ci.md is copied into real pipelines: its GitHub Actions workflow and Concourse pipeline are
// parsed here and held to the rules that made earlier versions lose the journal or invite injection.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const doc = readFileSync(fileURLToPath(new URL('../../docs/ci.md', import.meta.url)), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Workflow {
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

const workflow = parse(blocks.find((b) => b.includes('runs-on:')) ?? '') as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('the GitHub Actions workflow in docs/ci.md', () => {
  test('is valid YAML with jobs and steps', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['check', 'release']);
    expect(steps.length).toBeGreaterThan(5);
  });

  test('passes inputs and secrets to scripts through env:, never into the script text', () => {
    for (const step of steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
    const release = steps.find((s) => s.run?.includes('seqrun run'));
    expect(release?.env?.['RELEASE']).toBe('${{ inputs.release }}');
    expect(release?.run).toContain('"release=$RELEASE"');
  });

  test('uploads the hidden .seqrun/ folder, so the journal can be resumed from the artifact', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.['path']).toContain('.seqrun/runs/');
    expect(upload?.with?.['include-hidden-files']).toBe(true);
  });

  test('runs on Node 24 and type-checks the bindings beside seqrun check', () => {
    const nodes = steps.filter((s) => s.uses?.startsWith('actions/setup-node')).map((s) => s.with?.['node-version']);
    expect(nodes).toEqual([24, 24]);
    expect(steps.map((s) => s.run)).toContain('npx tsc --noEmit');
  });
});

describe('the Concourse pipeline in docs/ci.md', () => {
  const pipeline = parse(blocks.find((b) => b.includes('resources:')) ?? '') as {
    jobs: { plan: { task?: string; config?: { image_resource: { source: { tag: string } }; run: { args: string[] } } }[] }[];
  };
  const tasks = pipeline.jobs.flatMap((job) => job.plan).filter((p) => p.task);

  test('runs its tasks on Node 24 and type-checks the bindings', () => {
    expect(tasks.map((t) => t.config?.image_resource.source.tag)).toEqual(['24', '24']);
    expect(tasks[0]?.config?.run.args.join('\n')).toContain('npx tsc --noEmit');
  });
});
