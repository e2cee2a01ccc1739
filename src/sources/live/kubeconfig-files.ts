// Which kubeconfig files kubectl reads (--kubeconfig, else KUBECONFIG, else ~/.kube/config) and how
// they merge: the FIRST file to set current-context or a named cluster/user/context wins, and
// relative paths inside a file are resolved against that file's directory.

import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve as resolvePath, delimiter } from 'node:path';

import { load as loadYaml } from 'js-yaml';

import { CliError, ExitCode } from '../../errors.js';
import type { KubeconfigEnvironment, KubeconfigFlags } from './kubeconfig.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Named {
  readonly value: Obj;
  readonly file: string;
}

export interface MergedKubeconfig {
  readonly files: readonly string[];
  readonly currentContext?: string;
  readonly clusters: ReadonlyMap<string, Named>;
  readonly users: ReadonlyMap<string, Named>;
  readonly contexts: ReadonlyMap<string, Named>;
}

/** A kubeconfig (or in-cluster config) that is missing or unusable: exit 7, not a usage error. */
export const configError = (message: string, hint?: string): CliError => new CliError(message, hint, ExitCode.config);

/** The kubeconfig files kubectl would read, and whether they were named explicitly (must exist). */
export function kubeconfigPaths(flags: KubeconfigFlags, kenv: KubeconfigEnvironment): { paths: string[]; explicit: boolean; from: string } {
  const cwd = kenv.cwd ?? process.cwd();
  if (flags.kubeconfig !== undefined && flags.kubeconfig !== '') return { paths: [resolvePath(cwd, flags.kubeconfig)], explicit: true, from: '--kubeconfig' };
  const env = kenv.env.KUBECONFIG;
  if (env !== undefined && env !== '') {
    const seen = new Set<string>();
    const paths: string[] = [];
    for (const p of env.split(delimiter)) {
      if (p === '') continue;
      const abs = resolvePath(cwd, p);
      if (seen.has(abs)) continue;
      seen.add(abs);
      paths.push(abs);
    }
    return { paths, explicit: false, from: 'KUBECONFIG' };
  }
  const home = kenv.env.HOME ?? kenv.env.USERPROFILE;
  return { paths: home ? [join(home, '.kube', 'config')] : [], explicit: false, from: '~/.kube/config' };
}

export const exists = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Reads and merges kubeconfig files: the first file to set a value or a name wins. */
export function mergeKubeconfigFiles(paths: readonly string[], explicit: boolean): MergedKubeconfig {
  const files: string[] = [];
  let currentContext: string | undefined;
  const clusters = new Map<string, Named>();
  const users = new Map<string, Named>();
  const contexts = new Map<string, Named>();
  for (const file of paths) {
    if (!explicit && !exists(file)) continue; // kubectl ignores missing KUBECONFIG entries
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw configError(`cannot read kubeconfig ${file}: ${code === 'ENOENT' ? 'no such file' : code}`, 'pass an existing file with --kubeconfig, or unset it to use KUBECONFIG / ~/.kube/config');
    }
    let doc: unknown;
    try {
      doc = loadYaml(text);
    } catch (e) {
      throw configError(`kubeconfig ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 'fix the file (kubectl config view shows what kubectl makes of it)');
    }
    files.push(file);
    if (doc === undefined || doc === null) continue; // an empty file is an empty config
    if (!isObj(doc)) throw configError(`kubeconfig ${file} is not a mapping`, 'a kubeconfig has apiVersion: v1, kind: Config, clusters, users and contexts');
    const dir = dirname(file);
    if (currentContext === undefined && typeof doc['current-context'] === 'string' && doc['current-context'] !== '') currentContext = doc['current-context'];
    mergeNamed(doc['clusters'], 'cluster', clusters, file, dir, resolveClusterPaths);
    mergeNamed(doc['users'], 'user', users, file, dir, resolveUserPaths);
    mergeNamed(doc['contexts'], 'context', contexts, file, dir, (v) => v);
  }
  return { files, ...(currentContext !== undefined ? { currentContext } : {}), clusters, users, contexts };
}

function mergeNamed(list: unknown, key: string, into: Map<string, Named>, file: string, dir: string, fix: (v: Obj, dir: string) => Obj): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw configError(`kubeconfig ${file}: ${key}s must be a list`);
  list.forEach((entry, i) => {
    if (!isObj(entry) || typeof entry['name'] !== 'string' || entry['name'] === '')
      throw configError(`kubeconfig ${file}: ${key}s[${i}] has no name`, `every ${key} entry needs name: and ${key}:`);
    const name = entry['name'];
    if (into.has(name)) return; // first file wins
    const value = entry[key];
    into.set(name, { value: isObj(value) ? fix(value, dir) : {}, file });
  });
}

const absolute = (dir: string, p: unknown): unknown => (typeof p === 'string' && p !== '' && !isAbsolute(p) ? join(dir, p) : p);

function resolveClusterPaths(c: Obj, dir: string): Obj {
  return { ...c, 'certificate-authority': absolute(dir, c['certificate-authority']) };
}

function resolveUserPaths(u: Obj, dir: string): Obj {
  const out: Obj = {
    ...u,
    'client-certificate': absolute(dir, u['client-certificate']),
    'client-key': absolute(dir, u['client-key']),
    'token-file': absolute(dir, u['token-file']),
  };
  const exec = u['exec'];
  // client-go resolves the exec command only when it is a path (contains a separator), not a PATH lookup.
  if (isObj(exec) && typeof exec['command'] === 'string' && exec['command'].includes('/')) out['exec'] = { ...exec, command: absolute(dir, exec['command']) };
  return out;
}
