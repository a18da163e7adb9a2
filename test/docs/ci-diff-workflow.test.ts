// The pull-request workflow of docs/ci.md that posts `seqrun diff` as one comment: valid by SchemaStore's
// schema, inputs through env:, and its script run against a fake GitHub client (create, then update).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { COMMENT_MARKER } from '../../src/review/markdown.ts';

const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow: (yaml: string) => { errors: readonly unknown[] };
};

const doc = readFileSync(fileURLToPath(new URL('../../docs/ci.md', import.meta.url)), 'utf8');
const text = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((b) => b.includes('seqrun diff')) ?? '';

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
const workflow = parse(text) as { permissions: Record<string, string>; jobs: Record<string, { steps: readonly Step[] }> };
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}

/** A GitHub client that keeps the comments of one pull request in memory. */
function fakeGitHub(comments: Comment[]) {
  const list = async () => ({ data: comments });
  return {
    paginate: async (fn: typeof list) => (await fn()).data,
    rest: {
      issues: {
        listComments: list,
        createComment: async ({ body }: { body: string }) => {
          comments.push({ id: comments.length + 100, body, user: { type: 'Bot' } });
        },
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          const found = comments.find((c) => c.id === comment_id);
          if (found) found.body = body;
        },
      },
    },
  };
}

/** Runs the workflow's github-script as actions/github-script does: an async function of its globals. */
async function runScript(github: ReturnType<typeof fakeGitHub>, files: Record<string, string>): Promise<void> {
  const script = steps.find((s) => s.uses?.startsWith('actions/github-script'))?.with?.['script'] as string;
  const context = { repo: { owner: 'alphagov', repo: 'pay-release-process' }, issue: { number: 7 } };
  const require = (name: string) => {
    expect(name).toBe('node:fs');
    return { readFileSync: (path: string) => files[path] };
  };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('github', 'context', 'require', script)(github, context, require);
}

describe('the pull-request diff workflow in docs/ci.md', () => {
  test("is a valid workflow by SchemaStore's schema, with the one job and the permission to comment", () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    expect(Object.keys(workflow.jobs)).toEqual(['pipeline-diff']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  test('fetches the history BASE needs, runs on Node 24 and passes the base branch through env:', () => {
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(24);
    for (const step of steps) expect(step.run ?? '').not.toMatch(/\$\{\{/);
    const diff = steps.find((s) => s.run?.includes('seqrun diff'));
    expect(diff?.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(diff?.run).toContain('npx seqrun diff "origin/$BASE_REF" --format markdown > seqrun-diff.md');
  });

  test("looks for seqrun diff's own marker", () => {
    const script = steps.find((s) => s.uses?.startsWith('actions/github-script'))?.with?.['script'] as string;
    expect(script).toContain(`const marker = '${COMMENT_MARKER}';`);
  });

  test('its script creates one comment, then updates that one, leaving people’s comments alone', async () => {
    const comments: Comment[] = [{ id: 1, body: `${COMMENT_MARKER} quoted by a person`, user: { type: 'User' } }];
    const github = fakeGitHub(comments);
    await runScript(github, { 'seqrun-diff.md': `${COMMENT_MARKER}\nfirst\n` });
    await runScript(github, { 'seqrun-diff.md': `${COMMENT_MARKER}\nsecond\n` });
    expect(comments.map((c) => [c.id, c.body])).toEqual([
      [1, `${COMMENT_MARKER} quoted by a person`],
      [101, `${COMMENT_MARKER}\nsecond\n`],
    ]);
    await runScript(github, { 'seqrun-diff.md': `${COMMENT_MARKER}\n${'x'.repeat(70_000)}` });
    expect(comments[1]?.body.length).toBeLessThan(65_536);
    expect(comments[1]?.body).toContain('(truncated: run seqrun diff locally for the rest)');
  });
});
