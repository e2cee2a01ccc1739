// Finished pods (Succeeded/Failed) and pods without an IP hold no address: never found by an IP,
// no matrix row, no member of a workload or Service; named explicitly they are analysed with a note.
// An IP that two pods claim is ambiguous and says so. Manifests go through the converter, so the
// phase is read as from `kubectl get pods -o yaml` (and the live reader, which uses the same converter).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterIndex, explain, inactiveReason, resolveReference, type PodInfo } from '../../src/engine/index.js';
import { loadManifestTexts } from '../../src/sources/files/load.js';
import { runCli } from '../cli/run-cli.js';

const pod = (name: string, labels: Record<string, string>, status: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: backend
  labels: {${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')}}
${extra}spec:
  containers: [{name: c, image: x, ports: [{name: postgres, containerPort: 5432}]}]
${status}`;
const running = (ip: string) => `status: {phase: Running, podIP: ${ip}, podIPs: [{ip: ${ip}}]}`;

const MANIFESTS = [
  `apiVersion: v1
kind: Namespace
metadata: {name: backend}`,
  pod('api', { app: 'api' }, running('10.244.1.10')),
  pod('db', { app: 'db' }, running('10.244.1.34')),
  // The issue's case: a finished Job pod still reports the IP the running db now has.
  pod('old-job', { app: 'migrate', 'job-name': 'migrate' }, `status: {phase: Succeeded, podIP: 10.244.1.34, podIPs: [{ip: 10.244.1.34}]}`, `  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: migrate, controller: true, uid: u1}]\n`),
  pod('crashed', { app: 'db' }, `status: {phase: Failed, podIP: 10.244.1.35}`),
  pod('pending', { app: 'db' }, `status: {phase: Pending}`),
  pod('twin-a', { app: 'twin' }, running('10.244.1.50')),
  pod('twin-b', { app: 'twin' }, running('10.244.1.50')),
  // A pod written by hand, without status: it stands for the pod as it will run.
  pod('spec-only', { app: 'spec' }, ''),
  `apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: backend}
spec:
  template:
    metadata: {labels: {app: migrate}}
    spec: {restartPolicy: Never, containers: [{name: m, image: x}]}`,
  `apiVersion: v1
kind: Service
metadata: {name: db, namespace: backend}
spec: {selector: {app: db}, ports: [{port: 5432}]}`,
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-allow-api, namespace: backend}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: 5432}]}]`,
].join('\n---\n');

const loaded = loadManifestTexts([{ file: 'pods.yaml', text: MANIFESTS }]);
const idx = new ClusterIndex(loaded.state);
const byName = (name: string): PodInfo => loaded.state.pods.find((p) => p.name === name && !p.template)!;

describe('the converter keeps the phase', () => {
  it('loads without errors', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it.each([
    ['db', undefined],
    ['old-job', 'finished'],
    ['crashed', 'finished'],
    ['pending', 'no-ip'],
    ['spec-only', undefined],
  ])('%s: %s', (name, reason) => {
    expect(inactiveReason(byName(name))).toBe(reason);
  });
  it('a Job whose only pod has finished gets its pod template back (what a new run would be)', () => {
    expect(loaded.state.pods.filter((p) => p.workload?.name === 'migrate').map((p) => [p.name, p.template ?? false])).toEqual([
      ['old-job', false],
      ['migrate', true],
    ]);
  });
});

describe('resolving references', () => {
  it.each([
    // [reference, labels of the targets, a note that must be there (or none)]
    ['10.244.1.34', ['backend/db'], undefined],
    ['10.244.1.35', ['10.244.1.35'], /10\.244\.1\.35 was the IP of finished pod backend\/crashed.*outside the pod network/],
    ['10.244.1.50', ['backend/twin-a', 'backend/twin-b'], /10\.244\.1\.50 is ambiguous: it is the IP of 2 pods that are not finished, backend\/twin-a and backend\/twin-b/],
    ['backend/old-job', ['backend/old-job'], /pod backend\/old-job is Succeeded: a finished pod holds no address \(10\.244\.1\.34 may belong to another pod now\)/],
    ['backend/pending', ['backend/pending'], /pod backend\/pending has no IP yet \(phase Pending\)/],
    ['backend/job/migrate', ['backend/job/migrate'], /1 pod of Job backend\/migrate left out: backend\/old-job \(Succeeded\)/],
    ['backend/svc/db', ['backend/db'], /2 pods of service backend\/db left out: backend\/crashed \(Failed\), backend\/pending \(Pending\)/],
    ['backend/spec-only', ['backend/spec-only'], undefined],
  ])('%s -> %j', (ref, labels, note) => {
    const r = resolveReference(ref, 'backend', idx);
    expect(r.targets.map((t) => t.label)).toEqual(labels);
    if (note) expect(r.cautions.join('\n')).toMatch(note);
    else expect(r.cautions).toEqual([]);
  });

  it('the issue\'s case: explain api -> the db\'s IP is ALLOWED to the running db, not DENIED to the finished job pod', () => {
    const res = explain({ from: 'backend/api', to: '10.244.1.34', port: 5432, namespace: 'backend' }, idx);
    expect(res.pairs.map((p) => [p.to, p.verdict?.allowed])).toEqual([['backend/db', true]]);
    expect(res.allowed).toBe(true);
  });
});

describe('commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-phase-'));
  const file = join(dir, 'pods.yaml');
  writeFileSync(file, MANIFESTS);
  const flows = join(dir, 'flows.yaml');
  writeFileSync(flows, 'flows:\n- {from: backend/api, to: 10.244.1.34, port: 5432, expect: allowed}\n- {from: backend/old-job, to: backend/db, port: 5432, expect: denied}\n');

  it('matrix: no rows for finished pods or pods without an IP', async () => {
    const run = await runCli(['matrix', '-f', file, '-n', 'backend', '-o', 'json']);
    expect(run.code).toBe(0);
    const rows = new Set((JSON.parse(run.stdout).items as { from: string }[]).map((i) => i.from));
    expect([...rows].sort()).toEqual(['backend/api', 'backend/db', 'backend/job/migrate', 'backend/spec-only', 'backend/twin-a', 'backend/twin-b']);
  });

  it('check: an IP flow reaches the running pod; a finished pod named explicitly passes with a note', async () => {
    const run = await runCli(['check', '-f', file, flows, '-o', 'json']);
    expect(run.code).toBe(0);
    const items = JSON.parse(run.stdout).items as { pass: boolean; notes?: string[] }[];
    expect(items.map((i) => i.pass)).toEqual([true, true]);
    expect(items[0]!.notes).toBeUndefined();
    expect(items[1]!.notes?.[0]).toMatch(/^pod backend\/old-job is Succeeded: a finished pod holds no address/);
    const text = await runCli(['check', '-f', file, flows]);
    expect(text.stdout).toContain('      note: pod backend/old-job is Succeeded');
  });

  it('explain text shows the ambiguity under the verdict', async () => {
    const run = await runCli(['explain', '-f', file, 'backend/api', '10.244.1.50', '--port', '5432']);
    expect(run.stdout.split('\n').slice(0, 2).join('\n')).toMatch(/paths.*\n {2}note: 10\.244\.1\.50 is ambiguous/);
  });
});
