import { describe, expect, test } from 'vitest';
import { commandHelp, commandShape, Declarations, parseCommand, UsageError } from './args.ts';

function check(): Declarations {
  const d = new Declarations();
  d.positional('paths', { type: 'string', array: true, default: [] })
    .option('allow-unused', { type: 'boolean', default: false, describe: 'Do not fail' })
    .option('format', { choices: ['pretty', 'json'], default: 'pretty' })
    .option('out', { alias: 'o', type: 'string' })
    .option('var', { type: 'string', array: true, default: [] })
    .option('max-errors', { type: 'number', default: 100 });
  return d;
}

describe('parseCommand', () => {
  const shape = commandShape('check [paths..]');

  test('positionals, defaults, kebab and camel keys, repeated and aliased options, numbers', () => {
    expect(
      parseCommand(shape, check(), ['a.seq', '--allow-unused', 'b.md', '--var', 'x=1', '--var=y=2', '-o', 'out.md', '--max-errors', '5']),
    ).toEqual({
      paths: ['a.seq', 'b.md'],
      'allow-unused': true,
      allowUnused: true,
      format: 'pretty',
      out: 'out.md',
      var: ['x=1', 'y=2'],
      'max-errors': 5,
      maxErrors: 5,
      verbose: false,
      help: false,
    });
  });

  test('--help wins over missing positionals and bad values', () => {
    expect(parseCommand(commandShape('plan <file>'), check(), ['--help', '--format', 'xml'])).toEqual({ help: true, verbose: false });
  });

  test('usage errors: unknown option with a suggestion, bad choice, bad number, missing and extra positionals', () => {
    const error = (argv: string[], template = 'check [paths..]') => {
      try {
        parseCommand(commandShape(template), check(), argv);
      } catch (e) {
        return e instanceof UsageError ? e.message : `not a usage error: ${String(e)}`;
      }
      return 'no error';
    };
    expect(error(['--alow-unused'])).toBe('Unknown argument: alow-unused (did you mean --allow-unused?)');
    expect(error(['--format', 'xml'])).toBe("Invalid value for --format: 'xml' (choose from 'pretty', 'json')");
    expect(error(['--max-errors', 'lots'])).toBe("--max-errors needs a number, not 'lots'");
    expect(error([], 'plan <file>')).toBe('Not enough arguments: give the file');
    expect(error(['a', 'b'], 'plan <file>')).toBe('seqrun plan takes one file, not 2 (a, b): give them one at a time');
    expect(error(['up', 'now'], 'sandbox')).toBe('Unknown argument: up now');
  });
});

test('commandHelp lists positionals and options with their types, choices and defaults', () => {
  const help = commandHelp('check [paths..]', 'Check the diagrams', check());
  expect(help).toContain('seqrun check [paths..]\n\nCheck the diagrams\n\nPositionals:\n  paths  [string list]');
  expect(help).toMatch(/--allow-unused\s+Do not fail {2}\[boolean\] {2}\[default: false\]/);
  expect(help).toMatch(/--format\s+\[choices: "pretty", "json"\] {2}\[default: "pretty"\]/);
  expect(help).toContain('--out, -o');
});
