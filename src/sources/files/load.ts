// Manifest loader for `-f`: files, directories (recursive), and `-` (stdin). YAML multi-document
// and JSON (also concatenated JSON objects), `kind: List` / `*List` documents, empty documents
// skipped. Every problem becomes a Diagnostic; an invalid document or object never drops its
// neighbours.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join as joinPath, resolve as resolvePath } from 'node:path';
import type { ClusterState, SourceRef } from '../../engine/model.js';
import { buildClusterState, type RawObject } from '../../convert/cluster-state.js';
import { documentTexts, parseManifest, type ParsedManifest } from './parse.js';
import type { Problem, Severity } from '../../convert/problems.js';

/** A Problem located in the input: which file, which document, which line. */
export interface Diagnostic extends Omit<Problem, 'source'> {
  /** The file (`<stdin>` for `-`); for summaries, the first file involved (see `files`). */
  readonly file: string;
  /** 0-based index of the YAML/JSON document in the file; -1 when about the whole file or path. */
  readonly documentIndex: number;
  /**
   * 1-based line: of the syntax error for parse errors; for object problems, of the field (or of the
   * deepest parent present, for a missing field) when loaded with loadManifests; else where the
   * document starts (when known).
   */
  readonly line?: number;
}

export interface LoadOptions {
  /** Namespace for namespaced objects without metadata.namespace (like `kubectl -n`). Default "default". */
  readonly defaultNamespace?: string;
  /** Content for the `-` path: the text itself, or a function reading it (called at most once). */
  readonly stdin?: string | (() => Promise<string>);
  /** Files found while walking a directory that are not manifests (check's flows file): skipped. */
  readonly skipFiles?: readonly string[];
}

export interface LoadResult {
  readonly state: ClusterState;
  /** Errors first-to-last in input order, then summaries. Errors mean some objects were skipped. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ManifestText {
  /** Name used in diagnostics and SourceRef.file. */
  readonly file: string;
  readonly text: string;
}

export const STDIN_NAME = '<stdin>';
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/**
 * Loads `-f` paths. Directories are walked recursively and only *.yaml, *.yml and *.json are
 * read, in sorted order (directories whose name starts with "." are skipped); a file named
 * explicitly is read whatever its extension. Missing paths are error diagnostics, not exceptions.
 */
export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const texts: ManifestText[] = [];
  const pathDiagnostics: Diagnostic[] = [];
  let stdinText: string | undefined;
  for (const p of paths) {
    if (p === '-') {
      if (stdinText === undefined) {
        if (options.stdin === undefined) {
          pathDiagnostics.push(fileDiag('error', STDIN_NAME, '-: no standard input available', 'pipe manifests into the command, or pass files with -f'));
          continue;
        }
        stdinText = typeof options.stdin === 'string' ? options.stdin : await options.stdin();
        texts.push({ file: STDIN_NAME, text: stdinText });
      }
      continue;
    }
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      pathDiagnostics.push(fileDiag('error', p, `${p}: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, 'check the path; -f takes files, directories or - (stdin)'));
      continue;
    }
    if (st.isDirectory()) {
      const skip = new Set((options.skipFiles ?? []).map((f) => resolvePath(f)));
      const files = (await listManifestFiles(p)).filter((f) => !skip.has(resolvePath(f)));
      // An error, not a warning: every reference would otherwise end in a misleading "not found".
      if (files.length === 0)
        pathDiagnostics.push(fileDiag('error', p, `${p}: the directory has no manifests (no .yaml, .yml or .json files, also in subdirectories)`, 'pass the directory that holds the manifests, or the files themselves'));
      for (const f of files) texts.push(await readText(f, pathDiagnostics));
    } else {
      texts.push(await readText(p, pathDiagnostics));
    }
  }
  const res = loadManifestTexts(texts, options);
  return { state: res.state, diagnostics: [...pathDiagnostics, ...(await withFieldLines(res.diagnostics, texts))] };
}

/**
 * Points object diagnostics at their field's line instead of the document's. Only documents with
 * diagnostics are parsed again (by field-lines.ts, loaded on demand), so clean inputs pay nothing.
 */
async function withFieldLines(diagnostics: readonly Diagnostic[], texts: readonly ManifestText[]): Promise<Diagnostic[]> {
  const located = (d: Diagnostic) => d.documentIndex >= 0 && (d.field !== undefined || d.itemIndex !== undefined) && d.files === undefined;
  if (!diagnostics.some(located)) return [...diagnostics];
  const { fieldLine } = await import('./field-lines.js');
  const docsOf = new Map<string, ReturnType<typeof documentTexts>>();
  return diagnostics.map((d) => {
    if (!located(d)) return d;
    let docs = docsOf.get(d.file);
    if (!docs) {
      const text = texts.find((t) => t.file === d.file)?.text;
      docsOf.set(d.file, (docs = text === undefined ? [] : documentTexts(text)));
    }
    const doc = docs[d.documentIndex];
    const line = doc ? fieldLine(doc, d.field ?? '', d.itemIndex) : undefined;
    return line === undefined ? d : { ...d, line };
  });
}

async function readText(file: string, diags: Diagnostic[]): Promise<ManifestText> {
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (e) {
    diags.push(fileDiag('error', file, `${file}: cannot read: ${(e as Error).message}`));
    return { file, text: '' };
  }
}

/** Manifest files under a directory, recursively, sorted by path (code-unit order, deterministic). */
export async function listManifestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = joinPath(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const s = await stat(full);
          isDir = s.isDirectory();
          isFile = s.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (!e.name.startsWith('.')) await walk(full);
      } else if (isFile && MANIFEST_EXT.test(e.name)) out.push(full);
    }
  };
  await walk(dir);
  return out;
}

/** Synchronous core: parse texts and build the cluster state. */
export function loadManifestTexts(texts: readonly ManifestText[], options: LoadOptions = {}): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const raws: RawObject[] = [];
  const lineOf = new Map<string, ParsedManifest>();
  for (const { file, text } of texts) {
    const parsed = parseManifest(text, file);
    diagnostics.push(...parsed.diagnostics);
    lineOf.set(file, parsed);
    for (const doc of parsed.documents) {
      const source: SourceRef = { file, documentIndex: doc.index, origin: 'file' };
      if (Array.isArray(doc.value)) {
        // A bare JSON/YAML array of objects (e.g. jq '.items'): each element is an object.
        doc.value.forEach((object, itemIndex) => raws.push({ object, source, itemIndex }));
      } else raws.push({ object: doc.value, source });
    }
  }
  const built = buildClusterState(raws, options.defaultNamespace !== undefined ? { defaultNamespace: options.defaultNamespace } : {});
  for (const p of built.problems) diagnostics.push(toDiagnostic(p, lineOf));
  return { state: built.state, diagnostics };
}

function toDiagnostic(p: Problem, lineOf: ReadonlyMap<string, ParsedManifest>): Diagnostic {
  const file = p.source?.file ?? '';
  const documentIndex = p.source?.documentIndex ?? -1;
  const line = documentIndex >= 0 ? lineOf.get(file)?.documentLines?.[documentIndex] : undefined;
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = { severity: p.severity, file, documentIndex, message: p.message };
  if (line !== undefined) d.line = line;
  if (p.itemIndex !== undefined) d.itemIndex = p.itemIndex;
  if (p.kind !== undefined) d.kind = p.kind;
  if (p.namespace !== undefined) d.namespace = p.namespace;
  if (p.name !== undefined) d.name = p.name;
  if (p.field !== undefined) d.field = p.field;
  if (p.hint !== undefined) d.hint = p.hint;
  if (p.files !== undefined) d.files = p.files;
  return d;
}

const fileDiag = (severity: Severity, file: string, message: string, hint?: string): Diagnostic =>
  hint !== undefined ? { severity, file, documentIndex: -1, message, hint } : { severity, file, documentIndex: -1, message };

export { parseManifest, splitYamlDocuments, type ParsedDocument, type ParsedManifest } from './parse.js';
