// The tui command at the CLI edge: listed in the help, refuses what it cannot do, opens where -n says.
import { describe, expect, it } from 'vitest';

import { runCli } from '../cli/run-cli.js';
import { openingScreens } from '../../src/tui/state.js';
import { filesSource } from '../../src/tui/source.js';
import { KEY, mount } from './helpers.js';

describe('kubectl netpol tui', () => {
  it('kubectl netpol alone still prints the help, and it lists tui (alias ui)', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kubectl netpol tui\s+Interactive browser/);
    expect(r.stdout).toContain('[aliases: ui]');
  });

  it.each([['tui'], ['ui']])('%s without a terminal exits 2 and points at the plain-text commands', async (cmd) => {
    const r = await runCli([cmd, '-f', 'examples/shop/manifests']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: kubectl netpol tui needs a terminal');
    expect(r.stderr).toContain('hint: for scripts use explain, matrix or check');
  });

  it('tui --help lists the keys', async () => {
    const r = await runCli(['tui', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('/ filters (-l key=value for labels), : jumps (:ns NAME, :np, :pod)');
  });

  it('-n opens that namespace, and Esc goes to the list with it selected', async () => {
    const source = await filesSource(['examples/shop/manifests'], 'frontend', { stderr: { write: () => true }, readStdin: async () => '' });
    const term = await mount(source, { initial: openingScreens('frontend') });
    expect(term.frame()).toContain('namespace frontend');
    await term.type(KEY.esc);
    expect(term.frame()).toMatch(/^>frontend/m);
    term.unmount();
  });
});
