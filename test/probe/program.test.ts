// The probe script runs for real in a POSIX shell with a stand-in agnhost that answers by host,
// so the classes, the retry on a contradiction and the termination-message format are exercised.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hostPort, parseProbeMessage, probeScript, UNREACHABLE, type ScriptProbe } from '../../src/probe/program.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A fake agnhost: `connect HOST:PORT ...`; the host's first label decides the answer, like upstream's stderr words.
// "flaky" fails the first time (a marker file) and connects the second time: a policy being programmed.
const fake = join(dir, 'agnhost');
writeFileSync(
  fake,
  `#!/bin/sh
case "$2" in
  ok*) exit 0;;
  refused*) echo REFUSED >&2; exit 1;;
  slow*) echo TIMEOUT >&2; exit 1;;
  nodns*) echo "DNS: lookup nodns: no such host" >&2; exit 1;;
  flaky*) if [ -e "${dir}/flaky" ]; then exit 0; fi; : > "${dir}/flaky"; echo TIMEOUT >&2; exit 1;;
  unreach*) echo "OTHER: dial tcp 10.9.9.9:80: connect: network is unreachable" >&2; exit 1;;
  *) echo "OTHER: something else broke" >&2; exit 1;;
esac
`,
);
chmodSync(fake, 0o755);

// dash (Debian's sh) and busybox ash (the agnhost image's sh) both run it.
const busybox = (() => {
  try {
    execFileSync('busybox', ['true']);
    return true;
  } catch {
    return false;
  }
})();
const shells: string[][] = [['sh'], ...(busybox ? [['busybox', 'sh']] : [])];
let shell: string[] = ['sh'];

function run(probes: ScriptProbe[], parallel = 2): string {
  const log = join(dir, `log-${Math.random()}`);
  writeFileSync(log, 'stale\n');
  const script = probeScript(probes, { timeoutMs: 2000, retryDelayMs: 0, settleMs: 0, parallel, agnhost: fake });
  execFileSync(shell[0]!, [...shell.slice(1), '-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NETPOL_PROBE_LOG: log } });
  return readFileSync(log, 'utf8');
}

describe.each(shells)('probe script in %s', (...sh) => {
  beforeAll(() => {
    shell = sh;
  });
  it('classifies every connection and marks the end', () => {
    const msg = run([
      { id: 0, host: 'ok.a', port: 80, protocol: 'TCP', expect: 'a' },
      { id: 1, host: 'refused.b', port: 81, protocol: 'TCP', expect: 'd' },
      { id: 2, host: 'slow.c', port: 82, protocol: 'UDP', expect: 'd' },
      { id: 3, host: 'nodns.d', port: 83, protocol: 'TCP', expect: '-' },
      { id: 4, host: 'other.e', port: 84, protocol: 'TCP', expect: '-' },
      { id: 5, host: 'unreach.f', port: 85, protocol: 'TCP', expect: 'd' },
    ]);
    expect(msg).not.toContain('stale'); // the log starts empty
    const parsed = parseProbeMessage(msg);
    expect(parsed.complete).toBe(true);
    const final = (id: number) => parsed.attempts.get(id)!.at(-1)!;
    expect([0, 1, 2, 3, 4, 5].map((i) => final(i).observed)).toEqual(['connected', 'refused', 'timeout', 'dns-failure', 'probe-error', 'refused']);
    expect(final(4).detail).toBe('OTHER: something else broke');
    expect(final(5).detail).toBe(UNREACHABLE); // no route / ICMP unreachable: the network rejected it
    for (const i of [0, 1, 2, 3, 4]) expect(final(i).latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('retries once when the first attempt contradicts the model, and only then', () => {
    rmSync(join(dir, 'flaky'), { force: true });
    const parsed = parseProbeMessage(
      run([
        { id: 7, host: 'flaky.x', port: 80, protocol: 'TCP', expect: 'a' }, // timeout, then connected
        { id: 8, host: 'slow.y', port: 80, protocol: 'TCP', expect: 'a' }, // timeout twice
        { id: 9, host: 'ok.z', port: 80, protocol: 'TCP', expect: 'd' }, // connected twice (not enforced)
        { id: 10, host: 'slow.w', port: 80, protocol: 'TCP', expect: 'd' }, // as expected: no retry
      ]),
    );
    expect(parsed.attempts.get(7)!.map((a) => a.observed)).toEqual(['timeout', 'connected']);
    expect(parsed.attempts.get(8)!.map((a) => a.observed)).toEqual(['timeout', 'timeout']);
    expect(parsed.attempts.get(9)!.map((a) => a.observed)).toEqual(['connected', 'connected']);
    expect(parsed.attempts.get(10)!.map((a) => a.observed)).toEqual(['timeout']);
  });

  it('runs more connections than the parallelism in batches', () => {
    const probes = Array.from({ length: 9 }, (_, i): ScriptProbe => ({ id: i, host: `ok.h${i}`, port: 1000 + i, protocol: 'TCP', expect: 'a' }));
    const parsed = parseProbeMessage(run(probes, 4));
    expect([...parsed.attempts.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses hosts that are not plain addresses or names (nothing reaches the shell unquoted)', () => {
    expect(() => probeScript([{ id: 0, host: 'a;rm -rf /', port: 1, protocol: 'TCP', expect: '-' }], { timeoutMs: 1000, retryDelayMs: 0, settleMs: 0, parallel: 1 })).toThrow(/unsafe host/);
  });

  it('brackets IPv6 addresses for agnhost', () => {
    expect(hostPort('fd00::7', 80)).toBe('[fd00::7]:80');
    expect(hostPort('10.0.0.7', 80)).toBe('10.0.0.7:80');
  });

  it('reads a truncated message as incomplete and ignores noise', () => {
    const p = parseProbeMessage('0 1 c 3 \ngarbage\n1 1 t 2001 ');
    expect(p.complete).toBe(false);
    expect(p.attempts.get(1)![0]).toEqual({ observed: 'timeout', latencyMs: 2001 });
  });
});

describe('latency', () => {
  it('leaves out the probe program start-up measured in the same container', () => {
    const p = parseProbeMessage('b 100\n0 1 c 130 \n1 1 t 2090 \nend\n');
    expect(p.baselineMs).toBe(100);
    expect(p.attempts.get(0)![0]!.latencyMs).toBe(30);
    expect(p.attempts.get(1)![0]!.latencyMs).toBe(1990);
  });
});
