// The TUI's views and keys on the bundled shop example (ink-testing-library, real engine).
import { afterEach, describe, expect, it } from 'vitest';

import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { explain } from '../../src/engine/explain.js';
import { suggestForExplain } from '../../src/suggest/explain.js';
import { renderExplainText } from '../../src/render/explain-text.js';
import { KEY_HELP } from '../../src/tui/keys.js';
import { filesSource, FILES_CNI_BANNER, type TuiSource } from '../../src/tui/source.js';
import { KEY, mount, type Term } from './helpers.js';

const SHOP = 'examples/shop/manifests';
const quiet = { stderr: { write: () => true }, readStdin: async () => '' };
const shop = (): Promise<TuiSource> => filesSource([SHOP], 'default', quiet);

let term: Term | undefined;
afterEach(() => term?.unmount());

const lines = (t: Term) => t.frame().split('\n');

describe('namespaces view', () => {
  it('shows each namespace with ingress and egress isolation, pods, policies, and the CNI banner', async () => {
    term = await mount(await shop());
    const f = term.frame();
    expect(f).toContain(`! ${FILES_CNI_BANNER}`.slice(0, 60));
    expect(f).toMatch(/backend\s+default-deny\s+default-deny\s+3\s+5\s+0/);
    expect(f).toMatch(/frontend\s+isolated\s+isolated\s+1\s+1\s+0/);
    expect(lines(term).length).toBe(24);
    for (const l of lines(term)) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('j/k, g/G move the selection; Enter opens the namespace, Esc comes back', async () => {
    term = await mount(await shop());
    expect(term.frame()).toMatch(/^>backend/m);
    await term.type('j');
    expect(term.frame()).toMatch(/^>frontend/m);
    await term.type('g');
    expect(term.frame()).toMatch(/^>backend/m);
    await term.type('G', KEY.enter);
    expect(term.frame()).toContain('namespace frontend');
    expect(term.frame()).toContain('Pods (1)');
    await term.type(KEY.esc);
    expect(term.frame()).toMatch(/^>frontend/m);
    await term.type(KEY.up);
    expect(term.frame()).toMatch(/^>backend/m);
  });
});

describe('a namespace: pods and policies', () => {
  it('a pod lists its labels, ports and the policies that select it per direction', async () => {
    term = await mount(await shop(), { columns: 100, rows: 30 });
    await term.type(KEY.enter, 'j');
    const f = term.frame();
    expect(f).toMatch(/>db\s+in:2 out:2/);
    expect(f).toContain('labels  app=db');
    expect(f).toContain('postgres 5432/TCP');
    expect(f).toMatch(/ingress: isolated by 2 policies[\s\S]*db-allow-api[\s\S]*default-deny/);
  });

  it('Tab shows the policies: what each selects and, per rule, the peers and the pods they match; y shows its YAML', async () => {
    term = await mount(await shop(), { columns: 120, rows: 30 });
    await term.type(KEY.enter, KEY.tab, 'j', 'j');
    const f = term.frame();
    expect(f).toMatch(/>db-allow-api\s+I/);
    expect(f).toContain('selects 1 pod: db');
    expect(f).toContain('from[0] podSelector app=api (namespace backend only)');
    expect(f).toMatch(/1 pod: backend\/api/);
    expect(f).toContain('ports: TCP/postgres');
    await term.type('y');
    await term.waitFor('YAML db-allow-api');
    expect(term.frame()).toContain('kind: NetworkPolicy');
    expect(term.frame()).toContain('networkpolicies-backend.yaml');
    await term.type(KEY.backspace);
    expect(term.frame()).toContain('selects 1 pod: db');
  });

  it('Enter shows a policy in full, scrollable with j/k', async () => {
    term = await mount(await shop(), { columns: 80, rows: 12 });
    await term.type(KEY.enter, KEY.tab, 'j', KEY.enter);
    expect(term.frame()).toContain('NetworkPolicy backend/api-ingress');
    expect(term.frame()).toMatch(/lines 1-\d+ of \d+/);
    await term.type('j');
    expect(term.frame()).toMatch(/lines 2-\d+ of \d+/);
    await term.type('G');
    expect(term.frame()).not.toMatch(/lines 2-/);
  });
});

describe('filters and jumps', () => {
  it('/ filters by name as typed; -l key=value filters by labels; Esc clears', async () => {
    term = await mount(await shop());
    await term.type('/', 'f', 'r', 'o');
    expect(term.frame()).toContain('/fro');
    expect(term.frame()).toMatch(/^>frontend/m);
    expect(term.frame()).not.toMatch(/^ backend/m);
    await term.type(KEY.enter);
    expect(term.frame()).toContain('filter: fro');
    await term.type(KEY.esc);
    expect(term.frame()).toMatch(/ backend|>backend/);
    await term.type(KEY.enter, '/', ...'-l app=db', KEY.enter);
    expect(term.frame()).toContain('Pods (1)');
    expect(term.frame()).toMatch(/>db\s/);
    await term.type('/', ...'x', KEY.enter);
    expect(term.frame()).toContain('nothing matches "-l app=dbx"');
    await term.type('/', ...Array(12).fill(KEY.backspace), ...'-l =', KEY.enter);
    expect(term.frame()).toContain('cannot read');
  });

  it(':ns, :np and :pod jump, with fuzzy names; unknown commands say what exists', async () => {
    term = await mount(await shop());
    await term.type(':', ...'ns front', KEY.enter);
    expect(term.frame()).toContain('namespace frontend');
    await term.type(':', ...'np backend/allow-api', KEY.enter);
    expect(term.frame()).toMatch(/>db-allow-api/);
    await term.type(':', ...'pod db', KEY.enter);
    expect(term.frame()).toMatch(/>db\s+in:2/);
    await term.type(':', ...'bogus', KEY.enter);
    expect(term.frame()).toContain('unknown command ":bogus"');
    await term.type(':', ...'ns', KEY.enter);
    expect(term.frame()).toContain('NAMESPACE');
  });

  it('? lists every key of the key table, and closes again', async () => {
    term = await mount(await shop(), { columns: 120, rows: 40 });
    await term.type('?');
    for (const k of KEY_HELP) expect(term.frame()).toContain(k.keys);
    await term.type('?');
    expect(term.frame()).toContain('NAMESPACE');
  });
});

describe('matrix', () => {
  it('m shows the grid with replicas grouped, moves by cell, changes port, and Enter explains the cell', async () => {
    term = await mount(await shop(), { columns: 120, rows: 50 });
    await term.type('m');
    let f = term.frame();
    expect(f).toContain('TCP/5432');
    expect(f).toMatch(/^api\s+✓\s+✓\s+✗/m);
    expect(f).toMatch(/^db\s+✗\s+✓\s+✗/m);
    await term.type('j');
    expect(term.frame()).toContain('backend/db → backend/api: DENIED');
    await term.type(']');
    expect(term.frame()).toContain('TCP/8080');
    await term.type('[', 'k', 'l');
    expect(term.frame()).toContain('backend/api → backend/db: ALLOWED');
    await term.type(KEY.enter);
    f = term.frame();
    expect(f).toContain('ALLOWED  backend/api -> backend/db  TCP/5432');
    expect(f).toContain('NetworkPolicy backend/db-allow-api selects the pod');
  });

  it(':port adds a port; t puts another namespace on the columns; w toggles wide mode', async () => {
    term = await mount(await shop());
    await term.type(':', ...'ns frontend', KEY.enter, 'm', ':', ...'port 5432', KEY.enter);
    expect(term.frame()).toContain('TCP/5432');
    await term.type('t', ...'backend', KEY.enter);
    expect(term.frame()).toContain('allowed  frontend → backend');
    expect(term.frame()).toMatch(/^app\s+✗\s+✗\s+✗/m);
    await term.type('w');
    expect(term.frame()).toMatch(/from \\ to\s+1 2 3/); // numbered columns
    await term.type('w');
    expect(term.frame()).toMatch(/from \\ to\s+api\s+db/);
    await term.type(KEY.esc, ':', ...'matrix front back', KEY.enter);
    expect(term.frame()).toContain('frontend → backend');
  });
});

describe('explain', () => {
  it('fuzzy pickers, a port and a protocol give the same trace and fix lines as the CLI', async () => {
    const source = await shop();
    term = await mount(source, { columns: 200, rows: 80 });
    await term.type('e', KEY.enter, ...'front app');
    expect(term.frame()).toContain('frontend/app');
    await term.type(KEY.enter, KEY.enter, ...'backdb', KEY.enter);
    expect(term.frame()).toMatch(/to\s+backend\/db/);
    // No port yet: which ports are open.
    expect(term.frame()).toContain('DENIED  frontend/app -> backend/db  every TCP port');
    await term.type(...'5432', KEY.enter);
    const idx = new ClusterIndex(source.snapshot().index.state);
    const result = explain({ from: 'frontend/app', to: 'backend/db', port: 5432, protocol: 'TCP', namespace: 'default' }, idx);
    const cli = renderExplainText(result, { suggestions: suggestForExplain(result, idx) });
    // Long lines wrap (continuations indented): compare the words in order.
    const words = (t: string) => t.split('\n').filter((l) => !l.startsWith('netpol ·') && !/^(from|to|port|protocol)\s/.test(l)).join(' ').split(/[\s─]+/).filter(Boolean);
    const body = words(term.frame()).join(' ');
    expect(body).toContain(words(cli).join(' '));
    // The verified fix lines, as the CLI prints them.
    expect(body).toContain('fix ingress: NetworkPolicy backend/db-allow-api: add the from-peer namespaceSelector kubernetes.io/metadata.name=frontend AND podSelector app=storefront to ingress[0]');
    expect(body).toContain('fix verified:');
    await term.type('p');
    expect(term.frame()).toContain('UDP/5432');
  });

  it('a name that resolves to nothing is reported, not thrown', async () => {
    term = await mount(await shop());
    await term.type(':', ...'explain frontend/app backend/nope 80', KEY.enter);
    expect(term.frame()).toContain('pod backend/nope not found');
  });
});

describe('help on a small terminal', () => {
  it('wraps long entries and scrolls with j/k at 80x24', async () => {
    term = await mount(await shop());
    await term.type('?');
    expect(term.frame()).toMatch(/rows 1-\d+ of \d+ \(j\/k\)/);
    for (const l of term.frame().split('\n')) expect(l.length).toBeLessThanOrEqual(80);
    await term.type('G');
    expect(term.frame()).toContain('q  ctrl-c');
    expect(term.frame()).toContain(':port N[/PROTO]');
    await term.type(KEY.esc);
    expect(term.frame()).toContain('NAMESPACE');
  });
});

describe('admin tiers in a namespace', () => {
  it('the Admin pane lists the admin policies covering the namespace in order, with subject, selected pods and rules; y shows the YAML', async () => {
    const source = await filesSource(['examples/admin-tiers/manifests'], 'default', quiet);
    term = await mount(source, { columns: 130, rows: 40 });
    await term.type(':', ...'ns tenant-a', KEY.enter, KEY.tab, KEY.tab);
    const plain = () => term!.frame().replace(/\u001b\[[0-9;]*m/g, ''); // inverse marks the selection
    let f = plain();
    expect(f).toContain('Admin (5)');
    expect(f).toMatch(/>allow-monitoring\s+A 10/);
    expect(f).toMatch(/pass-tenant-internal\s+A 20/);
    expect(f).toMatch(/default\s+B/);
    expect(f).toContain('AdminNetworkPolicy allow-monitoring (Admin, priority 10)');
    expect(f).toMatch(/ingress\[0\] "allow-from-monitoring" Allow/);
    expect(f).toContain('from[0] namespaceSelector kubernetes.io/metadata.name=monitoring');
    expect(f).toContain('1 pod: monitoring/prometheus-0');
    expect(f).toContain('subject namespaces {}');
    expect(f).toContain('selects 3 pods here: web, api, payments-db');
    await term.type('j');
    f = plain();
    expect(f).toMatch(/ingress\[0\] "pass-from-tenants" Pass/);
    await term.type('y');
    await term.waitFor('kind: AdminNetworkPolicy');
    expect(term.frame()).toContain('name: pass-tenant-internal');
  });
});
