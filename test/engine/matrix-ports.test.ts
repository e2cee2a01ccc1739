// Property tests for the matrix beyond fixed ports: (d) every port (the column ranges partition
// 1-65535 per protocol and each range's answer holds at both of its ends) and (e) named ports resolved
// per destination pod, both against evaluateConnection on random clusters (scenarios.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { evaluateConnection } from '../../src/engine/evaluate.js';
import { computeReachability } from '../../src/engine/matrix.js';
import { PROTOCOLS, type PodInfo, type Protocol } from '../../src/engine/model.js';
import { resolveNamedPort } from '../../src/engine/ports.js';
import { build, params, scenarioArb } from './scenarios.js';

const pair = (a: PodInfo, b: PodInfo, port: number, protocol: Protocol) => `${a.namespace}/${a.name} -> ${b.namespace}/${b.name} ${protocol}/${port}`;
const samePod = (pods: readonly PodInfo[], i: number, j: number) => i === j && !pods[i]!.template;

describe('matrix over every port and named ports (random clusters)', () => {
  it('(d) all-ports columns partition 1-65535 and agree with evaluateConnection at both ends of each range', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { state } = build(s);
        const idx = new ClusterIndex(state);
        const r = computeReachability(state.pods, idx);
        for (const protocol of PROTOCOLS) {
          const cols = r.columns.filter((c) => c.protocol === protocol);
          expect(cols[0]!.start).toBe(1);
          expect(cols[cols.length - 1]!.end).toBe(65535);
          cols.slice(1).forEach((c, k) => expect(c.start).toBe(cols[k]!.end + 1));
        }
        state.pods.forEach((a, i) =>
          state.pods.forEach((b, j) => {
            if (samePod(state.pods, i, j)) return;
            const mask = r.pairMask(r.classOf[i]!, r.classOf[j]!);
            r.columns.forEach((col, k) => {
              for (const port of new Set([col.start, col.end])) {
                const direct = evaluateConnection({ from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, port, protocol: col.protocol }, idx).allowed;
                if (r.masks.has(mask, k) !== direct) throw new Error(`matrix ${r.masks.has(mask, k)}, evaluateConnection ${direct}: ${pair(a, b, port, col.protocol)}`);
              }
            });
          }),
        );
      }),
      params(600),
    );
  });

  it('(e) a named port is resolved against each destination pod, as explain does', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { state } = build(s);
        const idx = new ClusterIndex(state);
        const queries = ['http', 'dns', 'metrics'].flatMap((port) => (['TCP', 'UDP'] as const).map((protocol) => ({ port, protocol })));
        const r = computeReachability(state.pods, idx, queries);
        state.pods.forEach((a, i) =>
          state.pods.forEach((b, j) => {
            if (samePod(state.pods, i, j)) return;
            const mask = r.pairMask(r.classOf[i]!, r.classOf[j]!);
            queries.forEach((q, k) => {
              const port = resolveNamedPort(b, q.port, q.protocol);
              expect(r.resolvedPort(k, r.classOf[j]!)).toBe(port);
              const direct = port !== undefined && evaluateConnection({ from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, port, protocol: q.protocol }, idx).allowed;
              if (r.masks.has(mask, k) !== direct) throw new Error(`matrix ${r.masks.has(mask, k)}, evaluateConnection ${direct}: ${pair(a, b, port ?? 0, q.protocol)} (${q.port})`);
            });
          }),
        );
      }),
      params(600),
    );
  });
});
