// The lint config file: validation with field-named problems, and what disabledRules, severity and
// per-namespace exceptions (names and globs) do to the findings.
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../src/engine/index.js';
import { LintConfigError, namespaceMatches, parseLintConfig } from '../../src/lint/config.js';
import { lint } from '../../src/lint/lint.js';
import { loadManifestTexts } from '../../src/sources/files/load.js';

const pod = (ns: string, name: string) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.0.0.${name.length}}\n`;
const idx = () => new ClusterIndex(loadManifestTexts([{ file: 'c.yaml', text: pod('shop', 'web') + pod('kube-system', 'dns') + pod('kube-public', 'x') }]).state);
const rulesFor = (config: unknown) => lint(idx(), parseLintConfig(config)).findings.map((f) => `${f.rule} ${f.object.name} ${f.severity}`).sort();

describe('lint config', () => {
  it('without a config, default-deny findings for every namespace with pods', () => {
    expect(rulesFor({})).toEqual([
      'namespace-default-deny-egress kube-public info',
      'namespace-default-deny-egress kube-system info',
      'namespace-default-deny-egress shop info',
      'namespace-default-deny-ingress kube-public warning',
      'namespace-default-deny-ingress kube-system warning',
      'namespace-default-deny-ingress shop warning',
    ]);
  });

  it('exceptions by glob, for some rules; disabledRules; severity overrides', () => {
    const got = rulesFor({
      apiVersion: 'netpol.kubectl.io/v1alpha1',
      kind: 'LintConfig',
      disabledRules: ['namespace-default-deny-egress'],
      severity: { 'namespace-default-deny-ingress': 'error' },
      exceptions: [{ namespaces: ['kube-*'], rules: ['namespace-default-deny-ingress'] }],
    });
    expect(got).toEqual(['namespace-default-deny-ingress shop error']);
  });

  it('an exception without rules exempts the namespace from every rule', () => {
    expect(rulesFor({ exceptions: [{ namespaces: ['shop', 'kube-system'] }] })).toEqual(['namespace-default-deny-egress kube-public info', 'namespace-default-deny-ingress kube-public warning']);
  });

  it.each([
    [{ disabledRules: ['nope'] }, 'disabledRules[0]: unknown rule "nope"'],
    [{ severity: { 'redundant-rule': 'fatal' } }, 'severity.redundant-rule: must be error, warning or info; got "fatal"'],
    [{ exceptions: [{ rules: ['redundant-rule'] }] }, 'exceptions[0].namespaces: must be a non-empty list'],
    [{ kind: 'Config' }, 'kind: must be LintConfig'],
    [{ disable: [] }, 'disable: unknown field'],
    ['text', 'the file must hold a mapping'],
  ])('rejects %j naming the field', (config, problem) => {
    try {
      parseLintConfig(config);
      expect.unreachable('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(LintConfigError);
      expect((e as LintConfigError).problems.join('\n')).toContain(problem);
    }
  });

  it.each([
    ['kube-*', 'kube-system', true],
    ['kube-*', 'kubeflow', false],
    ['*-prod', 'shop-prod', true],
    ['shop', 'shop-prod', false],
    ['a.b', 'axb', false],
  ])('namespace pattern %s against %s: %s', (pattern, ns, want) => {
    expect(namespaceMatches(pattern, ns)).toBe(want);
  });
});
