// Which proxy the environment asks for (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), read as Go's
// net/http ProxyFromEnvironment reads them, since that is what kubectl uses.

import { cidrContains, parseCidr, parseIP } from '../../engine/cidr.js';

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY like Go's http.ProxyFromEnvironment (which kubectl uses when
 * the kubeconfig has no proxy-url): never for loopback hosts. NO_PROXY entries (comma-separated):
 * `*`; CIDRs, IPv4 and IPv6 (`10.0.0.0/8`, `fd00::/8`); IP addresses, IPv6 bare or in brackets
 * (`::1`, `[fd00::10]`, compared as addresses, so `fd00:0::10` is the same); `host:port` and
 * `[v6]:port` (only that port); names, which also cover their subdomains (`example`, `.example`,
 * `*.example`). Go ignores a bracketed IPv6 address without a port; it is accepted here.
 */
export function proxyFromEnv(server: URL, env: NodeJS.ProcessEnv): string | undefined {
  const host = server.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const hostIp = parseIP(host);
  if (host === 'localhost' || host.endsWith('.localhost') || (hostIp && isLoopback(hostIp))) return undefined;
  const proxy = server.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!proxy) return undefined;
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  for (const entry of (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)) {
    if (entry === '*') return undefined;
    if (entry.includes('/')) {
      const cidr = parseCidr(entry);
      if (cidr && hostIp && cidrContains(cidr, hostIp)) return undefined;
      continue;
    }
    const { name, port: p } = splitHostPort(entry);
    if (p !== undefined && p !== port) continue;
    const ip = parseIP(name);
    if (ip) {
      if (hostIp && ip.family === hostIp.family && ip.value === hostIp.value) return undefined;
      continue;
    }
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  return proxy.includes('://') ? proxy : `http://${proxy}`;
}

/** `[v6]:port`, `[v6]`, `v4:port`, `name:port`; a bare IPv6 address (several colons) has no port. */
function splitHostPort(entry: string): { name: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return bracketed[2] !== undefined ? { name: bracketed[1]!, port: bracketed[2] } : { name: bracketed[1]! };
  const colon = entry.lastIndexOf(':');
  if (colon > 0 && entry.indexOf(':') === colon) return { name: entry.slice(0, colon), port: entry.slice(colon + 1) };
  return { name: entry };
}

const isLoopback = (ip: { family: 4 | 6; value: bigint }): boolean => (ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n);
