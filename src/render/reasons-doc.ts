// docs/reasons.md as a string, from the reason and note tables (src/engine/reason-meanings.ts).
import { NOTE_MEANINGS, REASON_GROUPS, REASON_MEANINGS, type ReasonGroup } from '../engine/reason-meanings.js';

export const REASONS_DOC_PATH = 'docs/reasons.md';

export function renderReasonsDoc(): string {
  const out: string[] = [
    '# Reason ids',
    '',
    '<!-- Generated from src/engine/reason-meanings.ts by `npm run docs:reasons`; do not edit by hand. -->',
    '',
    'Stable ids in `-o json|yaml` output (see [schema/](schema/)): every `reason` in a verdict and its',
    'trace, `closest.failed`, and the `reason` of a `check` item. They do not change between releases',
    'of `netpol.kubectl.io/v1alpha1`; new ones may be added.',
    '',
  ];
  for (const [group, title] of Object.entries(REASON_GROUPS) as [ReasonGroup, string][]) {
    out.push(`## ${title}`, '', '| id | meaning |', '| --- | --- |');
    for (const [id, r] of Object.entries(REASON_MEANINGS)) if (r.group === group) out.push(`| \`${id}\` | ${r.meaning} |`);
    out.push('');
  }
  out.push('## Verdict notes (`notes[].id`)', '', 'Facts that qualify a verdict without changing it.', '', '| id | meaning |', '| --- | --- |');
  for (const [id, meaning] of Object.entries(NOTE_MEANINGS)) out.push(`| \`${id}\` | ${meaning} |`);
  out.push('');
  return out.join('\n');
}
