// Parsing manifest text: YAML multi-document (js-yaml loadAll) and JSON (JSON.parse, also
// concatenated values). A syntax error never loses the other documents of the file: the file is
// re-parsed document by document and the error is located (document index and line).

import { CORE_SCHEMA, loadAll, mergeTag, type Schema } from 'js-yaml';
import type { Diagnostic } from './load.js';

export interface ParsedDocument {
  /** 0-based document index in the file. */
  readonly index: number;
  readonly value: unknown;
}

export interface ParsedManifest {
  /** Non-empty documents (null/empty documents are skipped but keep their index). */
  readonly documents: readonly ParsedDocument[];
  readonly diagnostics: readonly Diagnostic[];
  /** 1-based start line of each document, when it could be determined. */
  readonly documentLines?: number[];
}

/** Merge keys (`<<: *anchor`) as kubectl's YAML decoder accepts them. */
const SCHEMA: Schema = CORE_SCHEMA.withTags(mergeTag);

/**
 * Parses one file's text. JSON (text starting with `{` or `[`) goes through JSON.parse
 * (concatenated JSON values are accepted); everything else through js-yaml `loadAll`. On a
 * syntax error the file is re-parsed document by document so that the other documents load.
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = firstNonSpace(text);
  if (first === '{' || first === '[') return parseJson(text, file);
  return parseYaml(text, file);
}

function firstNonSpace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return c;
  }
  return undefined;
}

function documentsFrom(values: readonly unknown[]): ParsedDocument[] {
  const docs: ParsedDocument[] = [];
  values.forEach((value, index) => {
    if (value !== null && value !== undefined) docs.push({ index, value });
  });
  return docs;
}

function parseYaml(text: string, file: string): ParsedManifest {
  let values: unknown[] | undefined;
  try {
    values = loadAll(text, { schema: SCHEMA, filename: file });
  } catch {
    // Below: parse each document on its own to keep the valid ones and locate the error.
  }
  if (values !== undefined) {
    const count = values.length;
    let lines: number[] | undefined | null = null;
    return {
      documents: documentsFrom(values),
      diagnostics: [],
      // Computed only when a diagnostic needs it (a linear scan, but not free on 13 MB).
      get documentLines() {
        if (lines === null) {
          const chunks = splitYamlDocuments(text);
          lines = chunks.length === count ? chunks.map((c) => c.line) : undefined;
        }
        return lines;
      },
    };
  }
  const chunks = splitYamlDocuments(text);
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  chunks.forEach((chunk, index) => {
    try {
      const values = loadAll(chunk.text, { schema: SCHEMA, filename: file });
      for (const value of values) if (value !== null && value !== undefined) documents.push({ index, value });
    } catch (e) {
      const mark = (e as { mark?: { line?: number; column?: number } }).mark;
      const reason = (e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0];
      const line = mark?.line !== undefined ? chunk.line + mark.line : chunk.line;
      const col = mark?.column !== undefined ? `, column ${mark.column + 1}` : '';
      diagnostics.push({
        severity: 'error',
        file,
        documentIndex: index,
        line,
        message: `${file}: document ${index + 1}: YAML syntax error at line ${line}${col}: ${reason}`,
        hint: 'fix the YAML syntax (indentation, quoting, duplicate keys)',
      });
    }
  });
  return { documents, diagnostics, documentLines: chunks.map((c) => c.line) };
}

/**
 * Splits YAML text at `---` document markers (a line starting with `---` followed by a space,
 * tab or end of line is always a marker in YAML). Every marker starts a document; text before
 * the first marker is a document only if it has content. `line` is the 1-based line of the
 * marker (or 1), and a chunk's text starts right after the marker, so a js-yaml mark line
 * inside it is relative to `line`.
 */
export function splitYamlDocuments(text: string): { text: string; line: number }[] {
  const chunks: { text: string; line: number }[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let pos = 0;
  for (;;) {
    if (text.charCodeAt(pos) === 45 /* - */ && text.startsWith('---', pos)) {
      const c = text.charCodeAt(pos + 3);
      if (Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13) {
        chunks.push({ text: text.slice(start, pos), line: startLine });
        start = pos + 3;
        startLine = line;
      }
    }
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
    line++;
  }
  chunks.push({ text: text.slice(start), line: startLine });
  if (chunks.length > 0 && !hasYamlContent(chunks[0]!.text)) chunks.shift();
  return chunks;
}

function hasYamlContent(text: string): boolean {
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l !== '' && !l.startsWith('#') && !l.startsWith('%')) return true;
  }
  return false;
}

/**
 * The text of each document of a file, with the line it starts on, indexed as `parseManifest`
 * indexes documents (for locating fields in diagnostics; not used on the fast path).
 */
export function documentTexts(text: string): { text: string; line: number }[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = firstNonSpace(text);
  if (first === '{' || first === '[') return splitJsonValues(text).map((p) => ({ text: p.text, line: lineAt(text, p.start) }));
  return splitYamlDocuments(text);
}

function parseJson(text: string, file: string): ParsedManifest {
  try {
    return { documents: documentsFrom([JSON.parse(text)]), diagnostics: [], documentLines: [1] };
  } catch {
    // Concatenated values (`{...}{...}`, jq output) or a syntax error: split and parse each.
  }
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const documentLines: number[] = [];
  splitJsonValues(text).forEach((piece, index) => {
    const line = lineAt(text, piece.start);
    documentLines.push(line);
    try {
      const value: unknown = JSON.parse(piece.text);
      if (value !== null) documents.push({ index, value });
    } catch (e) {
      const msg = (e as Error).message;
      const m = /position (\d+)/.exec(msg);
      const at = m ? Number(m[1]) : jsonErrorOffset(piece.text);
      const errLine = at !== undefined ? lineAt(text, piece.start + at) : line;
      diagnostics.push({
        severity: 'error',
        file,
        documentIndex: index,
        line: errLine,
        message: `${file}: document ${index + 1}: JSON syntax error at line ${errLine}: ${msg.split('\n')[0]}`,
        hint: 'fix the JSON syntax',
      });
    }
  });
  return { documents, diagnostics, documentLines };
}

/** Top-level JSON values in a text, by bracket depth (strings and escapes respected). */
function splitJsonValues(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 125 || c === 93) {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && start >= 0) {
        out.push({ text: text.slice(start, i + 1), start });
        start = -1;
      }
    } else if (depth === 0 && c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 44 /* , */) {
      // Stray top-level content: make it its own (invalid) piece up to the next line.
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      out.push({ text: text.slice(i, end), start: i });
      i = end;
    }
  }
  if (depth > 0 && start >= 0) out.push({ text: text.slice(start), start });
  return out;
}

/**
 * Offset of the first JSON syntax error (V8's messages do not always carry a position).
 * A small recursive-descent validator; only used on the error path.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const str = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else {
      const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
      if (!m) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : undefined;
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
