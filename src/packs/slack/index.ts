// The slack pack: run notifications through a bot token (chat.postMessage) or an incoming webhook.
export { createSlackClient, notifyRun, postMessage, postWebhook, SlackNotificationError } from './notify.ts';
export type { NotificationTarget, PostOptions, RateLimitBound, SlackClientOptions } from './notify.ts';
export { escapeMrkdwn, redactSummary, runMessage } from './message.ts';
export type { RunStatus, RunSummary, SlackPayload } from './message.ts';
