// Lint findings as text, data (kind: LintResult) and SARIF 2.1.0 for code-scanning UIs.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { LintReport } from '../lint/lint.js';
import { document, Kind } from './contract.js';
import { RULES } from '../lint/rules.js';
import { objectText, type Finding, type LintSeverity } from '../lint/types.js';
import { plain, type Style } from './style.js';

/** A finding with the file and line it points at (-f only). */
export interface LocatedFinding extends Finding {
  readonly file?: string;
  readonly line?: number;
}

const counts = (fs: readonly Finding[]) => ({ error: fs.filter((f) => f.severity === 'error').length, warning: fs.filter((f) => f.severity === 'warning').length, info: fs.filter((f) => f.severity === 'info').length });

export function lintData(report: LintReport, findings: readonly LocatedFinding[]) {
  return document(Kind.LintResult, {
    summary: { ...counts(findings), suppressed: report.suppressed },
    items: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      object: f.object,
      ...(f.field !== undefined ? { field: f.field } : {}),
      ...(f.file !== undefined ? { file: f.file } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      message: f.message,
      suggestion: f.suggestion,
    })),
    skipped: report.skipped,
  });
}

export function renderLintText(report: LintReport, findings: readonly LocatedFinding[], s: Style = plain): string {
  const word: Record<LintSeverity, string> = { error: s.bad('error'), warning: s.warn('warning'), info: s.dim('info') };
  const lines: string[] = [];
  for (const f of findings) {
    const where = f.file !== undefined ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}: ` : '';
    lines.push(`${where}${word[f.severity]} [${f.rule}] ${objectText(f.object)}${f.field ? ` ${f.field}` : ''}: ${f.message}`);
    lines.push(s.dim(`    suggest: ${f.suggestion}`));
  }
  const c = counts(findings);
  if (lines.length > 0) lines.push('');
  const total = findings.length;
  lines.push(`${total === 0 ? 'No findings' : `${total} finding${total === 1 ? '' : 's'}: ${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info`}${report.suppressed > 0 ? ` (${report.suppressed} silenced by the config or annotations)` : ''}`);
  const noPods = report.skipped.filter((k) => k.reason.includes('no pods'));
  if (noPods.length > 0) lines.push(s.dim(`${noPods.length} rules about pods did not run: the input has no pods or workloads (${noPods.map((k) => k.rule).join(', ')})`));
  return lines.join('\n') + '\n';
}

const LEVEL: Record<LintSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0: one run, every rule in the driver, results with file/line and the object as a logical location. */
export function lintSarif(findings: readonly LocatedFinding[], version: string): Log {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubectl-netpol',
            version,
            rules: RULES.map((r): ReportingDescriptor => ({ id: r.id, name: r.id, shortDescription: { text: r.title }, defaultConfiguration: { level: LEVEL[r.severity] } })),
          },
        },
        results: findings.map((f): Result => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule) ?? 0,
          level: LEVEL[f.severity],
          message: { text: `${objectText(f.object)}${f.field ? ` ${f.field}` : ''}: ${f.message}. Suggested change: ${f.suggestion}` },
          locations: [
            {
              ...(f.file !== undefined && f.file !== '<stdin>' ? { physicalLocation: { artifactLocation: { uri: f.file.replace(/\\/g, '/') }, ...(f.line !== undefined ? { region: { startLine: f.line } } : {}) } } : {}),
              logicalLocations: [{ fullyQualifiedName: `${f.object.kind}/${f.object.namespace !== undefined ? `${f.object.namespace}/` : ''}${f.object.name}${f.field ? `#${f.field}` : ''}`, kind: 'object' }],
            },
          ],
          properties: { object: f.object, ...(f.field !== undefined ? { field: f.field } : {}), suggestion: f.suggestion },
        })),
      },
    ],
  };
}
