// The release as krew users get it: krew's own validator on the generated manifest, a real
// `krew install --manifest --archive` of every archive into a temporary KREW_ROOT, and the installed
// plugin run through a real kubectl (built from the project's pinned k8s.io/kubernetes module).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveName, completeName, exeName, PLATFORMS } from '../../release/platforms.js';
import { signatureGet } from 'portable-executable-signature';
import { executableFacts } from './executable-format.js';
import { buildRelease, ok, ROOT, sh, VERSION } from './helpers.js';

const BUILT = PLATFORMS.filter((p) => !p.unavailable);
let release: { out: string; manifest: string };
let krewDir: string;
let kubectl: string;
const roots: string[] = [];

beforeAll(() => {
  release = buildRelease();
  krewDir = ok('bash', ['krew/ci/build.sh']).trim();
  const clusterBin = ok('bash', ['test/cluster/build.sh', 'kubectl'], { stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  kubectl = join(clusterBin, 'kubectl');
  if (!existsSync(kubectl)) throw new Error(`test/cluster/build.sh built no kubectl in ${clusterBin}`);
});
afterAll(() => {
  for (const r of [...roots, release?.out]) if (r) rmSync(r, { recursive: true, force: true });
});

const krewEnv = (root: string, os?: string, arch?: string) => ({
  PATH: `${join(root, 'bin')}:${dirname(kubectl)}:/usr/bin:/bin`,
  HOME: root,
  KREW_ROOT: root,
  KREW_NO_UPGRADE_CHECK: '1',
  ...(os ? { KREW_OS: os, KREW_ARCH: arch } : {}),
});

function install(os?: string, arch?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'netpol-krew-'));
  roots.push(root);
  const p = PLATFORMS.find((x) => x.os === (os ?? 'linux') && x.arch === (arch ?? 'amd64'))!;
  ok(join(krewDir, 'krew'), ['install', `--manifest=${release.manifest}`, `--archive=${join(release.out, archiveName(VERSION, p))}`], { env: krewEnv(root, os, arch), stdio: ['ignore', 'pipe', 'pipe'] });
  return root;
}

describe('krew manifest', () => {
  it.each([['generated', () => release.manifest], ['checked in (krew/netpol.yaml)', () => join(ROOT, 'krew', 'netpol.yaml')]])('the %s manifest passes validate-krew-manifest', (_, file) => {
    // --skip-install: its own install step downloads the uri; the archives are installed below instead.
    const r = sh(join(krewDir, 'validate-krew-manifest'), ['--manifest', file(), '--skip-install']);
    expect(r.stderr + r.stdout).toContain('structural validation OK');
    expect(r.status).toBe(0);
  });

  it('lists every built archive with its sha256, and the checksums file agrees', () => {
    const manifest = readFileSync(release.manifest, 'utf8');
    const sums = readFileSync(join(release.out, 'checksums.txt'), 'utf8').trim().split('\n');
    expect(sums).toHaveLength(BUILT.length);
    for (const p of BUILT) {
      const line = sums.find((l) => l.endsWith(`  ${archiveName(VERSION, p)}`));
      expect(line, archiveName(VERSION, p)).toBeDefined();
      expect(manifest).toContain(`sha256: "${line!.split(" ")[0]}"`);
      expect(ok('sha256sum', [archiveName(VERSION, p)], { cwd: release.out })).toBe(`${line}\n`);
    }
  });
});

describe('krew install --manifest --archive', () => {
  // A platform whose Node cannot be had here is reported as a skipped check, with the reason.
  for (const p of PLATFORMS.filter((x) => x.unavailable)) it.skip(`${p.os}/${p.arch} is not built: ${p.unavailable}`, () => undefined);

  it.each(BUILT.map((p) => [`${p.os}/${p.arch}`, p] as const))('%s installs the executable, kubectl_complete-netpol and LICENSE', (_, p) => {
    const root = install(p.os, p.arch);
    const store = join(root, 'store', 'netpol', `v${VERSION}`);
    expect(readdirSync(store).sort()).toEqual([exeName(p), completeName(p), 'LICENSE'].sort());
    expect(readFileSync(join(store, 'LICENSE'), 'utf8')).toContain('Apache License');
    // What cannot be run here is checked as a file: the blob is injected, and no signature is left
    // that the injection broke (macOS kills such a binary; Windows calls it tampered with).
    const exe = join(store, exeName(p));
    const facts = executableFacts(exe);
    expect(facts.seaFuseSet).toBe(true);
    expect(facts.format).toBe({ linux: 'elf', darwin: 'mach-o', windows: 'pe' }[p.os]);
    if (p.os === 'darwin') {
      expect(facts.segments).toContain('NODE_SEA');
      expect(facts.codeSignature).toBe(false);
    }
    if (p.os === 'windows') expect(signatureGet(readFileSync(exe))).toBeNull();
  });

  // linux/arm64 runs here through qemu's user-mode emulation, where it is installed.
  const qemu = sh('sh', ['-c', 'command -v qemu-aarch64']).status === 0 && existsSync('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1');
  it.skipIf(!qemu)('linux/arm64 runs version and explain under qemu-aarch64 (needs: apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross)', () => {
    const root = install('linux', 'arm64');
    const exe = join(root, 'store', 'netpol', `v${VERSION}`, 'kubectl-netpol');
    const env = { PATH: '/usr/bin:/bin', QEMU_LD_PREFIX: '/usr/aarch64-linux-gnu', NO_COLOR: '1' };
    expect(ok('qemu-aarch64', [exe, 'version'], { env })).toMatch(/\(linux\/arm64, standalone executable\)/);
    const out = ok('qemu-aarch64', [exe, 'explain', '-f', join(ROOT, 'examples', 'shop', 'manifests'), 'frontend/app', 'backend/db', '--port', '5432'], { env }, 1);
    expect(out.split('\n')[0]).toBe('DENIED  frontend/app -> backend/db  TCP/5432');
  });

  describe('through kubectl (linux/amd64, this machine)', () => {
    let root: string;
    let run: (args: string[], expect?: number) => string;
    beforeAll(() => {
      root = install();
      run = (args, expect = 0) => ok(kubectl, args, { env: { ...krewEnv(root), NO_COLOR: '1' } }, expect);
    });

    it('kubectl plugin list shows the krew-installed plugin', () => {
      expect(run(['plugin', 'list'])).toContain(join(root, 'bin', 'kubectl-netpol'));
    });

    it('kubectl netpol version: the standalone executable with its own Node', () => {
      expect(run(['netpol', 'version'])).toMatch(new RegExp(`^kubectl-netpol ${VERSION.replaceAll('.', '\\.')}\ncommit: \\S+\nnode: v24\\.\\d+\\.\\d+ \\(linux/amd64, standalone executable\\)\n$`));
      const v = JSON.parse(run(['netpol', 'version', '-o', 'json']));
      expect(v).toMatchObject({ apiVersion: 'netpol.kubectl.io/v1alpha1', kind: 'Version', version: VERSION, platform: 'linux/amd64', standalone: true });
    });

    it('kubectl netpol explain on a bundled example: verdict and exit code 1 for a denied path', () => {
      const out = run(['netpol', 'explain', '-f', join(ROOT, 'examples', 'shop', 'manifests'), 'frontend/app', 'backend/db', '--port', '5432'], 1);
      expect(out.split('\n')[0]).toBe('DENIED  frontend/app -> backend/db  TCP/5432');
    });

    it('kubectl netpol <TAB> completes commands once kubectl_complete-netpol is copied as the README says', () => {
      // The README's one-liner, resolved the same way: the file beside the krew-linked executable.
      copyFileSync(join(dirname(realpathSync(join(root, 'bin', 'kubectl-netpol'))), 'kubectl_complete-netpol'), join(root, 'bin', 'kubectl_complete-netpol'));
      const commands = run(['__complete', 'netpol', '']).split('\n');
      for (const c of ['explain', 'matrix', 'check', 'version', 'completion']) expect(commands.some((l) => l.startsWith(`${c}\t`))).toBe(true);
      expect(run(['__complete', 'netpol', 'explain', '--outp'])).toMatch(/^--output\t/);
      expect(run(['__complete', 'netpol', 'explain', '-o', ''])).toMatch(/^text\njson\nyaml\n:4\n/);
    });
  });
});
