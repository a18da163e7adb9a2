// After `tsc -p tsconfig.build.json`: removes files from dist/ whose source in src/ is gone (a module
// moved or deleted), so that `npm pack` never ships a stale module. Deletes only such files, so a
// test run reading dist/ meanwhile is not disturbed.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const source = (file) => join(root, 'src', relative(dist, file).replace(/\.d\.ts$|\.js$/, '.ts'));

let pruned = 0;
for (const entry of existsSync(dist) ? readdirSync(dist, { recursive: true, withFileTypes: true }) : []) {
  if (!entry.isFile() || !/\.(d\.ts|js)$/.test(entry.name)) continue;
  const file = join(entry.parentPath, entry.name);
  if (!existsSync(source(file))) {
    rmSync(file);
    pruned++;
  }
}
if (pruned > 0) console.log(`prune-dist: removed ${pruned} file(s) whose source is gone`);
