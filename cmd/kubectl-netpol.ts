// Entry point: hands the command line to yargs (or the explain fast path), turns errors into messages + exit codes.
import { CliError, ExitCode } from '../src/errors.js';
import { fastExplainArgs } from './fast-explain.js';
import { processIO, type CommandIO } from './io.js';
import { helpHint, STDIN_TOKEN } from './options.js';
import { reportError } from './report.js';

const COMMANDS = ['explain', 'matrix', 'check', 'probe', 'lint', 'diff', 'tui', 'ui', 'version', 'completion'];

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  let code: number = ExitCode.ok;
  const command = argv.find((a) => COMMANDS.includes(a));
  try {
    // The everyday `explain [-f F] A B [--port P] [-n NS]`: read without yargs, which takes ~50 ms to load.
    const fast = fastExplainArgs(argv);
    if (fast) return await (await import('./commands/explain-run.js')).runExplain(fast, io);
    const { buildParser, hideBin, skipHelpRendering } = await import('./parser.js');
    const parser = buildParser(io, command, (c) => (code = c));
    skipHelpRendering(parser);
    // Shell completion (the scripts and kubectl_complete-netpol): answered from the parser's own spec.
    if (argv[0] === '__complete') return await (await import('./commands/complete-run.js')).runComplete(argv.slice(1), parser, io);
    rejectLogLevel(argv, command);
    // Bare `kubectl netpol`: the help, on stdout, as a successful call.
    if (argv.length === 0) argv = ['--help'];
    const args = positionalsAfterDoubleDash(hideBin(['node', 'kubectl-netpol', ...argv]).map((a) => (a === '-' ? STDIN_TOKEN : a)));
    await parser.parseAsync(args, {}, (err, _argv, output) => {
      if (output) io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
      if (err) throw err;
    });
    return code;
  } catch (e) {
    return reportError(e, io, command);
  }
}

/**
 * kubectl's `-v=N`/`--v=N` is a log level. Without a -v alias yargs would call it an unknown argument;
 * say what it is instead (it must never silently mean --verbose).
 */
function rejectLogLevel(argv: readonly string[], command: string | undefined): void {
  const end = argv.indexOf('--');
  for (const a of end === -1 ? argv : argv.slice(0, end)) {
    if (/^--?v(=.*|\d+)?$/.test(a)) throw new CliError(`${a}: -v/--v log levels are not supported; use --verbose`, helpHint(command), ExitCode.usage);
  }
}

/**
 * `explain -f M -- a b`: yargs 18 counts words after `--` as positionals but then does not assign them
 * ("Not enough non-option arguments"). References and file paths never start with "-", so the words
 * after `--` can simply be given as ordinary positionals; a word that does start with "-" is left
 * behind the `--` (yargs then reports it).
 */
export function positionalsAfterDoubleDash(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  if (end === -1) return [...args];
  const after = args.slice(end + 1);
  return after.some((a) => a.startsWith('-')) ? [...args] : [...args.slice(0, end), ...after];
}
