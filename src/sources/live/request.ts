// What an API call asks for (ApiRequest), how it is spelt as a path and in messages, and the two
// ways it can fail (an error status from the server, or no answer at all).

/** One API call, described by what it asks for (used for paths, messages and `kubectl auth can-i`). */
export interface ApiRequest {
  readonly verb: 'get' | 'list' | 'create' | 'delete' | 'patch' | 'update';
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural resource name, e.g. pods; '' for a group discovery document (GET /apis/GROUP). */
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
}

/** The server answered with an error status (Status object parsed when there is one). */
export class ApiStatusError extends Error {
  constructor(
    readonly req: ApiRequest,
    readonly status: number,
    readonly reason: string | undefined,
    readonly serverMessage: string | undefined,
  ) {
    super(`${req.verb} ${describeRequest(req)}: HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
    this.name = 'ApiStatusError';
  }
}

/** A paginated list whose continue token expired on every attempt: the data changed faster than it could be read. */
export class ListExpiredError extends ApiStatusError {
  constructor(
    last: ApiStatusError,
    readonly attempts: number,
  ) {
    super(last.req, last.status, last.reason, last.serverMessage);
    this.name = 'ListExpiredError';
  }
}

/** No HTTP answer: connection refused, DNS, TLS verification, timeout. */
export class ApiTransportError extends Error {
  constructor(
    readonly req: ApiRequest,
    readonly kind: 'unreachable' | 'tls' | 'timeout',
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${req.verb} ${describeRequest(req)}: ${detail} (${code})`);
    this.name = 'ApiTransportError';
  }
}

export const resourceWithGroup = (req: Pick<ApiRequest, 'resource' | 'group'>): string => (req.group ? `${req.resource}.${req.group}` : req.resource);

/** `pods in namespace "shop"`, `namespace "shop"`, `nodes`, `pods in all namespaces`. */
export function describeRequest(req: ApiRequest): string {
  const what = req.resource === '' ? (req.group === '' ? 'API discovery (/apis)' : `API group ${req.group}`) : resourceWithGroup(req);
  if (req.name !== undefined) return `${what} "${req.name}"${req.namespace !== undefined ? ` in namespace "${req.namespace}"` : ''}`;
  if (req.namespace !== undefined) return `${what} in namespace "${req.namespace}"`;
  return what;
}

export function requestPath(req: ApiRequest): string {
  const base = req.group === '' ? `/api/${req.version}` : `/apis/${req.group}/${req.version}`;
  if (req.resource === '') return req.group === '' ? '/apis' : `/apis/${req.group}`;
  let p = base;
  if (req.namespace !== undefined) p += `/namespaces/${encodeURIComponent(req.namespace)}`;
  p += `/${req.resource}`;
  if (req.name !== undefined) p += `/${encodeURIComponent(req.name)}`;
  if (req.subresource !== undefined) p += `/${req.subresource}`;
  const q = Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined && v !== '');
  if (q.length > 0) p += `?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
  return p;
}
