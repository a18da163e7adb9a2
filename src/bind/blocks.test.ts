// The plan tree of mermaid's blocks, their label bindings, activations and arrows (hand-built ASTs).
import { describe, expect, test } from 'vitest';
import { activation, block, mermaidDiagram, msg, note, reply } from '../../test/fixtures/run/blocks.ts';
import { diagramHash } from '../ast/meaning.ts';
import { defineSteps } from './define.ts';
import { bind, unusedHandlers } from './plan.ts';
import { createRegistry } from './registry.ts';

const steps = defineSteps((s) => {
  s.call('Build {word}', () => undefined);
  s.job('Run E2E', { start: async () => 'h', wait: async () => 'ok' });
  s.call('Notify Slack', () => undefined);
  s.loop('for each app in {word}', { maxIterations: 5 }, () => ['a', 'b']);
  s.condition('E2E enabled', () => true);
  s.condition('the tests failed', () => true);
  s.reply('Refused', () => undefined);
});
const { registry } = createRegistry({ modules: [steps] });

describe('bind: the plan tree of a mermaid diagram', () => {
  test('par, loop, alt with a default else, critical with an option, break: nodes by step index, labels bound', () => {
    const diagram = mermaidDiagram([
      block('par', [
        ['par', 'ARM', [msg('CI', 'AWS', 'Build ARM')]],
        ['and', 'x86', [msg('CI', 'AWS', 'Build x86')]],
      ]),
      block('loop', [['loop', 'for each app in apps', [block('rect', [['rect', 'rgb(0,0,0)', [msg('CI', 'AWS', 'Build app')]]])]]]),
      block('alt', [
        ['alt', 'E2E enabled', [msg('CI', 'AWS', 'Run E2E'), reply('AWS', 'CI', 'Success')]],
        ['else', '', [msg('CI', 'Slack', 'Notify Slack')]],
      ]),
      block('critical', [
        ['critical', 'E2E', [msg('CI', 'AWS', 'Build e2e')]],
        ['option', 'the tests failed', [msg('CI', 'Slack', 'Notify Slack')]],
      ]),
      block('break', [['break', 'E2E enabled', [msg('CI', 'Slack', 'Notify Slack')]]]),
    ]);
    const plan = bind(diagram, registry);
    expect(plan.diagnostics).toEqual([]);
    const summary = JSON.parse(
      JSON.stringify(plan.tree, (key, value: unknown) =>
        key === 'binding' ? ((value as { status?: string } | null)?.status ?? null) : value,
      ),
    ) as unknown;
    const at = (line: number) => ({ start: { line, column: 1, offset: line * 100 }, end: { line, column: 20, offset: line * 100 + 19 } });
    const label = (text: string, line: number, binding: string | null) => ({ text, span: at(line), binding });
    expect(summary).toEqual([
      {
        id: 'b0',
        span: at(2),
        endSpan: at(6),
        kind: 'par',
        branches: [
          { label: label('ARM', 2, null), body: [{ kind: 'step', index: 0 }] },
          { label: label('x86', 4, null), body: [{ kind: 'step', index: 1 }] },
        ],
      },
      {
        id: 'b1',
        span: at(7),
        endSpan: at(11),
        kind: 'loop',
        label: label('for each app in apps', 7, 'bound'),
        maxIterations: 5,
        body: [{ kind: 'step', index: 2 }],
      },
      {
        id: 'b2',
        span: at(12),
        endSpan: at(17),
        kind: 'alt',
        branches: [
          {
            label: label('E2E enabled', 12, 'bound'),
            body: [
              { kind: 'step', index: 3 },
              { kind: 'step', index: 4 },
            ],
          },
          { label: label('', 15, null), body: [{ kind: 'step', index: 5 }] },
        ],
      },
      {
        id: 'b3',
        span: at(18),
        endSpan: at(22),
        kind: 'critical',
        body: { label: label('E2E', 18, null), body: [{ kind: 'step', index: 6 }] },
        options: [{ label: label('the tests failed', 20, 'bound'), body: [{ kind: 'step', index: 7 }] }],
      },
      {
        id: 'b4',
        span: at(23),
        endSpan: at(25),
        kind: 'break',
        branch: { label: label('E2E enabled', 23, 'bound'), body: [{ kind: 'step', index: 8 }] },
      },
    ]);
    expect(plan.steps.map((s) => s.id)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']);
    expect(unusedHandlers([plan], registry).map((h) => h.expression)).toEqual(['Refused']);
  });

  test('an undefined and an ambiguous block label: errors at the label with a snippet and the candidates', () => {
    const twice = defineSteps((s) => {
      s.condition('deploy to {word}', () => true);
      s.condition('deploy to prod', () => true);
    });
    const { registry: both } = createRegistry({ modules: [twice] });
    const plan = bind(
      mermaidDiagram([block('opt', [['opt', 'deploy to prod', []]]), block('loop', [['loop', 'every 5 minutes', []]])]),
      both,
    );
    expect(plan.diagnostics.map((d) => [d.code, d.span?.start.line, d.span?.start.column])).toEqual([
      ['SEQ331', 2, 1],
      ['SEQ330', 4, 1],
    ]);
    expect(plan.diagnostics[0]?.message).toContain('Ambiguous condition: "deploy to prod" matches 2 handlers:');
    expect(plan.diagnostics[1]?.message).toBe('Undefined loop: "every 5 minutes".');
    expect(plan.diagnostics[1]?.hint).toContain("s.loop('every {int} minutes', async (_ctx, int: number) => {");
  });

  test('activations pair a reply with its call without inference; a deactivation with nothing active is an error', () => {
    const plan = bind(
      mermaidDiagram([
        msg('CI', 'AWS', 'Run E2E', 'solid', 'activate-target'),
        msg('CI', 'AWS', 'Build one'),
        note('CI', 'Notify Slack'),
        reply('AWS', 'CI', 'Success', 'deactivate-source'),
        activation('deactivate', 'AWS'),
      ]),
      registry,
    );
    expect(plan.steps[3]?.answers).toBe(0);
    expect(plan.steps[0]?.joinedAt).toBe(3);
    expect(plan.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([
      ['SEQ301', 4],
      ['SEQ332', 6],
    ]);
    expect(plan.diagnostics[1]?.message).toBe('Nothing is active on "AWS" here: this deactivation closes nothing.');
  });

  test('activate/deactivate statements pair the call before and the reply before', () => {
    const plan = bind(
      mermaidDiagram([
        msg('CI', 'AWS', 'Run E2E'),
        activation('activate', 'AWS'),
        msg('CI', 'Slack', 'Notify Slack'),
        reply('AWS', 'CI', 'Success'),
        activation('deactivate', 'AWS'),
      ]),
      registry,
    );
    expect(plan.diagnostics).toEqual([]);
    expect(plan.steps[2]?.answers).toBe(0);
  });

  test('-x is refused, <<->> is a call, -) bound to a sync handler is an error', () => {
    const plan = bind(
      mermaidDiagram([
        msg('CI', 'AWS', 'Build it', 'solid-cross'),
        msg('AWS', 'CI', 'Refused', 'dotted-cross'),
        msg('CI', 'AWS', 'Build both', 'bidirectional-solid'),
        msg('CI', 'AWS', 'Build later', 'solid-async'),
        msg('CI', 'AWS', 'Run E2E', 'solid-async'),
      ]),
      registry,
    );
    expect(plan.steps.map((s) => [s.kind, s.refused ?? false, s.mode ?? null])).toEqual([
      ['call', true, 'sync'],
      ['reply', true, null],
      ['call', false, 'sync'],
      ['call', false, 'sync'],
      ['call', false, 'job'],
    ]);
    expect(plan.diagnostics.map((d) => [d.code, d.severity, d.span?.start.line])).toEqual([
      ['SEQ333', 'error', 5],
      ['SEQ304', 'warning', 6],
    ]);
  });

  test('a js-sequence diagram has no tree: it runs as its flat list of steps', () => {
    const diagram = { ...mermaidDiagram([msg('CI', 'AWS', 'Build it')]), dialect: 'sequence' as const };
    expect(bind(diagram, registry).tree).toBeUndefined();
  });
});

describe('the meaning hash of a mermaid diagram', () => {
  test('changes when a step moves into a block; the same diagram hashes the same', () => {
    const flat = mermaidDiagram([msg('CI', 'AWS', 'Build it'), msg('CI', 'AWS', 'Build that')]);
    const looped = mermaidDiagram([
      block('loop', [['loop', 'for each app in apps', [msg('CI', 'AWS', 'Build it')]]]),
      msg('CI', 'AWS', 'Build that'),
    ]);
    expect(diagramHash(looped)).not.toBe(diagramHash(flat));
    expect(diagramHash(mermaidDiagram([msg('CI', 'AWS', 'Build it'), msg('CI', 'AWS', 'Build that')]))).toBe(diagramHash(flat));
  });
});
