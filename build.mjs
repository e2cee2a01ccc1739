// Bundles the CLI (fast cold start): dist/kubectl-netpol.mjs is a small stub that enables Node's
// compile cache, then loads the code, split into chunks so rarely used parts (live cluster client)
// load only when a command needs them.
import { build } from 'esbuild';
import { readFileSync, chmodSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { 'kubectl-netpol': 'cmd/bin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  // NODE_ENV: React and ink otherwise run their development builds (several times slower per frame).
  define: { __VERSION__: JSON.stringify(pkg.version), 'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"' },
  // ink optionally loads react-devtools-core in development only.
  alias: { 'react-devtools-core': './build/empty-module.js' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/kubectl-netpol.mjs', 0o755);
