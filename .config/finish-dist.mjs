// After `tsc -p tsconfig.build.json`: copies src/'s files that are not TypeScript (the sandbox's
// moto_sfn_server.py) into dist/, and removes files from dist/ whose source in src/ is gone (a module
// moved or deleted), so that `npm pack` ships every file the build needs and never a stale one. Writes
// a copy only when it differs, by renaming a whole file into place, and deletes only stale files, so a
// test run reading dist/ meanwhile is not disturbed.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const files = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];
// What tsc does not emit: anything but .ts, and no Python bytecode.
const isAsset = (file) => !file.endsWith('.ts') && !file.includes('__pycache__') && !file.endsWith('.pyc');

let copied = 0;
for (const file of files(src).filter(isAsset)) {
  const target = join(dist, relative(src, file));
  const mode = statSync(file).mode & 0o777;
  if (existsSync(target) && readFileSync(target).equals(readFileSync(file))) {
    if ((statSync(target).mode & 0o777) !== mode) chmodSync(target, mode);
    continue;
  }
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  copyFileSync(file, partial);
  chmodSync(partial, mode);
  renameSync(partial, target);
  copied++;
}

const source = (file) =>
  /\.(d\.ts|js)$/.test(file) ? join(src, relative(dist, file).replace(/\.d\.ts$|\.js$/, '.ts')) : join(src, relative(dist, file));
let pruned = 0;
for (const file of files(dist)) {
  if (file.endsWith('.tsbuildinfo')) continue;
  if (!existsSync(source(file))) {
    rmSync(file);
    pruned++;
  }
}
if (copied > 0) console.log(`finish-dist: copied ${copied} file(s) that are not TypeScript`);
if (pruned > 0) console.log(`finish-dist: removed ${pruned} file(s) whose source is gone`);
