// vitest globalSetup of the `node` project: proves the harness leaves the host as it found it,
// then starts ONE real node for the project's test files (inject('netpolNode')).
//
// Before the shared node, two full cycles run and are measured against a snapshot of the host:
// start + stop, and start in a child process that is then killed with SIGKILL (the watchdog must
// clean up). Their differences reach host-state.test.ts through inject('netpolNodeLifecycle'),
// which fails on any. NETPOL_NODE_LIFECYCLE=0 skips the two cycles (about 30 s) for quick runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

import { attachedNode, here, nodeUnavailable, prepareNode, startRealNode, type RealNodeInfo } from './harness.js';
import { nodePeakRss } from './control.js';
import { diffHost, snapshotHost } from './host-state.js';

export type ProvidedNode = (RealNodeInfo & { skipped?: undefined }) | { skipped: string };

export interface LifecycleReport {
  ran: boolean;
  /** Host differences after start + stop (must be empty). */
  afterStop: string[];
  /** Host differences after the starting process was killed with SIGKILL (must be empty). */
  afterKill: string[];
  startMs: number;
  stopMs: number;
  /** From SIGKILL of the owner to the watchdog's cleanup finishing. */
  killCleanupMs: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    netpolNode: ProvidedNode;
    netpolNodeLifecycle: LifecycleReport;
  }
}

const log = (msg: string): void => void process.stderr.write(`[netpol node] ${msg}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a node in a child process, waits until it is ready, kills the child with SIGKILL. */
async function killedCycle(): Promise<number> {
  // One process (node --import tsx), so SIGKILL hits the process the watchdog watches.
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'cli.ts'), 'up', '--watched', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const deadline = Date.now() + 180_000;
  while (!/^RUN_DIR=/m.test(out)) {
    if (child.exitCode !== null) throw new Error(`node:up child exited (${child.exitCode}) before the node was ready`);
    if (Date.now() > deadline) throw new Error('node:up child did not get ready within 180 s');
    await sleep(100);
  }
  const runDir = out.match(/^RUN_DIR=(.*)$/m)![1]!;
  child.kill('SIGKILL');
  const killedAt = performance.now();
  // The watchdog notices within 0.5 s, then stop.sh removes the run dir last.
  while (existsSync(runDir)) {
    if (performance.now() - killedAt > 60_000) throw new Error(`the watchdog did not clean up ${runDir} within 60 s`);
    await sleep(100);
  }
  // Daemons re-parented to PID 1 are reaped lazily: give stragglers a moment to disappear.
  await sleep(500);
  return Math.round(performance.now() - killedAt);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const reason = nodeUnavailable();
  const lifecycle: LifecycleReport = { ran: false, afterStop: [], afterKill: [], startMs: 0, stopMs: 0, killCleanupMs: 0 };
  if (reason) {
    log(`real-node suites skipped: ${reason}`);
    project.provide('netpolNode', { skipped: reason });
    project.provide('netpolNodeLifecycle', lifecycle);
    return undefined;
  }
  const attach = process.env.NETPOL_NODE_RUN_DIR;
  if (attach) {
    // A node someone else started (npm run node:up): use it as it is; never stop it.
    const info = attachedNode(attach);
    log(`using the running node in ${attach} (NETPOL_NODE_RUN_DIR): no lifecycle checks, not stopped afterwards`);
    project.provide('netpolNode', info);
    project.provide('netpolNodeLifecycle', lifecycle);
    return undefined;
  }
  await prepareNode();
  const baseline = await snapshotHost();
  if (process.env.NETPOL_NODE_LIFECYCLE !== '0') {
    const n = await startRealNode();
    lifecycle.startMs = n.startMs;
    lifecycle.stopMs = await n.stop();
    await sleep(300);
    lifecycle.afterStop = diffHost(baseline, await snapshotHost());
    lifecycle.killCleanupMs = await killedCycle();
    lifecycle.afterKill = diffHost(baseline, await snapshotHost());
    lifecycle.ran = true;
    log(`lifecycle: start ${lifecycle.startMs} ms, stop ${lifecycle.stopMs} ms, cleanup after SIGKILL ${lifecycle.killCleanupMs} ms; host differences: ${lifecycle.afterStop.length} after stop, ${lifecycle.afterKill.length} after kill`);
  }
  const node = await startRealNode();
  const { stop, ...info } = node;
  project.provide('netpolNode', info);
  project.provide('netpolNodeLifecycle', lifecycle);
  return async () => {
    const rss = nodePeakRss(info.runDir);
    log(`peak RSS of the node's daemons: ${rss.total} MiB (${rss.detail}); pod processes: ${rss.pods} MiB now`);
    const ms = await stop();
    const left = diffHost(baseline, await snapshotHost());
    log(`shared node stopped in ${ms} ms; ${left.length ? `HOST DIFFERS:\n  ${left.join('\n  ')}` : 'host state as before'}`);
    if (left.length) throw new Error(`the real node left the host changed:\n${left.join('\n')}`);
  };
}
