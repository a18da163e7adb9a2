import { describe, expect, it } from 'vitest';
import { maskShapes } from './secret-shapes.ts';

// Made-up credentials of each well-known shape (none is or was ever valid).
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwYXktZGVwbG95In0.c2lnbmF0dXJlLW5vdC1yZWFs';

describe('maskShapes', () => {
  it.each([
    ['an AWS access key id', 'key AKIAQX4PLANTED7EXMPL in use', 'key *** in use'],
    ['an STS access key id', 'ASIAQX4PLANTED7EXMPL', '***'],
    ['the other access key id prefixes', 'ABIAQX4PLANTED7EXMPL ACCAQX4PLANTED7EXMPL', '*** ***'],
    ['a Slack app token', 'xapp-1-A0PLANTED12-PlantedAppToken', '***'],
    ['a Slack bot token', 'token xoxb-1234567890-0987654321-PlantedSlackTok', 'token ***'],
    [
      'a Slack webhook URL',
      'posting to https://hooks.slack.com/services/T0PLANT/B0PLANT/PlantedWebhookSecret1 failed',
      'posting to *** failed',
    ],
    ['a GitHub token', 'ghp_PlantedGitHubToken0123456789abcdefXYZ', '***'],
    ['a fine-grained GitHub token', 'github_pat_11PLANTED0_abcdefghijklmnopqrstuvwxyz0123', '***'],
    ['a JWT', `Bearer ${JWT}`, 'Bearer ***'],
    ['a PEM private key', `key:\n${PEM}\nend`, 'key:\n***\nend'],
    ['a PEM private key cut short', `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq`, '***'],
    ['a URL with user and password', 'cloning https://ci:Pl4nted@git.example.org/pay.git', 'cloning https://***@git.example.org/pay.git'],
    [
      'a URL with a token as user',
      'postgres://app:s3cr3t@db:5432/pay and https://x-token@github.com',
      'postgres://***@db:5432/pay and https://***@github.com',
    ],
  ])('masks %s', (_kind, text, masked) => {
    expect(maskShapes(text)).toBe(masked);
  });

  it('leaves look-alikes that are no credentials', () => {
    const text =
      'AKIA is a prefix; xoxb-short; https://github.com/alphagov/pay?x=a@b docker://pay-demo@sha256:0a1b mail alice@example.org eyJ.eyJ.x';
    expect(maskShapes(text)).toBe(text);
  });
});
