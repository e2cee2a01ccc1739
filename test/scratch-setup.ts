// vitest globalSetup of the `unit` project: its tests' temporary files (os.tmpdir(), which the
// project's env points here) go into one scratch directory of this run, removed when the run ends,
// so nothing is left in /tmp. Only the unit workers see it: the cluster and node harnesses keep
// their own run directories and clean them up themselves.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The scratch directory of this vitest run (the main process's pid names it). */
export const unitScratchDir = (): string => join(tmpdir(), `netpol-unit-${process.pid}`);

export default function setup(): () => void {
  const dir = unitScratchDir();
  mkdirSync(dir, { recursive: true });
  return () => rmSync(dir, { recursive: true, force: true });
}
