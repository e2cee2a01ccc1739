// Errors the CLI reports to the user: message names the object/flag/file, hint says how to fix it.

/** Exit codes, kubectl auth can-i style: 0 yes/allowed, 1 no/denied, >1 could not answer. */
export const ExitCode = {
  ok: 0,
  denied: 1,
  usage: 2,
  input: 2,
  unreachable: 3,
  unauthorized: 4,
  forbidden: 5,
  timeout: 6,
  internal: 10,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = ExitCode.input,
    /** Further lines (e.g. every invalid object), printed after the message. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
