// kubectl netpol lint [-f PATH] [--config FILE] [--fail-on SEVERITY] [-o text|json|yaml|sarif]
import type { Argv } from 'yargs';
import { withGlobalOptions, type GlobalOptions } from '../options.js';

export interface LintArgs extends GlobalOptions {
  config?: string;
  'fail-on': 'error' | 'warning' | 'info' | 'none';
}

export function lintBuilder(y: Argv): Argv<LintArgs> {
  return withGlobalOptions(y)
    .option('config', { type: 'string', requiresArg: true, describe: 'Lint config file (kind: LintConfig): disabledRules, severity overrides, per-namespace exceptions' })
    .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info', 'none'] as const, default: 'error' as const, describe: 'Exit 1 when a finding of this severity or worse is reported' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'sarif'], default: 'text', describe: 'Output format (sarif: SARIF 2.1.0 for code-scanning UIs)' })
    .example('kubectl netpol lint -f k8s/ --fail-on warning', 'CI: fail on warnings and errors in manifests')
    .example('kubectl netpol lint -A -o sarif > netpol.sarif', 'The live cluster, as SARIF')
    .epilogue('Silence one object: annotate it with netpol.kubectl.io/lint-ignore: "RULE[,RULE]" (or "*"). Exit codes: 0 no finding at --fail-on or worse, 1 some, 2 bad input.') as unknown as Argv<LintArgs>;
}
