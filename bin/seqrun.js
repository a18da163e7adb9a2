#!/usr/bin/env node
// The installed command: a few lines that start the built CLI (dist/), as changesets' bin.js does.
// Node's compile cache keeps the compiled code of seqrun and its dependencies between runs
// (in the OS temp folder unless NODE_COMPILE_CACHE says where).
import module from 'node:module';

module.enableCompileCache?.();
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  // Only a checkout of seqrun's own repository gets here: a package always holds dist/.
  process.stderr.write('seqrun: this checkout is not built yet; run `npm run build` (npm test and npm run demo build it too).\n');
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
