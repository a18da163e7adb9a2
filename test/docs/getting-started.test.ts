// docs/getting-started.md cannot rot: the files it shows are the example's, every file it copies exists
// in the example, and its commands are the ones test/e2e/static-site.test.ts runs (it runs guideCommands).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO } from '../package/packed.ts';
import { EXAMPLE, guideBlocks, guideCommands, guideFiles } from './guide.ts';

describe('docs/getting-started.md', () => {
  test('goes from a fresh folder and seqrun init to a sandbox run and a rendered report, in that order', () => {
    const commands = guideCommands().map((c) => c.command);
    const at = (text: string): number => commands.findIndex((c) => c.includes(text));
    expect(commands[0]).toBe('mkdir site-release && cd site-release');
    expect(at('npx seqrun init')).toBeGreaterThan(at('npm install'));
    expect(at('npx seqrun run --sandbox docs/release.md')).toBeGreaterThan(at('npx seqrun init'));
    expect(at('npx seqrun render docs/release.md --run latest --in-place')).toBeGreaterThan(at('npx seqrun run --sandbox'));
    expect(guideCommands().filter((c) => c.exit !== 0)).toEqual([{ command: 'npx seqrun check', exit: 1 }]);
  });

  test('copies only files the example has, from where the installed package keeps them', () => {
    const copied = guideCommands()
      .filter((c) => c.command.startsWith('cp '))
      .flatMap((c) => c.command.split(/\s+/).filter((w) => w.startsWith('node_modules/seqrun/examples/static-site/')));
    expect(copied.length).toBeGreaterThanOrEqual(5);
    for (const path of copied) expect(existsSync(join(EXAMPLE, path.slice('node_modules/seqrun/examples/static-site/'.length)))).toBe(true);
  });

  test("shows the example's diagram, config and handlers as they are", () => {
    const release = readFileSync(join(EXAMPLE, 'docs/release.md'), 'utf8');
    const diagram = guideBlocks().find((b) => b.language === 'sequence')?.text;
    expect(release).toContain(`\`\`\`sequence\n${diagram}\`\`\``);
    const files = guideFiles();
    expect(files.map((f) => [f.path, f.excerpt])).toEqual([
      ['steps/release.ts', true],
      ['steps/release.ts', true],
      ['seqrun.config.ts', false],
    ]);
    for (const file of files) {
      const actual = readFileSync(join(EXAMPLE, file.path), 'utf8');
      if (file.excerpt) expect(actual).toContain(file.text);
      else expect(file.text).toBe(actual);
    }
  });

  test('is linked from the README', () => {
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('(docs/getting-started.md)');
  });
});
