// Nothing is left behind on the real node: after success, after failure, after SIGINT and SIGTERM
// of the CLI (a child process), and after kill -9 once `probe --cleanup` or the pods' deadline ran.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ExitCode } from '../../src/errors.js';
import type { ApiClient } from '../../src/sources/live/client.js';
import { apply } from '../live/cluster-support.js';
import { waitPodsReady } from './apply.js';
import { admin, deleteNamespaces, items, leftovers, netpol, servingPod, spawnCli, until } from './probe-support.js';

const node = inject('netpolNode');

describe.skipIf(node.skipped !== undefined)('probe leaves nothing behind on the real node', () => {
  if (node.skipped !== undefined) return;
  const ns = `pcl-${Date.now().toString(36)}`;
  let client: ApiClient;
  // A long clone run: the clone waits (settle) before connecting, so there is time to interrupt it.
  const longClone = ['probe', `${ns}/client`, `${ns}/server`, '--port', '8080', '--mode', 'clone', '--settle', '60s'];

  beforeAll(async () => {
    client = await admin(node);
    await apply(client, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, servingPod(node.image, ns, 'client', { app: 'client' }), servingPod(node.image, ns, 'server', { app: 'server' })]);
    await waitPodsReady(node, [ns]);
  });
  afterAll(async () => {
    await deleteNamespaces(client, [ns]);
    client.close();
  });

  it('after success (clone and --serve)', async () => {
    const r = await netpol(node, ['probe', `${ns}/client`, `${ns}/server`, '--port', '8080', '--mode', 'clone', '--settle', '1s']);
    expect(r.code).toBe(ExitCode.ok);
    const s = await netpol(node, ['probe', `${ns}/client`, `${ns}/server`, '--port', '8080', '--serve', '--settle', '1s']);
    expect(s.code).toBe(ExitCode.ok);
    expect(await leftovers(client)).toEqual([]);
  });

  it('after failure: an image that cannot be pulled is a probe error, and the clone is removed', async () => {
    const r = await netpol(node, ['probe', `${ns}/client`, `${ns}/server`, '--port', '8080', '--mode', 'clone', '--image', 'registry.invalid/agnhost:none', '-o', 'json']);
    expect(r.code).toBe(ExitCode.denied);
    expect(items(r)[0]).toMatchObject({ observed: 'probe-error', match: null });
    expect(items(r)[0]!.detail).toMatch(/did not run: (ErrImagePull|ImagePullBackOff|ErrImageNeverPull)/);
    expect(await leftovers(client)).toEqual([]);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('after %s of the CLI', async (signal) => {
    const cli = spawnCli(node, longClone);
    await until('the clone pod to run', async () => ((await leftovers(client)).some((l) => l.startsWith('pods/') && l.endsWith('(Running)')) ? true : undefined));
    cli.child.kill(signal);
    expect(await cli.exited).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(cli.stderr()).toContain(`probe: ${signal}: stopping and removing what this run created`);
    expect(await leftovers(client)).toEqual([]);
  });

  it('after kill -9: the leftovers are listed, and --cleanup removes them', async () => {
    const cli = spawnCli(node, longClone);
    await until('the clone pod to run', async () => ((await leftovers(client)).some((l) => l.endsWith('(Running)')) ? true : undefined));
    cli.child.kill('SIGKILL');
    await cli.exited;
    const left = await leftovers(client);
    expect(left.filter((l) => l.startsWith('configmaps/'))).toHaveLength(1);
    expect(left.filter((l) => l.startsWith('pods/'))).toHaveLength(1);
    const r = await netpol(node, ['probe', '--cleanup']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stdout).toMatch(/^deleted pod pcl-\w+\/netpol-probe-\S+ \(run \S+, created \S+\)$/m);
    expect(await leftovers(client)).toEqual([]);
  });

  it('after kill -9: the deadline stops the clone by itself; --cleanup then removes the rest', async () => {
    const cli = spawnCli(node, [...longClone, '--pod-deadline', '5s']);
    await until('the clone pod to run', async () => ((await leftovers(client)).some((l) => l.endsWith('(Running)')) ? true : undefined));
    cli.child.kill('SIGKILL');
    await cli.exited;
    // activeDeadlineSeconds: the kubelet kills the clone; the pod object stays as Failed with the run's ConfigMap.
    const left = await until('the deadline', async () => {
      const l = await leftovers(client);
      return l.some((x) => x.endsWith('(Failed)')) ? l : undefined;
    }, 60_000, 500);
    expect(left.filter((l) => l.startsWith('pods/'))).toEqual([expect.stringMatching(/\(Failed\)$/)]);
    const r = await netpol(node, ['probe', '--cleanup', '-n', ns]);
    expect(r.stdout).toMatch(/deleted configmap/);
    expect(await leftovers(client)).toEqual([]);
  });
});
