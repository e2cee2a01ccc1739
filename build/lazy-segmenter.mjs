// esbuild plugin: the string-width copies that yargs, cliui, ink and wrap-ansi bundle build an
// Intl.Segmenter when their module loads (~15 ms of CPU for ICU's break data, on every command, also
// when nothing is ever measured). Rewritten to build it on the first segment() call instead.
import { readFile } from 'node:fs/promises';

const EAGER = /^(const|let|var) (\w+) = new Intl\.Segmenter\(([^)]*)\);$/gm;
const HELPER = 'const __lazySegmenter = (...a) => { let s; return { segment: (t) => (s ??= new Intl.Segmenter(...a)).segment(t) }; };\n';

/** The plugin; `rewritten` collects the files changed (the build checks yargs' copy was among them). */
export function lazySegmenter(rewritten = []) {
  return {
    name: 'lazy-segmenter',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.js$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('new Intl.Segmenter(')) return undefined;
        let changed = false;
        const out = text.replace(EAGER, (_m, decl, name, params) => {
          changed = true;
          return `${decl} ${name} = __lazySegmenter(${params});`;
        });
        if (!changed) return undefined;
        rewritten.push(args.path);
        // Import declarations are hoisted, so the helper may come before them.
        return { contents: `${HELPER}${out}`, loader: 'js' };
      });
    },
  };
}
