// Public surface of the pure engine.
export * from './model.js';
export * from './reasons.js';
export * from './trace.js';
export { ClusterIndex } from './cluster-index.js';
export { evaluateConnection, evaluateDirection, type EvaluateOptions } from './evaluate.js';
export { explain, pairAmbiguous, targetPort, type ExplainRequest, type ExplainResult, type ExplainPair } from './explain.js';
export { allowedPortRanges, type PortRangeVerdict } from './allowed-ports.js';
export { computeMatrix, computeReachability, type Column, type Matrix, type PortQuery, type PortSpec, type Reachability } from './matrix.js';
export { parseReference, podLabel, resolveReference, ResolveError, REFERENCE_HELP, type ParsedReference, type Resolved, type Target } from './resolve.js';
export { selectorMatches, selectorFailure, formatSelector, type SelectorFailure } from './labels.js';
export { parseCidr, parseIP, cidrContains, type Cidr } from './cidr.js';
export { inactiveNote, inactiveReason, isActivePod, type InactiveReason } from './pod-address.js';
export { checkFlows, type Flow, type FlowResult } from './check.js';
