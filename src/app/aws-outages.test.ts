import { describe, expect, it } from 'vitest';
import { Outages, STOPPED } from './aws-outages.ts';

const waits = { firstMs: 1, longestMs: 4 };
const failure = (name: string, status?: number): Error =>
  Object.assign(new Error(`${name} happened`), { name, ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }) });
const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });

/** A call that fails with `failures` in turn, then answers `ok`; how many times it was called. */
function flaky(failures: readonly Error[]) {
  let calls = 0;
  return {
    call: async (): Promise<string> => {
      const failed = failures[calls++];
      if (failed) throw failed;
      return 'ok';
    },
    calls: () => calls,
  };
}

function outages(signal = new AbortController().signal) {
  const notes: string[] = [];
  const o = new Outages({ service: 'SQS', operation: 'ReceiveMessage', endpoint: 'http://q', note: (l) => notes.push(l), signal, waits });
  return { o, notes };
}

describe('Outages', () => {
  it('waits out failures that pass (network, throttling, 5xx), saying once when they begin and once when they end', async () => {
    const { o, notes } = outages();
    const call = flaky([refused(), failure('ThrottlingException', 400), failure('InternalError', 500)]);
    await expect(o.call(call.call)).resolves.toBe('ok');
    expect(call.calls()).toBe(4);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toBe(
      'SQS ReceiveMessage: cannot reach http://q (ECONNREFUSED). Is the endpoint running and the URL right?; trying again, for as long as it lasts (first in 0.001 s)',
    );
    expect(notes[1]).toMatch(/^SQS ReceiveMessage answers again, after \d+ s$/);
    // The next outage is told again.
    await expect(o.call(flaky([refused()]).call)).resolves.toBe('ok');
    expect(notes).toHaveLength(4);
  });

  it('throws a failure that will not pass at once, described, without a note', async () => {
    const { o, notes } = outages();
    const call = flaky([failure('AccessDenied', 403)]);
    await expect(o.call(call.call)).rejects.toThrow('SQS ReceiveMessage at http://q failed: AccessDenied: AccessDenied happened');
    expect(call.calls()).toBe(1);
    expect(notes).toEqual([]);
    await expect(o.call(flaky([failure('QueueDoesNotExist', 400)]).call)).rejects.toThrow(/QueueDoesNotExist/);
    await expect(o.call(flaky([failure('InvalidClientTokenId', 403)]).call)).rejects.toThrow(/rejected the credentials/);
  });

  it('stops waiting when the signal aborts', async () => {
    const stop = new AbortController();
    const { o } = outages(stop.signal);
    const always = async (): Promise<string> => {
      stop.abort();
      throw refused();
    };
    await expect(o.call(always)).resolves.toBe(STOPPED);
    await expect(o.call(async () => 'never asked')).resolves.toBe(STOPPED);
  });
});
