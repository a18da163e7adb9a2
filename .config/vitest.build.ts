// Tests start the CLI as users do (bin/seqrun.js, which runs dist/): build it before any test runs.
// Incremental, so an unchanged tree costs a second.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function build(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['.config/prune-dist.mjs'], { cwd: root, stdio: 'inherit' });
}
