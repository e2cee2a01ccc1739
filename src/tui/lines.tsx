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

/** Truncates a line of segments to `w` columns. */
export function clip(line: Line, w: number): Line {
  const out: Seg[] = [];
  let left = w;
  for (const s of line) {
    if (left <= 0) break;
    if (s.text.length <= left) {
      out.push(s);
      left -= s.text.length;
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
          {l.length === 0
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
