// Starts docker-registry for a test on 127.0.0.1 with a free port and storage in a temp dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDockerRegistry } from '../../src/sandbox/docker-registry.ts';

export interface TestRegistry {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'seqrun-registry-'));
  const registry = await startDockerRegistry(dir);
  return {
    url: registry.url,
    stop: async () => {
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
