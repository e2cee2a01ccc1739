// explain --suggest (text and the JSON suggestions array), the README headline example's fix, and
// kubectl netpol diff through the CLI (goldens for text, JSON and Markdown, exit codes, --delete).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPolicyChanges } from '../../src/diff/apply.js';
import { ClusterIndex, explain } from '../../src/engine/index.js';
import { loadManifests } from '../../src/sources/files/load.js';
import { readBack, type Manifest } from '../../src/suggest/manifest.js';
import { bruteChanges, samplePorts } from '../diff/brute.js';
import { golden } from './golden-file.js';
import { ex, runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'netpol-suggest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


const HEADLINE = ['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '5432'];

describe('the README headline example', () => {
  it('its fix, applied to the manifests, makes the path allowed and changes nothing else', async () => {
    const run = await runCli([...HEADLINE, '--suggest', '-o', 'json']);
    expect(run.code).toBe(1);
    const data = JSON.parse(run.stdout);
    const [entry] = data.suggestions as { from: string; to: string; suggestions: { manifests: Manifest[]; opens: unknown[]; closes: unknown[] }[] }[];
    expect(entry).toMatchObject({ from: 'frontend/app', to: 'backend/db', port: 5432, protocol: 'TCP' });
    const best = entry!.suggestions[0]!;
    expect(best.opens).toEqual([]);
    expect(best.closes).toEqual([]);
    expect(best.manifests.map((m) => `${(m.metadata as { namespace: string }).namespace}/${(m.metadata as { name: string }).name}`)).toEqual(['frontend/storefront', 'backend/db-allow-api']);

    const { state } = await loadManifests([ex('shop')]);
    const after = applyPolicyChanges(state, best.manifests.map((m) => readBack(m)!)).after;
    const r = explain({ from: 'frontend/app', to: 'backend/db', port: 5432, namespace: 'default' }, new ClusterIndex(after));
    expect(r.allowed).toBe(true);
    // Nothing else: every pod pair on every port that can matter has the same verdict as before.
    const ports = samplePorts([state, after]);
    const changes = bruteChanges(state, after, ports);
    expect([...changes.keys()]).toEqual(['frontend/app|backend/db|TCP/5432|allowed']);
  });

  it('the same fix through kubectl netpol diff: exactly one connection opens', async () => {
    const data = JSON.parse((await runCli([...HEADLINE, '--suggest', '-o', 'json'])).stdout);
    const file = join(tmp, 'fix.yaml');
    writeFileSync(file, (data.suggestions[0].suggestions[0].manifests as Manifest[]).map((m) => dump(m)).join('---\n'));
    const run = await runCli(['diff', '--base', ex('shop'), '-f', file, '-o', 'json']);
    expect(run.code).toBe(1);
    const diff = JSON.parse(run.stdout);
    expect(diff).toMatchObject({ apiVersion: 'netpol.kubectl.io/v1alpha1', kind: 'Diff', changed: true });
    expect(diff.items).toEqual([{ from: 'frontend/app', to: 'backend/db', ports: [{ protocol: 'TCP', start: 5432, end: 5432, now: 'allowed', pairs: 1 }] }]);
  });

  it('explain --suggest prints the verified YAML after the fix lines', async () => {
    const run = await runCli([...HEADLINE, '--suggest', '--color', 'never']);
    golden('suggest-headline.txt', run.stdout);
    expect(run.stdout).toContain('fix verified: with both changes the engine allows frontend/app -> backend/db TCP/5432; it opens no other connection');
  });

  it('without --suggest, -o json has no suggestions field (the explain JSON is otherwise unchanged)', async () => {
    const data = JSON.parse((await runCli([...HEADLINE, '-o', 'json'])).stdout);
    expect(data.suggestions).toBeUndefined();
  });

  it('an allowed path has nothing to suggest', async () => {
    const data = JSON.parse((await runCli(['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', '5432', '--suggest', '-o', 'json'])).stdout);
    expect(data.suggestions).toEqual([]);
  });
});

describe('kubectl netpol diff', () => {
  const DELETE = ['diff', '--base', ex('shop'), '--delete', 'backend/default-deny'];
  it.each([
    ['diff-delete.txt', ['--color', 'never']],
    ['diff-delete.json', ['-o', 'json']],
    ['diff-delete.md', ['-o', 'markdown']],
  ])('%s', async (name, extra) => {
    const run = await runCli([...DELETE, ...extra]);
    expect(run.code).toBe(1);
    golden(name, run.stdout);
  });

  it('exit 0 when nothing changes (the base applied to itself)', async () => {
    const run = await runCli(['diff', '--base', ex('shop'), '-f', ex('shop')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('No policy changes: the manifests match the base state.\n');
    expect(run.stderr).toContain('diff applies only the policies');
  });

  it.each([
    [['diff', '--base', ex('shop'), '--delete', 'backend/nope'], 2, 'NetworkPolicy backend/nope not found in the base state'],
    [['diff', '--base', ex('shop'), '--delete', 'a/b/c/d'], 2, 'expected NS/NAME'],
    [['diff', '--base', ex('shop')], 2, 'diff needs the changes'],
  ])('bad input: %j exits %i', async (args, code, message) => {
    const run = await runCli(args as string[]);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message);
  });

  it('admin policies by short kind: --delete anp/NAME', async () => {
    const run = await runCli(['diff', '--base', ex('admin-tiers'), '--delete', 'anp/deny-sensitive', '-o', 'json']);
    const data = JSON.parse(run.stdout);
    expect(data.policies).toEqual([{ change: 'deleted', kind: 'AdminNetworkPolicy', name: 'deny-sensitive' }]);
  });
});

describe('check failures carry the verified fix', () => {
  it('a flow expected allowed but denied gets the same fix lines as explain', async () => {
    const flows = join(tmp, 'flows.yaml');
    writeFileSync(flows, 'flows:\n  - {from: frontend/app, to: backend/db, port: 5432, expect: allowed}\n');
    const run = await runCli(['check', '-f', ex('shop'), flows]);
    expect(run.code).toBe(1);
    const explainFix = (await runCli(HEADLINE)).stdout.split('\n').filter((l) => l.startsWith('fix '));
    const checkFix = run.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('fix '));
    expect(checkFix).toEqual(explainFix);
    expect(checkFix).toHaveLength(3);
  });
});
