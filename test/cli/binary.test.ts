// The bundled executable as kubectl runs it: a separate process, real stdout/stderr and exit codes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const BIN = 'dist/kubectl-netpol.mjs';
const run = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, NO_COLOR: '1' } });

/** Runs the binary with its stdout pipe closed before it writes (as `| head -1` does once it has its line). */
function runClosedStdout(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy(); // no reader left: every write gets EPIPE
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('dist/kubectl-netpol.mjs', () => {
  it('is built (npm test builds it first)', () => {
    expect(existsSync(BIN)).toBe(true);
  });

  it('--help lists the commands and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['explain <from> <to>', 'matrix', 'check <flows>']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('kubectl netpol');
  });

  it('explains a denied path: verdict on stdout, exit 1, nothing on stderr', () => {
    const r = run(['explain', '-f', 'examples/shop/manifests', 'frontend/app', 'backend/db', '--port', '5432']);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('DENIED  frontend/app -> backend/db  TCP/5432');
    expect(r.stderr).toBe('');
  });

  it('reads flows from stdin and errors go to stderr with exit 2', () => {
    const ok = run(['check', '-f', 'examples/bookstore/manifests', '-', '-o', 'json'], 'flows: [{from: bookstore/shipping, to: bookstore/api, port: 8080, expect: denied}]');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).items[0]).toMatchObject({ allowed: false, pass: true });
    const bad = run(['explain', '-f', 'examples/nope', 'a/b', 'c/d']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('examples/nope');
  });

  const shop = ['-f', 'examples/shop/manifests'];
  it.each([
    ['matrix text', ['matrix', ...shop, '-A', '--port', '80', '--port', '5432'], 0],
    ['matrix json', ['matrix', ...shop, '-A', '-o', 'json'], 0],
    ['matrix yaml', ['matrix', ...shop, '-A', '-o', 'yaml'], 0],
    ['explain (denied) text', ['explain', ...shop, 'frontend/app', 'backend/db', '--port', '5432'], 1],
    ['explain (denied) json', ['explain', ...shop, 'frontend/app', 'backend/db', '--port', '5432', '-o', 'json'], 1],
    ['explain (allowed) yaml', ['explain', ...shop, 'backend/api', 'backend/db', '--port', '5432', '-o', 'yaml'], 0],
    ['check junit', ['check', ...shop, 'examples/shop/flows.yaml', '-o', 'junit'], 0],
    ['--help', ['--help'], 0],
  ])('a closed stdout (| head -1) ends %s quietly, with the exit code of its answer', async (_name, args, code) => {
    const r = await runClosedStdout(args as string[]);
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(code);
  });
});
