// A HandlerContext for calling pack jobs directly (the runtime builds the real one).
import type { HandlerContext } from '../../src/bind/types.ts';
import { memoryLogger } from './logger.ts';

export function testContext(
  signal: AbortSignal = new AbortController().signal,
): HandlerContext & { readonly log: ReturnType<typeof memoryLogger> } {
  return {
    step: { id: 's0', kind: 'call', text: 'test step', file: 'test.seq', line: 1, column: 1 },
    vars: {},
    env: {},
    outputs: new Map(),
    state: {},
    signal,
    log: memoryLogger(),
    attempt: 1,
    secret: (value) => value,
    redact: (text) => text,
    config: {},
    runId: 'test-run',
    run: { id: 'test-run', diagram: 'test.seq', profile: null, startedAt: '2026-01-01T00:00:00.000Z', resumed: false },
    progress: () => undefined,
    recorded: [],
  };
}
