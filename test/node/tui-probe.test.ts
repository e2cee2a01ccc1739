// The TUI's probe action end to end: the built binary in a real terminal (tmux) on the real node
// with the shop example running as real pods. P on an explained path opens real connections and
// the screen shows what the network did against what the policies say; leaving or quitting a
// running probe removes what it created.
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { ApiClient } from '../../src/sources/live/client.js';
import { hasTmux, TmuxTerm } from '../tui/tmux.js';
import { applyExample } from './apply.js';
import { admin, deleteNamespaces, leftovers, until } from './probe-support.js';

const node = inject('netpolNode');
const id = randomBytes(3).toString('hex');

describe.skipIf(node.skipped !== undefined || (!hasTmux && !process.env.CI))('kubectl netpol tui: P probes the path on the screen, on a real node', () => {
  if (node.skipped !== undefined) return;
  let client: ApiClient;
  let namespaces: string[] = [];
  const terms: TmuxTerm[] = [];
  const open = (name: string, flags = '') => {
    const t = TmuxTerm.start(`netpol-tui-probe-${name}-${id}`, `tui --kubeconfig ${node.kubeconfigPath} ${flags}`, {}, { columns: 140, rows: 40 });
    terms.push(t);
    return t;
  };
  const explainThenProbe = async (t: TmuxTerm, from: string, to: string, port: number) => {
    await t.keys(':', `explain ${from} ${to} ${port}`, 'Enter');
    await t.waitFor(new RegExp(`(ALLOWED|DENIED)  ${from} -> ${to}  TCP/${port}`));
    await t.keys('P');
  };

  beforeAll(async () => {
    client = await admin(node);
    namespaces = await applyExample(node, 'examples/shop');
  });
  afterAll(async () => {
    for (const t of terms) t.kill();
    if (client) {
      await deleteNamespaces(client, namespaces);
      client.close();
    }
  });

  it('an allowed path: MATCH, connected, from the source pod itself (ephemeral mode)', async () => {
    const t = open('allowed');
    await t.waitFor('● live');
    await explainThenProbe(t, 'frontend/app', 'backend/api', 8080);
    const s = await t.waitFor('MATCH: the network does what the policies say', 120_000);
    expect(s).toMatch(/MATCH\s+frontend\/app -> backend\/api TCP\/8080\s+connected/);
    expect(s).toContain('(model: allowed, ephemeral)');
    expect(s).toContain('1 probe: 1 match, 0 mismatch');
    expect(s).toContain('probe: namespace frontend: mode ephemeral');
  });

  it('a blocked path: MATCH, the connection does not get through', async () => {
    const t = terms[0]!;
    await t.keys('Escape', 'Escape');
    await explainThenProbe(t, 'frontend/app', 'backend/db', 5432);
    const s = await t.waitFor('MATCH: the network does what the policies say', 120_000);
    expect(s).toMatch(/MATCH\s+frontend\/app -> backend\/db TCP\/5432\s+(timeout|refused)/);
    expect(s).toContain('(model: denied, ephemeral)');
  });

  it('clone mode: Esc on a running probe cancels it and removes its pod and ConfigMap; q mid-run quits only after cleanup', async () => {
    const t = open('clone', '--mode clone');
    await t.waitFor('● live');
    await explainThenProbe(t, 'frontend/app', 'backend/api', 8080);
    // Leave once the clone exists, so there is something to remove.
    await until('the clone pod', async () => ((await leftovers(client)).some((l) => l.startsWith('pods/frontend/')) ? true : undefined), 60_000, 100);
    await t.keys('Escape');
    await t.waitFor('probe cancelled; what it created is removed', 60_000);
    expect(await leftovers(client)).toEqual([]);

    await t.keys('P');
    await until('the clone pod', async () => ((await leftovers(client)).some((l) => l.startsWith('pods/frontend/')) ? true : undefined), 60_000, 100);
    await t.keys('q');
    await t.waitFor('exit 0', 60_000);
    expect(await leftovers(client)).toEqual([]);
  });
});
