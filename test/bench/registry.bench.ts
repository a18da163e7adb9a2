// `npm run bench -- registry`: an image with one incompressible layer (256 MiB by default) copied between
// two local docker-registry instances by the registry pack (streamed, hashed on the way), against
// `skopeo copy` of the same image between the same registries (baseline). Reports time, throughput and
// the peak RSS growth of this process during the copy (the layer never sits in memory).
// Quick runs: SEQRUN_BENCH_LAYER_MB=64 npm run bench -- registry
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { buildImage } from '../../src/packs/image/index.ts';
import { copyImage, pushLayout, RegistryClient } from '../../src/packs/registry/index.ts';
import { startDockerRegistry } from '../../src/sandbox/docker-registry.ts';

const LAYER_MB = Number(process.env['SEQRUN_BENCH_LAYER_MB'] ?? 256);
const MB = 1024 * 1024;
const run = promisify(execFile);

async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; rssGrowth: number; value: T }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - start, rssGrowth: peak - base, value };
  } finally {
    clearInterval(timer);
  }
}

export default async function registryBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'seqrun-bench-registry-'));
  const registries = await Promise.all(['a', 'b', 'c'].map((n) => startDockerRegistry(join(root, n))));
  try {
    const [a, b, c] = registries as [(typeof registries)[0], (typeof registries)[0], (typeof registries)[0]];
    mkdirSync(join(root, 'build'));
    for (let i = 0; i < LAYER_MB / 16; i++) writeFileSync(join(root, 'build', `blob-${i}.bin`), randomBytes(16 * MB));
    const image = await buildImage({ contextDir: join(root, 'build'), layoutDir: join(root, 'oci'), tag: 'bench' });
    await pushLayout({
      layoutDir: join(root, 'oci'),
      to: { client: new RegistryClient({ url: a.url }), repository: 'bench/app' },
      tags: ['1'],
    });
    console.log(
      `one layer of ${(image.layer.size / MB).toFixed(0)} MiB (gzip'd random data) copied from one docker-registry to another on 127.0.0.1\n`,
    );

    const host = (url: string): string => new URL(url).host;
    const skopeo = await measured(() =>
      run('skopeo', [
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        `docker://${host(a.url)}/bench/app:1`,
        `docker://${host(c.url)}/bench/app:1`,
      ]),
    );
    const ours = await measured(() =>
      copyImage({
        from: { client: new RegistryClient({ url: a.url }), repository: 'bench/app' },
        reference: '1',
        to: { client: new RegistryClient({ url: b.url }), repository: 'bench/app' },
        tags: ['1'],
      }),
    );
    if (ours.value.digest !== image.manifest.digest) throw new Error('the copy changed the digest');

    const rate = (ms: number): string => `${(image.layer.size / MB / (ms / 1000)).toFixed(0)} MiB/s`;
    console.log('| copy | time | throughput | RSS growth of this process |');
    console.log('|---|---:|---:|---:|');
    console.log(`| skopeo copy (baseline, separate process) | ${(skopeo.ms / 1000).toFixed(2)} s | ${rate(skopeo.ms)} | n/a |`);
    console.log(
      `| copyImage (registry pack) | ${(ours.ms / 1000).toFixed(2)} s | ${rate(ours.ms)} | ${(ours.rssGrowth / MB).toFixed(0)} MB |`,
    );
    console.log(
      `\ncopyImage/skopeo time ratio: ${(ours.ms / skopeo.ms).toFixed(2)}; RSS growth / layer size: ${(ours.rssGrowth / image.layer.size).toFixed(2)}\n`,
    );
  } finally {
    await Promise.all(registries.map((r) => r.stop()));
    rmSync(root, { recursive: true, force: true });
  }
}
