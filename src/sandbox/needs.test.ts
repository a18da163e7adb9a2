// Which services `seqrun run --sandbox` starts for a project: read from its bindings' imports (and the
// modules they import from the project), its provision module and its declared resources.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveConfig, type SeqrunConfig } from '../bind/config.ts';
import { importsOf, servicesNeeded, servicesOfImport } from './needs.ts';
import { withDependencies } from './services.ts';

const root = mkdtempSync(join(tmpdir(), 'seqrun-needs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>, config: SeqrunConfig) {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const locate = () => ({ line: 1, column: 1 });
  const resolved = resolveConfig(config, { file: join(dir, 'seqrun.config.ts'), root: dir, locate });
  if (resolved.config === null) throw new Error(JSON.stringify(resolved.diagnostics));
  return resolved.config;
}

describe('the services a project needs', () => {
  test('a project whose bindings upload to S3 and post to Slack needs moto and slack only, each with why', async () => {
    const config = project(
      's3-slack',
      {
        'steps/site.ts':
          "import { defineSteps } from 'seqrun';\nimport { uploadFolder } from 'seqrun/packs/s3';\nimport { tag } from './support/git.ts';\n",
        'steps/support/git.ts': "import { fetchRelease } from 'seqrun/packs/git';\nimport { runCommand } from 'seqrun/packs/shell';\n",
        'steps/notify.ts': "import { postMessage } from 'seqrun/packs/slack';\nconst http = await import('seqrun/packs/http');\n",
      },
      { bindings: ['steps/*.ts'] },
    );
    expect(await servicesNeeded(config)).toEqual({
      services: ['moto', 'slack'],
      reasons: { moto: ['seqrun/packs/s3 in steps/site.ts'], slack: ['seqrun/packs/slack in steps/notify.ts'] },
    });
  });

  test('git, shell, http and job need no service; imports into node_modules are not followed', async () => {
    const config = project(
      'plain',
      {
        'steps/a.ts': "import { runCommand } from 'seqrun/packs/shell';\nimport x from '../node_modules/wrapper/index.ts';\n",
        'node_modules/wrapper/index.ts': "import 'seqrun/packs/slack';\n",
      },
      { bindings: ['steps/*.ts'] },
    );
    expect((await servicesNeeded(config)).services).toEqual([]);
  });

  test('declared resources and the provision module count: buckets need moto, CodeBuild projects codebuild and moto', async () => {
    const config = project(
      'declared',
      { 'steps/a.ts': '', 'sandbox/provision.ts': "import { ECRClient } from '@aws-sdk/client-ecr';\n" },
      { bindings: ['steps/*.ts'], sandbox: { provision: 'sandbox/provision.ts', codebuildProjects: [{ name: 'site-build' }] } },
    );
    const needs = await servicesNeeded(config);
    expect(needs.services).toEqual(['moto', 'ecr-registry', 'ecr-bridge', 'codebuild']);
    expect(needs.reasons.codebuild).toEqual(['the resources declared in sandbox']);
    expect(needs.reasons['ecr-bridge']).toEqual(['@aws-sdk/client-ecr in sandbox/provision.ts']);
  });

  test("seqrun's own packs by path, SDKs and subpaths map to their services; other imports to none", () => {
    expect(servicesOfImport('../../src/packs/codebuild/index.ts')).toEqual(['moto', 'codebuild']);
    expect(servicesOfImport('seqrun/packs/registry')).toEqual(['moto', 'ecr-registry', 'ecr-bridge', 'dockerhub']);
    expect(servicesOfImport('@aws-sdk/client-s3')).toEqual(['moto']);
    expect(servicesOfImport('@slack/web-api')).toEqual(['slack']);
    expect(servicesOfImport('./packs/s3.ts')).toEqual([]);
    expect(servicesOfImport('seqrun')).toEqual([]);
    // The client factory alone says nothing: the pack or the SDK commands used with its clients do.
    expect(servicesOfImport('seqrun/packs/aws')).toEqual([]);
  });

  test('imports are read from static, side-effect, dynamic and re-export forms', () => {
    const source =
      "import a from 'x';\nimport 'y';\nexport { b } from \"z\";\nconst c = await import('w');\nimport type { T } from './t.ts';\n";
    expect(importsOf(source)).toEqual(['x', 'y', 'z', 'w', './t.ts']);
  });

  test('a service starts with what it talks to', () => {
    expect(withDependencies(['codebuild', 'slack'])).toEqual(['moto', 'codebuild', 'slack']);
    expect(withDependencies(['ecr-bridge'])).toEqual(['moto', 'ecr-registry', 'ecr-bridge']);
  });
});
