// The bash script from `kubectl-netpol completion bash`, sourced in a real bash that completes a
// command line the way the shell does (COMP_WORDS/COMP_CWORD, then COMPREPLY).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'netpol-complete-'));
// kubectl-netpol on PATH: the built bundle on this Node.
writeFileSync(join(dir, 'kubectl-netpol'), `#!/bin/sh\nexec "${process.execPath}" "${resolve('dist/kubectl-netpol.mjs')}" "$@"\n`);
chmodSync(join(dir, 'kubectl-netpol'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (shell: string) => spawnSync(join(dir, 'kubectl-netpol'), ['completion', shell], { encoding: 'utf8' });

function bashComplete(line: string): string[] {
  const words = line.split(' ');
  const prog = `source <(kubectl-netpol completion bash)\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n_kubectl_netpol\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', prog], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir, KUBECONFIG: join(dir, 'none') } });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('kubectl-netpol completion', () => {
  it.each([
    ['kubectl-netpol ', ['explain', 'matrix', 'check', 'probe', 'lint', 'diff', 'tui', 'version', 'completion']],
    ['kubectl-netpol ma', ['matrix']],
    ['kubectl-netpol explain --out', ['--output']],
    ['kubectl-netpol check -o j', ['json', 'junit']],
    ['kubectl-netpol completion ', ['bash', 'zsh', 'fish']],
  ])('bash: %j -> %j', (line, expected) => {
    expect(bashComplete(line)).toEqual(expected);
  });

  it.each(['bash', 'zsh', 'fish'])('prints a %s script that calls kubectl-netpol __complete', (shell) => {
    const r = script(shell);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kubectl-netpol __complete');
  });

  // fish and zsh are not part of the machine image (apt-get install fish zsh brings them).
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  it.skipIf(!has('fish'))('fish: completes commands with descriptions and flag values (needs fish on PATH)', () => {
    const file = join(dir, 'netpol.fish');
    writeFileSync(file, script('fish').stdout);
    const r = spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C 'kubectl-netpol ex'; complete -C 'kubectl-netpol completion '`], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir } });
    expect(r.stdout).toBe('explain\tExplain whether a connection is allowed, down to the rule term that decided it\nbash\nfish\nzsh\n');
  });

  it.skipIf(!has('zsh'))('zsh: the script parses and registers _kubectl_netpol with compdef (needs zsh on PATH)', () => {
    const file = join(dir, 'netpol.zsh');
    writeFileSync(file, script('zsh').stdout);
    const r = spawnSync('zsh', ['-f', '-c', `autoload -U compinit; compinit -u -d ${join(dir, 'zcompdump')}; source ${file}; print -r -- \${_comps[kubectl-netpol]}`], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir } });
    expect(r.stdout).toBe('_kubectl_netpol\n');
  });

  it('the bash script parses in bash (bash -n)', () => {
    const r = spawnSync('bash', ['-n'], { input: script('bash').stdout, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('rejects an unknown shell with a usage error naming the choices', () => {
    const r = script('tcsh');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Invalid values:[\s\S]*shell[\s\S]*bash/);
  });
});
