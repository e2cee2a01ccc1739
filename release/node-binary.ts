// Platform Node binaries from the npm registry (`npm pack node-<os>-<arch>@<version>`), extracted
// once into a cache directory keyed by package and version.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** ~/.cache/kubectl-netpol (or $XDG_CACHE_HOME/kubectl-netpol, or $NETPOL_CACHE_DIR). */
export function cacheDir(...sub: string[]): string {
  const base = process.env.NETPOL_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kubectl-netpol');
  const dir = join(base, ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Path of bin/node (bin/node.exe) of `pkg@version`, downloading it through npm on first use. */
export function nodeBinary(pkg: string, version: string, log: (s: string) => void): string {
  const dir = cacheDir('release', 'node', `${pkg}-${version}`);
  const exe = join(dir, pkg.startsWith('node-win') ? 'node.exe' : 'node');
  if (existsSync(exe)) return exe;
  log(`fetching ${pkg}@${version} from the npm registry`);
  const tmp = mkdtempSync(join(dir, '.tmp-'));
  try {
    const file = execFileSync('npm', ['pack', '--silent', `${pkg}@${version}`, '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
    const member = `package/bin/${exe.endsWith('.exe') ? 'node.exe' : 'node'}`;
    execFileSync('tar', ['-xzf', join(tmp, file), '-C', tmp, member], { stdio: 'inherit' });
    chmodSync(join(tmp, member), 0o755);
    renameSync(join(tmp, member), exe);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return exe;
}
