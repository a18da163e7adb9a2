// Follows a build's CloudWatch Logs stream with GetLogEvents, forwarding new lines and keeping the
// last ones for the failure message.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { errorCode } from '../aws/errors.ts';
import { cloudWatchLogsSdk } from '../aws/sdk.ts';

const KEPT_LINES = 20;

export class LogTail {
  private token: string | undefined;
  private pulling: Promise<void> = Promise.resolve();
  private unavailable: string | undefined;
  readonly lastLines: string[] = [];

  private readonly client: CloudWatchLogsClient;
  private readonly groupName: string;
  private readonly streamName: string;
  private readonly onLine: (line: string) => void;
  constructor(client: CloudWatchLogsClient, groupName: string, streamName: string, onLine: (line: string) => void) {
    this.client = client;
    this.groupName = groupName;
    this.streamName = streamName;
    this.onLine = onLine;
  }

  /** Why logs could not be read (no such stream, no permission), if that happened. */
  get problem(): string | undefined {
    return this.unavailable;
  }

  /** Fetches what is new since the last pull; calls are serialised. */
  pull(): Promise<void> {
    this.pulling = this.pulling.then(() => this.fetchNew());
    return this.pulling;
  }

  private async fetchNew(): Promise<void> {
    const { GetLogEventsCommand } = cloudWatchLogsSdk();
    for (let page = 0; page < 50; page += 1) {
      let output;
      try {
        output = await this.client.send(
          new GetLogEventsCommand({
            logGroupName: this.groupName,
            logStreamName: this.streamName,
            startFromHead: true,
            ...(this.token === undefined ? {} : { nextToken: this.token }),
          }),
        );
      } catch (error) {
        // The stream appears only once the build has started writing; logs are best effort.
        this.unavailable = `${errorCode(error)}: ${(error as Error).message}`;
        return;
      }
      this.unavailable = undefined;
      for (const event of output.events ?? []) {
        const line = (event.message ?? '').replace(/\n$/, '');
        this.lastLines.push(line);
        if (this.lastLines.length > KEPT_LINES) this.lastLines.shift();
        this.onLine(line);
      }
      const next = output.nextForwardToken;
      const done = next === undefined || next === this.token || (output.events ?? []).length === 0;
      if (next !== undefined) this.token = next;
      if (done) return;
    }
  }
}
