// Screen lines as styled segments: views build them at the exact terminal width (so a resize
// re-lays them out, and nothing wraps), and <Lines> draws them; colour is dropped for NO_COLOR.
import { Box, Text } from 'ink';
import React from 'react';

export interface Seg {
  readonly text: string;
  readonly color?: 'green' | 'red' | 'yellow' | 'cyan' | 'magenta' | 'gray';
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export type Line = readonly Seg[];

export const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({ text, ...style });

/** Cuts or pads to exactly `w` columns (an ellipsis marks a cut). */
export function fit(text: string, w: number): string {
  if (w <= 0) return '';
  if (text.length > w) return w === 1 ? '…' : `${text.slice(0, w - 1)}…`;
  return text + ' '.repeat(w - text.length);
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
/** Columns a text takes: SGR colour codes (from the CLI's explain renderer) take none. */
export const visibleLength = (t: string): number => (t.includes('\u001b') ? t.replace(SGR, '').length : t.length);

/** Truncates a line of segments to `w` columns. */
export function clip(line: Line, w: number): Line {
  const out: Seg[] = [];
  let left = w;
  for (const s of line) {
    if (left <= 0) break;
    const n = visibleLength(s.text);
    if (n <= left || s.text.includes('\u001b')) {
      // Coloured text is wrapped to the width before it gets here; ink truncates what is left.
      out.push(s);
      left -= n;
    } else {
      out.push({ ...s, text: fit(s.text, left) });
      left = 0;
    }
  }
  return out;
}

/** The first row to show so `selected` stays visible, centred when it can be (stateless scrolling). */
export function windowStart(selected: number, count: number, height: number): number {
  if (count <= height) return 0;
  return Math.max(0, Math.min(selected - Math.floor(height / 2), count - height));
}

export function Lines({ lines, width, color }: { lines: readonly Line[]; width: number; color: boolean }): React.ReactElement {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l.every((x) => x.text === '') // an empty <Text> would take no row at all
            ? ' '
            : clip(l, width).map((s, j) => (
                <Text key={j} {...(color && s.color ? { color: s.color } : {})} bold={s.bold ?? false} dimColor={color && (s.dim ?? false)} inverse={s.inverse ?? false}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}

/** Wraps a line of segments to `w` columns, breaking at spaces when it can; continuations are indented. */
export function wrapLine(line: Line, w: number, indent = 4): Line[] {
  const total = line.reduce((n, s) => n + s.text.length, 0);
  if (total <= w || w <= indent + 8) return [line];
  const out: Seg[][] = [[]];
  let col = 0;
  const room = () => (out.length === 1 ? w : w - indent) - col;
  for (const s of line) {
    let text = s.text;
    while (text.length > 0) {
      if (text.length <= room()) {
        out[out.length - 1]!.push({ ...s, text });
        col += text.length;
        break;
      }
      const cut = text.lastIndexOf(' ', room());
      const n = cut > 0 ? cut + 1 : room() > 0 && col === 0 ? room() : cut > 0 ? cut + 1 : 0;
      if (n > 0) out[out.length - 1]!.push({ ...s, text: text.slice(0, n).trimEnd() });
      text = text.slice(n).trimStart();
      out.push([seg(' '.repeat(indent))]);
      col = 0;
    }
  }
  return out;
}
