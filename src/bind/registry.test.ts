import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { defineParameterType, defineSteps } from './define.ts';
import { regexpPrefix } from './lookup.ts';
import { createRegistry, type HandlerMatch } from './registry.ts';
import type { StepKind } from './types.ts';

describe('registry: bad registrations are diagnostics at their file and line', () => {
  test('an expression that does not compile', () => {
    const module = defineSteps((s) => {
      s.call('Trigger CodeBuild {arch}', () => undefined);
      s.call('Fine', () => undefined);
    });
    const { registry, diagnostics } = createRegistry({ modules: [module] });
    expect(registry.handlers.map((h) => h.expression)).toEqual(['Fine']);
    expect(diagnostics.map((d) => [d.code, d.file, d.span?.start.line])).toEqual([
      ['SEQ316', import.meta.filename, module.registrations[0]?.source.line],
    ]);
    expect(diagnostics[0]?.message).toContain('Undefined parameter type');
  });

  test('a duplicate parameter type names both places', () => {
    const first = defineSteps((s) => s.parameterType({ name: 'arch', regexp: /x86|ARM/ }));
    const second = defineSteps((s) => s.parameterType({ name: 'arch', regexp: /arm64/ }));
    const builtin = defineSteps((s) => s.parameterType({ name: 'int', regexp: /\d+/ }));
    const { diagnostics } = createRegistry({ modules: [first, second, builtin] });
    const [a, b] = [first, second].map((m) => m.parameterTypes[0]?.source.line);
    expect(diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([
      ['SEQ315', b],
      ['SEQ315', builtin.parameterTypes[0]?.source.line],
    ]);
    expect(diagnostics[0]?.message).toBe(`Parameter type {arch} is defined twice: already defined at ${import.meta.filename}:${a}.`);
    expect(diagnostics[1]?.message).toContain('a built-in parameter type');
  });

  test('wrong options and missing handlers', () => {
    const module = defineSteps((s) => {
      s.note('Slack notification', { from: 'Pay CI' } as never, () => undefined);
      s.job('Trigger', { start: async () => 1 } as never);
      s.call('No handler', {}, undefined as never);
    });
    const { registry, diagnostics } = createRegistry({ modules: [module] });
    expect(registry.handlers).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['SEQ318', "Unknown option 'from' for s.note(); it takes over, timeoutMs, retry."],
      ['SEQ318', 's.job() needs an object with start(ctx, ...args) and wait(ctx, handle) functions.'],
      ['SEQ318', 's.call() needs a handler function last.'],
    ]);
    expect(new Set(diagnostics.map((d) => d.file))).toEqual(new Set([import.meta.filename]));
  });
});

describe('registry: the index finds exactly what trying every handler finds', () => {
  const words = ['Push', 'Build', 'Trigger', 'Fetch', 'Note', 'x'];
  const word = fc.constantFrom(...words, '{int}', '{word}', '(s)', 'a/b', '\\(x86\\)', '{string}', '{float}', '{arch}', '');
  const expression = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));
  const kind = fc.constantFrom<StepKind>('call', 'reply', 'note', 'expect');
  const who = fc.constantFrom(undefined, 'A', 'B');
  const handler = fc.record({
    kind,
    expression: fc.oneof(expression, fc.constantFrom(/^Push/, /^Build pro?ject/, /Fetch/, /^x|Note/, /^B[a-z]+d/i)),
    from: who,
    to: who,
    over: who,
  });
  const text = fc
    .array(fc.constantFrom(...words, '5', '-2.5', 'project', 'a', 'b', '(x86)', '(ARM, x86)', 'arm64', '"q"', "'it'", 's', ''), {
      minLength: 1,
      maxLength: 4,
    })
    .map((ws) => ws.join(' '));

  test('for random handlers and steps', () => {
    fc.assert(
      fc.property(
        fc.array(handler, { maxLength: 25 }),
        fc.array(fc.record({ kind, text, from: who, to: who }), { maxLength: 20 }),
        (handlers, steps) => {
          const module = defineSteps((s) => {
            s.parameterType({ name: 'arch', regexp: [/\((x86|ARM)(?:, (x86|ARM))?\)/, /arm64/], transformer: (a, b) => [a, b] });
            for (const h of handlers) {
              const between = { ...(h.from ? { from: h.from } : {}), ...(h.to ? { to: h.to } : {}) };
              const over = h.over ? { over: h.over } : {};
              if (h.kind === 'call' || h.kind === 'reply') s[h.kind](h.expression, between, () => undefined);
              else s[h.kind](h.expression, over, () => undefined);
            }
          });
          const { registry } = createRegistry({ modules: [module] });
          for (const step of steps) {
            const participants = { from: step.from ? [step.from] : [], to: step.to ? [step.to] : [], over: [step.from ?? 'C'] };
            const found = (matches: readonly HandlerMatch[]) =>
              matches.map((m) => [m.handler, m.arguments.map((a) => a.getValue<unknown>(null))]);
            const indexed = found(registry.match(step.kind, participants, step.text));
            const naive = found(registry.matchNaive(step.kind, participants, step.text));
            expect(indexed).toEqual(naive);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('an ambiguous step lists its handlers in registration order, whatever their trie depth', () => {
    // The deeper prefix ("Push x") is registered first; the trie yields the shallower one ("Push ") first.
    const module = defineSteps((s) => {
      s.call('Push x', () => undefined);
      s.call('Push {word}', () => undefined);
      s.call('Push', () => undefined);
      s.call('{word} x', () => undefined);
    });
    const { registry } = createRegistry({ modules: [module] });
    const expressions = (matches: readonly HandlerMatch[]) => matches.map((m) => String(m.handler.expression));
    const participants = { from: ['A'], to: ['B'] };
    expect(expressions(registry.match('call', participants, 'Push x'))).toEqual(['Push x', 'Push {word}', '{word} x']);
    expect(expressions(registry.match('call', participants, 'Push x'))).toEqual(
      expressions(registry.matchNaive('call', participants, 'Push x')),
    );
  });

  test('literal prefixes of regexps are conservative', () => {
    expect([/^Push /, /^Build pro?ject/, /^Fetch*x/, /Fetch/, /^a|b/, /^Push/i, /^Deploy\./].map(regexpPrefix)).toEqual([
      'Push ',
      'Build pr',
      'Fetc',
      '',
      '',
      '',
      'Deploy',
    ]);
  });
});

describe('registry: arguments', () => {
  test('the native matcher gives exactly the arguments cucumber-expressions gives', async () => {
    const { CucumberExpression, ParameterTypeRegistry, ParameterType } = await import('@cucumber/cucumber-expressions');
    const arch = {
      name: 'arch',
      regexp: [/\((x86|ARM)(?:, (x86|ARM))?\)/, /arm64/],
      transformer: (a: string, b?: string) => [a, b ?? null],
    };
    const cases: [string, string][] = [
      ['Push {int} tags to {word} {arch} in {float}s', 'Push 3 tags to ECR (ARM, x86) in 1.5s'],
      ['Push {int} tags to {word} {arch} in {float}s', 'Push -1 tags to hub arm64 in .5s'],
      ['Say {string} and {string}', `Say "a 'b'" and 'c "d"'`],
      ['Take copy/copies of {}', 'Take copies of anything at all'],
      ['{word} cop(ie)s of {} at all', 'Take copies of anything at all'],
      ['Build {word} \\(x86\\)', 'Build project (x86)'],
    ];
    const module = defineSteps((s) => {
      s.parameterType(arch);
      for (const [expression] of new Map(cases)) s.note(expression, () => undefined);
    });
    const { registry } = createRegistry({ modules: [module] });
    const reference = new ParameterTypeRegistry();
    reference.defineParameterType(new ParameterType('arch', arch.regexp, null, arch.transformer, true, false));
    for (const [expression, text] of cases) {
      const expected = new CucumberExpression(expression, reference).match(text)?.map((a) => a.getValue<unknown>(null));
      const found = registry.match('note', {}, text).filter((m) => m.handler.expression === expression);
      expect(expected, `${expression} on ${text}`).toBeDefined();
      expect(
        found.map((m) => m.arguments.map((a) => a.getValue<unknown>(null))),
        `${expression} on ${text}`,
      ).toEqual([expected]);
      expect(
        found.map((m) => m.values()),
        `${expression} on ${text}`,
      ).toEqual([expected]);
      expect(found[0]?.arguments.map((a) => [a.group.start, a.group.end])).toEqual(
        new CucumberExpression(expression, reference).match(text)?.map((a) => [a.group.start, a.group.end]),
      );
    }
  });
});

describe('registry: parameter types from the config', () => {
  test('are defined before those of the modules and recorded where they were written', () => {
    const env = {
      ...defineParameterType({ name: 'env', regexp: /test|production/ }),
      source: { file: 'seqrun.config.ts', line: 4, column: 3 },
    };
    const module = defineSteps((s) => {
      s.defineParameterType({ name: 'arch', regexp: /x86|ARM/ });
      s.call('Deploy {arch} to {env}', () => undefined);
    });
    const { registry, diagnostics } = createRegistry({ modules: [module], parameterTypes: [env] });
    expect(diagnostics).toEqual([]);
    expect(registry.parameterTypes.map((p) => [p.name, p.source.file])).toEqual([
      ['env', 'seqrun.config.ts'],
      ['arch', import.meta.filename],
    ]);
    expect(registry.match('call', {}, 'Deploy ARM to production').map((m) => m.arguments.map((a) => a.getValue<unknown>(null)))).toEqual([
      ['ARM', 'production'],
    ]);
  });
});
