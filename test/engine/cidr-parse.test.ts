// parseIP's fast path for dotted quads must give exactly what the ip-address library gives.
import { Address4 } from 'ip-address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIP } from '../../src/engine/cidr.js';

describe('parseIP dotted quads', () => {
  it('agrees with ip-address for octets in and out of range, with and without leading zeros', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`));
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), (parts) => {
        const text = parts.join('.');
        const expected = Address4.isValid(text) ? { family: 4, value: new Address4(text).bigInt() } : undefined;
        const got = parseIP(text);
        if (expected === undefined) expect(got === undefined || got.family === 6).toBe(true);
        else expect(got).toEqual(expected);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it.each([['10.0.0.1', 167772161n], ['255.255.255.255', 4294967295n], ['0.0.0.0', 0n], [' 10.1.2.3 ', 167838211n]])('%s', (text, value) => {
    expect(parseIP(text)).toEqual({ family: 4, value });
  });
});
