// loadProject against real files in a temporary folder: every bad input is a diagnostic with a line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadProject } from './project.ts';

const api = fileURLToPath(new URL('../index.ts', import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-project-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text.replaceAll('API', api));
}

const where = (d: { code: string; file: string; span: { start: { line: number } } | null }) => [
  d.code,
  d.file.replace(dir, '.'),
  d.span?.start.line ?? null,
];

describe('loadProject', () => {
  test('loads the config, its bindings, profile settings and parameter types', async () => {
    await write({
      'seqrun.config.ts': `import { defineConfig } from 'API';
export default defineConfig({
  bindings: ['*.steps.ts'],
  specs: ['a.seq'],
  parameterTypes: [{ name: 'arch', regexp: /x86|ARM/ }],
  settings: { channel: 'dev' },
  profiles: { ci: { settings: { channel: 'releases' }, steps: { Build: { timeoutMs: 5 } } } },
});
`,
      'a.steps.ts': `import { defineSteps } from 'API';\nexport default defineSteps((s) => {\n  s.call('Build {arch}', () => 1);\n});\n`,
    });
    const { project, diagnostics } = await loadProject({ cwd: dir, profile: 'ci' });
    expect(diagnostics).toEqual([]);
    expect(project?.specs).toEqual([join(dir, 'a.seq')]);
    expect(project?.config.settings).toEqual({ channel: 'releases' });
    expect(project?.config.steps).toEqual({ Build: { timeoutMs: 5 } });
    expect(project?.registry.handlers.map((h) => [h.expression, h.source.file, h.source.line])).toEqual([
      ['Build {arch}', join(dir, 'a.steps.ts'), 3],
    ]);
    expect(project?.registry.parameterTypes.map((p) => [p.name, p.source.line])).toEqual([['arch', 5]]);
  });

  test('a typo in the config names the key, its line, and the fix', async () => {
    await write({ 'seqrun.config.ts': `export default {\n  bindings: [],\n  setings: { a: 1 },\n};\n` });
    const { project, diagnostics } = await loadProject({ cwd: dir });
    expect(project).toBeNull();
    expect(diagnostics.map(where)).toEqual([['SEQ311', './seqrun.config.ts', 3]]);
    expect(diagnostics[0]?.message).toBe(`Unknown key 'setings' in ${join(dir, 'seqrun.config.ts')}.`);
    expect(diagnostics[0]?.hint).toBe("Did you mean 'settings'?");
  });

  test('an unknown profile and a missing config', async () => {
    await write({ 'seqrun.config.ts': `export default { profiles: { ci: {} } };\n` });
    expect((await loadProject({ cwd: dir, profile: 'cj' })).diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ["Unknown profile 'cj'.", "Did you mean 'ci'?"],
    ]);
    const missing = await loadProject({ cwd: dir, configPath: 'other.config.ts' });
    expect(missing.diagnostics.map(where)).toEqual([['SEQ310', './other.config.ts', null]]);
  });

  test('a binding module that throws on load is a diagnostic at the throwing line', async () => {
    await write({
      'seqrun.config.ts': `export default { bindings: ['bad.ts', 'missing/*.ts', 'empty.ts'] };\n`,
      'bad.ts': `import { defineSteps } from 'API';\nconst region = process.env['NO_SUCH_VARIABLE'];\nif (!region) throw new Error('set AWS_REGION');\nexport default defineSteps(() => undefined);\n`,
      'empty.ts': `export const x = 1;\n`,
    });
    const { project, diagnostics } = await loadProject({ cwd: dir });
    expect(project?.registry.handlers).toEqual([]);
    expect(diagnostics.map(where)).toEqual([
      ['SEQ313', './bad.ts', 3],
      ['SEQ314', './seqrun.config.ts', 1],
      ['SEQ314', './empty.ts', 1],
    ]);
    expect(diagnostics[0]?.message).toBe('The binding module failed to load: set AWS_REGION');
    // A glob that matches nothing yet is a warning: `check` goes on and prints a snippet per step.
    expect(diagnostics.map((d) => d.severity)).toEqual(['error', 'warning', 'warning']);
  });

  test("secrets: the base's and the profile's names; anything but a list of strings is a diagnostic", async () => {
    await write({
      'seqrun.config.ts': `export default { secrets: ['DB_URL'], profiles: { ci: { secrets: ['releaseNote', 'DB_URL'] } } };\n`,
    });
    expect((await loadProject({ cwd: dir, profile: 'ci' })).project?.config.secrets).toEqual(['DB_URL', 'releaseNote']);
    expect((await loadProject({ cwd: dir })).project?.config.secrets).toEqual(['DB_URL']);
    await write({ 'bad.config.ts': `export default {\n  secrets: 'DB_URL',\n};\n` });
    const { diagnostics } = await loadProject({ cwd: dir, configPath: 'bad.config.ts' });
    expect(diagnostics.map((d) => [...where(d), d.message, d.hint])).toEqual([
      ['SEQ311', './bad.config.ts', 2, "'secrets' must be a list of strings.", "Write secrets: ['DB_URL', 'releaseNote']."],
    ]);
  });

  test('a load failure quoting a secret is masked, in its message and in its stack', async () => {
    await write({ 'seqrun.config.ts': `throw new Error('cannot reach postgres://pay:Pl4nted@db/pay as hunter2-planted');\n` });
    const { diagnostics, stacks } = await loadProject({
      cwd: dir,
      redact: (text) => text.replaceAll('hunter2-planted', '***').replace('pay:Pl4nted@', '***@'),
    });
    expect(diagnostics.map((d) => d.message)).toEqual(['The config file failed to load: cannot reach postgres://***@db/pay as ***']);
    expect([...stacks.values()].join('\n')).not.toMatch(/Pl4nted|hunter2/);
    expect(stacks.get(diagnostics[0] as never)).toContain('cannot reach postgres://***@db/pay');
  });

  test('a config that does not compile is a diagnostic, not a throw', async () => {
    await write({ 'seqrun.config.ts': `export default {\n  bindings: [\n};\n` });
    const { project, diagnostics } = await loadProject({ cwd: dir });
    expect(project).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['SEQ312', join(dir, 'seqrun.config.ts')]]);
    expect(diagnostics[0]?.span?.start.line).toBeGreaterThan(0);
  });
});
