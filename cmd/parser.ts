// The yargs parser with every command (loaded only when a command line needs yargs: see fast-explain.ts).
import yargs, { type Argv } from 'yargs';
import { CliError, ExitCode } from '../src/errors.js';
import { checkBuilder, type CheckArgs } from './commands/check.js';
import { completionBuilder, runCompletion, type CompletionArgs } from './commands/completion.js';
import { diffBuilder, type DiffArgs } from './commands/diff.js';
import { lintBuilder, type LintArgs } from './commands/lint.js';
import { explainBuilder, type ExplainArgs } from './commands/explain.js';
import { matrixBuilder, type MatrixArgs } from './commands/matrix.js';
import { tuiBuilder, type TuiArgs } from './commands/tui.js';
import { probeBuilder, type ProbeArgs } from './commands/probe.js';
import { runVersion, versionBuilder, versionInfo, type VersionArgs } from './commands/version.js';
import type { CommandIO } from './io.js';
import { helpHint } from './options.js';

export { hideBin } from 'yargs/helpers';

/** The yargs parser with every command (completion reads its commands and flags from it too). */
export function buildParser(io: CommandIO, command: string | undefined, setCode: (code: number) => void): Argv {
  const run = <A>(fn: (a: A, io: CommandIO) => Promise<number>) => async (a: A) => {
    setCode(await fn(a, io));
  };
  return yargs()
    .scriptName('kubectl netpol')
    .usage('kubectl netpol: why can (or cannot) this pod talk to that pod?\n\nUsage: kubectl netpol <command> [options]')
    // Handlers load their command's code on demand so --help and usage errors stay fast.
    .command<ExplainArgs>('explain <from> <to>', 'Explain whether a connection is allowed, down to the rule term that decided it', explainBuilder as never, run(async (a: ExplainArgs, o) => (await import('./commands/explain-run.js')).runExplain(a, o)))
    .command<MatrixArgs>('matrix', 'All-pairs reachability of the pods in a namespace (-n) or all namespaces (-A)', matrixBuilder as never, run(async (a: MatrixArgs, o) => (await import('./commands/matrix-run.js')).runMatrix(a, o)))
    .command<CheckArgs>('check <flows>', 'Verify a file of expected flows (exit 0 only if all pass)', checkBuilder as never, run(async (a: CheckArgs, o) => (await import('./commands/check-run.js')).runCheck(a, o)))
    .command<ProbeArgs>('probe [from] [to]', 'Verify paths with real connections from the source pod\'s own identity, and compare with the model', probeBuilder as never, run(async (a: ProbeArgs, o) => (await import('./commands/probe-run.js')).runProbe(a, o)))
    .command<LintArgs>('lint', 'Find policy mistakes before they ship: rule ids, severities, fields, file and line (text, -o json, -o sarif)', lintBuilder as never, run(async (a: LintArgs, o) => (await import('./commands/lint-run.js')).runLint(a, o)))
    .command<DiffArgs>('diff', 'Which connections applying manifests (-f) or deleting policies (--delete) would open or block', diffBuilder as never, run(async (a: DiffArgs, o) => (await import('./commands/diff-run.js')).runDiff(a, o)))
    .command<TuiArgs>(['tui', 'ui'], 'Interactive browser: namespaces, the policies selecting each pod, the reachability matrix, explain (live or -f)', tuiBuilder as never, run(async (a: TuiArgs, o) => (await import('./commands/tui-run.js')).runTui(a, o)))
    .command<VersionArgs>('version', 'Print the version, commit and Node.js version', versionBuilder as never, run(runVersion))
    .command<CompletionArgs>('completion <shell>', 'Print a shell completion script (bash, zsh, fish)', completionBuilder as never, run(runCompletion))
    .command('__complete', false, (y) => y, () => undefined)
    .demandCommand(1, 'Give a command: explain, matrix, check, probe, lint, diff or tui.')
    .strict()
    .recommendCommands()
    .version(versionInfo().version)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .epilogue('Reads the cluster through kubeconfig like kubectl, or manifests with -f. Exit codes: 0 allowed/passed, 1 denied/failed, 2 bad input, 3+ cluster errors.')
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs reports its own parse and validation errors as YError: those are usage errors, not bugs.
      if (err && err.name !== 'YError') throw err;
      throw new CliError(msg || err?.message || 'invalid arguments', helpHint(command), ExitCode.usage);
    });
}

/**
 * yargs renders the running command's whole help text before every handler, in case the handler
 * calls showHelp() (this CLI never does): ~15 ms of each command's start. --help still renders it.
 */
export function skipHelpRendering(parser: unknown): void {
  const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

