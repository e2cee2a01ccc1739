// Admin tiers (ANP/BANP v1alpha1, ClusterNetworkPolicy v1alpha2): verdicts and reason ids.
import { describe, it } from 'vitest';
import { adminTables } from './admin-cases.js';
import { assertCase, title } from './world.js';

for (const [group, cases] of Object.entries(adminTables)) {
  describe(`admin tiers: ${group}`, () => {
    it.each(cases)(title, (c) => {
      assertCase(c);
    });
  });
}
