// `seqrun diff` for a terminal: one block per diagram, one line per change, like `git diff --stat` with
// words. Coloured only when asked (a terminal without NO_COLOR); diagram text always escaped.
import { escapeControls } from '../diagnostics/escape.ts';
import type { Change, ChangeKind, DiffResult } from './types.ts';

/** What each change is called, in every output. */
export const CHANGE_WORDS: Readonly<Record<ChangeKind, string>> = {
  'diagram-added': 'diagram added',
  'diagram-deleted': 'diagram deleted',
  'participant-renamed': 'participant renamed',
  'step-added': 'step added',
  'step-removed': 'step removed',
  'expectation-added': 'expectation added',
  'expectation-dropped': 'expectation dropped',
  'step-moved': 'moved',
  'step-reworded': 're-worded',
  rebound: 'bound to another handler',
  'handler-changed': "handler's code changed",
  'handler-moved': 'handler moved',
  'call-became-job': 'call became a job',
  'job-became-call': 'job became a sync call',
  'concurrency-added': 'now runs concurrently with',
  'concurrency-removed': 'no longer runs concurrently with',
  'join-moved': 'join point moved',
  'options-changed': 'options changed',
  'block-added': 'block added',
  'block-removed': 'block removed',
  'block-changed': 'block changed',
};

/** `+` for what the working tree added, `-` for what it dropped, `~` for a change. */
export function signOf(change: Change): '+' | '-' | '~' {
  if (change.kind.endsWith('-added') && change.before === null) return '+';
  if ((change.kind.endsWith('-removed') || change.kind.endsWith('-dropped') || change.kind === 'diagram-deleted') && change.after === null)
    return '-';
  return '~';
}

/** What changed, in one line of words: `"a" → "b"`, the steps of a concurrency change, or the one side there is. */
export function detailOf(change: Change): string {
  if (change.steps) return change.steps.map((s) => `line ${s.line} ${s.label}`).join('; ');
  if (change.was !== undefined && change.now !== undefined) return `${change.was} → ${change.now}`;
  return change.now ?? change.was ?? '';
}

/** The line a change is shown at: the working tree's, else BASE's (marked). */
export function lineOf(change: Change): string {
  if (change.after) return `${change.after.line}`;
  if (change.before) return `${change.before.line} (BASE)`;
  return '';
}

const COLOURS = { '+': '\x1b[32m', '-': '\x1b[31m', '~': '\x1b[33m' } as const;

function changeLine(change: Change, colour: boolean): string {
  const sign = signOf(change);
  const step = change.after ?? change.before;
  const where = step && !change.kind.startsWith('diagram-') ? `line ${lineOf(change)}  ${step.label}: ` : '';
  const detail = detailOf(change);
  const text = escapeControls(`${where}${CHANGE_WORDS[change.kind]}${detail === '' ? '' : `: ${detail}`}`, { singleLine: true });
  return colour ? `${COLOURS[sign]}${sign} ${text}\x1b[0m` : `${sign} ${text}`;
}

/** The whole diff as text; `colour` for a terminal. */
export function diffText(result: DiffResult, colour: boolean): string {
  const changed = result.diagrams.filter((d) => d.status !== 'unchanged');
  const head = `seqrun diff against ${escapeControls(result.base.ref, { singleLine: true })} (${result.base.commit.slice(0, 12)})`;
  if (changed.length === 0)
    return `${head}: no pipeline changes in ${result.diagrams.length} diagram${result.diagrams.length === 1 ? '' : 's'}.\n`;
  const blocks = changed.map((d) => {
    const title = `${colour ? '\x1b[1m' : ''}${escapeControls(d.diagram, { singleLine: true })}  (${d.status}, ${d.changes.length} change${d.changes.length === 1 ? '' : 's'})${colour ? '\x1b[0m' : ''}`;
    return [title, ...d.changes.map((c) => `  ${changeLine(c, colour)}`)].join('\n');
  });
  const summary = `${changed.length} of ${result.diagrams.length} diagram${result.diagrams.length === 1 ? '' : 's'} changed.`;
  return `${head}\n\n${blocks.join('\n\n')}\n\n${summary}\n`;
}
