// The shell pack: build commands from argument arrays.
export { runCommand, CommandError } from './run-command.ts';
export type { RunCommandOptions, CommandResult } from './run-command.ts';
