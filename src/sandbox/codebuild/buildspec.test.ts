import { describe, expect, it } from 'vitest';
import { parseBuildspec } from './buildspec.ts';
import { phaseScript } from './phase-script.ts';

describe('parseBuildspec', () => {
  it('reads env variables and the four phases with commands and finally', () => {
    const spec = parseBuildspec(
      'version: 0.2\nenv:\n  variables:\n    N: 42\n    S: x\nphases:\n  install:\n    commands: [a]\n  build:\n    commands:\n      - b\n      - c\n    finally:\n      - d\n',
    );
    expect(spec).toEqual({
      variables: { N: '42', S: 'x' },
      phases: { install: { commands: ['a'], finally: [] }, build: { commands: ['b', 'c'], finally: ['d'] } },
    });
  });

  it('refuses other versions and malformed phases with the place to fix', () => {
    expect(() => parseBuildspec('version: 0.1\nphases: {}\n')).toThrow('buildspec.yml: version must be 0.2 (found 0.1)');
    expect(() => parseBuildspec('version: 0.2\nphases:\n  build:\n    commands: echo\n')).toThrow(
      'buildspec.yml: phases.build.commands must be a list of commands',
    );
    expect(() => parseBuildspec('version: 0.2\nphases:\n  build:\n    commands:\n      - {a: 1}\n')).toThrow(
      'every command must be a string',
    );
    expect(() => parseBuildspec(': :\n  - [')).toThrow(/not valid YAML/);
  });
});

describe('phaseScript', () => {
  it('quotes command text so that it is echoed, not interpreted, in the Running command line', () => {
    const script = phaseScript(["echo 'it''s' $(whoami)"], '/tmp/x env');
    expect(script).toContain(`printf '%s\\n' '[Container] Running command echo '\\''it'\\'''\\''s'\\'' $(whoami)'`);
    expect(script).toContain(`export -p > '/tmp/x env'`);
  });
});
