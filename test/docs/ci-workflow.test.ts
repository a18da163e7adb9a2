// docs/ci.md is copied into real pipelines: its GitHub Actions workflow and Concourse pipeline are
// parsed here and held to the rules that made earlier versions lose the journal or invite injection.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { concourseProblems } from './concourse.ts';

// action-validator: GitHub workflows checked against SchemaStore's schema (actionlint is on neither npm nor apt).
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow: (yaml: string) => { errors: readonly { code: string; path?: string; title: string; detail?: string }[] };
};

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

const workflowText = blocks.find((b) => b.includes('runs-on:')) ?? '';
const workflow = parse(workflowText) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('the GitHub Actions workflow in docs/ci.md', () => {
  test('is valid YAML with jobs and steps', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['check', 'release']);
    expect(steps.length).toBeGreaterThan(5);
  });

  test("is a valid workflow by SchemaStore's github-workflow schema", () => {
    expect(validateWorkflow(workflowText).errors).toEqual([]);
  });

  test('the schema check finds a misspelt key and a step with both run and uses', () => {
    expect(validateWorkflow(workflowText.replace('runs-on:', 'run-on:')).errors).not.toEqual([]);
    const both = workflowText.replace(
      '      - run: npx seqrun check --format github\n',
      '      - run: npx seqrun check --format github\n        uses: actions/checkout@v4\n',
    );
    expect(both).not.toBe(workflowText);
    expect(validateWorkflow(both).errors).not.toEqual([]);
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

  test('passes the checks of fly validate-pipeline: known keys, declared resources and jobs, task inputs got earlier', () => {
    expect(concourseProblems(pipeline)).toEqual([]);
  });

  test('the pipeline check finds an undeclared resource, a misspelt key and an input nothing got', () => {
    const broken = parse(
      (blocks.find((b) => b.includes('resources:')) ?? '')
        .replace('passed: [check-diagrams]', 'passed: [check-diagram]')
        .replace('serial: true', 'serail: true')
        .replace('            - name: connector-release\n', '            - name: connector-relase\n'),
    ) as unknown;
    expect(concourseProblems(broken)).toEqual([
      "jobs[1]: unknown key 'serail'",
      'jobs[1].plan[0]: passed names no job (check-diagram)',
      'jobs[1].plan[2].config: input connector-relase is not got earlier in the plan',
    ]);
  });

  test('runs its tasks on Node 24 and type-checks the bindings', () => {
    expect(tasks.map((t) => t.config?.image_resource.source.tag)).toEqual(['24', '24']);
    expect(tasks[0]?.config?.run.args.join('\n')).toContain('npx tsc --noEmit');
  });
});
