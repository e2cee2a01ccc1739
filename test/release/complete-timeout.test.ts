// Completion never hangs a shell: against a server that accepts connections and never answers, the
// executable prints what it knows (commands, flags) or nothing, and exits within the deadline.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'netpol-cmpl-'));
const sockets: Socket[] = [];
const silent = createServer((s) => void sockets.push(s)); // accepts, never speaks TLS
let kubeconfig: string;

beforeAll(async () => {
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'c', contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }], clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { token: 't' } }] }));
});
afterAll(() => {
  for (const s of sockets) s.destroy();
  silent.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built executable; resolves with its output and how long the process lived. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; ms: number; code: number | null }> {
  const t0 = performance.now();
  const p = spawn(process.execPath, ['dist/kubectl-netpol.mjs', ...args], { env: { PATH: process.env.PATH, ...env } });
  let stdout = '';
  p.stdout.on('data', (d) => (stdout += d));
  return new Promise((resolve) => p.on('close', (code) => resolve({ stdout, code, ms: performance.now() - t0 })));
}

describe('completion with an unresponsive cluster', () => {
  it('gives up on the cluster after NETPOL_COMPLETION_TIMEOUT and exits 0 with no names', async () => {
    const r = await run(['__complete', 'explain', ''], { KUBECONFIG: kubeconfig, NETPOL_COMPLETION_TIMEOUT: '400' });
    expect(r.stdout).toBe(':4\n');
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(400);
    expect(r.ms).toBeLessThan(400 + 3_000); // start-up on a loaded machine, not another timeout
  });

  it('commands and flags never wait for the cluster', async () => {
    const r = await run(['__complete', 'explain', '--ou'], { KUBECONFIG: kubeconfig });
    expect(r.stdout).toBe('--output\tOutput format\n:4\n');
  });
});
