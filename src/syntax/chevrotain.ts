// Chevrotain, loaded from its single-file bundle. The package's exports map only offers the multi-file
// build, whose hundreds of lodash-es modules take about half a second to load through tsx on every CLI
// start (0.01 s for the bundle). Same package, same version; if the bundle is missing we fall back.
// Everything in src/syntax imports Chevrotain from here, so there is one copy (one EOF token type).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    return (await import(pathToFileURL(join(dirname(entry), '..', 'chevrotain.mjs')).href)) as typeof Chevrotain;
  } catch {
    return import('chevrotain');
  }
}

const chevrotain = await load();

export const { createToken, createSyntaxDiagramsCode, CstParser, EOF, Lexer, tokenMatcher } = chevrotain;
