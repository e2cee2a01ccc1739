// Start-up benchmark (prints figures, asserts nothing): the standalone executable against the npm
// bundle on `--help`, `version` and `explain` of a bundled example, each a fresh process, plus the
// executable and archive sizes. Targets: --help and version < 100 ms, explain < 250 ms.
// Run: npm run release -- --platforms linux/amd64 && npm run bench:startup   (N=30 runs by default)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = process.env.NETPOL_RELEASE_DIR ?? join(root, 'out', 'release');
const runs = Number(process.env.N ?? 30);
const archive = join(out, 'kubectl-netpol_v' + (await import('../package.json', { with: { type: 'json' } })).default.version + '_linux_amd64.tar.gz');
if (!existsSync(archive)) throw new Error(`${archive} is missing: run npm run release -- --platforms linux/amd64 first`);
const dir = mkdtempSync(join(tmpdir(), 'netpol-startup-'));
spawnSync('tar', ['-xzf', archive, '-C', dir], { stdio: 'inherit' });
const exe = join(dir, 'kubectl-netpol');
const node = join(root, 'node_modules', 'node', 'bin', 'node');
const bundle = join(root, 'dist', 'kubectl-netpol.mjs');
const example = ['explain', '-f', join(root, 'examples', 'shop', 'manifests'), 'frontend/app', 'backend/db', '--port', '5432'];

// CPU time (user + sys) says what a process costs even when other work shares the cores; wall time
// is what a user waits. GNU time reports the CPU time when it is installed.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Wall and CPU time of one fresh process, in ms; throws if it fails unexpectedly. */
function once(cmd: string, args: string[], env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const [c, a] = TIME ? [TIME, ['-f', '@cpu %U %S', cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = /@cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, p90: s[Math.floor(s.length * 0.9)]! };
};
const cacheDir = join(dir, 'compile-cache');
const cases: [string, string, string[]][] = [
  ['--help', exe, ['--help']],
  ['version', exe, ['version']],
  ['explain (shop example)', exe, example],
];
console.log(`start-up, ${runs} fresh processes each, ${new Date().toISOString()} (load average ${(await import('node:os')).loadavg()[0]!.toFixed(2)}):`);
console.log('| command | build | compile cache | wall min ms | wall median ms | wall p90 ms | CPU median ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [name, , args] of cases) {
  for (const [build, cmd, argv] of [['standalone', exe, args], ['npm bundle (Node 24)', node, [bundle, ...args]]] as const) {
    for (const cache of ['warm', 'off'] as const) {
      const env = cache === 'off' ? { NODE_DISABLE_COMPILE_CACHE: '1' } : { NODE_COMPILE_CACHE: cacheDir };
      once(cmd, [...argv], env); // fills the compile cache (warm) and the page cache
      const xs = Array.from({ length: runs }, () => once(cmd, [...argv], env));
      const s = stats(xs.map((x) => x.wall));
      const cpu = stats(xs.map((x) => x.cpu)).median;
      console.log(`| ${name} | ${build} | ${cache} | ${s.min.toFixed(0)} | ${s.median.toFixed(0)} | ${s.p90.toFixed(0)} | ${Number.isNaN(cpu) ? '-' : cpu.toFixed(0)} |`);
    }
  }
}
console.log('\nsizes:');
console.log(`  standalone linux/amd64 executable: ${(statSync(exe).size / 1e6).toFixed(1)} MB`);
for (const f of readdirSync(out).filter((f) => /\.(tar\.gz|zip)$/.test(f)).sort()) console.log(`  ${f}: ${(statSync(join(out, f)).size / 1e6).toFixed(1)} MB`);
rmSync(dir, { recursive: true, force: true });
