// docs/reasons.md is generated from the reason table and must match the code's ids.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOTE_MEANINGS, REASON_MEANINGS } from '../../src/engine/reason-meanings.js';
import { NoteId, Reason } from '../../src/engine/reasons.js';
import { renderReasonsDoc } from '../../src/render/reasons-doc.js';

const doc = readFileSync(new URL('../../docs/reasons.md', import.meta.url), 'utf8');

describe('docs/reasons.md', () => {
  it('is in sync with src/engine/reason-meanings.ts (regenerate with: npm run docs:reasons)', () => {
    expect(doc).toBe(renderReasonsDoc());
  });

  it('documents every reason id and note id once, each with a meaning', () => {
    const documented = [...doc.matchAll(/^\| `(\w+)` \| (.+) \|$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...Object.values(Reason), ...Object.values(NoteId)].sort());
    expect(Object.keys(REASON_MEANINGS).sort()).toEqual(Object.values(Reason).sort());
    expect(Object.keys(NOTE_MEANINGS).sort()).toEqual(Object.values(NoteId).sort());
    for (const { meaning } of Object.values(REASON_MEANINGS)) expect(meaning.length).toBeGreaterThan(20);
  });
});
