// Why a user's TypeScript module did not load, said in terms of the fix. seqrun loads seqrun.config.ts
// and binding modules with Node's own type stripping, which erases types and nothing else: enums,
// namespaces, parameter properties and tsconfig path aliases need a compiler, so Node refuses them.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface LoadFailure {
  /** The module where the problem is written (it may be a module the loaded one imports). */
  readonly file: string | null;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string;
}

const STRIPPING = "seqrun loads TypeScript with Node's type stripping, which only erases types";

const CONSTRUCT_FIX: Readonly<Record<string, string>> = {
  enum: 'use a union of string literals, or an object with `as const`',
  'parameter property': 'declare the field in the class body and assign it in the constructor',
  'namespace declaration': 'use the module itself: export the members from the file',
  'module declaration': 'use the module itself: export the members from the file',
  'import = declaration': "use `import ... from '...'`",
  'export = declaration': 'use `export default`',
};

/** `file:line`, the source lines and the caret line that Node puts at the top of a syntax error's stack. */
function syntaxLocation(stack: string): { file: string; line: number; column: number } | null {
  const lines = stack.split('\n');
  const header = /^(.+):(\d+)$/.exec(lines[0] ?? '');
  if (!header) return null;
  const file = header[1] ?? '';
  const caretLine = lines.slice(1, 8).find((l) => /^\s*\^+\s*$/.test(l)) ?? '';
  const caret = caretLine.indexOf('^');
  return { file: file.startsWith('file:') ? fileURLToPath(file) : file, line: Number(header[2]), column: caret >= 0 ? caret + 1 : 1 };
}

/** The line and column where `specifier` is written in `file`, for an import Node could not resolve. */
function importLocation(file: string, specifier: string): { line: number; column: number } {
  const lines = (existsSync(file) ? readFileSync(file, 'utf8') : '').split('\n');
  for (const [index, text] of lines.entries()) {
    const column = Math.max(text.indexOf(`'${specifier}`), text.indexOf(`"${specifier}`));
    if (column >= 0) return { line: index + 1, column: column + 2 };
  }
  return { line: 0, column: 1 };
}

function unsupportedSyntax(error: Error): LoadFailure {
  const construct = /^TypeScript (.+?) is not supported/.exec(error.message)?.[1] ?? 'syntax';
  const where = syntaxLocation(error.stack ?? '');
  const fix = CONSTRUCT_FIX[construct] ?? 'rewrite it with syntax that only adds types';
  return {
    file: where?.file ?? null,
    line: where?.line ?? 0,
    column: where?.column ?? 1,
    message: `TypeScript ${construct} is not supported here: ${STRIPPING}.`,
    hint: `To fix it, ${fix}. TypeScript's \`erasableSyntaxOnly\` option finds every such place; or compile the module to JavaScript and list the .js file.`,
  };
}

function moduleNotFound(error: Error & { url?: string }): LoadFailure | null {
  const specifier = /^Cannot find (?:package|module) '([^']+)'/.exec(error.message)?.[1];
  if (!specifier) return null;
  const importer = / imported from (.+)$/.exec(error.message)?.[1] ?? null;
  const base = importer ? { file: importer, ...importLocation(importer, specifier) } : { file: null, line: 0, column: 1 };
  if (/^[@~#]\//.test(specifier) || specifier.startsWith('~')) {
    return {
      ...base,
      message: `Cannot resolve '${specifier}': tsconfig \`paths\` aliases are not applied when Node loads TypeScript.`,
      hint: "Import it by a relative path with its extension ('./lib/x.ts'), or declare the alias in package.json `imports` ('#lib/*').",
    };
  }
  const path = error.url?.startsWith('file:') ? fileURLToPath(error.url) : specifier;
  const withExtension = ['.ts', '.mts', '.js'].find((ext) => existsSync(`${path}${ext}`));
  if (!withExtension) return null;
  return {
    ...base,
    message: `Cannot find module '${specifier}': Node resolves imports exactly as written, without adding an extension.`,
    hint: `Write the file's extension in the import ('${specifier.split('/').at(-1)}${withExtension}').`,
  };
}

/** A clearer account of a load failure that comes from Node's TypeScript support, or null for any other. */
export function typeScriptLoadFailure(error: unknown): LoadFailure | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') return unsupportedSyntax(error);
  if (code === 'ERR_INVALID_TYPESCRIPT_SYNTAX') {
    const where = syntaxLocation(error.stack ?? '');
    return {
      file: where?.file ?? null,
      line: where?.line ?? 0,
      column: where?.column ?? 1,
      message: error.message,
      hint: 'Fix the syntax error at this place.',
    };
  }
  if (code === 'ERR_MODULE_NOT_FOUND') return moduleNotFound(error);
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[mc]?ts/.test(error.message)) {
    return {
      file: null,
      line: 0,
      column: 1,
      message: `Node ${process.version} cannot load TypeScript files.`,
      hint: 'seqrun needs Node 22.18 or later (Node 24 LTS recommended), which loads TypeScript by stripping types.',
    };
  }
  return null;
}
