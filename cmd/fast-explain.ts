// The explain fast path: `explain A B` with only -f/--filename, -n/--namespace and -p/--port, each
// flag and its value as separate words, read without loading yargs (~50 ms of a cold start). Any other
// command line returns undefined and goes through yargs; test/cli/fast-explain.test.ts checks that
// both give the same arguments.
import type { ExplainArgs } from './commands/explain.js';
import { asFileList } from './options.js';

/** The flags the fast path reads, by every spelling, to the ExplainArgs key they set. */
const FLAGS: Readonly<Record<string, 'filename' | 'namespace' | 'port'>> = {
  '-f': 'filename',
  '--filename': 'filename',
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-p': 'port',
  '--port': 'port',
};

const COMMAND_WORDS = new Set(['explain', 'matrix', 'check', 'probe', 'lint', 'diff', 'tui', 'ui', 'version', 'completion', '__complete']);

/** Words yargs reads as the plain string (numbers too: explain declares every value a string). */
const plainWord = (w: string): boolean => w !== '' && w[0] !== '-' && !COMMAND_WORDS.has(w);

/** The arguments yargs would give `runExplain` for `argv`, or undefined when yargs must decide. */
export function fastExplainArgs(argv: readonly string[]): ExplainArgs | undefined {
  if (argv[0] !== 'explain') return undefined;
  const positionals: string[] = [];
  const files: string[] = [];
  let namespace: string | undefined;
  let port: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    const flag = FLAGS[word];
    if (flag === undefined) {
      if (!plainWord(word)) return undefined;
      positionals.push(word);
      continue;
    }
    const value = argv[++i];
    if (value === undefined || !plainWord(value)) return undefined;
    // -f repeats; a repeated --port or -n is yargs' to report (or to turn into a list).
    if (flag === 'filename') files.push(value);
    else if (flag === 'port') {
      if (port !== undefined) return undefined;
      port = value;
    }
    else if (namespace !== undefined) return undefined;
    else namespace = value;
  }
  if (positionals.length !== 2) return undefined;
  const args: ExplainArgs = { from: positionals[0]!, to: positionals[1]!, color: 'auto', output: 'text' };
  const filename = files.length > 0 ? asFileList(files) : undefined;
  if (filename !== undefined) args.filename = filename;
  if (namespace !== undefined) args.namespace = namespace;
  if (port !== undefined) args.port = port;
  return args;
}
