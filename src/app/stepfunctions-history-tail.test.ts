import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { eventsAfter, type HistoryPage } from './stepfunctions-history-tail.ts';

const events = (from: number, to: number): HistoryEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, type: 'PassStateEntered', timestamp: new Date(0) }) as HistoryEvent);

/** A history of `count` events served as Step Functions does with reverseOrder: newest first, `size` a page. */
function newestFirst(count: number, size: number) {
  const all = events(1, count).reverse();
  const asked: (string | undefined)[] = [];
  const page = async (token: string | undefined): Promise<HistoryPage> => {
    asked.push(token);
    const start = token === undefined ? 0 : Number(token);
    const next = start + size < all.length ? String(start + size) : undefined;
    return { events: all.slice(start, start + size), nextToken: next };
  };
  return { page, asked };
}

const ids = (list: readonly HistoryEvent[]): number[] => list.map((e) => e.id ?? 0);

describe('eventsAfter', () => {
  it('reads every page the first time, oldest first', async () => {
    const server = newestFirst(250, 100);
    expect(ids(await eventsAfter(0, server.page))).toEqual(ids(events(1, 250)));
    expect(server.asked).toEqual([undefined, '100', '200']);
  });

  it('stops at the first page that reaches the last event it has', async () => {
    const server = newestFirst(250, 100);
    expect(ids(await eventsAfter(240, server.page))).toEqual([241, 242, 243, 244, 245, 246, 247, 248, 249, 250]);
    expect(server.asked).toEqual([undefined]);
    const later = newestFirst(400, 100);
    expect(ids(await eventsAfter(240, later.page))).toEqual(ids(events(241, 400)));
    expect(later.asked).toEqual([undefined, '100']);
  });

  it('nothing new is an empty list, after one page', async () => {
    const server = newestFirst(50, 100);
    expect(await eventsAfter(50, server.page)).toEqual([]);
    expect(server.asked).toEqual([undefined]);
  });

  it('a server that answers oldest first (moto ignores reverseOrder) is read to its end', async () => {
    const all = events(1, 250);
    const asked: (string | undefined)[] = [];
    const page = async (token: string | undefined): Promise<HistoryPage> => {
      asked.push(token);
      const start = token === undefined ? 0 : Number(token);
      return { events: all.slice(start, start + 100), nextToken: start + 100 < all.length ? String(start + 100) : undefined };
    };
    expect(ids(await eventsAfter(120, page))).toEqual(ids(events(121, 250)));
    expect(asked).toEqual([undefined, '100', '200']);
    expect(ids(await eventsAfter(120, async () => ({ events: all })))).toEqual(ids(events(121, 250)));
  });
});
