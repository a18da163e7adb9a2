import { describe, expect, test } from 'vitest';
import { isModule, relativeImports } from './imports.ts';

describe('relativeImports', () => {
  test('the relative imports of a module, relative to the top folder; packages and escapes left out', () => {
    const text = [
      "import { defineSteps } from 'seqrun';",
      "import type { Arch } from './arch.ts';",
      "import { noopJob } from '../support/jobs.ts';",
      "import './side-effect.js';",
      "const lazy = await import('./lazy.mts');",
      'export { x } from "./lib";',
      "import { y } from '../../outside.ts';",
    ].join('\n');
    expect(relativeImports(text, 'steps/interim.ts')).toEqual([
      'steps/arch.ts',
      'support/jobs.ts',
      'steps/side-effect.js',
      'steps/lazy.mts',
      'steps/lib',
    ]);
    expect([isModule('a/b.ts'), isModule('a/b.json'), isModule('a/lib')]).toEqual([true, true, false]);
  });
});
