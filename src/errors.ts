// seqrun's one error convention (as cucumber-expressions' Errors.ts keeps one): a class per kind of
// failure, each with a stable `name` (what the journal's `error.name`, logs and a handler's checks
// match on, unchanged by minifiers and bundling), a `code` for programs, and the `cause` it came from
// kept through the standard ErrorOptions.

export abstract class SeqrunError extends Error {
  abstract override readonly name: string;
  /** Stable and machine-readable: the service's own code when it gives one (`NoSuchKey`), else seqrun's (`GIT_FAILED`). */
  readonly code: string;

  protected constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
