// IPv4 CIDRs parsed without ip-address (src/convert/net.ts) must give what the library gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIPv4CidrWithLibrary } from '../../src/convert/net.js';

describe('IPv4 CIDR fast path', () => {
  it('agrees with ip-address on every dotted quad and prefix', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (addr, prefix) => {
        expect(parseCidr(`${addr}/${prefix}`)).toEqual(parseIPv4CidrWithLibrary(addr, prefix));
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['0.0.0.0/0', '10.0.0.1/8', '255.255.255.255/32', '192.168.1.130/25', '172.16.0.0/12', '1.2.3.4/0'])('%s', (cidr) => {
    const [addr, prefix] = cidr.split('/') as [string, string];
    expect(parseCidr(cidr)).toEqual(parseIPv4CidrWithLibrary(addr, Number(prefix)));
  });

  it('leaves other spellings to the library (and its messages)', () => {
    expect(parseCidr('010.0.0.0/8')).toEqual(parseIPv4CidrWithLibrary('010.0.0.0', 8));
    expect(parseCidr('1.2.3/8')).toEqual(parseIPv4CidrWithLibrary('1.2.3', 8));
  });
});
