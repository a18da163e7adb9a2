import { describe, expect, it } from 'vitest';
import type { VarsConfig } from '../bind/inputs.ts';
import { runRedactor } from '../run/redact.ts';
import { executionInputs, refusal, secretVars, splitInputs, workerVars } from './stepfunctions-vars.ts';

const config: VarsConfig = {
  secrets: ['releaseNote'],
  vars: {
    release: { description: 'the release number', required: true, pattern: '\\d+' },
    channel: { default: '#releases' },
    deployKey: { required: true, secret: true },
    DB_PASSWORD: { pattern: '[a-z0-9-]+' },
    mirror: { default: 'https://ci:planted-pw@mirror.example.org' },
    signingKeyId: { default: 'k-1', secret: true },
  },
};

/** The run's redactor as prepareRun builds it: the config's secrets declared, the environment's secret values known. */
const redactorOf = (given: Record<string, string>, env: Record<string, string> = {}) =>
  runRedactor(given, env, ['releaseNote', 'deployKey', 'signingKeyId']);

describe('the vars a Step Functions execution input must not carry', () => {
  it('refuses a var by its name, by the config, or by a value holding a credential or a known secret', () => {
    const env = { GITHUB_TOKEN: 'planted-env-token-1234' };
    const given = {
      release: '42',
      DB_PASSWORD: 'hunter2-pw',
      dbPass: 'x',
      API_TOKEN: '',
      releaseNote: 'ship it quietly',
      deployKey: 'k',
      mirror: 'https://ci:planted-pw@mirror.example.org',
      note: 'ghp_PlantedGitHubToken0123456789abcdefXYZ',
      clone: 'https://x-access-token:planted-env-token-1234@github.com/a/b',
      branch: 'main',
      PWD: '/work',
      keyboard: 'qwerty',
    };
    expect(secretVars(given, redactorOf(given, env))).toEqual([
      { name: 'DB_PASSWORD', why: 'name' },
      { name: 'dbPass', why: 'name' },
      { name: 'API_TOKEN', why: 'name' },
      { name: 'releaseNote', why: 'name' },
      { name: 'deployKey', why: 'name' },
      { name: 'mirror', why: 'value' },
      { name: 'note', why: 'value' },
      { name: 'clone', why: 'value' },
    ]);
  });

  it('says which var, never its value, and where to give it instead', () => {
    expect(refusal({ name: 'DB_PASSWORD', why: 'name' })).toBe(
      "--var DB_PASSWORD is secret, and Step Functions keeps an execution's input in its history: give it to the workers instead (seqrun worker --engine stepfunctions --var DB_PASSWORD=..., or their environment)",
    );
    expect(refusal({ name: 'mirror', why: 'value' })).toMatch(/^--var mirror holds a credential, and Step Functions keeps /);
  });
});

describe('the declared inputs, between the run and its workers', () => {
  it('leaves the secret ones (by name, by the config, by a default holding a credential) to the workers, marked secret', () => {
    const { run, workers } = splitInputs(config);
    expect(run).toEqual({ release: config.vars['release'], channel: config.vars['channel'] });
    expect(workers).toEqual({
      deployKey: { required: true, secret: true },
      DB_PASSWORD: { pattern: '[a-z0-9-]+', secret: true },
      mirror: { default: 'https://ci:planted-pw@mirror.example.org', secret: true },
      signingKeyId: { default: 'k-1', secret: true },
    });
  });

  it('run: the run inputs checked and filled, the workers ones neither required nor filled in', () => {
    const given = { release: '42' };
    expect(executionInputs(config, given, redactorOf(given))).toEqual({ vars: { release: '42', channel: '#releases' }, problems: [] });
  });

  it('run: a secret var given is a problem (before the inputs that do not hold), its value nowhere', () => {
    const given = { release: 'x', DB_PASSWORD: 'hunter2-pw', app: 'pay' };
    const result = executionInputs(config, given, redactorOf(given));
    expect(result.problems).toEqual([
      refusal({ name: 'DB_PASSWORD', why: 'name' }),
      `the input 'release' (the release number): "x" does not match /\\d+/`,
    ]);
    expect(result.problems.join('\n')).not.toContain('hunter2');
  });

  it('worker: its vars with the secret inputs checked and filled; the names it masks', () => {
    expect(workerVars(config, { deployKey: 'planted-deploy-key', DB_PASSWORD: 'hunter2-pw' })).toEqual({
      vars: {
        deployKey: 'planted-deploy-key',
        DB_PASSWORD: 'hunter2-pw',
        mirror: 'https://ci:planted-pw@mirror.example.org',
        signingKeyId: 'k-1',
      },
      problems: [],
      secretNames: ['releaseNote', 'deployKey', 'signingKeyId'],
    });
  });

  it('worker: a missing or malformed secret input is a problem that never quotes the value', () => {
    const { problems } = workerVars(config, { DB_PASSWORD: 'Hunter2!' });
    expect(problems).toEqual([
      "the input 'deployKey' is required: give it with --var deployKey=...",
      "the input 'DB_PASSWORD': its value does not match /[a-z0-9-]+/",
    ]);
  });
});
