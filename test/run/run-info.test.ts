// ctx.run through the real CLI: the run's id, diagram, profile, first start and report link, the same
// after a resume but for `resumed`.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { childEnv, REPO, runCli } from './support.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqrun-run-info-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(dir, 'a.seq'), 'CI->Site: Record the run\nCI->Site: Maybe fail\n');
  writeFileSync(
    join(dir, 'seqrun.config.ts'),
    "export default { bindings: ['./steps.ts'], reportUrl: 'https://ci.example.org/runs/{runId}/report.html' };\n",
  );
  writeFileSync(
    join(dir, 'steps.ts'),
    `import { appendFileSync, existsSync } from 'node:fs';
import { defineSteps } from ${JSON.stringify(join(REPO, 'src/index.ts'))};
export default defineSteps((s) => {
  s.call('Record the run', { from: 'CI', to: 'Site' }, (ctx) => { appendFileSync('runs.ndjson', JSON.stringify(ctx.run) + '\\n'); });
  s.call('Maybe fail', { from: 'CI', to: 'Site' }, (ctx) => {
    appendFileSync('runs.ndjson', JSON.stringify(ctx.run) + '\\n');
    if (existsSync('fail')) throw new Error('asked to fail');
  });
});
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('handlers see the run; a resume keeps its id, diagram, first start and report link, and says it resumed', async () => {
  writeFileSync(join(dir, 'fail'), '');
  const first = await runCli(['run', 'a.seq', '--format', 'plain'], dir, childEnv());
  expect(first.code).toBe(1);
  rmSync(join(dir, 'fail'));
  const resumed = await runCli(['resume', '--format', 'plain'], dir, childEnv());
  expect(resumed.code).toBe(0);
  expect(existsSync(join(dir, 'runs.ndjson'))).toBe(true);
  const seen = readFileSync(join(dir, 'runs.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(seen).toHaveLength(3);
  const [recorded, failed, again] = seen;
  const id = String(recorded?.['id']);
  expect(id).toMatch(/^\d{8}T\d{6}\d*Z-[0-9a-f]+$/);
  expect(recorded).toEqual({
    id,
    diagram: 'a.seq',
    profile: null,
    startedAt: expect.any(String),
    resumed: false,
    reportUrl: `https://ci.example.org/runs/${id}/report.html`,
  });
  expect(failed).toEqual(recorded);
  expect(again).toEqual({ ...recorded, resumed: true });
});
