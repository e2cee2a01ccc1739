// For people: start a real node with a bundled example running as real pods, print the
// kubeconfig to use, and stop it again.
//
//   npm run node:up [-- --example shop] [--enforcer reject|drop|off]
//   npm run node:down
//
// `up` records the run directory in ~/.cache/kubectl-netpol/node-current for `down`. The node
// keeps running after `up` returns (nothing watches it) until `down`. With --watched (the
// harness's own tests) it lives exactly as long as this process, as in the test suites.

import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import { applyExample } from './apply.js';
import { here, nodeUnavailable, runScript, startRealNode, type Enforcer } from './harness.js';

const current = join(process.env.NETPOL_BUILD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kubectl-netpol'), 'node-current');

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function up(args: string[]): Promise<void> {
  const reason = nodeUnavailable();
  if (reason) throw new Error(`cannot start the real node: ${reason}`);
  if (existsSync(current) && existsSync(readFileSync(current, 'utf8').trim())) {
    throw new Error(`a node started by node:up is still running (${readFileSync(current, 'utf8').trim()}): run npm run node:down first`);
  }
  const enforcer = (flag(args, '--enforcer') ?? 'reject') as Enforcer;
  if (!['reject', 'drop', 'off'].includes(enforcer)) throw new Error(`--enforcer ${enforcer}: use reject, drop or off`);
  const example = flag(args, '--example');
  const exampleDir = example ? resolve(here, '../../examples', example) : undefined;
  if (exampleDir && !existsSync(join(exampleDir, 'manifests'))) throw new Error(`--example ${example}: no such example (examples/${example}/manifests)`);
  const watched = args.includes('--watched');
  const node = await startRealNode({ enforcer, watchPid: watched ? undefined : null });
  if (!watched) {
    mkdirSync(join(current, '..'), { recursive: true });
    writeFileSync(current, `${node.runDir}\n`);
  }
  if (exampleDir) await applyExample(node, exampleDir);
  process.stdout.write(`RUN_DIR=${node.runDir}\n`);
  if (!args.includes('--quiet')) {
    process.stdout.write(
      [
        '',
        `A real node is running (NetworkPolicy enforcer: ${enforcer}${example ? `; example ${example} applied` : ''}).`,
        `  export KUBECONFIG=${node.kubeconfigPath}`,
        `  ${node.kubectl} get pods -A -o wide`,
        `  npm run -s netpol -- explain ${example === 'shop' ? 'frontend/app backend/db --port 5432' : 'NS/POD NS/POD --port PORT'}`,
        'Stop it with: npm run node:down',
        '',
      ].join('\n'),
    );
  }
  // --watched: the node lives as long as this process (the watchdog stops it when we die).
  if (watched) setInterval(() => undefined, 60_000);
}

async function down(): Promise<void> {
  if (!existsSync(current)) {
    process.stdout.write('no node started by node:up is recorded; nothing to stop\n');
    return;
  }
  const runDir = readFileSync(current, 'utf8').trim();
  await runScript('stop.sh', [runDir]);
  rmSync(current, { force: true });
  process.stdout.write(`stopped the node in ${runDir}\n`);
}

const [command, ...rest] = process.argv.slice(2);
(command === 'up' ? up(rest) : command === 'down' ? down() : Promise.reject(new Error('usage: cli.ts up [--example NAME] [--enforcer reject|drop|off] | down'))).catch(
  (err: Error) => {
    process.stderr.write(`[netpol node] ${err.message}\n`);
    process.exit(1);
  },
);
