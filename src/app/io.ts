// The one window onto the process that the application layer and the CLI's commands get. The CLI
// makes it from `process` (src/cli/io.ts); tests pass their own.

export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stdout is a terminal and CI is not set: live progress, colours unless NO_COLOR. */
  readonly isTTY: boolean;
  /** `--verbose`: stack traces of internal errors. */
  readonly verbose: boolean;
}

/** What `run` and `resume` need besides: the terminal's height for the live list, and who runs. */
export interface RunIo extends Io {
  readonly rows: number;
  readonly pid: number;
  /** Diagnostics shown per file (`--max-errors`; 0: all; unset: the default). */
  readonly maxErrors?: number | undefined;
}
