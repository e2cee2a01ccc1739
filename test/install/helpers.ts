// Shared by the install checks: run a command and fail with its output, build the release once.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const VERSION = (JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(ROOT, 'package.json'), 'utf8'))) as { version: string }).version;

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function sh(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): Ran {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, cwd: ROOT, ...opts });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs and returns stdout; throws with both streams when the exit code is not `expect`. */
export function ok(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}, expect = 0): string {
  const r = sh(cmd, args, opts);
  if (r.status !== expect) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status} (expected ${expect})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r.stdout;
}

/** `npm run release` into a temporary directory (the manifest too); executables come from the cache when unchanged. */
export function buildRelease(): { out: string; manifest: string } {
  const out = mkdtempSync(join(tmpdir(), 'netpol-release-'));
  const manifest = join(out, 'netpol.yaml');
  ok(join(ROOT, 'node_modules', '.bin', 'tsx'), ['release/release.ts', '--out', out, '--manifest', manifest], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(manifest)) throw new Error(`the release wrote no ${manifest}`);
  return { out, manifest };
}
