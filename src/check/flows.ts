// Parses a check flows file: {flows: [{from, to, port?, protocol?, expect}]} as YAML or JSON.
import { load as loadYaml, dump as dumpYaml } from 'js-yaml';
import type { Flow } from '../engine/check.js';
import { PROTOCOLS, type Protocol } from '../engine/model.js';
import { isPortName } from '../engine/ports.js';
import { CliError, ExitCode } from '../errors.js';

/** A flow as written in the file; `name` labels it in the output. */

const FORMAT_HINT = 'expected {flows: [{from: NS/POD, to: NS/POD, port: 80, protocol: TCP, expect: allowed|denied}, ...]}';

export function parseFlows(text: string, file: string): Flow[] {
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (e) {
    throw new CliError(`${file}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`, FORMAT_HINT, ExitCode.input);
  }
  const list = (doc as { flows?: unknown } | null)?.flows;
  if (!Array.isArray(list)) throw new CliError(`${file}: missing top-level "flows" list`, FORMAT_HINT, ExitCode.input);
  const problems: string[] = [];
  const flows: Flow[] = [];
  list.forEach((raw: unknown, i) => {
    const at = `${file}: flows[${i}]`;
    if (typeof raw !== 'object' || raw === null) return problems.push(`${at}: must be a mapping`);
    const f = raw as Record<string, unknown>;
    for (const key of Object.keys(f)) if (!['from', 'to', 'port', 'protocol', 'expect', 'name', 'description'].includes(key)) problems.push(`${at}.${key}: unknown field`);
    const from = typeof f.from === 'string' && f.from.trim() ? f.from.trim() : undefined;
    const to = typeof f.to === 'string' && f.to.trim() ? f.to.trim() : undefined;
    if (!from) problems.push(`${at}.from: required (NS/POD, [NS/]KIND/NAME or an IP)`);
    if (!to) problems.push(`${at}.to: required (NS/POD, [NS/]KIND/NAME or an IP)`);
    let port: number | string | undefined;
    if (f.port !== undefined && f.port !== null) {
      if (typeof f.port === 'number' && Number.isInteger(f.port) && f.port >= 1 && f.port <= 65535) port = f.port;
      else if (typeof f.port === 'string' && /^\d+$/.test(f.port) && Number(f.port) >= 1 && Number(f.port) <= 65535) port = Number(f.port);
      // A quoted number out of range ("70000") is not a name: a container port name has a letter.
      else if (typeof f.port === 'string' && isPortName(f.port)) port = f.port;
      else problems.push(`${at}.port: ${JSON.stringify(f.port)} is neither 1-65535 nor a container port name`);
    }
    let protocol: Protocol | undefined;
    if (f.protocol !== undefined) {
      const p = String(f.protocol).toUpperCase();
      if ((PROTOCOLS as readonly string[]).includes(p)) protocol = p as Protocol;
      else problems.push(`${at}.protocol: ${JSON.stringify(f.protocol)} must be TCP, UDP or SCTP`);
    }
    const expect = typeof f.expect === 'string' ? f.expect.toLowerCase() : undefined;
    const normalized = expect === 'allow' || expect === 'allowed' ? 'allowed' : expect === 'deny' || expect === 'denied' ? 'denied' : undefined;
    if (!normalized) problems.push(`${at}.expect: must be "allowed" or "denied"${f.expect !== undefined ? `, got ${JSON.stringify(f.expect)}` : ''}`);
    let name: string | undefined;
    if (f.name !== undefined && f.name !== null) {
      if (typeof f.name === 'string' || typeof f.name === 'number') name = String(f.name).trim() || undefined;
      else problems.push(`${at}.name: must be a string`);
    }
    if (from && to && normalized) flows.push({ ...(name !== undefined ? { name } : {}), from, to, ...(port !== undefined ? { port } : {}), ...(protocol ? { protocol } : {}), expect: normalized });
  });
  if (problems.length > 0) throw new CliError(`${file}: ${problems.length} invalid flow entr${problems.length === 1 ? 'y' : 'ies'}`, FORMAT_HINT, ExitCode.input, problems);
  if (flows.length === 0) throw new CliError(`${file}: the flows list is empty`, FORMAT_HINT, ExitCode.input);
  return flows;
}
