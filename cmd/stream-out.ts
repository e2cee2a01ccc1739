// Writes a long output chunk by chunk: batched, waiting for the pipe to drain (memory stays flat),
// and ending quietly when the reader has gone (`| head`: EPIPE), as other CLI tools do.
import type { CommandIO } from './io.js';

type Out = CommandIO['stdout'] & { on?: (ev: string, fn: (e: NodeJS.ErrnoException) => void) => unknown; once?: (ev: string, fn: () => void) => unknown };

const BATCH = 1 << 16;
const closedStreams = new WeakSet<object>();

/** True when everything was written; false when the reader closed the pipe first. */
export async function streamOut(out: CommandIO['stdout'], chunks: Iterable<string>): Promise<boolean> {
  const o = out as Out;
  let closed = closedStreams.has(o);
  if (typeof o.on === 'function' && !(o as { __netpolGuard?: boolean }).__netpolGuard) {
    (o as { __netpolGuard?: boolean }).__netpolGuard = true;
    // Kept for the life of the process: an EPIPE can arrive after the last write returned.
    o.on('error', (e) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') closedStreams.add(o);
      else throw e;
    });
  }
  const write = async (s: string) => {
    let ok: unknown;
    try {
      ok = o.write(s);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') closedStreams.add(o);
      else throw e;
    }
    if (ok === false && typeof o.once === 'function' && !closedStreams.has(o)) {
      await new Promise<void>((resolve) => {
        o.once!('drain', resolve);
        o.once!('close', resolve);
        o.once!('error', resolve);
      });
    }
    closed = closedStreams.has(o);
  };
  let buf = '';
  for (const c of chunks) {
    if (closed) return false;
    buf += c;
    if (buf.length >= BATCH) {
      await write(buf);
      buf = '';
    }
  }
  if (buf && !closed) await write(buf);
  return !closed;
}
