// Chevrotain, loaded from its single-file bundle. The package's exports map only offers the multi-file
// build, whose hundreds of lodash-es modules take about half a second to load through tsx on every CLI
// start (0.02 s for the bundle). Same package, same version; loaded with require (synchronous, so no
// top-level await), falling back to the package's own entry if the bundle is not where we expect it.
// Everything in src/syntax imports Chevrotain from here, so there is one copy (one EOF token type).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Chevrotain from 'chevrotain';

function load(): typeof Chevrotain {
  const require = createRequire(import.meta.url);
  try {
    return require(join(dirname(require.resolve('chevrotain')), '..', 'chevrotain.mjs')) as typeof Chevrotain;
  } catch {
    return require('chevrotain') as typeof Chevrotain;
  }
}

export const { createToken, createSyntaxDiagramsCode, EmbeddedActionsParser, EOF, Lexer, tokenMatcher } = load();
