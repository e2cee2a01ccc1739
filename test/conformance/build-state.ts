// Conformance data -> ClusterIndex through the SAME converters the file loader uses, so the
// conformance suites also exercise manifest conversion (policyTypes inference, defaults).
import { buildClusterState } from '../../src/convert/cluster-state.js';
import { ClusterIndex } from '../../src/engine/index.js';

export function indexFromObjects(objects: readonly unknown[]): ClusterIndex {
  const { state, problems } = buildClusterState(objects.map((object) => ({ object })), { defaultNamespace: 'default' });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`conformance objects failed to convert:\n${errors.map((e) => e.message).join('\n')}`);
  return new ClusterIndex(state);
}
