// A config that fails to load with an error quoting secrets: `seqrun check`, `plan` and `run` print
// the load failure (and, with --verbose, its stack) with the secrets masked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, runCli } from './support.ts';

const DB_PASS = 'envpass-Planted-5b1e0c';
const TOKEN = 'ghp_PlantedGitHubToken0123456789abcdefLD';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqrun-secrets-load-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(dir, 'a.seq'), 'A->B: Hello\n');
  // Both come from the environment: DB_PASS is masked by its name, REVIEWER by the token's shape.
  writeFileSync(
    join(dir, 'seqrun.config.ts'),
    "throw new Error(`cannot log in to the database with ${process.env['DB_PASS']} (token ${process.env['REVIEWER']})`);\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config load errors', () => {
  it.each([
    ['check', ['check', 'a.seq', '--verbose']],
    ['plan', ['plan', 'a.seq', '--verbose']],
    ['run', ['run', 'a.seq', '--verbose']],
  ])('seqrun %s masks secrets the failure quotes', async (_command, args) => {
    const result = await runCli(args, dir, childEnv({ DB_PASS, REVIEWER: TOKEN }));
    const out = result.stdout + result.stderr;
    expect(result.code).toBe(2);
    expect(out).toContain('The config file failed to load: cannot log in to the database with *** (token ***)');
    expect(out).not.toContain(DB_PASS);
    expect(out).not.toContain(TOKEN);
  });
});

describe('code frames', () => {
  it('a credential written in a binding module is masked in the frame that quotes its line', async () => {
    const project = mkdtempSync(join(tmpdir(), 'seqrun-secrets-frame-'));
    try {
      writeFileSync(join(project, 'package.json'), '{ "type": "module", "private": true }\n');
      writeFileSync(join(project, 'a.seq'), 'A->B: Hello\n');
      writeFileSync(join(project, 'seqrun.config.ts'), "export default { bindings: ['./steps.ts'] };\n");
      writeFileSync(join(project, 'steps.ts'), `const token = '${TOKEN}';\nthrow new Error('no ' + token.length);\n`);
      const result = await runCli(['check', 'a.seq'], project, childEnv());
      const out = result.stdout + result.stderr;
      expect(result.code).toBe(2);
      expect(out).toContain("const token = '***';");
      expect(out).not.toContain(TOKEN);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
