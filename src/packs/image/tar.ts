// A reproducible tar stream of a directory (ustar with PAX records for long names): entries sorted,
// owner root, mtime 0, so the same build output always gives the same layer digest.
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

const BLOCK = 512;

interface TarEntry {
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink';
  readonly mode: number;
  readonly size: number;
  readonly linkname: string;
  readonly source: string;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return `${length}${body}`;
}

function header(name: string, typeflag: string, mode: number, size: number, linkname: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(typeflag, 156, 'ascii');
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** Header blocks for one entry, preceded by a PAX header when a name does not fit ustar's 100 bytes. */
function entryHeaders(entry: TarEntry): Buffer[] {
  const blocks: Buffer[] = [];
  const typeflag = entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2';
  const pax = [
    Buffer.byteLength(entry.path) > 100 ? paxRecord('path', entry.path) : '',
    Buffer.byteLength(entry.linkname) > 100 ? paxRecord('linkpath', entry.linkname) : '',
  ].join('');
  if (pax !== '') {
    const body = Buffer.from(pax, 'utf8');
    blocks.push(header('PaxHeader', 'x', 0o644, body.length, ''), body, padding(body.length));
  }
  blocks.push(header(entry.path.slice(0, 100), typeflag, entry.mode, entry.type === 'file' ? entry.size : 0, entry.linkname.slice(0, 100)));
  return blocks;
}

async function collect(dir: string, prefix: string, out: TarEntry[]): Promise<void> {
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    const source = join(dir, name);
    const info = await lstat(source);
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const mode = info.mode & 0o7777;
    if (info.isDirectory()) {
      out.push({ path: `${path}/`, type: 'directory', mode, size: 0, linkname: '', source });
      await collect(source, path, out);
    } else if (info.isSymbolicLink()) {
      out.push({ path, type: 'symlink', mode, size: 0, linkname: await readlink(source), source });
    } else if (info.isFile()) {
      out.push({ path, type: 'file', mode, size: info.size, linkname: '', source });
    }
  }
}

/** Yields the tar archive of `dir`, with every path placed under `prefix` (e.g. `app`). */
export async function* tarDirectory(dir: string, prefix = ''): AsyncGenerator<Buffer> {
  const entries: TarEntry[] = [];
  const base = prefix.replace(/^\/+|\/+$/g, '');
  if (base !== '') {
    const parts = base.split('/');
    for (let i = 1; i <= parts.length; i++)
      entries.push({ path: `${parts.slice(0, i).join('/')}/`, type: 'directory', mode: 0o755, size: 0, linkname: '', source: dir });
  }
  await collect(dir, base, entries);
  for (const entry of entries) {
    yield* entryHeaders(entry);
    if (entry.type !== 'file') continue;
    let written = 0;
    for await (const chunk of createReadStream(entry.source)) {
      written += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (written !== entry.size)
      throw new Error(
        `${entry.source} changed size while it was archived (${entry.size} -> ${written} bytes); build output must not change during the image build`,
      );
    yield padding(entry.size);
  }
  yield Buffer.alloc(BLOCK * 2);
}
