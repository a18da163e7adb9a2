// `seqrun check`'s snippets for mermaid's arrows and block labels: `-)` and `->>+` get a job, `-x`/`--x`
// a handler whose placeholder does not pass the step, `<<->>` a call that returns the answer, and
// conditions say what they answer by their section (alt, option, break). Pasted as printed, they
// compile under strict TypeScript and bind every step and label.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../run/support.ts';

const DIAGRAM = `sequenceDiagram
  CI-)AWS: Start the scan of app 3
  CI-xRegistry: Push the unsigned image
  Registry--xCI: Refused as unsigned
  CI<<->>Registry: Check the tag
  CI->>+AWS: Start the ARM build
  AWS-->>-CI: Success
  loop for each app
    alt the app is frozen
      CI->>AWS: Skip it
    else
      CI->>AWS: Deploy it
    end
  end
  critical the E2E run
    CI->>AWS: Run E2E
  option the tests failed
    CI->>AWS: Roll back
  end
  break the release is frozen
    CI->>AWS: Stop
  end
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqrun-snippets-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    join(dir, 'seqrun.config.ts'),
    "import { defineConfig } from 'seqrun';\nexport default defineConfig({ bindings: ['steps.ts'] });\n",
  );
  writeFileSync(join(dir, 'steps.ts'), "import { defineSteps } from 'seqrun';\nexport default defineSteps(() => undefined);\n");
  writeFileSync(join(dir, 'release.mmd'), DIAGRAM);
  writeFileSync(join(dir, 'refused.mmd'), 'sequenceDiagram\n  CI-xRegistry: Push the unsigned image\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'seqrun'), 'dir');
  return dir;
}

/** Every snippet of a check's output, in order. */
function snippets(stdout: string): string[] {
  return [...stdout.matchAll(/a handler for it:\n(s\.[\s\S]*?\n\}\);)/g)].map((m) => m[1] ?? '');
}

describe("check's snippets for mermaid", () => {
  it('suggest a job for -) and ->>+, a refusal for -x and --x, an answer for <<->>, and what each block label answers', async () => {
    const dir = project();
    const check = await runCli(['check', 'release.mmd'], dir);
    expect(check.code).toBe(1);
    const all = snippets(check.stdout);
    const of = (head: string): string => all.find((s) => s.startsWith(head)) ?? `no snippet starts with ${head}`;
    expect(of("s.job('Start the scan of app {int}'")).toBe(
      [
        "s.job('Start the scan of app {int}', { from: 'CI', to: 'AWS' }, {",
        '  // CI asks AWS: Start the scan of app 3 (a job: started here, joined by a later reply from AWS or at the end)',
        '  start: async (_ctx, int: number) => {',
        "    throw new Error('not implemented yet'); // start the work; return a JSON handle (a build id)",
        '  },',
        '  wait: async (_ctx, _handle) => {',
        "    throw new Error('not implemented yet'); // wait for the work the handle names; return its result",
        '  },',
        '});',
      ].join('\n'),
    );
    expect(of("s.job('Start the ARM build'")).toContain("s.job('Start the ARM build', { from: 'CI', to: 'AWS' }, {");
    expect(of("s.call('Push the unsigned image'")).toBe(
      [
        "s.call('Push the unsigned image', { from: 'CI', to: 'Registry' }, async (_ctx) => {",
        '  // CI asks Registry: Push the unsigned image',
        '  // must be refused (-x): the step passes when this handler throws the refusal, and fails when it returns',
        "  return 'not implemented yet';",
        '});',
      ].join('\n'),
    );
    expect(of("s.reply('Refused as unsigned'")).toContain('must be refused (--x)');
    expect(of("s.call('Check the tag'")).toContain('(call and reply in one step: return the answer)');
    expect(of("s.loop('for each app'")).toContain('// return the items to iterate over (ctx.item in the body), or a guard: () => boolean');
    expect(of("s.condition('the app is frozen'")).toContain('// return true to take this branch');
    expect(of("s.condition('the tests failed'")).toContain(
      "// ctx.error is the critical body's failure: return true to run this option as its compensation",
    );
    expect(of("s.condition('the release is frozen'")).toContain(
      '// return true to run the body, then leave the enclosing loop (at the top level: end the run, failed)',
    );
    // Pasted as printed: strict TypeScript accepts them, and every step and label binds.
    writeFileSync(
      join(dir, 'steps.ts'),
      `import { defineSteps } from 'seqrun';\nexport default defineSteps((s) => {\n${all.join('\n')}\n});\n`,
    );
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const compiled = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'steps.ts'];
    expect(() => execFileSync(process.execPath, [tsc, ...compiled], { cwd: dir, encoding: 'utf8' })).not.toThrow();
    const again = await runCli(['check', 'release.mmd', 'refused.mmd'], dir);
    // The scan is joined at the end; the warning says how to join it in mermaid's words.
    expect(again.stdout).toContain('hint: Add a reply (e.g. `AWS-->>CI: Success`) where the pipeline should wait for it.');
    expect(again.stdout).toContain('2 diagrams, 12 steps: 12 bound. diagrams and bindings are in sync, 1 warning.');
    expect(again.code).toBe(0);
  });

  it("a refused step's placeholder, left as pasted, fails the run rather than passing it", async () => {
    const dir = project();
    const check = await runCli(['check', 'refused.mmd'], dir);
    writeFileSync(
      join(dir, 'steps.ts'),
      `import { defineSteps } from 'seqrun';\nexport default defineSteps((s) => {\n${snippets(check.stdout).join('\n')}\n});\n`,
    );
    const run = await runCli(['run', 'refused.mmd'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('must be refused (-x), but its handler succeeded');
  });
});
