// Renders the TUI with ink-testing-library at a chosen terminal size and types keys into it.
import { render } from 'ink-testing-library';
import React from 'react';

import { App } from '../../src/tui/app.js';
import type { Screen } from '../../src/tui/state.js';
import type { TuiProber } from '../../src/tui/probe.js';
import type { TuiSource } from '../../src/tui/source.js';

/** ink processes input asynchronously: give it a few ticks after each write. */
export const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

export interface Term {
  frame(): string;
  /** Waits (up to 5 s) until the frame shows `text`: for work that finishes asynchronously (file reads, probes). */
  waitFor(text: string | RegExp): Promise<string>;
  type(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  unmount(): void;
  frames: string[];
}

export const KEY = { up: '\u001b[A', down: '\u001b[B', right: '\u001b[C', left: '\u001b[D', enter: '\r', esc: '\u001b', tab: '\t', backspace: '\u007f', ctrlC: '\u0003', pageDown: '\u001b[6~' } as const;

export async function mount(source: TuiSource, opts: { columns?: number; rows?: number; color?: boolean; initial?: Screen[]; cueMs?: number; prober?: TuiProber } = {}): Promise<Term> {
  const app = render(
    <App source={source} color={opts.color ?? false} {...(opts.initial ? { initial: opts.initial } : {})} {...(opts.cueMs !== undefined ? { cueMs: opts.cueMs } : {})} {...(opts.prober ? { prober: opts.prober } : {})} />,
  );
  const stdout = app.stdout as unknown as NodeJS.EventEmitter & { columns: number; rows: number };
  const resize = async (columns: number, rows: number) => {
    Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
    stdout.emit('resize');
    await tick();
  };
  await resize(opts.columns ?? 80, opts.rows ?? 24);
  return {
    frame: () => app.lastFrame() ?? '',
    async waitFor(text: string | RegExp) {
      const shows = (f: string) => (typeof text === 'string' ? f.includes(text) : text.test(f));
      for (const start = Date.now(); Date.now() - start < 5000; await tick(20)) if (shows(app.lastFrame() ?? '')) return app.lastFrame() ?? '';
      throw new Error(`the frame never showed ${String(text)}; it shows:\n${app.lastFrame() ?? ''}`);
    },
    frames: app.frames,
    async type(...keys: string[]) {
      for (const k of keys) {
        app.stdin.write(k);
        await tick();
      }
    },
    resize,
    unmount: () => app.unmount(),
  };
}
