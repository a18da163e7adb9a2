// seqrun as a team installs it: `npm pack`, the tarball installed into a fresh project outside this
// repository (npm's cache first, the registry for what it lacks), a diagram and a TypeScript binding
// written there, and the installed CLI, types and module checked the way that team would use them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { npm, packSeqrun, REPO as repo } from './packed.ts';

const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
let work: string;
let project: string;
let tarball: string;

function inProject(command: string, args: readonly string[]) {
  const result = spawnSync(command, [...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CONFIG = `import { defineConfig } from 'seqrun/config';

export default defineConfig({
  bindings: ['steps/*.ts'],
  specs: ['release.seq'],
  settings: { greeting: 'hello' },
});
`;

const DIAGRAM = `title: Release the site
CI->Shell: Write the version file for 1.2.3
Note over Shell: The version file says 1.2.3
`;

const BINDING = `import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineSteps, type HandlerContext } from 'seqrun';
import { runCommand } from 'seqrun/packs/shell';

interface Release { versionFile?: string }

const versionFile = (ctx: HandlerContext<Release>): string => ctx.state.versionFile ?? join(ctx.vars['out'] ?? '.', 'VERSION');

export default defineSteps<Release>((s) => {
  s.call('Write the version file for {word}', { from: 'CI', to: 'Shell' }, async (ctx, version: string) => {
    ctx.state.versionFile = versionFile(ctx);
    await runCommand({ command: ['sh', '-c', 'printf %s "$1" > "$2"', 'sh', version, ctx.state.versionFile], signal: ctx.signal });
  });
  s.expect('The version file says {word}', { over: 'Shell' }, async (ctx, version: string) => {
    const written = await readFile(versionFile(ctx), 'utf8');
    if (written !== version) throw new Error(\`VERSION holds \${written}, not \${version}\`);
  });
});
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    types: ['node'],
  },
  include: ['seqrun.config.ts', 'steps'],
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'seqrun-consumer-'));
  tarball = packSeqrun(work);
  project = join(work, 'pipeline');
  mkdirSync(join(project, 'steps'), { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'pipeline', version: '9.9.9', private: true, type: 'module' }, null, 2)}\n`,
  );
  npm(['install', '--prefer-offline', '--save-dev', tarball, 'typescript@7', '@types/node@24'], project);
  writeFileSync(join(project, 'seqrun.config.ts'), CONFIG);
  writeFileSync(join(project, 'release.seq'), DIAGRAM);
  writeFileSync(join(project, 'steps/release.ts'), BINDING);
  writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed seqrun installed in a fresh project', () => {
  test('the tarball holds the build, the bin, the docs a user reads and the examples, and no tests, fixtures or recorded runs', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toContain('package/bin/seqrun.js');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).toContain('package/dist/packs/shell/index.js');
    expect(files).toContain('package/examples/static-site/steps/release.ts');
    expect(files.filter((f) => /\/test\/|\.test\.|\/fixtures\/|docs\/runs|\/src\/|tsbuildinfo|\.seqrun\//.test(f))).toEqual([]);
    expect(files.filter((f) => !/^package\/(bin\/|dist\/|examples\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(f))).toEqual(
      [],
    );
  });

  test("npx seqrun check and npx seqrun run pass on the team's own diagram and TypeScript binding", () => {
    const check = inProject('npx', ['seqrun', 'check']);
    expect(check.stdout).toContain('1 diagram, 2 steps: 2 bound.');
    expect(check.code).toBe(0);
    const run = inProject('npx', ['seqrun', 'run', 'release.seq', '--format', 'plain']);
    expect(run.code).toBe(0);
    expect(readFileSync(join(project, 'VERSION'), 'utf8')).toBe('1.2.3');
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');
  });

  test('tsc --noEmit (TypeScript 7, strict) passes on the binding and the config', () => {
    const tsc = inProject('npx', ['tsc', '--noEmit', '-p', '.']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
    // The types are real: a wrong argument type is an error.
    writeFileSync(
      join(project, 'steps/wrong.ts'),
      "import { defineSteps } from 'seqrun';\nexport default defineSteps((s) => { s.call(42, () => {}); });\n",
    );
    const wrong = inProject('npx', ['tsc', '--noEmit', '-p', '.']);
    rmSync(join(project, 'steps/wrong.ts'));
    expect(wrong.stdout).toContain('steps/wrong.ts');
    expect(wrong.code).not.toBe(0);
  });

  test("npx seqrun --version prints seqrun's version, not the project's", () => {
    const version = inProject('npx', ['seqrun', '--version']);
    expect(version.stdout.trim()).toBe(manifest.version);
  });

  test('plain Node imports seqrun and its subpaths', () => {
    const script =
      "const m = await import('seqrun'); const c = await import('seqrun/config'); const p = await import('seqrun/packs/shell'); console.log(typeof m.defineSteps, typeof c.defineConfig, typeof p.runCommand);";
    const node = inProject(process.execPath, ['--input-type=module', '-e', script]);
    expect(node.stderr).toBe('');
    expect(node.stdout.trim()).toBe('function function function');
  });
});
