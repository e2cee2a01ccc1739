// Facts about a built executable that can be read without running it: the SEA fuse postject flips,
// and for macOS the Mach-O load commands (a NODE_SEA segment, no code signature left).
import { readFileSync } from 'node:fs';

const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

export interface ExecutableFacts {
  /** `FUSE:1` is present: a blob was injected (Node runs it instead of acting as plain node). */
  readonly seaFuseSet: boolean;
  readonly format: 'elf' | 'mach-o' | 'pe' | 'unknown';
  /** Mach-O only: segment names and whether LC_CODE_SIGNATURE is present. */
  readonly segments?: string[];
  readonly codeSignature?: boolean;
}

export function executableFacts(path: string): ExecutableFacts {
  const b = readFileSync(path);
  const seaFuseSet = b.includes(`${FUSE}:1`);
  if (b.readUInt32BE(0) === 0x7f454c46) return { seaFuseSet, format: 'elf' };
  if (b.readUInt16LE(0) === 0x5a4d) return { seaFuseSet, format: 'pe' };
  if (b.readUInt32LE(0) !== 0xfeedfacf) return { seaFuseSet, format: 'unknown' };
  const ncmds = b.readUInt32LE(16);
  const segments: string[] = [];
  let codeSignature = false;
  for (let i = 0, off = 32; i < ncmds; i++) {
    const cmd = b.readUInt32LE(off);
    if (cmd === LC_SEGMENT_64) segments.push(b.toString('latin1', off + 8, off + 24).replace(/\0+$/, ''));
    if (cmd === LC_CODE_SIGNATURE) codeSignature = true;
    off += b.readUInt32LE(off + 4);
  }
  return { seaFuseSet, format: 'mach-o', segments, codeSignature };
}
