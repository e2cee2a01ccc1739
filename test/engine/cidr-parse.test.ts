// parseIP's fast path for dotted quads must give exactly what the ip-address library gives.
import { Address4 } from 'ip-address';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIP } from '../../src/engine/cidr.js';
import { canonicalIP } from '../../src/engine/cluster-index.js';

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

describe('canonicalIP', () => {
  it.each([
    ['10.0.0.1', '::ffff:10.0.0.1'],
    ['10.0.0.1', '::ffff:a00:1'],
    ['192.168.1.20', '192.168.1.20'],
  ])('%s and %s are one address', (a, b) => {
    expect(canonicalIP(a)).toBe(canonicalIP(b));
  });

  it('the fast path gives the parser path key', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), (o) => {
        const ip = o.join('.');
        const parsed = parseIP(`::ffff:${ip}`)!;
        expect(canonicalIP(ip)).toBe(`${parsed.family}:${parsed.value.toString(16)}`);
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});
