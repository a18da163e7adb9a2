// The job pack: the start / poll / cancel / re-attach shape every background step has, for work
// seqrun has no pack for (a deployment API, a test farm, a process on another machine).
export { pollingJob } from './polling-job.ts';
export type { PollingJobOptions } from './polling-job.ts';
export { pollUntil, PollTimeoutError } from './poll.ts';
export type { PollAnswer, PollOptions } from './poll.ts';
