// Secrets planted in a full sandbox run of specs/current.seq: one value of each kind (secret by name,
// declared secret by the config, each well-known credential shape), passed with --var, through the
// environment and named by the config. Then every file the run wrote (journal, JUnit, renders),
// everything seqrun printed and every message the sandbox's Slack server received is searched for
// each. Needs moto_server, docker-registry, git, tar and unzip (and chromium for the HTML render).
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxState } from '../../src/sandbox/index.ts';
import { nextRelease, repo, runEnv, runIdOf, seqrun, slackMessages, startSeedSandbox, stopSeedSandbox } from './sandbox-support.ts';

// Made-up values, none valid anywhere. Each `needle` is what must never show: the secret part.
const PEM_BODY = 'MIIEowIBAAKCAQEAPlantedPemBodyLine0123456789abcdefghijklmnopqrstuv';
const JWT_PAYLOAD = 'eyJzdWIiOiJwbGFudGVkLWp3dC1zZWNyZXQifQ';
const PLANTS = {
  varNamed: { via: '--var dbPass', value: 'dbpass-Planted-7f3a91' },
  varDeclared: { via: '--var releaseNote (config secrets)', value: 'note-Planted-2c8e44' },
  varAwsKey: { via: '--var ticket', value: 'AKIAPLANTED7Q3X9ZKWM' },
  varSlackToken: { via: '--var approver', value: 'xoxb-1111111111-2222222222-PlantedSlackTok9x' },
  varSlackWebhook: {
    via: '--var channelHook',
    value: 'https://hooks.slack.com/services/T0PLANTED/B0PLANTED/VarWebhookPlanted77aa',
    needle: 'VarWebhookPlanted77aa',
  },
  varGitHubToken: { via: '--var reviewer', value: 'ghp_PlantedGitHubToken0123456789abcdefQZ' },
  varJwt: { via: '--var claims', value: `eyJhbGciOiJIUzI1NiJ9.${JWT_PAYLOAD}.c2lnbmF0dXJl`, needle: JWT_PAYLOAD },
  varPem: { via: '--var signingMaterial', value: `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----`, needle: PEM_BODY },
  varUserinfoUrl: {
    via: '--var mirror',
    value: 'https://ci:MirrorPw-Planted-b9e2@mirror.example.org/pay.git',
    needle: 'MirrorPw-Planted-b9e2',
  },
  envNamed: { via: 'DB_PASS', value: 'envpass-Planted-91d0b7' },
  envWebhook: {
    via: 'SLACK_WEBHOOK',
    value: 'https://hooks.slack.com/services/T0PLANTED/B0PLANTED/EnvWebhookPlanted5e21',
    needle: 'EnvWebhookPlanted5e21',
  },
  envDeclared: { via: 'DEPLOY_APPROVAL (config secrets)', value: 'approval-Planted-a4f6c3' },
  envUserinfoUrl: {
    via: 'BUILD_URL (the journaled trigger)',
    value: 'https://jenkins:BuildUrlPw-Planted-13c7@ci.example.org/job/pay/42/',
    needle: 'BuildUrlPw-Planted-13c7',
  },
} satisfies Record<string, { via: string; value: string; needle?: string }>;

const needle = (plant: { value: string; needle?: string }): string => plant.needle ?? plant.value;

let root: string;
let sandbox: SandboxState;
let dockerHub: { url: string; close: () => Promise<void> };

/** A project that is the seed's, plus `secrets`: the run writes its journal under it. */
async function plantedProject(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  const config = join(dir, 'seqrun.config.ts');
  await writeFile(
    config,
    `import base from '${join(repo, 'seqrun.config.ts')}';\nexport default { ...base, bindings: ['${join(repo, 'specs/steps/*.ts')}'], secrets: ['releaseNote', 'DEPLOY_APPROVAL'] };\n`,
  );
  return config;
}

/**
 * A Docker Hub that refuses the push with an error quoting the environment's secrets: any error text
 * that quotes a secret (a misconfigured proxy echoing its request) reaches the journal, the reports
 * and the seed's Slack failure notice this way.
 */
async function echoingDockerHub(): Promise<{ url: string; close: () => Promise<void> }> {
  const quoted = [PLANTS.envNamed, PLANTS.envWebhook, PLANTS.envDeclared].map((p) => p.value).join(' ');
  const server: Server = createServer((req, res) => {
    if (req.method === 'HEAD' || req.method === 'GET') return void res.writeHead(404).end();
    res
      .writeHead(403, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: 'DENIED', message: `push refused for credentials ${quoted}` }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  ({ root, sandbox } = await startSeedSandbox('seqrun-secrets-'));
  dockerHub = await echoingDockerHub();
}, 120_000);

afterAll(async () => {
  await dockerHub?.close();
  await stopSeedSandbox(root);
}, 60_000);

describe('secrets planted in a sandbox run (local servers: moto, docker-registry, CodeBuild, Slack)', () => {
  it('reach no journal, report, render, output or Slack message', { timeout: 240_000 }, async () => {
    const project = join(root, 'project');
    const config = await plantedProject(project);
    const release = await nextRelease(sandbox);
    const vars = Object.values(PLANTS)
      .filter((p) => p.via.startsWith('--var '))
      .map((p) => `${p.via.split(' ')[1]}=${p.value}`);
    const env = runEnv(sandbox, {
      SEQRUN_DOCKERHUB_REGISTRY: dockerHub.url,
      DB_PASS: PLANTS.envNamed.value,
      SLACK_WEBHOOK: PLANTS.envWebhook.value,
      DEPLOY_APPROVAL: PLANTS.envDeclared.value,
      BUILD_URL: PLANTS.envUserinfoUrl.value,
    });
    const args = [
      'run',
      'specs/current.seq',
      '--config',
      config,
      '--profile',
      'sandbox',
      '--format',
      'plain',
      '--junit',
      join(project, 'junit.xml'),
    ];
    const run = await seqrun(
      [...args, '--var', `release=${release}`, '--var', `workdir=${join(root, 'work')}`, ...vars.flatMap((v) => ['--var', v])],
      env,
    );
    const runId = runIdOf(run.out);
    // The run got as far as Docker Hub, which refused the push: the failure path ran too.
    expect(run.out).toMatch(/step s14 failed at specs\/current\.seq:15:1 .*push refused for credentials/);
    expect(run.code).toBe(1);

    const journal = join(project, '.seqrun/runs', runId, 'journal.ndjson');
    const outputs: Record<string, string> = { 'seqrun run (stdout and stderr)': run.out };
    await mkdir(join(project, 'renders'));
    for (const format of ['markdown', 'mermaid', 'html']) {
      if (format === 'html' && !existsSync('/usr/bin/chromium') && !process.env['SEQRUN_CHROMIUM']) continue;
      const rendered = await seqrun(
        ['render', 'specs/current.seq', '--journal', journal, '--format', format, '-o', join(project, 'renders', `current.${format}`)],
        env,
      );
      outputs[`seqrun render --format ${format}`] = rendered.out;
      expect(rendered.code, rendered.out).toBe(0);
    }
    const written = [...(await filesUnder(project)), ...(await filesUnder(join(sandbox.dir, 'slack')))];
    for (const file of written) outputs[file] = await readFile(file, 'latin1');
    const messages = await slackMessages(sandbox);
    outputs['Slack messages'] = JSON.stringify(messages);
    expect(messages.some((m) => m.channel === '#pay-announce' && JSON.stringify(m.blocks).includes('push refused'))).toBe(true);
    expect(Object.keys(outputs).filter((name) => name.includes('/renders/'))).not.toEqual([]);

    const leaks = Object.values(PLANTS).flatMap((plant) =>
      Object.entries(outputs)
        .filter(([, text]) => text.includes(needle(plant)))
        .map(([where]) => `${plant.via} in ${where.replace(root, '<tmp>')}`),
    );
    expect(leaks).toEqual([]);
  });
});
