// Every stable reason id (src/engine/reasons.ts) must be produced by at least one case of the engine
// tables: a reason no verdict can carry is dead vocabulary for `-o json` consumers, or a missing case.
import { describe, expect, it } from 'vitest';
import { Reason, type ReasonId } from '../../src/engine/reasons.js';
import { adminTables } from './admin-cases.js';
import { traceReasons } from './builders.js';
import { netpolTables } from './netpol-cases.js';
import { runCase, type VerdictCase } from './world.js';

/**
 * Reason ids the engine never emits (found by this test; reported, not removed):
 * - notApplicable: directions that are not evaluated carry samePod / hostNetwork* / external* instead.
 * - allPeers, allPorts: RuleTrace reports these as booleans (`allPeers`, `allPorts`), never as a reason id.
 * When the engine starts emitting one of them, this list must shrink (the second test fails).
 */
export const KNOWN_UNREACHABLE: readonly ReasonId[] = [];

const allCases: VerdictCase[] = [...Object.values(netpolTables), ...Object.values(adminTables)].flat();

const seen = new Map<ReasonId, string>();
for (const c of allCases) for (const r of traceReasons(runCase(c))) if (!seen.has(r)) seen.set(r, c.name);

describe('reason coverage', () => {
  const reachable = Object.values(Reason).filter((r) => !KNOWN_UNREACHABLE.includes(r));

  it.each(reachable)('%s is produced by some case', (r) => {
    expect(seen.has(r), `no case produces ${r}`).toBe(true);
  });

  it.each([...KNOWN_UNREACHABLE])('%s is still unreachable (remove it from KNOWN_UNREACHABLE once emitted)', (r) => {
    expect(seen.get(r)).toBeUndefined();
  });

  it('no case produces a reason id outside the Reason table', () => {
    const known = new Set<string>(Object.values(Reason));
    expect([...seen.keys()].filter((r) => !known.has(r))).toEqual([]);
  });
});
