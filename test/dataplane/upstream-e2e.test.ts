// The engine against a real dataplane: every upstream e2e NetworkPolicy case (as ported in
// test/fixtures/upstream-e2e) applied to real pods on the real node, every 9x9 connection opened
// for real, and compared with the engine's verdict from a live read of the same cluster.
//
// CI runs a representative subset; NETPOL_DATAPLANE=full runs all 48 cases (npm run test:dataplane).
// A summary per case is printed and written to .cache/dataplane-upstream.json.
import { mkdirSync, writeFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { nodePeakRss } from '../node/control.js';
import { applyStep, CASES, probeMatrix, startModel, stopModel, type CellResult, type ModelWorld } from './e2e-model.js';

const node = inject('netpolNode');

/** One case per semantics point the subset must cover (labels, AND/OR peers, named ports, ipBlock except, egress, UDP, updates). */
const CI_SUBSET = [
  'tcp/should-support-a-default-deny-ingress-policy',
  'tcp/should-enforce-policy-based-on-podselector-and-namespaceselector',
  'tcp/should-enforce-policy-based-on-podselector-or-namespaceselector',
  'tcp/should-enforce-policy-based-on-namespaceselector-with-matchexpressions',
  'tcp/should-allow-ingress-access-on-one-named-port',
  'tcp/should-allow-ingress-access-from-updated-pod',
  'tcp/should-deny-egress-from-all-pods-in-a-namespace',
  'tcp/should-enforce-except-clause-while-egress-access-to-server-in-cidr-block',
  'tcp/should-enforce-ingress-policy-allowing-any-port-traffic-to-a-server-on-a-specific-protocol',
  'udp/should-enforce-policy-based-on-ports',
];
const full = process.env.NETPOL_DATAPLANE === 'full';
const cases = CASES.filter((c) => full || CI_SUBSET.includes(c.id));

interface CaseReport {
  id: string;
  matrices: number;
  connections: number;
  agree: number;
  /** Engine vs the upstream truth table, off the diagonal (upstream does not grade it). */
  upstreamAgree: number;
  skipped?: string;
  disagreements: string[];
}
const reports: CaseReport[] = [];

describe.skipIf(node.skipped !== undefined)('real dataplane vs engine: upstream e2e model', () => {
  if (node.skipped !== undefined) return;
  let world: ModelWorld;
  beforeAll(async () => {
    world = await startModel(node);
  });
  afterAll(async () => {
    const rss = nodePeakRss(node.runDir);
    process.stderr.write(`[dataplane] memory with the 9 model pods running: node daemons peak ${rss.total} MiB (${rss.detail}); pod processes ${rss.pods} MiB\n`);
    await stopModel(node);
    const total = reports.reduce((a, r) => ({ c: a.c + r.connections, g: a.g + r.agree, m: a.m + r.matrices }), { c: 0, g: 0, m: 0 });
    const lines = reports.map((r) => `${r.skipped ? 'SKIP' : r.agree === r.connections ? 'OK  ' : 'DIFF'} ${r.id}: ${r.skipped ?? `${r.agree}/${r.connections} agree (${r.matrices} matrices)`}`);
    process.stderr.write(`[dataplane] upstream e2e on the real node: ${reports.length} cases, ${total.m} matrices, ${total.c} connections, ${total.c ? ((100 * total.g) / total.c).toFixed(2) : '0'}% agreement\n  ${lines.join('\n  ')}\n`);
    mkdirSync('.cache', { recursive: true });
    writeFileSync('.cache/dataplane-upstream.json', JSON.stringify({ cases: reports, ...total }, null, 2));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const report: CaseReport = { id: c.id, matrices: 0, connections: 0, agree: 0, upstreamAgree: 0, disagreements: [] };
    reports.push(report);
    if (c.steps.some((s) => s.expect.some((e) => e.protocol === 'SCTP'))) {
      report.skipped = 'SCTP: this kernel has no SCTP sockets (CONFIG_IP_SCTP is not set)';
      return;
    }
    const cells: CellResult[] = [];
    for (const step of c.steps) {
      await applyStep(node, world, step);
      for (const e of step.expect) {
        const m = await probeMatrix(node, world, e);
        report.matrices++;
        cells.push(...m);
        for (const cell of m) {
          report.connections++;
          if ((cell.observed === 'connected') === cell.engine) report.agree++;
          else report.disagreements.push(`${e.protocol}/${e.port} ${cell.from} -> ${cell.to}: engine ${cell.engine ? 'allowed' : 'denied'}, dataplane ${cell.observed}`);
          if (cell.from === cell.to || cell.engine === cell.upstream) report.upstreamAgree++;
        }
      }
    }
    expect(report.disagreements).toEqual([]);
    // The live read of real pods gives the upstream truth table too (off the diagonal).
    expect(cells.filter((x) => x.from !== x.to && x.engine !== x.upstream).map((x) => `${x.from}->${x.to}`)).toEqual([]);
  });
});
