// `seqrun lsp`: the language server on stdin and stdout (docs/editor.md). Editors start it as
// `seqrun lsp --stdio`; vscode-languageclient may add `--clientProcessId=PID`, which the protocol
// library reads itself. The server is loaded only when this command runs.
import type { CommandSpec } from '../io.ts';

interface LspArgs {
  readonly config?: string;
  readonly profile?: string;
}

const spec: CommandSpec<LspArgs> = {
  command: 'lsp',
  describe: 'Run the language server (diagnostics, hover, definitions, completion, fixes, formatting) on stdin/stdout',
  builder: (y) =>
    y
      .option('stdio', { type: 'boolean', default: true, describe: 'Talk over stdin and stdout (the only transport)' })
      .option('clientProcessId', { type: 'string', describe: "The editor's process id; the server ends when it does" })
      .option('config', { type: 'string', describe: 'The config file for every document (default: the nearest seqrun.config.ts)' })
      .option('profile', { type: 'string', describe: 'A profile of the config (default: $SEQRUN_PROFILE)' }),
  run: async (args, io) => {
    const { resolve } = await import('node:path');
    const { serve } = await import('../../lsp/server.ts');
    await serve({
      input: process.stdin,
      output: process.stdout,
      configPath: args.config === undefined ? undefined : resolve(io.cwd, args.config),
      profile: args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined),
    });
    return 0;
  },
};
export default spec;
