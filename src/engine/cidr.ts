import { Address4, Address6 } from 'ip-address';

/** A parsed CIDR: family, network (host bits masked, as Kubernetes does) and prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
  readonly text: string;
}

/** A dotted quad without leading zeros (the form Kubernetes writes). */
export const DOTTED = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** Parses an IP address to (family, bigint); undefined when it is not an IP. */
export function parseIP(text: string): { family: 4 | 6; value: bigint } | undefined {
  const t = text.trim();
  // Fast path for canonical dotted quads (no leading zeros): the common case, same value as below.
  const q = DOTTED.exec(t);
  if (q) {
    const n = [q[1], q[2], q[3], q[4]].map(Number);
    if (n.every((x) => x <= 255)) return { family: 4, value: BigInt(((n[0]! * 256 + n[1]!) * 256 + n[2]!) * 256 + n[3]!) };
  }
  if (t.includes('/')) return undefined;
  if (Address4.isValid(t)) return { family: 4, value: new Address4(t).bigInt() };
  if (Address6.isValid(t)) {
    const value = new Address6(t).bigInt();
    // IPv4-mapped IPv6 (::ffff:0:0/96, in any spelling) is the IPv4 address, as Go's net.IP.To4 and
    // the Linux stack see it. Other addresses with a dotted tail (64:ff9b::1.2.3.4) stay IPv6.
    if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
    return { family: 6, value };
  }
  return undefined;
}

export function parseCidr(text: string): Cidr | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(t.slice(0, slash));
  const prefixText = t.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  return { family: ip.family, network: ip.value & mask(bits, prefix), prefix, text: t };
}

function mask(bits: number, prefix: number): bigint {
  if (prefix === 0) return 0n;
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function cidrContains(cidr: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  if (cidr.family !== ip.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  return (ip.value & mask(bits, cidr.prefix)) === cidr.network;
}

/** Memoises a parser by its input text: the same policy CIDRs and pod IPs are parsed again and again. */
function memoise<T>(parse: (text: string) => T): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    if (seen.has(text)) return seen.get(text) as T;
    const value = parse(text);
    seen.set(text, value);
    return value;
  };
}

export const cachedCidr = memoise(parseCidr);
export const cachedIP = memoise(parseIP);
