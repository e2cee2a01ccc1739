#!/usr/bin/env node
// Executable stub for the npm install: refuse an unsupported Node in one clear line, turn on Node's
// on-disk compile cache, then load the CLI (for explain, its one-file fast path first). Built for
// old JavaScript on purpose (no top-level await, no optional chaining) so that even an old Node
// parses this file and prints the message.
import module from 'node:module';

declare const __MIN_NODE__: string;

function tooOld(version: string, min: string): boolean {
  const have = version.split('.').map(Number);
  const need = min.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const h = have[i] || 0;
    const n = need[i] || 0;
    if (h !== n) return h < n;
  }
  return false;
}

if (tooOld(process.versions.node, __MIN_NODE__)) {
  process.stderr.write(`error: kubectl-netpol needs Node.js >= ${__MIN_NODE__}, but ${process.execPath} is Node.js ${process.versions.node}; install a newer Node.js or use the standalone executable (no Node.js needed)\n`);
  process.exitCode = 2;
} else {
  const cache = (module as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (cache) cache();
  // Variable specifiers: the CLI is separate bundles beside this file, loaded only after the check.
  // `explain` first tries dist/explain.mjs (explain -f in one file, see cmd/explain-main.ts).
  const entry = './cli.mjs';
  const explain = './explain.mjs';
  const failed = (file: string) => (e: unknown) => {
    process.stderr.write(`error: internal error: cannot load ${file}: ${String(e)}\n`);
    process.exitCode = 10;
  };
  const full = () => import(entry).then((cli: { run(): Promise<void> }) => cli.run(), failed(entry));
  if (process.argv[2] === 'explain')
    import(explain).then((m: { run(): Promise<boolean> }) => m.run().then((done) => (done ? undefined : full())), failed(explain));
  else full();
}
