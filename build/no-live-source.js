// Stands in for src/sources/live/source.ts in dist/explain.mjs, which runs explain on manifests (-f) only.
const unreachable = () => {
  throw new Error('internal error: dist/explain.mjs has no live-cluster reader (explain without -f runs in dist/cli.mjs)');
};
export const loadLive = unreachable;
export const planFor = unreachable;
