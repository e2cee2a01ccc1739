// The explain fast path (cmd/fast-explain.ts) must hand runExplain exactly what yargs would: checked
// on generated command lines against the real parser (with runExplain replaced by a recorder).
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { ExplainArgs } from '../../cmd/commands/explain.js';
import { fastExplainArgs } from '../../cmd/fast-explain.js';
import type { CommandIO } from '../../cmd/io.js';
import { buildParser } from '../../cmd/parser.js';
import { runCli } from './run-cli.js';

const seen: ExplainArgs[] = [];
vi.mock('../../cmd/commands/explain-run.js', () => ({
  runExplain: async (a: ExplainArgs) => {
    seen.push(a);
    return 0;
  },
}));

const io: CommandIO = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, readStdin: async () => '' };
const KEYS = ['from', 'to', 'filename', 'namespace', 'port', 'protocol', 'output', 'color', 'verbose', 'suggest', 'context', 'kubeconfig', 'cluster', 'user', 'request-timeout', 'all-namespaces'] as const;
const pick = (a: object) => Object.fromEntries(KEYS.map((k) => [k, (a as Record<string, unknown>)[k]]).filter(([, v]) => v !== undefined));

/** What yargs gives runExplain for argv, or the error it stops with. */
async function viaYargs(argv: string[]): Promise<Record<string, unknown> | { error: string }> {
  seen.length = 0;
  try {
    await buildParser(io, 'explain', () => undefined).parseAsync(argv);
  } catch (e) {
    return { error: (e as Error).message };
  }
  return seen.length === 1 ? pick(seen[0]!) : { error: `handler ran ${seen.length} times` };
}

const word = fc.constantFrom('ns/pod', 'web', 'a/b', 'frontend/app', 'deploy/web', 'svc/api:80', '10.0.0.1', 'fd00::1', '1', '010', '0x10', 'true', 'a,b', ',', 'x.y', 'explain', '-', '', '-x', 'node/n1', 'ns/svc/api');
const flag = fc.constantFrom('-f', '--filename', '-n', '--namespace', '-p', '--port', '-o', '--verbose', '-A', '--protocol', '--', '--port=80', '-fx');
const portValue = fc.constantFrom('8080', '80', '0', '65536', 'http', 'HTTP', 'metrics', '1e3', '08', '-1', 'a-b');
const piece = fc.oneof(word.map((w) => [w]), fc.tuple(flag, word).map(([f, w]) => [f, w]), fc.constantFrom('-p', '--port').chain((f) => portValue.map((v) => [f, v])), flag.map((f) => [f]));

describe('explain fast path', () => {
  it.each([
    [['explain', '-f', 'm.json', 'a/b', 'c/d', '--port', '8080']],
    [['explain', 'a/b', 'c/d']],
    [['explain', '-f', 'x', '-f', 'y,z', 'a', 'b', '-n', 'ns', '-p', 'http']],
  ])('takes %j as yargs does', async (argv) => {
    const fast = fastExplainArgs(argv);
    expect(fast).toBeDefined();
    expect(pick(fast!)).toEqual(await viaYargs(argv));
  });

  it.each([
    [['explain', 'a', 'b', '--verbose']],
    [['explain', 'a', 'b', '-o', 'json']],
    [['explain', 'a', 'b', '--port', '80', '--port', '81']],
    [['explain', 'a']],
    [['explain', '-f', '-', 'a', 'b']],
    [['matrix', '-A']],
    [['--help']],
  ])('leaves %j to yargs', (argv) => {
    expect(fastExplainArgs(argv)).toBeUndefined();
  });

  it('agrees with yargs on generated command lines, and never takes one yargs rejects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 6 }), async (pieces) => {
        const argv = ['explain', ...pieces.flat()];
        const fast = fastExplainArgs(argv);
        if (fast === undefined) return;
        expect(pick(fast)).toEqual(await viaYargs(argv));
      }),
      { numRuns: 400 },
    );
  });

  it('main() runs the fast path through the same handler and exit code', async () => {
    seen.length = 0;
    const r = await runCli(['explain', '-f', 'm.json', 'a/b', 'c/d', '--port', '8080']);
    expect(r.code).toBe(0);
    expect(seen.map(pick)).toEqual([pick(fastExplainArgs(['explain', '-f', 'm.json', 'a/b', 'c/d', '--port', '8080'])!)]);
  });
});
