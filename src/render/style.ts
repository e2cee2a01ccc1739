// Terminal styling that follows --color / NO_COLOR / isatty, as kubectl users expect.

export interface Style {
  readonly enabled: boolean;
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export type ColorMode = 'auto' | 'always' | 'never';

export function colorEnabled(mode: ColorMode, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}

const wrap = (on: boolean, open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export function makeStyle(enabled: boolean): Style {
  return {
    enabled,
    ok: wrap(enabled, 32, 39),
    bad: wrap(enabled, 31, 39),
    warn: wrap(enabled, 33, 39),
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
  };
}

export const plain = makeStyle(false);
