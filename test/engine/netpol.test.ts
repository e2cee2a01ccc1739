// NetworkPolicy v1 semantics (DESIGN.md §4): verdicts and reason ids, table by table.
import { describe, it } from 'vitest';
import { netpolTables } from './netpol-cases.js';
import { assertCase, title } from './world.js';

for (const [group, cases] of Object.entries(netpolTables)) {
  describe(`NetworkPolicy: ${group}`, () => {
    it.each(cases)(title, (c) => {
      assertCase(c);
    });
  });
}
