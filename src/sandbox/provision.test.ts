// `sandbox.provision`: validated in the config, resolved against the config's folder, and called by
// provisionSandbox with the sandbox and a context; every failure is a SandboxError naming the module.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { resolveConfig } from '../bind/config.ts';
import { provisionSandbox } from './provision.ts';
import type { SandboxState } from './sandbox.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-provision-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const locate = (key: string) => ({ line: key === 'provision' ? 7 : 3, column: 5 });
const resolveWith = (raw: unknown, profile?: string) =>
  resolveConfig(raw, { file: join(dir, 'seqrun.config.ts'), root: dir, profile, locate });
const sandbox: SandboxState = { dir: '/nowhere', id: 'test', services: [], env: { SEQRUN_GIT_REMOTE: '/nowhere/remote.git' } };

describe('sandbox.provision in the config', () => {
  test('a profile names the module; it is resolved against the config folder and absent elsewhere', () => {
    const raw = { settings: { a: 1 }, profiles: { sandbox: { sandbox: { provision: 'specs/provision.ts' } } } };
    expect(resolveWith(raw, 'sandbox').config?.sandbox).toEqual({ provision: join(dir, 'specs/provision.ts') });
    expect(resolveWith(raw).config?.sandbox).toEqual({ provision: null });
  });

  test.each([
    [{ sandbox: { provision: 42 } }, "'sandbox.provision' in", 7],
    [{ sandbox: { provision: 'provision.txt' } }, 'must be the path of a .ts, .mts, .js or .mjs module, not "provision.txt"', 7],
    [{ sandbox: 'provision.ts' }, "'sandbox' in", 3],
    [{ profiles: { sandbox: { sandbox: { provison: 'p.ts' } } } }, "Unknown key 'provison' in sandbox in profile 'sandbox'", 3],
  ])('a bad value is a diagnostic with the line and what to write: %j', (raw, message, line) => {
    const { config, diagnostics } = resolveWith(raw);
    expect(config).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.message).toContain(message);
    expect(diagnostics[0]?.span?.start.line).toBe(line);
    expect(`${diagnostics[0]?.message} ${diagnostics[0]?.hint}`).toMatch(/provision/);
  });
});

async function configNaming(file: string, source?: string) {
  if (source !== undefined) await writeFile(join(dir, file), source);
  const { config } = resolveWith({ settings: { app: 'demo' }, profiles: { sandbox: { sandbox: { provision: file } } } }, 'sandbox');
  if (!config) throw new Error('config did not resolve');
  return config;
}

describe('provisionSandbox', () => {
  test('calls the default export with the sandbox and the context, after saying so', async () => {
    const source = `import { writeFile } from 'node:fs/promises';
export default async (sandbox, ctx) => {
  await writeFile(${JSON.stringify(join(dir, 'called.json'))}, JSON.stringify({ remote: sandbox.env.SEQRUN_GIT_REMOTE, root: ctx.root, profile: ctx.profile, app: ctx.settings.app, vars: ctx.vars, env: [ctx.env.HOME, ctx.env.SEQRUN_GIT_REMOTE] }));
  ctx.log('made it');
};
`;
    const config = await configNaming('provision.mjs', source);
    const lines: string[] = [];
    await provisionSandbox(config, sandbox, { vars: { release: '7' }, env: { HOME: '/home/x' }, log: (line) => lines.push(line) });
    expect(JSON.parse(await readFile(join(dir, 'called.json'), 'utf8'))).toEqual({
      remote: '/nowhere/remote.git',
      root: dir,
      profile: 'sandbox',
      app: 'demo',
      vars: { release: '7' },
      env: ['/home/x', '/nowhere/remote.git'],
    });
    expect(lines).toEqual(['sandbox: provisioning with provision.mjs', 'made it']);
  });

  test('without sandbox.provision it only says the sandbox starts empty', async () => {
    const { config } = resolveWith({});
    const lines: string[] = [];
    await provisionSandbox(config!, sandbox, { vars: {}, env: {}, log: (line) => lines.push(line) });
    expect(lines).toEqual([
      'sandbox: nothing to provision in the config (sandbox.provision, buckets, ecrRepositories, codebuildProjects); the run starts against an empty sandbox',
    ]);
  });

  test.each([
    ['missing.ts', undefined, /sandbox.provision names missing.ts, which does not exist; fix the path in seqrun.config.ts/],
    ['no-default.mjs', 'export const provision = async () => {};\n', /no-default.mjs has no default export function/],
    ['broken.mjs', 'export default async () => {\n', /broken.mjs could not be loaded/],
    [
      'throws.mjs',
      "export default async () => { throw new Error('CodeBuild said no'); };\n",
      /provisioning the sandbox with throws.mjs failed: CodeBuild said no/,
    ],
  ])('%s: a SandboxError saying what is wrong', async (file, source, message) => {
    const config = await configNaming(file, source);
    const failure = provisionSandbox(config, sandbox, { vars: {}, env: {}, log: () => undefined });
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toHaveProperty('name', 'SandboxError');
  });
});
