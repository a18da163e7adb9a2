import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    // In-process tests use seqrun's sources under its package name (one copy of each module); the CLI
    // that tests start as a child is the build, which the global setup refreshes first.
    alias: [
      { find: /^seqrun$/, replacement: `${root}src/index.ts` },
      { find: /^seqrun\/api$/, replacement: `${root}src/api.ts` },
      { find: /^seqrun\/config$/, replacement: `${root}src/config.ts` },
      { find: /^seqrun\/packs\/([a-z0-9-]+)$/, replacement: `${root}src/packs/$1/index.ts` },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'grammar/**/*.test.ts'],
    globalSetup: ['.config/vitest.build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
