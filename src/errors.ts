// Errors the CLI reports to the user: message names the object/flag/file, hint says how to fix it.

/**
 * Exit codes, kubectl auth can-i style: 0 yes/allowed, 1 no/denied, >1 could not answer. The README's
 * "Exit codes" table lists them all (test/cli/exit-codes.test.ts keeps it in sync).
 */
export const ExitCode = {
  ok: 0,
  denied: 1,
  usage: 2,
  input: 2,
  unreachable: 3,
  unauthorized: 4,
  forbidden: 5,
  timeout: 6,
  /** No usable cluster configuration: no kubeconfig (and not in a pod), an unreadable or invalid one, or a --context/--cluster/--user it lacks. */
  config: 7,
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
