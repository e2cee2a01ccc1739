// The connection side of the API client: keep-alive agents with the kubeconfig's TLS options, and
// which socket error codes are TLS failures (reported apart from an unreachable server).
import http from 'node:http';
import https from 'node:https';

interface TlsOptions {
  readonly ca?: string | Buffer | (string | Buffer)[] | undefined;
  readonly cert?: string | Buffer | (string | Buffer)[] | undefined;
  readonly key?: unknown;
  readonly servername?: string | undefined;
  readonly insecure: boolean;
}

/** A keep-alive agent: one TLS handshake per connection, reused across pages and resources. */
export function makeAgent(plainHttp: boolean, maxSockets: number, t: TlsOptions): http.Agent {
  if (plainHttp) return new http.Agent({ keepAlive: true, maxSockets });
  return new https.Agent({
    keepAlive: true,
    maxSockets,
    ...(t.ca !== undefined ? { ca: t.ca } : {}),
    ...(t.cert !== undefined ? { cert: t.cert } : {}),
    ...(t.key !== undefined ? { key: t.key as string | Buffer } : {}),
    ...(t.servername !== undefined ? { servername: t.servername } : {}),
    rejectUnauthorized: !t.insecure,
  });
}

export function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code.startsWith('UNABLE_TO') ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'EPROTO' ||
    code === 'HOSTNAME_MISMATCH'
  );
}
