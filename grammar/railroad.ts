// Generates grammar/railroad/index.html, the railroad diagrams of the grammar, from the Chevrotain
// parser itself (createSyntaxDiagramsCode). Run `node grammar/railroad.ts`; a test keeps the
// committed file in step with the grammar.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSyntaxDiagramsCode } from '../src/syntax/chevrotain.ts';
import { sequenceParser } from '../src/syntax/grammar.ts';

export const RAILROAD_FILE = fileURLToPath(new URL('./railroad/index.html', import.meta.url));

export function railroadHtml(): string {
  return createSyntaxDiagramsCode(sequenceParser.getSerializedGastProductions());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(RAILROAD_FILE, railroadHtml());
  console.log(`wrote ${RAILROAD_FILE}`);
}
