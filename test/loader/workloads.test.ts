import { describe, expect, it } from 'vitest';
import { buildClusterState, convertWorkload } from '../../src/convert/cluster-state.js';
import { loadManifestTexts } from '../../src/sources/files/load.js';
import { expectError, ok, y } from './helpers.js';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: fe}}
    spec:
      serviceAccountName: web-sa
      containers:
      - name: app
        ports: [{name: http, containerPort: 8080}]
`;

const load = (...docs: string[]) => loadManifestTexts([{ file: 'in.yaml', text: docs.join('---\n') }]);

const pod = (name: string, labels: string, owner?: string, ns = 'prod') =>
  `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: ${labels}
${owner ? `  ownerReferences: [${owner}]\n` : ''}spec:
  containers: [{name: app}]
status: {podIP: 10.0.0.9}
`;

describe('workload templates', () => {
  it('a workload with no live pods yields a template pod', () => {
    const { state, diagnostics } = load(DEPLOY);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(state.pods).toEqual([
      {
        namespace: 'prod',
        name: 'web',
        labels: { app: 'web', tier: 'fe' },
        ips: [],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP', container: 'app' }],
        hostNetwork: false,
        serviceAccount: 'web-sa',
        workload: { kind: 'Deployment', name: 'web' },
        template: true,
        source: { file: 'in.yaml', documentIndex: 0, origin: 'file' },
      },
    ]);
  });

  it('no template when a live pod belongs to it via ReplicaSet <deploy>-<hash>', () => {
    const { state } = load(DEPLOY, pod('web-5d8f7-x1', '{app: web}', '{kind: ReplicaSet, name: web-5d8f7, controller: true}'));
    expect(state.pods).toHaveLength(1);
    expect(state.pods[0]).toMatchObject({ name: 'web-5d8f7-x1', workload: { kind: 'Deployment', name: 'web' } });
    expect(state.pods[0]?.template).toBeUndefined();
  });

  it('ReplicaSet owner maps to the Deployment only when that Deployment is known', () => {
    const { state } = load(pod('api-5d8f7-x1', '{app: api}', '{kind: ReplicaSet, name: api-5d8f7, controller: true}'));
    expect(state.pods[0]?.workload).toEqual({ kind: 'ReplicaSet', name: 'api-5d8f7' });
  });

  it('a ReplicaSet object naming its Deployment owner resolves pods, and gets no template of its own', () => {
    const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d8f7
  namespace: prod
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
spec:
  selector: {matchLabels: {app: web, pod-template-hash: 5d8f7}}
  template:
    metadata: {labels: {app: web, pod-template-hash: 5d8f7}}
    spec: {containers: [{name: app}]}
`;
    const withPod = load(rs, pod('web-5d8f7-x1', '{app: web, pod-template-hash: 5d8f7}', '{kind: ReplicaSet, name: web-5d8f7, controller: true}'));
    expect(withPod.state.pods.map((p) => [p.name, p.workload])).toEqual([['web-5d8f7-x1', { kind: 'Deployment', name: 'web' }]]);
    // Scaled to zero: the ReplicaSet is owned by a Deployment, so it never stands in for pods.
    expect(load(rs).state.pods).toEqual([]);
  });

  it('a pod matching the selector (no owner references) also counts as live, and is the workload\'s pod', () => {
    const { state } = load(DEPLOY, pod('handmade', '{app: web, extra: x}'));
    expect(state.pods.map((p) => p.name)).toEqual(['handmade']);
    // Without this, deploy/web had neither pods nor a template: "Deployment prod/web not found".
    expect(state.pods[0]?.workload).toEqual({ kind: 'Deployment', name: 'web' });
  });

  it('pods of another controller that the selector matches are not adopted: the workload gets its template', () => {
    const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: legacy, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app}]}
`;
    const { state } = load(DEPLOY, rs, pod('legacy-1', '{app: web}', '{kind: ReplicaSet, name: legacy, controller: true}'));
    expect(state.pods.map((p) => [p.name, p.workload?.kind, p.template === true])).toEqual([
      ['legacy-1', 'ReplicaSet', false],
      ['web', 'Deployment', true],
    ]);
  });

  it('pods in another namespace or with other labels do not count', () => {
    const { state } = load(DEPLOY, pod('other-ns', '{app: web}', undefined, 'staging'), pod('other-app', '{app: api}'));
    expect(state.pods.filter((p) => p.template).map((p) => p.name)).toEqual(['web']);
  });

  it('covers every workload kind, with their template locations', () => {
    const docs = [
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {hostNetwork: true, containers: [{name: c}]}\n',
      'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec:\n  selector: {matchLabels: {app: rs}}\n  template:\n    metadata: {labels: {app: rs}}\n    spec: {containers: [{name: c}]}\n',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    metadata: {labels: {app: migrate}}\n    spec: {containers: [{name: c}]}\n',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: backup}\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: backup}}\n        spec: {containers: [{name: c}]}\n',
      'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: legacy}\nspec:\n  template:\n    metadata: {labels: {app: legacy}}\n    spec: {containers: [{name: c}]}\n',
    ];
    const { state, diagnostics } = load(...docs);
    expect(diagnostics).toEqual([]);
    expect(state.pods.map((p) => [p.workload?.kind, p.name, p.template, p.namespace])).toEqual([
      ['StatefulSet', 'db', true, 'default'],
      ['DaemonSet', 'agent', true, 'default'],
      ['ReplicaSet', 'rs', true, 'default'],
      ['Job', 'migrate', true, 'default'],
      ['CronJob', 'backup', true, 'default'],
      ['ReplicationController', 'legacy', true, 'default'],
    ]);
    expect(state.pods[0]?.ports).toEqual([{ port: 5432, protocol: 'TCP', container: 'c' }]);
    expect(state.pods[1]?.hostNetwork).toBe(true);
    // The Job controller labels its pods with the job name.
    expect(state.pods[3]?.labels).toEqual({ app: 'migrate', 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate' });
    expect(state.pods[4]?.labels).toEqual({ app: 'backup' });
  });

  it('CronJob pods (Job <cronjob>-<n>) resolve to the CronJob and suppress its template', () => {
    const cj = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: backup, namespace: prod}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: backup}}\n        spec: {containers: [{name: c}]}\n';
    const { state } = load(cj, pod('backup-28930-abcde', '{app: backup}', '{kind: Job, name: backup-28930, controller: true}'));
    expect(state.pods.map((p) => [p.name, p.workload, p.template])).toEqual([['backup-28930-abcde', { kind: 'CronJob', name: 'backup' }, undefined]]);
  });

  it('live pods of a StatefulSet / DaemonSet resolve directly', () => {
    const { state } = load(pod('db-0', '{app: db}', '{kind: StatefulSet, name: db, controller: true}'));
    expect(state.pods[0]?.workload).toEqual({ kind: 'StatefulSet', name: 'db' });
  });

  it('validates workloads: selector must match template labels, template required', () => {
    expectError(
      convertWorkload('Deployment', y(DEPLOY.replace('selector: {matchLabels: {app: web}}', 'selector: {matchLabels: {app: api}}'))),
      'spec.selector',
      'Deployment prod/web',
      /does not match the template labels/,
    );
    expectError(convertWorkload('Deployment', y('kind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: {a: b}}}\n')), 'spec.template', 'Deployment default/d', /required/);
    expectError(
      convertWorkload('CronJob', y('kind: CronJob\nmetadata: {name: c}\nspec: {schedule: x}\n')),
      'spec.jobTemplate.spec',
      'CronJob default/c',
      /required/,
    );
    expectError(
      convertWorkload('Deployment', y(DEPLOY.replace('containerPort: 8080', 'containerPort: 0'))),
      'spec.template.spec.containers[0].ports[0].containerPort',
      'Deployment prod/web',
      /1-65535/,
    );
    expect(ok(convertWorkload('Deployment', y(DEPLOY))).selector).toEqual({ matchLabels: { app: 'web' } });
  });

  it('buildClusterState accepts typed-list style objects without kind (kind given separately)', () => {
    const { state } = buildClusterState([{ kind: 'Deployment', object: y(DEPLOY.replace('kind: Deployment\n', '')) }]);
    expect(state.pods[0]?.workload).toEqual({ kind: 'Deployment', name: 'web' });
  });
});
