import { describe, expect, it } from 'vitest';
import { escapeControls } from '../diagnostics/escape.ts';
import type { RunEvent } from '../run/events.ts';
import { junitXml } from './junit.ts';
import { LiveReporter } from './live.ts';
import { PlainReporter } from './plain.ts';
import type { RunMeta } from './types.ts';

const base = { at: '2026-11-26T00:00:00.000Z', runId: 'r1' };
const meta: RunMeta = {
  diagram: 'specs/x.seq',
  journal: '.seqrun/runs/r1/journal.ndjson',
  steps: [
    { id: 's0', kind: 'call', mode: 'job', label: 'CI->AWS: Trigger <build> & "go"', line: 1, column: 1 },
    { id: 's1', kind: 'call', mode: 'sync', label: 'CI->CI: Compile', line: 2, column: 1 },
    { id: 's2', kind: 'reply', label: 'AWS-->CI: Success', line: 3, column: 1 },
  ],
};
const events: RunEvent[] = [
  { ...base, type: 'run-started', diagram: 'specs/x.seq', diagramHash: 'h', title: null, vars: {}, trigger: 't', steps: [] },
  { ...base, type: 'step-started', stepId: 's0', attempt: 1 },
  { ...base, type: 'job-started', stepId: 's0', handle: { id: 'b-1' } },
  { ...base, type: 'step-started', stepId: 's1', attempt: 1 },
  { ...base, type: 'log', stepId: 's1', level: 'warn', message: 'attempt 1 failed: flaky; retrying in 5 ms' },
  { ...base, type: 'step-started', stepId: 's1', attempt: 2 },
  {
    ...base,
    type: 'step-finished',
    stepId: 's1',
    status: 'failed',
    attempt: 2,
    durationMs: 1500,
    error: { message: 'exit 2 \u0007 <oops>', name: 'Error' },
  },
  {
    ...base,
    type: 'step-finished',
    stepId: 's0',
    status: 'cancelled',
    attempt: 1,
    durationMs: 1600,
    error: { message: 'cancelled because the run stopped' },
  },
  { ...base, type: 'step-finished', stepId: 's2', status: 'skipped', attempt: 0, durationMs: 0 },
  { ...base, type: 'run-finished', status: 'failed', durationMs: 1700, failedStepId: 's1' },
];

describe('PlainReporter', () => {
  it('writes one line per event, failures with their location', () => {
    let out = '';
    const r = new PlainReporter(meta, (t) => (out += t));
    for (const e of events) r.onEvent(e);
    r.close();
    expect(out.split('\n')).toEqual([
      'run r1 started: specs/x.seq (0 steps)',
      'start [s0] CI->AWS: Trigger <build> & "go"',
      'job started [s0] CI->AWS: Trigger <build> & "go" handle={"id":"b-1"}',
      'start [s1] CI->CI: Compile',
      // Log lines under their step's id, as the CLI numbers steps.
      '  s1 │ warn: attempt 1 failed: flaky; retrying in 5 ms',
      'retry (attempt 2) [s1] CI->CI: Compile',
      // A control character from a handler's error is shown escaped, not sent to the terminal.
      'failed [s1] CI->CI: Compile at specs/x.seq:2:1: exit 2 \\a <oops>',
      'cancelled [s0] CI->AWS: Trigger <build> & "go" at specs/x.seq:1:1: cancelled because the run stopped',
      'skipped [s2] AWS-->CI: Success',
      'run failed in 1.7 s: 0 passed, 1 failed, 1 cancelled, 1 skipped (journal: .seqrun/runs/r1/journal.ndjson)',
      '',
    ]);
  });
});

describe('the summary of a resumed run', () => {
  // Before the resume: s2 passed, s1 failed, s0 was cancelled; the resume runs s0 and s1 again.
  const history: RunEvent[] = [
    events[0] as RunEvent,
    { ...base, type: 'step-finished', stepId: 's2', status: 'passed', attempt: 1, durationMs: 1200 },
    { ...base, type: 'step-finished', stepId: 's1', status: 'failed', attempt: 1, durationMs: 5, error: { message: 'x' } },
    { ...base, type: 'step-finished', stepId: 's0', status: 'cancelled', attempt: 1, durationMs: 5, error: { message: 'stopped' } },
    { ...base, type: 'run-finished', status: 'interrupted', durationMs: 100 },
  ];
  const resumed: RunEvent[] = [
    { ...base, type: 'run-resumed', pid: 2 },
    { ...base, type: 'step-finished', stepId: 's1', status: 'passed', attempt: 1, durationMs: 10 },
    { ...base, type: 'step-finished', stepId: 's0', status: 'passed', attempt: 1, durationMs: 10 },
    { ...base, type: 'run-finished', status: 'passed', durationMs: 40 },
  ];
  const expected = 'run passed in 40 ms: 3 passed, 0 failed, 0 cancelled, 0 skipped (journal: .seqrun/runs/r1/journal.ndjson)';

  it('counts every step of the run, each once with its latest status (plain)', () => {
    let out = '';
    const r = new PlainReporter(meta, (t) => (out += t), history);
    for (const e of resumed) r.onEvent(e);
    r.close();
    expect(out.trimEnd().split('\n').at(-1)).toBe(expected);
  });

  it('counts every step of the run (live list)', () => {
    let out = '';
    const r = new LiveReporter(meta, (t) => (out += t), { noColor: true, rows: 40, tickMs: 60_000, minRedrawMs: 0, history });
    for (const e of resumed) r.onEvent(e);
    r.close();
    expect(out.slice(out.lastIndexOf('\x1b[2Kseqrun'))).toContain(expected);
  });
});

describe('junitXml', () => {
  it('writes one escaped test case per step with failure and skipped elements and counts', () => {
    const xml = junitXml(meta, events);
    expect(xml).toContain('<testsuites name="seqrun" tests="3" failures="1" errors="0" time="1.700">');
    expect(xml).toContain('<testsuite name="specs/x.seq" tests="3" failures="1" errors="0" skipped="2" time="1.700"');
    expect(xml).toContain('<testcase name="s0 CI-&gt;AWS: Trigger &lt;build&gt; &amp; &quot;go&quot;"');
    expect(xml).toContain('<failure message="exit 2  &lt;oops&gt;" type="Error">specs/x.seq:2:1: exit 2  &lt;oops&gt;</failure>');
    expect(xml).toContain('<skipped message="cancelled: cancelled because the run stopped"/>');
    expect(xml).not.toContain('\u0007');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });

  it('uses only the attributes the Jenkins xunit JUnit schema (junit-10.xsd) allows', () => {
    const allowed: Record<string, readonly string[]> = {
      testsuites: ['name', 'time', 'tests', 'failures', 'errors'],
      testsuite: [
        'name',
        'tests',
        'failures',
        'errors',
        'group',
        'time',
        'skipped',
        'timestamp',
        'hostname',
        'id',
        'package',
        'file',
        'log',
        'url',
      ],
      testcase: ['name', 'time', 'classname', 'group'],
      failure: ['type', 'message'],
      skipped: ['type', 'message'],
    };
    const xml = junitXml(meta, events);
    const tags = [...xml.matchAll(/<([a-z]+)((?:\s+[a-z]+="[^"]*")*)\s*\/?>/g)];
    expect(new Set(tags.map((t) => t[1]))).toEqual(new Set(Object.keys(allowed)));
    for (const [, tag = '', attrs = ''] of tags) {
      for (const [, attr] of attrs.matchAll(/([a-z]+)="/g)) expect(allowed[tag], `${tag} ${String(attr)}`).toContain(attr);
    }
  });
});

describe('LiveReporter', () => {
  it('redraws the step list in place, spinning running steps, without colour under NO_COLOR', () => {
    let out = '';
    const r = new LiveReporter(meta, (t) => (out += t), { noColor: true, rows: 40, tickMs: 60_000, minRedrawMs: 0 });
    for (const e of events.slice(0, 4)) r.onEvent(e);
    const frame = out.slice(out.lastIndexOf('\x1b[2Kseqrun'));
    expect(frame).toContain('s0   ⠋ CI->AWS: Trigger <build> & "go"');
    expect(frame).toContain('s1   ⠋ CI->CI: Compile');
    expect(frame).toContain('s2   · AWS-->CI: Success');
    for (const e of events.slice(4)) r.onEvent(e);
    r.close();
    expect(out).toContain('s1   ✗ CI->CI: Compile  1.5 s  (attempt 2)  — exit 2');
    expect(out).toContain('s2   - AWS-->CI: Success');
    expect(out).toContain('run failed in 1.7 s');
    expect(out).toContain('\x1b[4F');
    expect(out).not.toContain('\x1b[3');
    expect(out.endsWith('\x1b[?25h')).toBe(true);
  });

  it('shows control characters and line breaks of step texts and errors escaped; its own cursor codes are the only ones', () => {
    let out = '';
    const hostile: RunMeta = {
      ...meta,
      diagram: 'x\u001b]0;t\u0007.seq',
      steps: [{ id: 's0', kind: 'call', mode: 'sync', label: 'A->B: \u001b[2Jwipe', line: 1, column: 1 }],
    };
    const r = new LiveReporter(hostile, (t) => (out += t), { noColor: true, rows: 40, tickMs: 60_000, minRedrawMs: 0 });
    r.onEvent(events[0] as RunEvent);
    r.onEvent({
      ...base,
      type: 'step-finished',
      stepId: 's0',
      status: 'failed',
      attempt: 1,
      durationMs: 5,
      error: { message: 'line 1\nline 2\u009b' },
    });
    r.close();
    expect(out).toContain('seqrun run r1  x\\e]0;t\\a.seq');
    expect(out).toContain('A->B: \\e[2Jwipe  5 ms  — line 1\\nline 2\\x9b');
    // What is left once the list's own codes (hide/show cursor, up N lines, clear line) are taken out.
    // eslint-disable-next-line no-control-regex -- the list's own escape sequences
    const text = out.replace(/\u001b\[(\?25[lh]|\d+F|2K)/g, '');
    expect(escapeControls(text)).toBe(text);
  });

  it('says it is stopping under the list when the run is interrupted, and redraws over its own lines only', () => {
    let out = '';
    const interrupt = new AbortController();
    const r = new LiveReporter(meta, (t) => (out += t), {
      noColor: true,
      rows: 40,
      tickMs: 60_000,
      minRedrawMs: 0,
      interrupt: interrupt.signal,
    });
    for (const e of events.slice(0, 4)) r.onEvent(e);
    interrupt.abort();
    const stopping = out.slice(out.lastIndexOf('\x1b[4F')).replaceAll('\x1b', 'ESC');
    expect(stopping).toMatch(
      /^ESC\[4FESC\[2Kseqrun .*\n(ESC\[2K.*\n){3}ESC\[2Kstopping: cancelling open jobs and closing the journal \(press Ctrl-C again to force\)\n$/,
    );
    for (const e of events.slice(4, 6)) r.onEvent(e);
    expect(out.slice(out.lastIndexOf('\x1b[2Kseqrun') - 4).startsWith('\x1b[5F')).toBe(true);
    for (const e of events.slice(6)) r.onEvent(e);
    r.close();
    const last = out.slice(out.lastIndexOf('\x1b[2Kseqrun'));
    expect(last).toContain('run failed in 1.7 s');
    expect(last).not.toContain('stopping:');
  });

  it('lists the steps that passed before a resume as passed', () => {
    let out = '';
    const history: RunEvent[] = [
      events[0] as RunEvent,
      { ...base, type: 'step-finished', stepId: 's1', status: 'failed', attempt: 1, durationMs: 5, error: { message: 'x' } },
      { ...base, type: 'step-finished', stepId: 's2', status: 'passed', attempt: 1, durationMs: 1200 },
    ];
    const r = new LiveReporter(meta, (t) => (out += t), { noColor: true, rows: 40, tickMs: 60_000, minRedrawMs: 0, history });
    r.onEvent({ ...base, type: 'run-resumed', pid: 2 });
    r.close();
    const last = out.slice(out.lastIndexOf('\x1b[2Kseqrun'));
    expect(last).toContain('s2   ✓ AWS-->CI: Success  1.2 s  before the resume');
    expect(last).toContain('s1   · CI->CI: Compile'); // failed before: the resume runs it again
  });

  it('shows a window around the steps in progress on a short terminal, and every step at the end', () => {
    let out = '';
    const steps = Array.from({ length: 30 }, (_, i) => ({
      id: `s${i}`,
      kind: 'note' as const,
      label: `Note over CI: step ${i}`,
      line: i + 1,
      column: 1,
    }));
    const r = new LiveReporter({ ...meta, steps }, (t) => (out += t), { noColor: true, rows: 10, tickMs: 60_000, minRedrawMs: 0 });
    r.onEvent(events[0] as RunEvent);
    for (let i = 0; i < 20; i++) r.onEvent({ ...base, type: 'step-started', stepId: `s${i}`, attempt: 1 });
    const frame = out.slice(out.lastIndexOf('\x1b[2Kseqrun'));
    expect(frame).toContain('step 19');
    expect(frame).toContain('step 20');
    expect(frame).not.toMatch(/: step 3\s/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(10);
    r.close();
    const last = out.slice(out.lastIndexOf('\x1b[2Kseqrun'));
    expect(last).toMatch(/: step 0\s/);
    expect(last).toContain('step 29\n');
  });
});

describe('hooks and log lines in the reports', () => {
  const hook = { ...base, hookId: 'h0', hook: 'after-run', name: 'Clean up' } as const;
  const withHooks: RunEvent[] = [
    events[0] as RunEvent,
    { ...base, type: 'step-started', stepId: 's1', attempt: 1 },
    { ...base, type: 'log', stepId: 's1', level: 'info', message: 'compiling\nstill \u001b[2Jcompiling' },
    { ...base, type: 'step-finished', stepId: 's1', status: 'failed', attempt: 1, durationMs: 5, error: { message: 'x' } },
    { ...base, type: 'hook-started', hookRun: 'h1:s1', hookId: 'h1', hook: 'on-failure', name: 'Page', failedStep: 's1' },
    {
      ...base,
      type: 'hook-finished',
      hookRun: 'h1:s1',
      hookId: 'h1',
      hook: 'on-failure',
      name: 'Page',
      failedStep: 's1',
      status: 'passed',
      durationMs: 3,
    },
    { ...base, type: 'hook-started', hookRun: 'h0', ...hook },
    { ...base, type: 'log', stepId: 'h0', level: 'warn', message: 'bucket gone' },
    { ...base, type: 'hook-finished', hookRun: 'h0', ...hook, status: 'failed', durationMs: 7, error: { message: 'no <bucket>' } },
    { ...base, type: 'run-finished', status: 'failed', durationMs: 20, failedStepId: 's1' },
  ];

  it('plain: hooks as hooks (not steps), log lines under their step or hook id, line by line, controls escaped', () => {
    let out = '';
    const r = new PlainReporter(meta, (t) => (out += t));
    for (const e of withHooks) r.onEvent(e);
    expect(out.split('\n').slice(1, 10)).toEqual([
      'start [s1] CI->CI: Compile',
      '  s1 │ compiling',
      '  s1 │ still \\e[2Jcompiling',
      'failed [s1] CI->CI: Compile at specs/x.seq:2:1: x',
      'start hook [h1] on failure of s1: Page',
      'passed hook [h1] on failure of s1: Page (3 ms)',
      'start hook [h0] after run: Clean up',
      '  h0 │ warn: bucket gone',
      'failed hook [h0] after run: Clean up: no <bucket>',
    ]);
  });

  it('live: log lines and finished hooks are written above the list, which is redrawn under them', () => {
    let out = '';
    const r = new LiveReporter(meta, (t) => (out += t), { noColor: true, rows: 40, tickMs: 60_000, minRedrawMs: 0 });
    for (const e of withHooks) r.onEvent(e);
    r.close();
    // The list (header and 3 steps) is cleared, the log lines written where it was, the list drawn again.
    expect(out).toContain('\x1b[4F\x1b[0J\x1b[2K  s1 │ compiling\n\x1b[2K  s1 │ still \\e[2Jcompiling\n\x1b[2Kseqrun run r1');
    expect(out).toContain('\x1b[2K✓ hook [h1] on failure of s1: Page  3 ms\n');
    expect(out).toContain('\x1b[2K  h0 │ warn: bucket gone\n');
    expect(out).toContain('\x1b[2K✗ hook [h0] after run: Clean up  — no <bucket>\n');
    // eslint-disable-next-line no-control-regex -- the list's own escape sequences
    const text = out.replace(/\u001b\[(\?25[lh]|\d+F|2K|0J)/g, '');
    expect(escapeControls(text)).toBe(text);
  });

  it('junit: each hook run a test case of its own; a resumed run marked by a property', () => {
    const xml = junitXml(meta, [...withHooks, { ...base, type: 'run-resumed', pid: 2 }]);
    expect(xml).toContain('<testsuites name="seqrun" tests="5" failures="2" errors="0"');
    expect(xml).toContain('<testcase name="h1 hook on failure of s1: Page" classname="specs/x.seq hooks" time="0.003"/>');
    expect(xml).toContain(
      '<testcase name="h0 hook after run: Clean up" classname="specs/x.seq hooks" time="0.007">\n      <failure message="no &lt;bucket&gt;" type="Error">no &lt;bucket&gt;</failure>',
    );
    expect(xml).toContain('<properties>\n      <property name="seqrun.resumed" value="true"/>\n    </properties>');
    expect(junitXml(meta, withHooks)).not.toContain('seqrun.resumed');
  });
});
