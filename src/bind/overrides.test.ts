import { expect, test } from 'vitest';
import { parseText } from '../syntax/index.ts';
import { emptyConfig } from './config.ts';
import { defineSteps } from './define.ts';
import { unusedOverrideDiagnostics, unusedOverrides } from './overrides.ts';
import { bind } from './plan.ts';
import { createRegistry } from './registry.ts';

test('step overrides that address no step are warnings at their line of the config', () => {
  const [diagram] = parseText('A->B: Deploy\nA->B: Verify', { file: '/project/specs/a.seq' }).diagrams;
  if (!diagram) throw new Error('no diagram');
  const { registry } = createRegistry({ modules: [defineSteps((s) => s.call('{word}', () => undefined))] });
  const steps = {
    Deploy: { timeoutMs: 1 },
    'specs/a.seq:2': { timeoutMs: 2 },
    Deplyo: { timeoutMs: 3 },
    'specs/a.seq:9': { timeoutMs: 4 },
  };
  const config = { ...emptyConfig('/project'), steps };
  const plan = bind(diagram, registry, config);
  expect(plan.steps.map((s) => s.options)).toEqual([{ timeoutMs: 1 }, { timeoutMs: 2 }]);
  const unused = unusedOverrides([plan], config);
  expect(unused).toEqual(['Deplyo', 'specs/a.seq:9']);
  const text = "export default {\n  steps: {\n    Deplyo: { timeoutMs: 3 },\n    'specs/a.seq:9': { timeoutMs: 4 },\n  },\n};\n";
  expect(
    unusedOverrideDiagnostics(unused, '/project/seqrun.config.ts', text).map((d) => [
      d.code,
      d.severity,
      d.span?.start.line,
      d.span?.start.column,
    ]),
  ).toEqual([
    ['SEQ319', 'warning', 3, 5],
    ['SEQ319', 'warning', 4, 6],
  ]);
});
