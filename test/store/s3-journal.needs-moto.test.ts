// The S3 journal and the lease against moto in server mode: segments written once and read back
// whole, damage refused with its key, a lease that two runs cannot both hold, taken over when its
// holder is gone, and lost (fencing) when it is not renewed in time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';
import { JournalWriter } from '../../src/run/journal.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { takeLease } from '../../src/store/lease.ts';
import { readS3Journal, readS3JournalAfter, readS3Run, readS3Runs } from '../../src/store/s3-journal.ts';
import { s3Client, type S3Store } from '../../src/store/s3-objects.ts';
import { S3JournalWriter } from '../../src/store/s3-writer.ts';
import { tempDir, TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';

let moto: MotoServer;
let env: Record<string, string>;
let store: S3Store;

beforeAll(async () => {
  moto = await startMoto();
  env = {
    AWS_ENDPOINT_URL_S3: moto.url,
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  };
  store = { client: s3Client(env), location: parseS3Location('s3://journals/team/releases') };
  await store.client.send(new CreateBucketCommand({ Bucket: 'journals', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
});

afterAll(async () => {
  store.client.destroy();
  await moto.stop();
});

const at = '2026-12-03T10:00:00.000Z';
const started = (runId: string): RunEvent =>
  ({
    type: 'run-started',
    at,
    runId,
    diagram: 'specs/final.seq',
    diagramHash: 'h',
    title: null,
    vars: {},
    trigger: 't',
    steps: [],
  }) as RunEvent;
const stepStarted = (runId: string, stepId: string): RunEvent => ({ type: 'step-started', at, runId, stepId, attempt: 1 }) as RunEvent;
const stepPassed = (runId: string, stepId: string): RunEvent =>
  ({ type: 'step-finished', at, runId, stepId, status: 'passed', attempt: 1, durationMs: 1 }) as RunEvent;

function openWriter(
  runId: string,
  stops: string[] = [],
  lease: Parameters<typeof S3JournalWriter.open>[1]['lease'] = null,
): S3JournalWriter {
  const local = JournalWriter.open(tempDir('s3-journal'), runId);
  return S3JournalWriter.open(local, { location: store.location, runId, env, lease, onStop: (why) => stops.push(why) });
}

describe('the S3 journal (needs moto)', () => {
  it('writes a segment per durable event, carrying step starts and logs with it, and reads the run back on another machine', async () => {
    const writer = openWriter('20261203-100000-aaaa');
    writer.write(started('20261203-100000-aaaa'));
    writer.write(stepStarted('20261203-100000-aaaa', 's1'));
    writer.write(stepPassed('20261203-100000-aaaa', 's1'));
    writer.close();
    const read = await readS3Journal(store, '20261203-100000-aaaa');
    expect(read?.events.map((e) => e.type)).toEqual(['run-started', 'step-started', 'step-finished']);
    const keys = await store.client.send(
      new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({
        Bucket: 'journals',
        Prefix: 'team/releases/runs/20261203-100000-aaaa/',
      }),
    );
    expect(keys.Contents?.map((o) => o.Key)).toEqual([
      'team/releases/runs/20261203-100000-aaaa/journal/00000001.ndjson',
      'team/releases/runs/20261203-100000-aaaa/journal/00000002.ndjson',
    ]);
    const latest = await readS3Run(store, 'latest');
    expect('kind' in latest ? latest : latest.fold.steps.get('s1')?.status).toBe('passed');
  });

  it('a resumed run appends after the segments already there', async () => {
    const runId = '20261203-100001-bbbb';
    const first = openWriter(runId);
    first.write(started(runId));
    first.close();
    const second = openWriter(runId);
    second.write(stepPassed(runId, 's1'));
    second.close();
    expect((await readS3Journal(store, runId))?.events.map((e) => e.type)).toEqual(['run-started', 'step-finished']);
    expect((await readS3Runs(store)).map((r) => r.runId)).toContain(runId);
  });

  it('refuses a truncated segment and a missing one, naming the key', async () => {
    const runId = '20261203-100002-cccc';
    const writer = openWriter(runId);
    writer.write(started(runId));
    writer.write(stepPassed(runId, 's1'));
    writer.close();
    const key = `team/releases/runs/${runId}/journal/00000002.ndjson`;
    await store.client.send(new PutObjectCommand({ Bucket: 'journals', Key: key, Body: '{"type":"step-fin' }));
    await expect(readS3Journal(store, runId)).rejects.toThrow(`s3://journals/${key} is truncated`);
    await store.client.send(
      new PutObjectCommand({ Bucket: 'journals', Key: key.replace('00000002.ndjson', '00000004.ndjson'), Body: '\n' }),
    );
    await store.client.send(new PutObjectCommand({ Bucket: 'journals', Key: key, Body: `${JSON.stringify(stepPassed(runId, 's1'))}\n` }));
    await expect(readS3Journal(store, runId)).rejects.toThrow('is numbered 4 where 3 was expected (a segment is missing)');
  });

  it('a reader that has the first segments lists and reads only those after them, and refuses a gap after them', async () => {
    const runId = '20261203-100003-dddd';
    const writer = openWriter(runId);
    writer.write(started(runId));
    writer.write(stepPassed(runId, 's1'));
    writer.write(stepPassed(runId, 's2'));
    writer.close();
    const whole = await readS3JournalAfter(store, runId, 0);
    expect(whole.segments).toBeGreaterThanOrEqual(2);
    const prefix = `team/releases/runs/${runId}/journal/`;
    // Segment 1 damaged after it was read: a reader past it does not list it again, so it is not refused.
    await store.client.send(new PutObjectCommand({ Bucket: 'journals', Key: `${prefix}00000001.ndjson`, Body: '{"type":"run-st' }));
    const none = await readS3JournalAfter(store, runId, whole.segments);
    expect(none).toEqual({ segments: whole.segments, events: [] });
    const next = whole.segments + 1;
    const seg = (n: number) => `${prefix}${String(n).padStart(8, '0')}.ndjson`;
    await store.client.send(
      new PutObjectCommand({ Bucket: 'journals', Key: seg(next), Body: `${JSON.stringify(stepPassed(runId, 's3'))}\n` }),
    );
    const added = await readS3JournalAfter(store, runId, whole.segments);
    expect(added.segments).toBe(next);
    expect(added.events.map((e) => (e as { stepId?: string }).stepId)).toEqual(['s3']);
    await store.client.send(
      new PutObjectCommand({ Bucket: 'journals', Key: seg(next + 2), Body: `${JSON.stringify(stepPassed(runId, 's5'))}\n` }),
    );
    await expect(readS3JournalAfter(store, runId, next)).rejects.toThrow(
      `is numbered ${next + 2} where ${next + 1} was expected (a segment is missing)`,
    );
    // A reader from the start still checks every segment: the gap, then (once filled) the damaged first one.
    await expect(readS3Journal(store, runId)).rejects.toThrow(`is numbered ${next + 2} where ${next + 1} was expected`);
    await store.client.send(
      new PutObjectCommand({ Bucket: 'journals', Key: seg(next + 1), Body: `${JSON.stringify(stepPassed(runId, 's4'))}\n` }),
    );
    await expect(readS3Journal(store, runId)).rejects.toThrow(`s3://journals/${seg(1)} is truncated`);
  });

  it('an unreachable endpoint is a clear error when the journal is opened', () => {
    const local = JournalWriter.open(tempDir('s3-journal'), 'r-down');
    const down = { ...env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' };
    expect(() =>
      S3JournalWriter.open(local, {
        location: store.location,
        runId: 'r-down',
        env: down,
        lease: null,
        onStop: () => {},
        timeoutMs: 20_000,
      }),
    ).toThrow(/the S3 journal s3:\/\/journals\/team\/releases\/runs\/r-down\/journal\/ cannot be opened/);
  });
});

describe('the lease (needs moto)', () => {
  it('is held by one run at a time; the second learns who holds it', async () => {
    const a = await takeLease(store, 'release-1', { runId: 'run-a', pid: 1001, ttlMs: 60_000, host: 'ci-a' });
    expect(a.ok).toBe(true);
    const b = await takeLease(store, 'release-1', { runId: 'run-b', pid: 1002, ttlMs: 60_000, host: 'ci-b' });
    expect(b.ok ? null : { runId: b.holder.runId, host: b.holder.host, pid: b.holder.pid }).toEqual({
      runId: 'run-a',
      host: 'ci-a',
      pid: 1001,
    });
    if (a.ok) await a.lease.release();
    const c = await takeLease(store, 'release-1', { runId: 'run-b', pid: 1002, ttlMs: 60_000, host: 'ci-b' });
    expect(c.ok && c.tookOver).toBe(null);
    if (c.ok) await c.lease.release();
  });

  it('is taken over when it expired, or when its holder on this host is gone, and says so', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const clock = (): number => now;
    const a = await takeLease(store, 'release-2', { runId: 'run-a', pid: 1001, ttlMs: 1_000, host: 'ci-a', now: clock });
    now += 5_000;
    const b = await takeLease(store, 'release-2', { runId: 'run-b', pid: 1002, ttlMs: 1_000, host: 'ci-b', now: clock });
    expect(b.ok && b.tookOver?.runId).toBe('run-a');
    // run-a does not renew in time: it holds nothing any more (fencing).
    expect(a.ok && a.lease.lost()).toMatch(/not renewed within its 1000 ms/);
    const c = await takeLease(store, 'release-2', {
      runId: 'run-c',
      pid: 1003,
      ttlMs: 60_000,
      host: 'ci-b',
      now: clock,
      alive: () => false,
    });
    expect(c.ok && c.tookOver?.runId).toBe('run-b');
    for (const held of [a, b, c]) if (held.ok) await held.lease.release();
  });

  it('a writer whose lease was lost stops the S3 copy and refuses the next step start', async () => {
    let now = Date.now();
    const lease = await takeLease(store, 'release-3', { runId: 'run-f', pid: 1001, ttlMs: 1_000, host: 'ci-a', now: () => now });
    if (!lease.ok) throw new Error('lease not taken');
    const stops: string[] = [];
    const writer = openWriter('run-f', stops, lease.lease);
    writer.write(started('run-f'));
    now += 10_000;
    expect(() => writer.write(stepStarted('run-f', 's1'))).toThrow(/step s1 not started: this run lost its lease/);
    expect(stops).toHaveLength(1);
    writer.write(stepPassed('run-f', 's1'));
    writer.close();
    expect((await readS3Journal(store, 'run-f'))?.events.map((e) => e.type)).toEqual(['run-started']);
    await lease.lease.release();
  });
});
