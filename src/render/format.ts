// -o json|yaml serialisation shared by every command.
import { load as loadYaml, dump as dumpYaml } from 'js-yaml';

export type OutputFormat = 'text' | 'wide' | 'json' | 'yaml' | 'junit';

export function serialise(data: unknown, format: 'json' | 'yaml'): string {
  if (format === 'json') return JSON.stringify(data, null, 2) + '\n';
  return dumpYaml(data, { noRefs: true, lineWidth: 120 });
}
