// Renders the TUI with ink-testing-library at a chosen terminal size and types keys into it.
import { render } from 'ink-testing-library';
import React from 'react';

import { App } from '../../src/tui/app.js';
import type { Screen } from '../../src/tui/state.js';
import type { TuiSource } from '../../src/tui/source.js';

/** ink processes input asynchronously: give it a few ticks after each write. */
export const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

export interface Term {
  frame(): string;
  type(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  unmount(): void;
  frames: string[];
}

export const KEY = { up: '\u001b[A', down: '\u001b[B', right: '\u001b[C', left: '\u001b[D', enter: '\r', esc: '\u001b', tab: '\t', backspace: '\u007f', ctrlC: '\u0003', pageDown: '\u001b[6~' } as const;

export async function mount(source: TuiSource, opts: { columns?: number; rows?: number; color?: boolean; initial?: Screen[]; cueMs?: number } = {}): Promise<Term> {
  const app = render(<App source={source} color={opts.color ?? false} {...(opts.initial ? { initial: opts.initial } : {})} {...(opts.cueMs !== undefined ? { cueMs: opts.cueMs } : {})} />);
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
