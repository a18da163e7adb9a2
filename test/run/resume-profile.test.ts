// `seqrun resume` runs with the profile its run was started with (journaled in run-started).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, journalOf, latestRun, runCli, tempProject } from './support.ts';

const CONFIG = `import { defineConfig } from 'seqrun';
export default defineConfig({
  bindings: ['profile-steps.ts'],
  settings: { channel: '#base' },
  profiles: { rehearsal: { settings: { channel: '#rehearsal' } }, live: { settings: { channel: '#live' } } },
});
`;
const STEPS = `import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineSteps } from 'seqrun';
export default defineSteps((s) => {
  s.call('Record the channel', (ctx) => { appendFileSync(join(ctx.vars['workdir'] ?? '.', 'calls.log'), 'first ' + String(ctx.config['channel']) + '\\n'); });
  s.call('Pass the gate', (ctx) => {
    const dir = ctx.vars['workdir'] ?? '.';
    if (!existsSync(join(dir, 'gate'))) throw new Error('the gate is closed');
    appendFileSync(join(dir, 'calls.log'), 'gate ' + String(ctx.config['channel']) + '\\n');
  });
});
`;

function profileProject(): string {
  const dir = tempProject();
  writeFileSync(join(dir, 'seqrun.config.ts'), CONFIG);
  writeFileSync(join(dir, 'profile-steps.ts'), STEPS);
  writeFileSync(join(dir, 'gated.seq'), 'Pay CI->AWS: Record the channel\nPay CI->AWS: Pass the gate\n');
  return dir;
}

describe('seqrun resume and profiles', () => {
  it('journals the profile, refuses another one, and resumes with it when --profile is left out', { timeout: 60_000 }, async () => {
    const dir = profileProject();
    const first = await runCli(['run', 'gated.seq', '--profile', 'rehearsal', '--var', `workdir=${dir}`], dir);
    expect(first.code).toBe(1);
    const runId = latestRun(dir);
    expect(journalOf(dir, runId).events[0]).toMatchObject({ type: 'run-started', profile: 'rehearsal' });

    const other = await runCli(['resume', '--profile', 'live'], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `run ${runId} was started with profile 'rehearsal', not profile 'live'; resume it with --profile rehearsal`,
    );

    writeFileSync(join(dir, 'gate'), 'open');
    const resumed = await runCli(['resume'], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(calls(dir)).toEqual(['first #rehearsal', 'gate #rehearsal']);
  });
});
