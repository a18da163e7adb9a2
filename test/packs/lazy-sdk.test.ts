// Binding modules load without the AWS SDK and @slack/web-api: `seqrun check`, `plan` and
// `run --dry-run` on the repo's own project never call AWS or Slack, so the packs load those
// packages on first use. A probe preloaded into the child process counts the SDK modules in the
// module cache at exit (an ESM import of these CommonJS packages lands there too).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repoRoot, 'bin/seqrun.js');
const work = mkdtempSync(join(tmpdir(), 'seqrun-lazy-sdk-'));
const probe = join(work, 'probe.mjs');
writeFileSync(
  probe,
  `import { createRequire } from 'node:module';
process.on('exit', () => {
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  const count = (scope) => loaded.filter((file) => file.includes(\`node_modules/\${scope}/\`)).length;
  process.stderr.write(\`\\nSDK-PROBE aws=\${count('@aws-sdk')} slack=\${count('@slack')} semver=\${count('semver')}\\n\`);
});
`,
);

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function sdkModulesAfter(args: readonly string[]): Promise<{ aws: number; slack: number; semver: number; stdout: string }> {
  const { stdout, stderr } = await run(process.execPath, ['--import', pathToFileURL(probe).href, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const found = /SDK-PROBE aws=(\d+) slack=(\d+) semver=(\d+)/.exec(stderr);
  if (found === null) throw new Error(`the probe printed nothing; stderr: ${stderr}`);
  return { aws: Number(found[1]), slack: Number(found[2]), semver: Number(found[3]), stdout };
}

describe('SDK loading', () => {
  it.each([[['check', 'specs']], [['plan', 'specs']], [['run', '--dry-run', 'specs/final.seq']]])(
    'seqrun %j on the seed project loads no AWS SDK or Slack module',
    async (args) => {
      const result = await sdkModulesAfter([bin, ...args]);
      expect(result.stdout).not.toBe('');
      // The git pack's semver (47 modules) loads when a semver tag scheme is used, not with the bindings.
      expect({ aws: result.aws, slack: result.slack, semver: result.semver }).toEqual({ aws: 0, slack: 0, semver: 0 });
    },
    60_000,
  );

  it('the packs load the SDKs when a client is made (the probe sees them)', async () => {
    const script = join(work, 'make-clients.ts');
    writeFileSync(
      script,
      `import { createAwsClients } from '${pathToFileURL(join(repoRoot, 'src/packs/aws/index.ts')).href}';
import { createSlackClient } from '${pathToFileURL(join(repoRoot, 'src/packs/slack/index.ts')).href}';
const clients = createAwsClients({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
createSlackClient({ token: 'xoxb-test' });
clients.destroy();
`,
    );
    const result = await sdkModulesAfter([script]);
    expect(result.aws).toBeGreaterThan(0);
    expect(result.slack).toBeGreaterThan(0);
  }, 60_000);
});
