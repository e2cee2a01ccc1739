// Mounts the TUI on the terminal (alternate screen, like less and vim) and resolves when it quits.
import { render } from 'ink';
import React from 'react';

import { App } from './app.js';
import type { TuiProber } from './probe.js';
import type { TuiSource } from './source.js';
import type { Screen } from './state.js';

export async function runApp(source: TuiSource, color: boolean, initial: readonly Screen[], prober?: TuiProber): Promise<void> {
  // interactive: the command has checked that stdin and stdout are terminals. Left to itself ink
  // treats any shell with CI=true as non-interactive and draws nothing until the app exits.
  const app = render(<App source={source} color={color} initial={initial} {...(prober ? { prober } : {})} />, { interactive: true, alternateScreen: true, exitOnCtrlC: false, patchConsole: true, maxFps: 60 });
  await app.waitUntilExit();
}
