// Suggestion properties on random worlds (the engine property generators): for every blocked path,
// each suggestion's manifests, read back by the loader's converters and applied, make the path
// allowed; and every other connection that changes is one the suggestion reports (opens/closes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPolicyChanges } from '../../src/diff/apply.js';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { evaluateConnection } from '../../src/engine/evaluate.js';
import { readBack } from '../../src/suggest/manifest.js';
import { suggestFixes } from '../../src/suggest/suggest.js';
import { bruteChanges, reportedChanges, samplePorts } from '../diff/brute.js';
import { build, params, scenarioArb } from '../engine/scenarios.js';

describe('suggestion properties', () => {
  it('a suggestion allows the blocked path and opens or blocks nothing beyond what it reports', () => {
    let checked = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { state, queries } = build(s);
        const idx = new ClusterIndex(state);
        for (const q of queries.slice(0, 3)) {
          const v = evaluateConnection(q, idx);
          if (v.allowed || v.ambiguous) continue;
          const result = suggestFixes(v, idx);
          for (const sug of result.suggestions) {
            checked++;
            const policies = sug.manifests.map((m) => readBack(m));
            expect(policies.every((p) => p !== undefined), 'manifests read back').toBe(true);
            const after = applyPolicyChanges(state, policies.map((p) => p!)).after;
            expect(evaluateConnection(q, new ClusterIndex(after)).allowed, 'the path is allowed after the change').toBe(true);
            const ports = samplePorts([state, after]);
            const target = (from: string, to: string, protocol: string, port: number) =>
              q.from.kind === 'pod' && q.to.kind === 'pod' && from === `${q.from.pod.namespace}/${q.from.pod.name}` && to === `${q.to.pod.namespace}/${q.to.pod.name}` && protocol === q.protocol && port === q.port;
            const reported = reportedChanges([...sug.opens, ...sug.closes], ports);
            expect(reported).toEqual(bruteChanges(state, after, ports, target));
          }
        }
      }),
      params(40),
    );
    // The property must have met real suggestions, not only allowed paths.
    expect(checked).toBeGreaterThan(10);
  }, 120_000);
});
