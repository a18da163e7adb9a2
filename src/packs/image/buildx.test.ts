import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildxCommand, readBuildxDigest } from './buildx.ts';

describe('buildxCommand', () => {
  it('builds the argument array for a multi-platform push', () => {
    expect(
      buildxCommand({
        context: '.',
        dockerfile: 'Dockerfile',
        platforms: ['linux/amd64', 'linux/arm64'],
        tags: ['r/pay:42-candidate'],
        buildArgs: { RELEASE: '42' },
        labels: { 'org.opencontainers.image.revision': 'abc' },
        push: true,
        metadataFile: '/tmp/m.json',
      }),
    ).toEqual([
      'docker',
      'buildx',
      'build',
      '--platform',
      'linux/amd64,linux/arm64',
      '--tag',
      'r/pay:42-candidate',
      '--build-arg',
      'RELEASE=42',
      '--label',
      'org.opencontainers.image.revision=abc',
      '--file',
      'Dockerfile',
      '--metadata-file',
      '/tmp/m.json',
      '--push',
      '--',
      '.',
    ]);
  });
  it('writes an OCI layout when not pushing, and refuses to build for nothing', () => {
    expect(buildxCommand({ context: 'app', ociDest: 'out.tar', metadataFile: 'm.json' }).slice(3)).toEqual([
      '--metadata-file',
      'm.json',
      '--output',
      'type=oci,dest=out.tar',
      '--',
      'app',
    ]);
    expect(() => buildxCommand({ context: '.', metadataFile: 'm.json' })).toThrow(/push: true or an ociDest/);
  });
  it('reads the digest from the metadata file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqrun-buildx-'));
    try {
      await writeFile(join(dir, 'ok.json'), JSON.stringify({ 'containerimage.digest': `sha256:${'a'.repeat(64)}` }));
      expect(await readBuildxDigest(join(dir, 'ok.json'))).toBe(`sha256:${'a'.repeat(64)}`);
      await writeFile(join(dir, 'bad.json'), '{}');
      await expect(readBuildxDigest(join(dir, 'bad.json'))).rejects.toThrow(/has no containerimage.digest/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
