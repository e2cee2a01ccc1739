// Completion decided from the words typed: commands, flags, choices and what to look up, read from
// the real parser (so every command main() registers is completed).
import { describe, expect, it } from 'vitest';
import { specFromParser } from '../../cmd/commands/complete-run.js';
import { buildParser } from '../../cmd/parser.js';
import { processIO } from '../../cmd/io.js';
import { complete, Directive, formatCompletion, withNames } from '../../src/complete/complete.js';

const spec = specFromParser(buildParser(processIO, undefined, () => undefined));
const values = (words: string[]) => complete(spec, words).candidates.map((c) => c.value);

describe('complete', () => {
  it('offers every command main() registers, with its description, and no hidden ones', () => {
    const c = complete(spec, ['']);
    expect(c.candidates.map((x) => x.value)).toEqual(['explain', 'matrix', 'check', 'probe', 'lint', 'diff', 'tui', 'version', 'completion']);
    expect(c.candidates[0]!.describe).toMatch(/allowed/);
    expect(c.directive).toBe(Directive.noFileComp);
  });

  it.each([
    [['ex'], ['explain']],
    [['explain', '--outp'], ['--output']],
    [['explain', '--output='], ['--output=text', '--output=json', '--output=yaml']],
    [['explain', '-o', ''], ['text', 'json', 'yaml']],
    [['explain', '--color', 'a'], ['auto', 'always']],
    [['completion', ''], ['bash', 'zsh', 'fish']],
    [['check', '-o', 'j'], ['json', 'junit']],
    [['matrix', '-A', '--proto'], ['--protocol']],
  ])('%j -> %j', (words, expected) => {
    expect(values(words)).toEqual(expected);
  });

  it('completes the flags of the command typed, not of another', () => {
    expect(values(['explain', '--'])).toContain('--port');
    expect(values(['explain', '--'])).not.toContain('--version');
    expect(values(['version', '--'])).toEqual(['--output', '--help']);
  });

  it('lets the shell complete file names for -f, --kubeconfig and check <flows>', () => {
    for (const words of [['explain', '-f', ''], ['matrix', '--kubeconfig', 'x'], ['check', '-f', 'm', '']]) {
      const c = complete(spec, words);
      expect(c.candidates).toEqual([]);
      expect(c.directive).toBe(Directive.default);
      expect(c.lookup).toBeUndefined();
    }
  });

  it('asks for namespaces, contexts and pods, carrying the cluster flags typed so far', () => {
    expect(complete(spec, ['matrix', '-n', '']).lookup).toEqual({ kind: 'namespaces', prefix: '' });
    expect(complete(spec, ['explain', '--context', 'k']).lookup).toEqual({ kind: 'contexts', prefix: '' });
    const c = complete(spec, ['explain', '--context', 'kind-a', '-n', 'shop', 'fr']);
    expect(c.lookup).toEqual({ kind: 'pods', prefix: '', withNamespaces: true, namespace: 'shop' });
    expect(c.kubeFlags).toEqual({ context: 'kind-a', namespace: 'shop' });
    expect(complete(spec, ['explain', 'frontend/app', 'backend/d']).lookup).toEqual({ kind: 'pods', namespace: 'backend', prefix: 'backend/' });
  });

  it('adds looked-up names filtered by the word typed; only ns/ left means no space after it', () => {
    const pods = withNames(complete(spec, ['explain', 'ba']), ['api', 'backup-0'], ['backend', 'default']);
    expect(pods.candidates.map((c) => c.value)).toEqual(['backup-0', 'backend/']);
    expect(pods.directive & Directive.noSpace).toBe(0);
    const ns = withNames(complete(spec, ['explain', 'backe']), ['api'], ['backend']);
    expect(formatCompletion(ns)).toBe(`backend/\tnamespace\n:${Directive.noFileComp | Directive.noSpace}\n`);
    const inNs = withNames(complete(spec, ['explain', 'backend/']), ['api', 'db']);
    expect(formatCompletion(inNs)).toBe(`backend/api\nbackend/db\n:${Directive.noFileComp}\n`);
  });

  it('stops completing flags after --', () => {
    expect(complete(spec, ['explain', '--', '--o']).lookup?.kind).toBe('pods');
  });
});
