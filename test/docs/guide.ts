// docs/getting-started.md read as a script: its shell commands in order (with the exit code a
// `# exits N` comment promises) and the files it shows, so tests run and compare exactly what it says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../package/packed.ts';

export const GUIDE_FILE = join(REPO, 'docs/getting-started.md');
export const EXAMPLE = join(REPO, 'examples/static-site');

export interface GuideCommand {
  readonly command: string;
  /** 0 unless the line says `# exits N`. */
  readonly exit: number;
}

export interface GuideBlock {
  readonly language: string;
  readonly text: string;
}

export function guideBlocks(markdown = readFileSync(GUIDE_FILE, 'utf8')): GuideBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ language: m[1] ?? '', text: m[2] ?? '' }));
}

/** Every line of every ```sh block, comments cut off, in order. */
export function guideCommands(markdown?: string): GuideCommand[] {
  return guideBlocks(markdown)
    .filter((b) => b.language === 'sh')
    .flatMap((b) => b.text.split('\n'))
    .map((line) => {
      const exit = /#\s*exits (\d+)\s*$/.exec(line)?.[1];
      return { command: line.replace(/\s+#.*$/, '').trim(), exit: exit === undefined ? 0 : Number(exit) };
    })
    .filter((c) => c.command !== '' && !c.command.startsWith('#'));
}

/** The ```ts blocks headed `// PATH` (the whole file) or `// PATH (excerpt)` (a part of it). */
export function guideFiles(markdown?: string): { path: string; excerpt: boolean; text: string }[] {
  return guideBlocks(markdown).flatMap((b) => {
    const head = /^\/\/ (\S+)( \(excerpt\))?\n/.exec(b.text);
    if (b.language !== 'ts' || head?.[1] === undefined) return [];
    return [{ path: head[1], excerpt: head[2] !== undefined, text: b.text.slice(head[0].length) }];
  });
}
