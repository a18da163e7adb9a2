import { describe, expect, it } from 'vitest';
import { looksSecret, maskNamedVars, Redactor } from './redact.ts';

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
    r.addNamed({ GITHUB_TOKEN: 'ghp_123456', DB_PASSWORD: 'pw', AWS_SECRET_ACCESS_KEY: 'wJalrXUt', HOME: '/root', AUTHOR: 'alice' });
    expect(r.text('ghp_123456 pw wJalrXUt /root alice')).toBe('*** pw *** /root alice');
  });
  it('returns the same value untouched when there is nothing to mask', () => {
    const value = { a: 'b' };
    expect(new Redactor().value(value)).toBe(value);
  });
  it('recognises secret names', () => {
    expect(['NPM_TOKEN', 'api_key', 'api-key', 'APIKEY', 'SSH_KEY', 'password', 'slack_secret', 'X_AUTH'].every(looksSecret)).toBe(true);
    expect(['KEYBOARD', 'MONKEY_BUSINESS', 'AUTHOR', 'region', 'workdir'].some(looksSecret)).toBe(false);
  });
  it('masks secret-looking vars outright for the run-started event', () => {
    expect(maskNamedVars({ API_TOKEN: 'x', branch: 'main' })).toEqual({ API_TOKEN: '***', branch: 'main' });
  });
});
