// The new events of an execution's history, for `seqrun run` to follow it. Each read asks for the newest
// events first (reverseOrder) and pages back only until it reaches the last event it has, so a poll of a
// long release reads one page, not the whole history again (GetExecutionHistory is throttled per
// account). A server that ignores reverseOrder (moto answers oldest first, all in one page) is read
// whole; the event ids put either answer in order.
import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';

export interface HistoryPage {
  readonly events: readonly HistoryEvent[];
  readonly nextToken?: string | undefined;
}

const idOf = (event: HistoryEvent): number => event.id ?? 0;

/**
 * The events with ids above `lastId`, oldest first, from `page` (its pages newest first when the server
 * honours reverseOrder): paging stops at the first newest-first page that reaches `lastId`.
 */
export async function eventsAfter(lastId: number, page: (token: string | undefined) => Promise<HistoryPage>): Promise<HistoryEvent[]> {
  const fresh = new Map<number, HistoryEvent>();
  let token: string | undefined;
  do {
    const { events, nextToken } = await page(token);
    for (const event of events) if (idOf(event) > lastId) fresh.set(idOf(event), event);
    const first = events[0];
    const last = events.at(-1);
    const newestFirst = first !== undefined && last !== undefined && idOf(first) > idOf(last);
    const reached = events.some((event) => idOf(event) <= lastId);
    if ((newestFirst || events.length <= 1) && reached) break;
    token = nextToken;
  } while (token);
  return [...fresh.values()].sort((a, b) => idOf(a) - idOf(b));
}

/** One execution's history, read a little more each time. */
export class HistoryTail {
  private readonly sfn: SFNClient;
  private readonly executionArn: string;
  private lastId = 0;

  constructor(sfn: SFNClient, executionArn: string) {
    this.sfn = sfn;
    this.executionArn = executionArn;
  }

  /** The events added since the last call (all of them the first time), oldest first. */
  async next(): Promise<HistoryEvent[]> {
    const fresh = await eventsAfter(this.lastId, async (nextToken) => {
      const page = await this.sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: this.executionArn,
          reverseOrder: true,
          maxResults: 100,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      return { events: page.events ?? [], nextToken: page.nextToken };
    });
    const last = fresh.at(-1);
    if (last !== undefined) this.lastId = idOf(last);
    return fresh;
  }
}
