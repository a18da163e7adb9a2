// What a run notification says: what ran, its status, and where the report is.

export type RunStatus = 'passed' | 'failed' | 'cancelled';

export interface RunSummary {
  /** What ran, e.g. `deploy-to-test: pay-frontend alpha_release-42`. */
  readonly title: string;
  readonly status: RunStatus;
  /** Link to the run's report (or the CI build). */
  readonly reportUrl?: string;
  readonly runId?: string;
  /** For failures: the step that failed and why (one line each). */
  readonly failedStep?: string;
  readonly reason?: string;
  /** Extra facts shown as fields, e.g. `{ Release: '42', Digest: 'sha256:…' }`. */
  readonly facts?: Readonly<Record<string, string>>;
}

export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

const ICON: Record<RunStatus, string> = { passed: ':white_check_mark:', failed: ':x:', cancelled: ':warning:' };
const WORD: Record<RunStatus, string> = { passed: 'passed', failed: 'FAILED', cancelled: 'was cancelled' };

/** Slack mrkdwn needs &, < and > escaped in user text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The summary with `redact` applied to every text in it (before mrkdwn escaping, so secrets still match). */
export function redactSummary(run: RunSummary, redact: (text: string) => string): RunSummary {
  const texts = Object.entries(run).map(([key, value]) => [key, typeof value === 'string' ? redact(value) : value]);
  const facts = run.facts && Object.fromEntries(Object.entries(run.facts).map(([k, v]) => [redact(k), redact(v)]));
  return { ...(Object.fromEntries(texts) as unknown as RunSummary), ...(facts ? { facts } : {}) };
}

export function runMessage(run: RunSummary): SlackPayload {
  const headline = `${ICON[run.status]} *${escapeMrkdwn(run.title)}* ${WORD[run.status]}`;
  const blocks: Record<string, unknown>[] = [{ type: 'section', text: { type: 'mrkdwn', text: headline } }];
  if (run.status !== 'passed' && (run.failedStep || run.reason)) {
    const lines = [
      run.failedStep ? `Step: ${escapeMrkdwn(run.failedStep)}` : '',
      run.reason ? `Reason: ${escapeMrkdwn(run.reason)}` : '',
    ].filter(Boolean);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  }
  const facts = Object.entries(run.facts ?? {});
  if (facts.length > 0)
    blocks.push({
      type: 'section',
      fields: facts.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: `*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v)}` })),
    });
  const context = [run.runId ? `run ${escapeMrkdwn(run.runId)}` : '', run.reportUrl ? `<${run.reportUrl}|report>` : ''].filter(Boolean);
  if (context.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  const text = `${run.title} ${WORD[run.status]}${run.reportUrl ? `: ${run.reportUrl}` : ''}`;
  return { text, blocks };
}
