// Port matches of the admin tiers: v1alpha1 `ports` entries (portNumber, namedPort, portRange) and
// v1alpha2 `protocols` entries (tcp/udp/sctp destinationPort, destinationNamedPort).

import type { AdminPort, Protocol } from '../engine/model.js';
import { absent, checkFields, objAt, portNumberAt, protocolAt, strAt, type Obj } from './fields.js';
import { join, type Reporter } from './problems.js';

/** Exactly one of the given keys must be set (CRD MinProperties=1, MaxProperties=1). */
export function oneOf(o: Obj, allowed: readonly string[], path: string, r: Reporter, what: string): string | undefined {
  checkFields(o, allowed, path, r);
  const set = allowed.filter((k) => !absent(o[k]));
  if (set.length === 1) return set[0];
  if (set.length === 0) r.error(path, `must set exactly one of ${allowed.join(', ')}`, `add the ${what}`);
  else r.error(path, `must set exactly one of ${allowed.join(', ')}; got ${set.join(' and ')}`, 'split it into separate list items');
  return undefined;
}

/** v1alpha1 AdminNetworkPolicyPort: exactly one of portNumber, namedPort, portRange. */
export function portEntryAt(v: unknown, path: string, r: Reporter): AdminPort | undefined {
  const o = objAt(v, path, r);
  if (!o) return undefined;
  const key = oneOf(o, ['portNumber', 'namedPort', 'portRange'], path, r, 'port (portNumber, namedPort or portRange)');
  if (key === 'namedPort') {
    const name = strAt(o['namedPort'], join(path, 'namedPort'), r);
    if (name === '') r.error(join(path, 'namedPort'), 'must not be empty');
    return name ? { kind: 'named', name } : undefined;
  }
  if (key === 'portNumber') {
    const p = join(path, 'portNumber');
    const po = objAt(o['portNumber'], p, r);
    if (!po) return undefined;
    checkFields(po, ['protocol', 'port'], p, r);
    const protocol = protocolAt(po['protocol'], join(p, 'protocol'), r);
    const port = portNumberAt(po['port'], join(p, 'port'), r);
    return protocol && port !== undefined ? { kind: 'number', protocol, port } : undefined;
  }
  if (key === 'portRange') {
    const p = join(path, 'portRange');
    const po = objAt(o['portRange'], p, r);
    if (!po) return undefined;
    checkFields(po, ['protocol', 'start', 'end'], p, r);
    return rangeAt(po, p, protocolAt(po['protocol'], join(p, 'protocol'), r), false, r);
  }
  return undefined;
}

/**
 * start/end of a range. v1alpha2 has the CEL rule `self.start < self.end`; v1alpha1 only
 * documents "Start must be less than End" without enforcing it, so there start == end is a warning.
 */
function rangeAt(o: Obj, path: string, protocol: Protocol | undefined, strict: boolean, r: Reporter): AdminPort | undefined {
  const start = portNumberAt(o['start'], join(path, 'start'), r);
  const end = portNumberAt(o['end'], join(path, 'end'), r);
  if (start === undefined || end === undefined || protocol === undefined) return undefined;
  if (start > end || (strict && start === end)) {
    r.error(path, `start port must be less than end port; got start ${start}, end ${end}`, start === end ? `use a single port number ${start}` : 'swap start and end');
    return undefined;
  }
  if (start === end) r.warn(path, `start equals end (${start}); the API documents that start must be less than end`, `use portNumber: {port: ${start}}`);
  return { kind: 'range', protocol, start, end };
}

/** v1alpha2 ClusterNetworkPolicyProtocol: exactly one of tcp, udp, sctp, destinationNamedPort. */
export function protocolEntryAt(v: unknown, path: string, r: Reporter): AdminPort | undefined {
  const o = objAt(v, path, r);
  if (!o) return undefined;
  const key = oneOf(o, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], path, r, 'protocol match (tcp, udp, sctp or destinationNamedPort)');
  if (key === undefined) return undefined;
  if (key === 'destinationNamedPort') {
    const name = strAt(o[key], join(path, key), r);
    if (name === '') r.error(join(path, key), 'must not be empty');
    return name ? { kind: 'named', name } : undefined;
  }
  const protocol = key.toUpperCase() as Protocol;
  const p = join(path, key);
  const po = objAt(o[key], p, r);
  if (!po) return undefined;
  checkFields(po, ['destinationPort'], p, r);
  const dp = join(p, 'destinationPort');
  if (absent(po['destinationPort'])) {
    r.error(dp, 'is required', 'set destinationPort: {number: 80} or destinationPort: {range: {start: 8000, end: 9000}}');
    return undefined;
  }
  const dpo = objAt(po['destinationPort'], dp, r);
  if (!dpo) return undefined;
  const which = oneOf(dpo, ['number', 'range'], dp, r, 'port (number or range)');
  if (which === 'number') {
    const port = portNumberAt(dpo['number'], join(dp, 'number'), r);
    return port !== undefined ? { kind: 'number', protocol, port } : undefined;
  }
  if (which === 'range') {
    const rp = join(dp, 'range');
    const ro = objAt(dpo['range'], rp, r);
    if (!ro) return undefined;
    checkFields(ro, ['start', 'end'], rp, r);
    return rangeAt(ro, rp, protocol, true, r);
  }
  return undefined;
}
