// User TypeScript is loaded by Node's type stripping: what it cannot load is reported with the file,
// line and column of the construct and the fix, by the real CLI.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;

function check() {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), 'check', 'a.seq'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

async function binding(body: string, extra: Record<string, string> = {}): Promise<void> {
  await writeFile(join(dir, 'seqrun.config.ts'), "export default { bindings: ['./steps.ts'] };\n");
  await writeFile(join(dir, 'steps.ts'), body);
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-ts-load-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(dir, 'a.seq'), 'A->B: hello\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a binding module Node cannot load by stripping types', () => {
  test('an enum: its line and column, and what to write instead', async () => {
    await binding('// steps\nexport enum Arch { Arm, X86 }\nexport default {};\n');
    const run = check();
    expect(run.code).toBe(2);
    expect(run.out).toContain('steps.ts:2:8 error SEQ313 The binding module failed to load: TypeScript enum is not supported here');
    expect(run.out).toContain('use a union of string literals');
    expect(run.out).not.toContain('    at ');
  });

  test('a parameter property in a module the binding imports is located in that module', async () => {
    await binding("import { Client } from './client.ts';\nexport default new Client(1);\n", {
      'client.ts': 'export class Client {\n  constructor(private readonly port: number) {}\n}\n',
    });
    const run = check();
    expect(run.code).toBe(2);
    expect(run.out).toMatch(
      /^client\.ts:2:32 error SEQ313 The binding module failed to load \(in a module that steps\.ts imports\): TypeScript parameter property is not supported here/m,
    );
    expect(run.out).toContain('declare the field in the class body');
  });

  test('a tsconfig path alias and an import without its extension', async () => {
    await binding("import x from '@/lib/x';\nexport default x;\n");
    expect(check().out).toContain(
      "steps.ts:1:16 error SEQ313 The binding module failed to load: Cannot resolve '@/lib': tsconfig `paths` aliases are not applied",
    );
    await binding("import x from './x';\nexport default x;\n", { 'x.ts': 'export default 1;\n' });
    const run = check();
    expect(run.out).toContain("Write the file's extension in the import ('x.ts')");
    expect(run.code).toBe(2);
  });
});
