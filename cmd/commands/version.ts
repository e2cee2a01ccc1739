// kubectl netpol version [-o text|json|yaml]: what is running (version, commit, Node), for bug reports.
import type { Argv } from 'yargs';
import type { CommandIO } from '../io.js';

declare const __VERSION__: string | undefined;
declare const __COMMIT__: string | undefined;

export interface VersionArgs {
  output: 'text' | 'json' | 'yaml';
}

/** The `-o json|yaml` document. `standalone` is true for the single executable (Node built in). */
export interface VersionInfo {
  apiVersion: 'netpol.kubectl.io/v1alpha1';
  kind: 'Version';
  version: string;
  commit: string;
  node: string;
  platform: string;
  standalone: boolean;
}

/** Go's names (kubectl's, krew's): amd64 not x64. */
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
const GOOS: Record<string, string> = { win32: 'windows' };

/** True inside the single executable application (node:sea exists from Node 20; getBuiltinModule from 22.3). */
function isSea(): boolean {
  const sea = process.getBuiltinModule?.('node:sea') as { isSea?: () => boolean } | undefined;
  return sea?.isSea?.() === true;
}

export function versionInfo(): VersionInfo {
  return {
    apiVersion: 'netpol.kubectl.io/v1alpha1',
    kind: 'Version',
    version: typeof __VERSION__ === 'string' ? __VERSION__ : 'dev',
    commit: typeof __COMMIT__ === 'string' ? __COMMIT__ : 'unknown',
    node: process.version,
    platform: `${GOOS[process.platform] ?? process.platform}/${GOARCH[process.arch] ?? process.arch}`,
    standalone: isSea(),
  };
}

export function versionBuilder(y: Argv): Argv<VersionArgs> {
  return y
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml'], default: 'text', describe: 'Output format' })
    .example('kubectl netpol version -o json', 'Version, commit and Node.js version as data') as unknown as Argv<VersionArgs>;
}

export async function runVersion(args: VersionArgs, io: CommandIO): Promise<number> {
  const v = versionInfo();
  if (args.output === 'json' || args.output === 'yaml') {
    const { serialise } = await import('../../src/render/format.js');
    io.stdout.write(serialise(v, args.output));
  } else {
    const build = v.standalone ? 'standalone executable' : 'Node.js bundle';
    io.stdout.write(`kubectl-netpol ${v.version}\ncommit: ${v.commit}\nnode: ${v.node} (${v.platform}, ${build})\n`);
  }
  return 0;
}
