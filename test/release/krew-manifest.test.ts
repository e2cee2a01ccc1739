// krew/netpol.yaml as krew's guides want it: name, a short shortDescription, a description that says
// what the plugin does (no usage text), caveats that say what probe needs, one platform per archive.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CAVEATS, DESCRIPTION, krewManifest, SHORT_DESCRIPTION } from '../../release/krew-manifest.js';
import { PLATFORMS } from '../../release/platforms.js';

const built = PLATFORMS.filter((p) => !p.unavailable).map((platform, i) => ({ platform, sha256: String(i).repeat(64) }));
type Manifest = { metadata: { name: string }; spec: { version: string; shortDescription: string; description: string; caveats: string; platforms: { selector: { matchLabels: Record<string, string> }; uri: string; sha256: string; bin: string; files: { from: string; to: string }[] }[] } };
const doc = load(krewManifest('1.2.3', 'https://example.test/home', 'https://example.test/dl/v1.2.3', built)) as Manifest;

describe('krew manifest', () => {
  it('names the plugin netpol (kubectl netpol) with a semver version', () => {
    expect(doc.metadata.name).toBe('netpol');
    expect(doc.spec.version).toBe('v1.2.3');
  });

  it('keeps shortDescription to a few words, without "kubectl" or "plugin" (krew naming guide)', () => {
    expect(SHORT_DESCRIPTION.length).toBeLessThanOrEqual(50);
    expect(doc.spec.shortDescription).toBe(SHORT_DESCRIPTION);
    expect(SHORT_DESCRIPTION).not.toMatch(/kubectl|plugin/i);
  });

  it('describes what it does, with no usage text', () => {
    expect(doc.spec.description).toBe(DESCRIPTION);
    expect(DESCRIPTION).not.toMatch(/usage|kubectl netpol \w|--\w|\$ /i);
    expect(DESCRIPTION).toMatch(/NetworkPolicy/);
  });

  it('says in the caveats what probe needs: ephemeral containers or pod create rights, and a pullable image', () => {
    expect(doc.spec.caveats).toBe(CAVEATS);
    expect(CAVEATS).toMatch(/patch pods\/ephemeralcontainers/);
    expect(CAVEATS).toMatch(/create pods/);
    expect(CAVEATS).toMatch(/image the cluster can pull/);
    expect(CAVEATS).toMatch(/kubectl_complete-netpol/);
  });

  it('has one platform per built archive, with uri, sha256, the three files and the bin', () => {
    expect(doc.spec.platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`)).toEqual(built.map((b) => `${b.platform.os}/${b.platform.arch}`));
    const win = doc.spec.platforms.find((p) => p.selector.matchLabels.os === 'windows')!;
    expect(win).toMatchObject({ uri: 'https://example.test/dl/v1.2.3/kubectl-netpol_v1.2.3_windows_amd64.zip', bin: 'kubectl-netpol.exe' });
    expect(win.files.map((f) => f.from)).toEqual(['kubectl-netpol.exe', 'kubectl_complete-netpol.cmd', 'LICENSE']);
    const linux = doc.spec.platforms[0]!;
    expect(linux).toMatchObject({ uri: 'https://example.test/dl/v1.2.3/kubectl-netpol_v1.2.3_linux_amd64.tar.gz', sha256: '0'.repeat(64), bin: 'kubectl-netpol' });
  });

  it('the checked-in krew/netpol.yaml is this generator\'s output (only the archive sums differ per release)', () => {
    const checkedIn = readFileSync('krew/netpol.yaml', 'utf8').replace(/sha256: "[0-9a-f]{64}"/g, 'sha256: X');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; homepage: string; config: { releaseBaseUrl: string } };
    const regenerated = krewManifest(pkg.version, pkg.homepage, pkg.config.releaseBaseUrl.replaceAll('{version}', pkg.version), built).replace(/sha256: "[0-9a-f]{64}"/g, 'sha256: X');
    expect(checkedIn).toBe(regenerated);
  });
});
