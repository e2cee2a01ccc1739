// The real node leaves the host exactly as it found it: after a normal stop, and after the process
// that started it was killed with SIGKILL (its watchdog cleans up). Measured by globalSetup.ts
// against a snapshot of interfaces, routes, mounts, netns, iptables, nft, ipsets, cgroups,
// sysctls, hard-coded paths and node processes taken before any node ran.
import { describe, expect, inject, it } from 'vitest';

const node = inject('netpolNode');
const lifecycle = inject('netpolNodeLifecycle');

describe.skipIf(node.skipped !== undefined || !lifecycle.ran)('real node: host state', () => {
  it('is identical after start and stop', () => {
    expect(lifecycle.afterStop).toEqual([]);
  });
  it('is identical after the starting process is killed with SIGKILL', () => {
    expect(lifecycle.afterKill).toEqual([]);
  });
  it('starts in under a minute and stops in under 10 s', () => {
    // Budget checks with wide margins (the benchmark figures are printed by globalSetup).
    expect(lifecycle.startMs).toBeLessThan(60_000);
    expect(lifecycle.stopMs).toBeLessThan(10_000);
  });
});
