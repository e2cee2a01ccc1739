// A watch whose connection fails keeps retrying with growing waits, says so each time, and stops
// for good on stop() (a closed port: a real transport failure, no server pretending to be one).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

import { ApiClient } from '../../src/sources/live/client.js';
import { resolveKubeconfig } from '../../src/sources/live/kubeconfig.js';
import { RESOURCES } from '../../src/sources/live/resources.js';
import { ResourceWatch, RETRY_MS } from '../../src/sources/live/watch.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a refused connection is retried with backoff (0.5 s, 1 s, ...) and reported, until stopped', async () => {
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  const port = (tmp.address() as { port: number }).port;
  await new Promise((r) => tmp.close(r));
  const kc = join(dir, 'kc.json');
  writeFileSync(kc, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'c', clusters: [{ name: 'k', cluster: { server: `https://127.0.0.1:${port}` } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }] }));
  const client = await ApiClient.connect(resolveKubeconfig({ kubeconfig: kc }, { env: {} }), { timeoutMs: 0, stderr: { write: () => true }, env: {} });
  const reports: { problem: string | undefined; retry: number | undefined; at: number }[] = [];
  const start = Date.now();
  const w = new ResourceWatch(client, RESOURCES.pods, '1', {
    onEvent: () => expect.unreachable('no events from a closed port'),
    onExpired: () => expect.unreachable('not expired'),
    onConnection: (_s, problem, retry) => reports.push({ problem, retry, at: Date.now() - start }),
  });
  w.start();
  await new Promise((r) => setTimeout(r, 1_800));
  w.stop();
  const count = reports.length;
  await new Promise((r) => setTimeout(r, 1_200));
  client.close();
  expect(count).toBeGreaterThanOrEqual(2);
  expect(reports.length).toBe(count); // nothing after stop()
  expect(reports[0]!.problem).toContain('ECONNREFUSED');
  expect(reports.slice(0, 3).map((r) => r.retry)).toEqual(RETRY_MS.slice(0, Math.min(3, count)));
  expect(reports[1]!.at - reports[0]!.at).toBeGreaterThanOrEqual(RETRY_MS[0] - 50);
});
