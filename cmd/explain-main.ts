// dist/explain.mjs: `explain -f ...` through the fast path (fast-explain.ts), bundled as one file
// without the live-cluster client, so a cold explain of manifests loads one module instead of the
// CLI's ~20 chunks. The npm stub tries it first for `explain`; anything else runs the full CLI.
import { runExplain } from './commands/explain-run.js';
import { fastExplainArgs } from './fast-explain.js';
import { guardPipes, processIO } from './io.js';
import { reportError } from './report.js';

/** Runs the command line if it is an explain on manifests the fast path reads; false: it is not. */
export async function run(): Promise<boolean> {
  const args = fastExplainArgs(process.argv.slice(2));
  if (!args?.filename || args.filename.length === 0) return false;
  guardPipes();
  try {
    process.exitCode = await runExplain(args, processIO);
  } catch (e) {
    process.exitCode = reportError(e, processIO, 'explain');
  }
  return true;
}
