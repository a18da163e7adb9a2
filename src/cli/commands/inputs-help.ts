// The declared inputs of a project (the config's `vars`), as `seqrun plan` lists them under the plan
// and `seqrun run --help` / `resume --help` list them under the options when run inside a project.
import type { InputDeclaration } from '../../bind/inputs.ts';
import { table } from '../args.ts';
import type { Io } from '../io.ts';

/** What `--var` a run of this project takes, one line each; '' when it declares none. */
export function inputsList(vars: Readonly<Record<string, InputDeclaration>>): string {
  const rows = Object.entries(vars).map(([name, input]) => {
    const facts = [
      input.required && input.default === undefined ? 'required' : 'optional',
      input.pattern === undefined ? '' : `/${input.pattern}/`,
      input.default === undefined ? '' : `default ${input.secret ? '***' : JSON.stringify(input.default)}`,
      input.secret ? 'secret' : '',
    ].filter(Boolean);
    return [name, `${facts.join(', ')}${input.description ? `  ${input.description}` : ''}`] as const;
  });
  return rows.length === 0 ? '' : `\ninputs (--var NAME=VALUE):\n${table(rows)}\n`;
}

/** The inputs of the project around the working directory (`--config`, `--profile` as given), for --help. */
export async function projectInputsHelp(args: { readonly config?: string; readonly profile?: string }, io: Io): Promise<string> {
  const { loadProject } = await import('../../bind/index.ts');
  const loaded = await loadProject({ cwd: io.cwd, configPath: args.config, profile: args.profile }).catch(() => null);
  const vars = loaded?.project?.config.vars;
  return vars ? inputsList(vars).replace('\ninputs', "\nThis project's inputs") : '';
}
