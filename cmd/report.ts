// An error as the user sees it: message, details and hint on stderr, and the exit code it means.
import { CliError, ExitCode } from '../src/errors.js';
import type { CommandIO } from './io.js';
import { helpHint } from './options.js';

/** Writes `e` to stderr and returns its exit code (unexpected errors: a stack trace and ExitCode.internal). */
export function reportError(e: unknown, io: CommandIO, command?: string): number {
  // ResolveError is matched by name: importing the engine here would slow down --help.
  const isResolve = e instanceof Error && e.name === 'ResolveError';
  if (e instanceof Error && e.name === 'YError') return reportError(new CliError(e.message, helpHint(command), ExitCode.usage), io);
  if (e instanceof CliError || isResolve) {
    const err = e as Error & { hint?: string };
    io.stderr.write(`error: ${err.message}\n`);
    if (e instanceof CliError) for (const d of e.details) io.stderr.write(`  ${d}\n`);
    if (err.hint) io.stderr.write(`hint: ${err.hint}\n`);
    return e instanceof CliError ? e.exitCode : ExitCode.input;
  }
  io.stderr.write(`error: internal error: ${(e as Error)?.stack ?? String(e)}\nPlease report this at the project's issue tracker.\n`);
  return ExitCode.internal;
}
