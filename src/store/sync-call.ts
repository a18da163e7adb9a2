// Synchronous calls into a worker thread: the caller posts a request and blocks on a shared flag
// (Atomics.wait) until the worker has answered. The journal is written from the runtime's event
// callback, which is synchronous by design (an event is journaled before the run goes on), so an
// S3 write has to finish inside it. Written here rather than taken from synckit: this is 60 lines,
// and synckit's worker loading is built around TypeScript loaders seqrun does not use.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { JOURNAL_STORE_CODES, JournalStoreError, type JournalStoreCode } from './errors.ts';

/** The worker's error as a JournalStoreError on this side, its code kept. */
function workerError(message: string, code: string | undefined): JournalStoreError {
  return new JournalStoreError(
    message,
    code !== undefined && (JOURNAL_STORE_CODES as readonly string[]).includes(code) ? (code as JournalStoreCode) : 'UNREACHABLE',
  );
}

interface Reply {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { readonly name: string; readonly message: string; readonly code?: string };
}

export class SyncWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(script: URL, data: unknown) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(script, { workerData: { data, port: port2, flag: this.flag }, transferList: [port2] });
    this.worker.unref();
  }

  /** Sends `request` and waits for the answer: its value, or the worker's error re-thrown here. */
  call(request: unknown, timeoutMs: number): unknown {
    this.send(request);
    return this.receive(timeoutMs);
  }

  /** Sends `request` without waiting, so the caller can work meanwhile; `receive` then waits for the answer. */
  send(request: unknown): void {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
  }

  receive(timeoutMs: number): unknown {
    if (Atomics.wait(this.flag, 0, 0, timeoutMs) === 'timed-out') throw workerError(`no answer within ${timeoutMs} ms`, 'UNREACHABLE');
    const reply = receiveMessageOnPort(this.port)?.message as Reply | undefined;
    if (!reply) throw workerError('the worker answered nothing', 'UNREACHABLE');
    if (!reply.ok) throw workerError(reply.error?.message ?? 'failed', reply.error?.code);
    return reply.value;
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/** The worker's side: answers each request with `handle`'s value or error, then wakes the caller. */
export function serveSyncCalls(workerData: { port: MessagePort; flag: Int32Array }, handle: (request: unknown) => Promise<unknown>): void {
  const { port, flag } = workerData;
  port.on('message', (request: unknown) => {
    void handle(request)
      .then(
        (value) => port.postMessage({ ok: true, value } satisfies Reply),
        (error: unknown) => {
          const e = error as { name?: string; message?: string; code?: string };
          port.postMessage({
            ok: false,
            error: { name: e.name ?? 'Error', message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) },
          } satisfies Reply);
        },
      )
      .finally(() => {
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
  });
}
