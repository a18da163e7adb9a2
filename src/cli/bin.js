#!/usr/bin/env node
// The published entry point. seqrun ships TypeScript sources and loads them (and the user's
// seqrun.config.ts and binding modules) through tsx, so there is no build step between a
// checkout and a working CLI.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

register();
// A config or binding module in a package without "type": "module" loads as CommonJS.
registerCommonJs();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
