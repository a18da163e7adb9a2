// `seqrun plan`'s tree of a mermaid diagram's blocks, text and JSON (hand-built AST, real bind).
import { expect, test } from 'vitest';
import { block, mermaidDiagram, msg } from '../../../test/fixtures/run/blocks.ts';
import { defineSteps } from '../../bind/define.ts';
import { bind } from '../../bind/plan.ts';
import { createRegistry } from '../../bind/registry.ts';
import { planTreeJson, planTreeText } from './plan-tree.ts';

const module = defineSteps((s) => {
  s.call('Build {word}', () => undefined);
  s.loop('for each app', () => ['a']);
  s.condition('E2E enabled', () => true);
});
const { registry } = createRegistry({ modules: [module] });
const line = module.registrations.map((r) => r.source.line);
const file = 'src/cli/commands/plan-tree.test.ts';
const plan = bind(
  mermaidDiagram([
    block('par', [
      ['par', 'ARM', [msg('CI', 'AWS', 'Build ARM')]],
      ['and', 'x86', [msg('CI', 'AWS', 'Build x86')]],
    ]),
    block('loop', [['loop', 'for each app', [block('opt', [['opt', 'E2E enabled', [msg('CI', 'AWS', 'Build e2e')]]])]]]),
    block('critical', [
      ['critical', 'E2E', [msg('CI', 'AWS', 'Build e2e')]],
      ['option', '', [msg('CI', 'AWS', 'Build fix')]],
    ]),
  ]),
  registry,
);

test('the text shows each block, its bound label and its steps, indented', () => {
  expect(planTreeText(plan, process.cwd())).toBe(
    [
      '',
      'Blocks (how the steps run):',
      '  line 2 par (b0, concurrent branches) ARM',
      '    s0 line 3 call Build ARM',
      '  line 4 and x86',
      '    s1 line 5 call Build x86',
      '  line 6 end',
      `  line 7 loop (b1, at most 1000 iterations) for each app -> loop ${file}:${line[1]}`,
      `    line 8 opt (b2) E2E enabled -> condition ${file}:${line[2]}`,
      '      s2 line 9 call Build e2e',
      '    line 10 end',
      '  line 11 end',
      '  line 12 critical (b3) E2E',
      '    s3 line 13 call Build e2e',
      '  line 14 option (any error)',
      '    s4 line 15 call Build fix',
      '  line 16 end',
      '',
    ].join('\n'),
  );
});

test('the JSON holds the same tree with step ids', () => {
  expect(planTreeJson(plan, process.cwd())?.[1]).toEqual({
    kind: 'loop',
    id: 'b1',
    line: 7,
    endLine: 11,
    label: { line: 7, text: 'for each app', binding: `loop ${file}:${line[1]}` },
    maxIterations: 1000,
    body: [
      {
        kind: 'opt',
        id: 'b2',
        line: 8,
        endLine: 10,
        branches: [
          { label: { line: 8, text: 'E2E enabled', binding: `condition ${file}:${line[2]}` }, body: [{ kind: 'step', id: 's2' }] },
        ],
      },
    ],
  });
});
