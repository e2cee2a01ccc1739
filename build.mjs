// Bundles the CLI into one ESM file (fast cold start): dist/kubectl-netpol.mjs.
import { build } from 'esbuild';
import { readFileSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: ['cmd/kubectl-netpol.ts'],
  outfile: 'dist/kubectl-netpol.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version), 'process.env.DEV': '"false"' },
  // ink optionally loads react-devtools-core in development only.
  alias: { 'react-devtools-core': './build/empty-module.js' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/kubectl-netpol.mjs', 0o755);
