// Against the sandbox's local Slack server, started by the tests on 127.0.0.1.
import { getEventListeners } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../sandbox/ports.ts';
import type { SlackServer } from '../../sandbox/slack/server.ts';
import { startSlackServer } from '../../sandbox/slack/server.ts';
import { memoryLogger } from '../../../test/support/logger.ts';
import { createSlackClient, notifyRun, postMessage, postWebhook, runMessage, SlackNotificationError } from './index.ts';

let slack: SlackServer;
beforeAll(async () => {
  slack = await startSlackServer({ channels: ['#pay-activity', '#pay-announce'] });
});
afterAll(async () => slack.stop());
beforeEach(() => {
  slack.messages.length = 0;
  Object.assign(slack.faults, { rateLimit: 0, retryAfterSeconds: 0, error: null });
});

const bot = (): ReturnType<typeof createSlackClient> => createSlackClient({ token: 'xoxb-test', slackApiUrl: slack.url, retries: 0 });
const channels = { success: '#pay-activity', failure: '#pay-announce' };

describe('runMessage', () => {
  it('says what ran, its status and links the report', () => {
    expect(
      runMessage({
        title: 'deploy <pay-frontend>',
        status: 'failed',
        failedStep: 'Pay CI->CodeBuild: build',
        reason: 'buildStatus FAILED',
        reportUrl: 'https://ci.example/run/1',
        runId: 'r1',
      }),
    ).toEqual({
      text: 'deploy <pay-frontend> FAILED: https://ci.example/run/1',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':x: *deploy &lt;pay-frontend&gt;* FAILED' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Step: Pay CI-&gt;CodeBuild: build\nReason: buildStatus FAILED' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'run r1 · <https://ci.example/run/1|report>' }] },
      ],
    });
  });
});

describe('slack pack against the local Slack server', () => {
  it('posts successes to one channel and failures to another, with blocks', async () => {
    const target = { kind: 'bot' as const, client: bot(), channels };
    await notifyRun(target, { title: 'deploy pay-app 42', status: 'passed', reportUrl: 'http://report/1', facts: { Release: '42' } });
    await notifyRun(target, { title: 'deploy pay-app 43', status: 'failed', reason: 'boom' });
    expect(slack.messages.map((m) => [m.via, m.channel, m.text])).toEqual([
      ['chat.postMessage', '#pay-activity', 'deploy pay-app 42 passed: http://report/1'],
      ['chat.postMessage', '#pay-announce', 'deploy pay-app 43 FAILED'],
    ]);
    expect(slack.messages[0]?.blocks).toContainEqual({ type: 'section', fields: [{ type: 'mrkdwn', text: '*Release*\n42' }] });
  });

  it('masks secrets in what it posts with the redact option (a failure reason quotes raw error text)', async () => {
    const redact = (text: string): string => text.replaceAll('s3cr<et>', '***');
    const run = { title: 'deploy s3cr<et>', status: 'failed' as const, reason: 'denied for s3cr<et>', facts: { Token: 's3cr<et>' } };
    await notifyRun({ kind: 'bot', client: bot(), channels }, run, { redact });
    expect(JSON.stringify(slack.messages)).not.toMatch(/s3cr/);
    expect(slack.messages[0]?.blocks).toContainEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Reason: denied for ***' } });
  });

  it('fails with the Slack error code when the channel does not exist', async () => {
    const error = await postMessage(bot(), '#nope', runMessage({ title: 't', status: 'passed' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackNotificationError);
    expect((error as SlackNotificationError).code).toBe('channel_not_found');
    expect((error as Error).message).toContain('check the channel name');
  });

  it('waits out 429s within the bound and then succeeds', async () => {
    slack.faults.rateLimit = 2;
    const log = memoryLogger();
    const posted = await postMessage(bot(), '#pay-activity', runMessage({ title: 't', status: 'passed' }), { retries: 3, log });
    expect(posted.channel).toBe('#pay-activity');
    expect(slack.messages).toHaveLength(1);
    expect(log.lines.filter((l) => l.message.includes('rate-limited'))).toHaveLength(2);
  });

  it('leaves no abort listener on the run signal after waiting out 429s (bot and webhook)', async () => {
    const controller = new AbortController();
    slack.faults.rateLimit = 3;
    await postMessage(bot(), '#pay-activity', runMessage({ title: 't', status: 'passed' }), { retries: 3, signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    slack.faults.rateLimit = 2;
    // fetch's own listener on a request's signal goes only when the request is collected: give fetch none.
    const fetchUnsignalled: typeof fetch = (url, init) => fetch(url, { ...init, signal: null });
    await postWebhook(slack.webhookUrl('#pay-activity'), runMessage({ title: 't', status: 'passed' }), {
      retries: 3,
      signal: controller.signal,
      fetch: fetchUnsignalled,
    });
    expect(slack.messages).toHaveLength(2);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('stops waiting out a 429 when the run is stopped', async () => {
    const controller = new AbortController();
    slack.faults.rateLimit = 1;
    slack.faults.retryAfterSeconds = 30;
    const log = { ...memoryLogger(), warn: () => controller.abort(new Error('run stopped')) };
    const error = await postMessage(bot(), '#pay-activity', runMessage({ title: 't', status: 'passed' }), {
      retries: 3,
      signal: controller.signal,
      log,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('run stopped');
    expect(slack.messages).toHaveLength(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('fails with ratelimited when 429s outlast the bound, or Retry-After is too long', async () => {
    slack.faults.rateLimit = 5;
    const error = await postMessage(bot(), '#pay-activity', runMessage({ title: 't', status: 'passed' }), { retries: 1 }).catch(
      (e: unknown) => e,
    );
    expect((error as SlackNotificationError).code).toBe('ratelimited');
    slack.faults.retryAfterSeconds = 3600;
    const tooLong = await postMessage(bot(), '#pay-activity', runMessage({ title: 't', status: 'passed' }), {
      retries: 3,
      maxWaitSeconds: 60,
    }).catch((e: unknown) => e);
    expect((tooLong as SlackNotificationError).message).toContain('Retry-After 3600 s');
    expect(slack.messages).toHaveLength(0);
  });

  it('fails with request_error when Slack is down, saying where it tried and what the network said', async () => {
    const port = await freePort();
    const client = createSlackClient({ token: 'xoxb-test', slackApiUrl: `http://127.0.0.1:${port}/api/`, retries: 0 });
    const error = await postMessage(client, '#pay-activity', runMessage({ title: 't', status: 'passed' })).catch((e: unknown) => e);
    expect((error as SlackNotificationError).code).toBe('request_error');
    expect((error as Error).message).toBe(
      `could not reach Slack at http://127.0.0.1:${port}/api/ to post to #pay-activity: connect ECONNREFUSED 127.0.0.1:${port}; check the Slack API URL and the network`,
    );
  });

  it('gives up on a Slack that takes the connection and never answers (a local server that reads and stays silent)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket.resume()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const client = createSlackClient({ token: 'xoxb-test', slackApiUrl: `http://127.0.0.1:${port}/api/`, retries: 1, timeoutMs: 200 });
      const error = await postMessage(client, '#pay-activity', runMessage({ title: 't', status: 'passed' })).catch((e: unknown) => e);
      expect((error as SlackNotificationError).code).toBe('request_error');
      expect((error as Error).message).toBe(
        `could not reach Slack at http://127.0.0.1:${port}/api/ to post to #pay-activity: no answer within 0.2 s; check the Slack API URL and the network`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('reports an injected error code such as invalid_auth', async () => {
    slack.faults.error = { code: 'invalid_auth', times: 1 };
    const error = await postMessage(bot(), '#pay-activity', runMessage({ title: 't', status: 'passed' })).catch((e: unknown) => e);
    expect((error as SlackNotificationError).code).toBe('invalid_auth');
  });

  it('takes faults over HTTP, as a detached sandbox server must', async () => {
    const control = new URL('/_sandbox/faults', slack.url);
    await fetch(control, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'channel_not_found', times: 1 }),
    });
    const error = await postMessage(bot(), '#pay-activity', runMessage({ title: 't', status: 'passed' })).catch((e: unknown) => e);
    expect((error as SlackNotificationError).code).toBe('channel_not_found');
    await postMessage(bot(), '#pay-activity', runMessage({ title: 'after', status: 'passed' }));
    const kept = (await (await fetch(new URL('/_sandbox/messages', slack.url))).json()) as { messages: { text: string }[] };
    expect(kept.messages.map((m) => m.text)).toEqual(['after passed']);
  });

  it('posts through incoming webhooks, retries 429 and reports channel_not_found', async () => {
    const urls = { success: slack.webhookUrl('#pay-activity'), failure: slack.webhookUrl('#pay-announce') };
    slack.faults.rateLimit = 1;
    await notifyRun({ kind: 'webhook', urls }, { title: 'deploy', status: 'failed' });
    expect(slack.messages.map((m) => [m.via, m.channel])).toEqual([['webhook', '#pay-announce']]);
    const error = await postWebhook(slack.webhookUrl('#gone'), runMessage({ title: 't', status: 'passed' })).catch((e: unknown) => e);
    expect((error as SlackNotificationError).code).toBe('channel_not_found');
  });
});
