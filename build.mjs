// Bundles the CLI (fast cold start). dist/kubectl-netpol.mjs is a small stub, written in old
// JavaScript, that checks the Node version, enables Node's compile cache and then loads dist/cli.mjs,
// split into chunks so rarely used parts (live cluster client) load only when a command needs them;
// for explain it first tries dist/explain.mjs (explain -f in one file).
// The standalone executables (release/) carry these same files inside them.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, chmodSync, rmSync } from 'node:fs';
import { lazySegmenter } from './build/lazy-segmenter.mjs';

// --outdir DIR: build elsewhere (npm run release does, so tests running dist/ meanwhile are undisturbed).
const outIdx = process.argv.indexOf('--outdir');
const outdir = outIdx > 0 ? process.argv[outIdx + 1] : 'dist';
if (!outdir) throw new Error('--outdir needs a directory');
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const minNode = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines.node)?.[1];
if (!minNode) throw new Error(`package.json engines.node must be ">=X.Y[.Z]", got ${pkg.engines.node}`);

/** The commit the bundle is built from ("unknown" outside a git checkout, "-dirty" with local edits). */
function commit() {
  if (process.env.NETPOL_COMMIT) return process.env.NETPOL_COMMIT;
  try {
    const git = (...a) => execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short=12', 'HEAD');
    // krew/netpol.yaml is written by the release itself: editing it does not make the code dirty.
    return git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!krew/netpol.yaml') ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}

const define = {
  __VERSION__: JSON.stringify(pkg.version),
  __COMMIT__: JSON.stringify(commit()),
  __MIN_NODE__: JSON.stringify(minNode),
  'process.env.DEV': '"false"',
  // React and ink otherwise run their development builds (several times slower per frame).
  'process.env.NODE_ENV': '"production"',
};
// Files whose load-time Intl.Segmenter was made lazy (see build/lazy-segmenter.mjs).
const segmenterRewrites = [];
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  define,
  // ink optionally loads react-devtools-core in development only.
  alias: { 'react-devtools-core': './build/empty-module.js' },
  logLevel: 'warning',
  plugins: [lazySegmenter(segmenterRewrites)],
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: 'cmd/run.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// yargs' copy runs on every command: an upgrade that changes its shape must not silently cost the time again.
if (!segmenterRewrites.some((f) => /[\\/]yargs[\\/]node_modules[\\/]string-width[\\/]/.test(f)))
  throw new Error(`build/lazy-segmenter.mjs no longer matches yargs' string-width (rewrote: ${segmenterRewrites.join(', ') || 'nothing'})`);
// explain -f in one file (cmd/explain-main.ts): the CLI's chunks cost ~1 ms each to load. The
// live-cluster reader (explain without -f) is left out: that command line goes to cli.mjs.
await build({
  ...common,
  entryPoints: { explain: 'cmd/explain-main.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [
    ...common.plugins,
    {
      name: 'no-live-source',
      setup(b) {
        b.onResolve({ filter: /[\\/]sources[\\/]live[\\/]source\.js$/ }, () => ({ path: new URL('./build/no-live-source.js', import.meta.url).pathname }));
      },
    },
  ],
});
if (/@kubernetes\/client-node|KubeConfig/.test(readFileSync(`${outdir}/explain.mjs`, 'utf8'))) throw new Error(`${outdir}/explain.mjs must not bundle the live-cluster client`);
// The stub: nothing bundled, and syntax old Node versions still parse.
await build({ ...common, target: 'es2017', entryPoints: ['cmd/bin.ts'], outfile: `${outdir}/kubectl-netpol.mjs` });
chmodSync(`${outdir}/kubectl-netpol.mjs`, 0o755);

