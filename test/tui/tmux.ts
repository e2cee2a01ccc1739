// A real terminal for end-to-end TUI tests: a detached tmux session running the built binary,
// driven with send-keys and read with capture-pane.
import { spawnSync } from 'node:child_process';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export class TmuxTerm {
  private constructor(private readonly session: string) {}

  /**
   * Runs `kubectl-netpol ARGS` (the built dist, with the project's Node) in a session of that size,
   * with CI=true on purpose (ink draws nothing but the last frame when CI is set unless told it is
   * interactive; users' shells have it too). After the program exits the pane shows "exit N".
   */
  static start(session: string, args: string, env: Record<string, string> = {}, size = { columns: 100, rows: 40 }): TmuxTerm {
    const vars = Object.entries({ CI: 'true', NO_COLOR: '1', ...env }).map(([k, v]) => `${k}=${v}`).join(' ');
    const cmd = `${vars} ${process.execPath} dist/kubectl-netpol.mjs ${args}; echo "exit $?"; sleep 120`;
    tmux('new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), '-c', process.cwd(), cmd);
    return new TmuxTerm(session);
  }

  screen(opts: { escapes?: boolean } = {}): string {
    return tmux('capture-pane', '-p', ...(opts.escapes ? ['-e'] : []), '-t', this.session);
  }

  /** Named keys (Enter, Escape, Tab, BSpace) as keys, anything longer as literal text. */
  async keys(...k: string[]): Promise<void> {
    for (const x of k) {
      tmux('send-keys', '-t', this.session, ...(x.length > 1 && !['Enter', 'Escape', 'Tab', 'BSpace'].includes(x) ? ['-l', x] : [x]));
      await sleep(150);
    }
  }

  /** Waits until the screen shows `text` (the TUI redraws asynchronously). */
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const start = Date.now();
    let last = '';
    while (Date.now() - start < timeoutMs) {
      last = this.screen();
      if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
      await sleep(200);
    }
    throw new Error(`the screen never showed ${String(text)}; it shows:\n${last}`);
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.session]);
  }
}
