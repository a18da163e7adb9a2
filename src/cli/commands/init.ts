// `seqrun init [DIR]`: a new project in a few seconds: seqrun.config.ts, a first diagram in a Markdown
// document, a sample binding for every step of it, and a tsconfig.json for type-checking bindings.
// Writes no file that exists (without --force); `seqrun check` and `seqrun run` pass on the result.
import type { CommandSpec } from '../io.ts';

interface InitArgs {
  readonly dir?: string;
  readonly force: boolean;
}

const CONFIG = `import { defineConfig } from 'seqrun/config';

export default defineConfig({
  // The binding modules: every arrow and note of the diagrams is bound to a handler in them.
  bindings: ['steps/*.ts'],
  // The diagrams \`seqrun check\` checks when it is given no path.
  specs: ['docs/release.md'],
});
`;

const DOCUMENT = `# Release process

How a release goes out. \`seqrun run docs/release.md\` runs the diagram below; \`seqrun check\` proves
every step of it has exactly one handler in \`steps/\`.

\`\`\`sequence
CI->Repository: Tag release v1.0.0
Repository-->CI: Success
CI->CI: Build the site
Note over CI: The build is ready to publish
\`\`\`
`;

const BINDING = `import { defineSteps } from 'seqrun';

// One handler per step of docs/release.md. Replace the bodies with the real work: the packs
// (seqrun/packs/shell, git, s3, codebuild, ecr, registry, slack) do the common parts.
export default defineSteps((s) => {
  s.call('Tag release {word}', { from: 'CI', to: 'Repository' }, async (ctx, version: string) => {
    ctx.log.info(\`would tag \${version}\`);
  });
  s.call('Build the site', { from: 'CI', to: 'CI' }, async (ctx) => {
    ctx.log.info('would build the site');
  });
  s.expect('The build is ready to publish', { over: 'CI' }, async (ctx) => {
    ctx.log.info('would check the build output');
  });
});
`;

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      types: ['node'],
    },
    include: ['seqrun.config.ts', 'steps'],
  },
  null,
  2,
)}\n`;

const FILES: readonly (readonly [string, string])[] = [
  ['seqrun.config.ts', CONFIG],
  ['docs/release.md', DOCUMENT],
  ['steps/release.ts', BINDING],
  ['tsconfig.json', TSCONFIG],
];

const spec: CommandSpec<InitArgs> = {
  command: 'init [dir]',
  describe: 'Start a project: seqrun.config.ts, a first diagram (docs/release.md), its bindings (steps/) and a tsconfig.json',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'The project folder (default: here)' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite files that exist' }),
  run: async (args, io) => {
    const { existsSync } = await import('node:fs');
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { dirname, join, resolve } = await import('node:path');
    const root = resolve(io.cwd, args.dir ?? '.');
    const existing = FILES.filter(([name]) => existsSync(join(root, name))).map(([name]) => name);
    if (existing.length > 0 && !args.force) {
      io.stderr(`seqrun init: ${existing.join(', ')} already exist in ${root}; nothing was written. Run with --force to overwrite them.\n`);
      return 2;
    }
    for (const [name, text] of FILES) {
      await mkdir(dirname(join(root, name)), { recursive: true });
      await writeFile(join(root, name), text);
      io.stdout(`wrote ${name}\n`);
    }
    const installed = existsSync(join(root, 'node_modules', 'seqrun'));
    io.stdout(
      [
        '',
        'Next:',
        ...(installed ? [] : ['  npm i -D seqrun @types/node      # if this folder has no package.json yet: npm init -y first']),
        '  npx seqrun check                 # every step bound to exactly one handler',
        '  npx seqrun run docs/release.md   # run it',
        '  npx tsc --noEmit                 # type-check the bindings',
        'Then draw your own process in docs/release.md: `seqrun check` prints a handler to paste for every new step.',
        '',
      ].join('\n'),
    );
    return 0;
  },
};
export default spec;
