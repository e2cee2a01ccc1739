// The lint command's work, loaded only when the command runs: load, lint, locate lines, render.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { load as loadYaml } from 'js-yaml';
import { CliError, ExitCode } from '../../src/errors.js';
import { EMPTY_CONFIG, LintConfigError, parseLintConfig, type LintConfig } from '../../src/lint/config.js';
import { lint } from '../../src/lint/lint.js';
import { severityRank, type LintSeverity } from '../../src/lint/types.js';
import { serialise } from '../../src/render/format.js';
import { lintData, lintSarif, renderLintText, type LocatedFinding } from '../../src/render/lint-output.js';
import { STDIN_NAME } from '../../src/sources/files/load.js';
import { FieldLocator } from '../../src/sources/files/locate.js';
import type { CommandIO } from '../io.js';
import { loadForCommand, styleFor, writeLimitations } from './shared.js';
import type { LintArgs } from './lint.js';

declare const __VERSION__: string | undefined;

async function readConfig(path: string | undefined): Promise<LintConfig> {
  if (path === undefined) return EMPTY_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`--config ${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'give the path of a YAML or JSON file with kind: LintConfig', ExitCode.usage);
  }
  try {
    return parseLintConfig(loadYaml(text));
  } catch (e) {
    if (e instanceof LintConfigError) throw new CliError(`--config ${path}: ${e.message}`, 'see the lint section of the README for the format', ExitCode.input, [...e.problems]);
    throw new CliError(`--config ${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, undefined, ExitCode.input);
  }
}

export async function runLint(args: LintArgs, io: CommandIO): Promise<number> {
  const config = await readConfig(args.config);
  // The loader reads stdin once; keep the text so findings can point at its lines.
  let stdinText: string | undefined;
  const recording: CommandIO = { ...io, readStdin: async () => (stdinText = await io.readStdin()) };
  const loaded = await loadForCommand(args, recording, { namespaces: 'all' });
  const report = lint(loaded.index, config);
  const locator = new FieldLocator((file) => {
    if (file === STDIN_NAME) return stdinText;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  });
  const findings: LocatedFinding[] = report.findings.map((f) => {
    const file = f.source?.file;
    if (file === undefined || f.source?.documentIndex === undefined) return f;
    const line = locator.line(file, { documentIndex: f.source.documentIndex, kind: f.object.kind, ...(f.object.namespace !== undefined ? { namespace: f.object.namespace } : {}), name: f.object.name, ...(f.field !== undefined ? { field: f.field } : {}) });
    return { ...f, file, ...(line !== undefined ? { line } : {}) };
  });
  // The CNI warning is a finding here (cni-not-enforcing); other limitations still go to stderr.
  writeLimitations({ ...loaded.state, limitations: (loaded.state.limitations ?? []).filter((l) => !l.id.startsWith('cni-')) }, io, styleFor(args, io));
  if (args.output === 'sarif') io.stdout.write(JSON.stringify(lintSarif(findings, typeof __VERSION__ === 'string' ? __VERSION__ : 'dev'), null, 2) + '\n');
  else if (args.output === 'json' || args.output === 'yaml') io.stdout.write(serialise(lintData(report, findings), args.output));
  else io.stdout.write(renderLintText(report, findings, styleFor(args, io)));
  const failOn = args['fail-on'];
  if (failOn === 'none') return ExitCode.ok;
  return findings.some((f) => severityRank(f.severity) <= severityRank(failOn as LintSeverity)) ? ExitCode.denied : ExitCode.ok;
}
