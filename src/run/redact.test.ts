import { describe, expect, it } from 'vitest';
import { looksSecret, Redactor, runRedactor } from './redact.ts';

describe('Redactor', () => {
  it('masks registered values everywhere in a JSON-like value, longest first', () => {
    const r = new Redactor();
    r.add('abc');
    r.add('abcdef');
    expect(r.value({ a: 'x abcdef y abc', list: ['abc', 1, null], nested: { deep: 'abcabc' } })).toEqual({
      a: 'x *** y ***',
      list: ['***', 1, null],
      nested: { deep: '******' },
    });
  });
  it('registers values of secret-looking names, but not short ones nor ordinary names', () => {
    const r = new Redactor();
    r.addNamed({ GITHUB_TOKEN: 'tok-123456', DB_PASSWORD: 'pw', AWS_SECRET_ACCESS_KEY: 'wJalrXUt', HOME: '/root', AUTHOR: 'alice' });
    expect(r.text('tok-123456 pw wJalrXUt /root alice')).toBe('*** pw *** /root alice');
  });
  it('registers the values of names the config declares secret', () => {
    const r = runRedactor({ releaseNote: 'ship it quietly', app: 'frontend' }, { DEPLOY_APPROVAL: 'approved-by-alice' }, [
      'releaseNote',
      'DEPLOY_APPROVAL',
    ]);
    expect(r.text('note: ship it quietly, approval approved-by-alice, app frontend')).toBe('note: ***, approval ***, app frontend');
  });
  it('masks a secret also where it is written as JSON or percent-encoded', () => {
    const r = new Redactor();
    r.add('p"a/ss word');
    expect(r.text('{"pw":"p\\"a/ss word"} https://x/?pw=p%22a%2Fss%20word')).toBe('{"pw":"***"} https://x/?pw=***');
  });
  it('journals a var in clear or not at all: secret names, declared names and values with a credential shape', () => {
    const r = runRedactor({}, {}, ['releaseNote']);
    const vars = { API_TOKEN: 'x', releaseNote: 'n', mirror: 'https://ci:pw@mirror.example.org', branch: 'main' };
    expect(r.vars(vars)).toEqual({ API_TOKEN: '***', releaseNote: '***', mirror: '***', branch: 'main' });
  });
  it('never passes on unmasked what is nested too deep to walk (or a cycle)', () => {
    const cycle: Record<string, unknown> = { token: 'xoxb-1234567890-abcdefghij' };
    cycle['self'] = cycle;
    expect(JSON.stringify(new Redactor().value(cycle))).not.toContain('xoxb');
  });
  it('leaves text without secrets as it was', () => {
    const value = { a: 'deploy pay-frontend 42', url: 'https://github.com/alphagov/pay-frontend.git', ref: 'docker://pay-demo@sha256:abc' };
    expect(new Redactor().value(value)).toEqual(value);
  });
});

describe('looksSecret', () => {
  it('recognises secret names, whatever their case and separators', () => {
    const secret = [
      'NPM_TOKEN',
      'api_key',
      'api-key',
      'APIKEY',
      'SSH_KEY',
      'password',
      'slack_secret',
      'X_AUTH',
      'DB_PASS',
      'dbPass',
      'DB_PWD',
      'SLACK_WEBHOOK',
      'slackWebhookUrl',
      'GIT_CREDENTIALS',
      'awsCreds',
      'authToken',
      'SESSION_COOKIE',
      'sessionId',
      'PRIVATE_KEY_PEM',
      'SENTRY_DSN',
      'DB_CONNECTION_STRING',
      'connectionString',
      'CONN_STR',
    ];
    expect(secret.filter((name) => !looksSecret(name))).toEqual([]);
  });
  it('leaves ordinary names, and shell variables that only look secret', () => {
    const ordinary = [
      'KEYBOARD',
      'MONKEY_BUSINESS',
      'AUTHOR',
      'region',
      'workdir',
      'COMPASS',
      'BYPASS_CACHE',
      'PASSED_STEPS',
      'possession',
      'PWD',
      'OLDPWD',
      'SSH_AUTH_SOCK',
      'XDG_SESSION_TYPE',
    ];
    expect(ordinary.filter(looksSecret)).toEqual([]);
  });
});
