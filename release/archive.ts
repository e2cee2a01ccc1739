// Release archives, byte-for-byte reproducible (fixed mtimes, owners and order) so the sha256 sums in
// krew/netpol.yaml only change when the contents do: .tar.gz with GNU tar + gzip -n, .zip with fflate.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { zipSync } from 'fflate';

export interface ArchiveEntry {
  /** Name inside the archive. */
  readonly name: string;
  readonly source: string;
  readonly mode: number;
}

/** `entries` must all sit in one directory (tar reads them from there). */
export function writeTarGz(out: string, dir: string, entries: readonly ArchiveEntry[], mtime: number): void {
  for (const e of entries) if (basename(e.source) !== e.name) throw new Error(`tar entry ${e.name} must be named like its source ${e.source}`);
  const tar = execFileSync('tar', ['--sort=name', `--mtime=@${mtime}`, '--owner=0', '--group=0', '--numeric-owner', '--format=gnu', '-C', dir, '-cf', '-', ...entries.map((e) => e.name)], { maxBuffer: 1 << 30 });
  const gz = execFileSync('gzip', ['-n'], { input: tar, maxBuffer: 1 << 30 });
  writeFileSync(out, gz);
}

export function writeZip(out: string, entries: readonly ArchiveEntry[], mtime: number): void {
  const files: Record<string, [Uint8Array, { mtime: Date; attrs: number; os: number; level: 6 }]> = {};
  for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    // os 3 (Unix) so the mode bits survive unzip on Linux and macOS.
    files[e.name] = [readFileSync(e.source), { mtime: new Date(mtime * 1000), attrs: ((0o100000 | e.mode) << 16) >>> 0, os: 3, level: 6 }];
  }
  writeFileSync(out, zipSync(files));
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
