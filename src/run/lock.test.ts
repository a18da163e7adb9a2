import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFile, lockRelease, releaseKey } from './lock.ts';

const release = { diagram: 'specs/final.seq', profile: 'sandbox', vars: { release: '42', token: '***' } };

describe('the release lock', () => {
  it('the key is the diagram, the profile and the variables, whatever their order', () => {
    expect(releaseKey(release)).toBe(releaseKey({ ...release, vars: { token: '***', release: '42' } }));
    expect(releaseKey(release)).not.toBe(releaseKey({ ...release, vars: { release: '43', token: '***' } }));
    expect(releaseKey(release)).not.toBe(releaseKey({ ...release, profile: 'aws' }));
    expect(releaseKey(release)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("with the config's releaseKey only those variables count: another workdir is the same release", () => {
    const a = { ...release, vars: { release: '42', workdir: '/tmp/a' } };
    const b = { ...release, vars: { release: '42', workdir: '/tmp/b' } };
    expect(releaseKey(a)).not.toBe(releaseKey(b));
    expect(releaseKey(a, ['release'])).toBe(releaseKey(b, ['release']));
    expect(releaseKey(a, ['release'])).not.toBe(releaseKey({ ...a, vars: { release: '43' } }, ['release']));
    // A variable the key names but the run lacks still counts, as absent.
    expect(releaseKey({ ...release, vars: {} }, ['release'])).not.toBe(releaseKey(a, ['release']));
  });

  it('one holder at a time; unlocked, it is free again', () => {
    const root = mkdtempSync(join(tmpdir(), 'seqrun-lock-'));
    const key = releaseKey(release);
    const first = lockRelease(root, key, 'run-1', process.pid);
    expect(first.ok).toBe(true);
    expect(lockRelease(root, key, 'run-2', process.pid)).toMatchObject({ ok: false, holder: { runId: 'run-1', pid: process.pid } });
    if (first.ok) first.unlock();
    expect(readdirSync(join(root, '.seqrun/locks'))).toEqual([]);
    expect(lockRelease(root, key, 'run-2', process.pid).ok).toBe(true);
  });

  it('takes over the lock of a holder that is gone, of a reused pid, and a torn one', () => {
    const root = mkdtempSync(join(tmpdir(), 'seqrun-lock-'));
    mkdirSync(join(root, '.seqrun/locks'), { recursive: true });
    const stale = [
      { runId: 'dead', pid: 2 ** 22 + 17, since: 'then', processStart: null },
      { runId: 'reused-pid', pid: process.pid, since: 'then', processStart: '1' },
    ];
    for (const [i, holder] of stale.entries()) {
      writeFileSync(lockFile(root, `k${i}`), JSON.stringify(holder));
      expect(lockRelease(root, `k${i}`, 'run-new', process.pid).ok).toBe(true);
    }
    writeFileSync(lockFile(root, 'torn'), '{"runId":"x","pi');
    expect(lockRelease(root, 'torn', 'run-new', process.pid).ok).toBe(true);
  });
});
