#!/usr/bin/env node
// The installed command: a few lines that start the built CLI (dist/), as changesets' bin.js does.
// Node's compile cache keeps the compiled code of seqrun and its dependencies between runs
// (in the OS temp folder unless NODE_COMPILE_CACHE says where).
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
