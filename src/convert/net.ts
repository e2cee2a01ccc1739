// IP addresses and CIDRs, validated like the API server's IP/CIDR fields.

import { Address4, Address6 } from 'ip-address';
import { absent, strAt } from './fields.js';
import { describe, type Reporter } from './problems.js';

export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly prefix: number;
  /** First address of the block as an integer. */
  readonly network: bigint;
  /** Canonical `network/prefix` (host bits cleared, IPv6 compressed). */
  readonly canonical: string;
  /** The address part had bits set beyond the prefix (e.g. 10.0.0.1/8). */
  readonly hostBitsSet: boolean;
}

/** Policies repeat the same CIDRs namespace after namespace: each text is parsed once. */
const cidrMemo = new Map<string, ParsedCidr | string>();

export function parseCidr(s: string): ParsedCidr | string {
  let p = cidrMemo.get(s);
  if (p === undefined) cidrMemo.set(s, (p = parseCidrUncached(s)));
  return p;
}

function parseCidrUncached(s: string): ParsedCidr | string {
  const slash = s.indexOf('/');
  if (slash < 0) return 'missing "/prefix-length"';
  const addr = s.slice(0, slash);
  const len = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len)) return `invalid prefix length "${len}"`;
  const prefix = Number(len);
  if (addr.includes(':')) {
    if (addr.includes('%')) return 'zones (%...) are not allowed';
    if (prefix > 128) return 'IPv6 prefix length must be 0-128';
    try {
      const a = new Address6(`${addr}/${prefix}`);
      const start = a.startAddress();
      const network = start.bigInt();
      return {
        family: 6,
        prefix,
        network,
        canonical: `${start.correctForm()}/${prefix}`,
        hostBitsSet: network !== new Address6(addr).bigInt(),
      };
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (prefix > 32) return 'IPv4 prefix length must be 0-32';
  // A canonical dotted quad (every policy's case) without the library: the same result, cheaper.
  if (parseIPv4(addr) !== undefined) {
    const value = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const network = prefix === 0 ? 0 : (value & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
    const dotted = [network >>> 24, (network >>> 16) & 255, (network >>> 8) & 255, network & 255].join('.');
    return { family: 4, prefix, network: BigInt(network), canonical: `${dotted}/${prefix}`, hostBitsSet: network !== value };
  }
  return parseIPv4CidrWithLibrary(addr, prefix);
}

/** IPv4 CIDRs that are not canonical dotted quads (the library's rules and messages). Exported for tests. */
export function parseIPv4CidrWithLibrary(addr: string, prefix: number): ParsedCidr | string {
  try {
    const a = new Address4(`${addr}/${prefix}`);
    const start = a.startAddress();
    const network = start.bigInt();
    return {
      family: 4,
      prefix,
      network,
      canonical: `${start.correctForm()}/${prefix}`,
      hostBitsSet: network !== new Address4(addr).bigInt(),
    };
  } catch (e) {
    return (e as Error).message;
  }
}

/** `inner` is a strict subset of `outer` (same family, longer prefix, inside). */
export function cidrStrictlyInside(inner: ParsedCidr, outer: ParsedCidr): boolean {
  if (inner.family !== outer.family || inner.prefix <= outer.prefix) return false;
  const bits = BigInt(outer.family === 4 ? 32 : 128);
  const shift = bits - BigInt(outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}

/**
 * A CIDR field. Host bits set (10.0.0.1/8) are accepted like the API's legacy CIDR fields, with
 * a warning, and the value is normalised to the network (10.0.0.0/8).
 */
export function cidrAt(v: unknown, path: string, r: Reporter): { text: string; parsed: ParsedCidr } | undefined {
  if (absent(v)) {
    r.error(path, 'is required', 'set a CIDR such as 10.0.0.0/8 or 2001:db8::/64');
    return undefined;
  }
  const s = strAt(v, path, r);
  if (s === undefined) return undefined;
  const p = parseCidr(s);
  if (typeof p === 'string') {
    r.error(path, `${describe(s)} is not a valid CIDR (${p})`, 'use an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or 2001:db8::/64');
    return undefined;
  }
  if (p.hostBitsSet) {
    r.warn(path, `${describe(s)} has bits set beyond the /${p.prefix} prefix; it is treated as ${p.canonical}`, `write ${p.canonical}`);
    return { text: p.canonical, parsed: p };
  }
  return { text: s, parsed: p };
}

/**
 * Strict dotted-quad IPv4 (no leading zeros, as the API's IP validation); returns the text or
 * undefined. Hand-written because pod IPs are parsed by the tens of thousands.
 */
export function parseIPv4(s: string): string | undefined {
  const n = s.length;
  if (n < 7 || n > 15) return undefined;
  let octets = 0;
  let value = 0;
  let digits = 0;
  let leadingZero = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255 || (leadingZero && digits > 1)) return undefined;
      octets++;
      value = 0;
      digits = 0;
      leadingZero = false;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) leadingZero = c === 48;
      value = value * 10 + (c - 48);
      if (++digits > 3) return undefined;
    } else return undefined;
  }
  return octets === 4 ? s : undefined;
}

/** Canonical form of an IP address, or undefined when invalid. */
export function canonicalIp(s: string): string | undefined {
  if (!s.includes(':')) return parseIPv4(s);
  if (s.includes('/') || s.includes('%')) return undefined;
  try {
    return new Address6(s).correctForm();
  } catch {
    return undefined;
  }
}

/** An IP address field; invalid addresses are errors. */
export function ipAt(v: unknown, path: string, r: Reporter): string | undefined {
  const s = strAt(v, path, r);
  if (s === undefined) return undefined;
  const ip = canonicalIp(s);
  if (ip === undefined) r.error(path, `${describe(s)} is not a valid IP address`);
  return ip;
}
