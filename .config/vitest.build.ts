// Tests start the CLI as users do (bin/seqrun.js, which runs dist/): build it before any test runs.
// Incremental, so an unchanged tree costs a second. A type error does not stop the build's output
// (tsc still emits) nor the tests: `npm run typecheck`, the first step of `npm test`, fails on it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function build(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (compiled.error) throw compiled.error;
  if (compiled.status !== 0) process.stderr.write('vitest: the build reported type errors (above); tests run on what it emitted\n');
  const finished = spawnSync(process.execPath, ['.config/finish-dist.mjs'], { cwd: root, stdio: 'inherit' });
  if (finished.status !== 0) throw new Error('.config/finish-dist.mjs failed');
}
