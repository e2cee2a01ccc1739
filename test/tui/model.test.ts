// The TUI's pure parts: filters, commands, isolation at a glance.
import { describe, expect, it } from 'vitest';

import { ClusterIndex } from '../../src/engine/cluster-index.js';
import type { ClusterState, NetworkPolicy, PodInfo } from '../../src/engine/model.js';
import { filterMatches, parseCommand, parseFilter } from '../../src/tui/filter.js';
import { isolation, isolationText } from '../../src/tui/summary.js';

describe('filter', () => {
  it.each([
    ['web', 'web-1', { app: 'x' }, true],
    ['WEB', 'web-1', {}, true],
    ['web 2', 'web-1', {}, false],
    ['-l app=db', 'anything', { app: 'db' }, true],
    ['-l app=db', 'anything', { app: 'api' }, false],
    ['-l app!=db', 'x', { app: 'api' }, true],
    ['-l tier', 'x', { tier: 'a' }, true],
    ['-l !tier', 'x', { tier: 'a' }, false],
    ['-l=app=db,tier=be', 'x', { app: 'db', tier: 'be' }, true],
    ['--selector app=db', 'x', { app: 'web' }, false],
    ['db -l app=db', 'api', { app: 'db' }, false],
  ] as const)('%j on %s %j -> %s', (text, name, labels, expected) => {
    expect(filterMatches(parseFilter(text), name, labels)).toBe(expected);
  });

  it.each([['-l'], ['-l a=b=c=='], ['-l =x']])('%j is reported, not applied', (text) => {
    const f = parseFilter(text);
    expect(f.error).toBeTruthy();
    expect(filterMatches(f, 'x', {})).toBe(true);
  });
});

describe('commands', () => {
  it.each([
    [':ns shop', { kind: 'ns', name: 'shop' }],
    ['namespace', { kind: 'ns' }],
    ['np', { kind: 'np' }],
    ['netpol db-allow', { kind: 'np', name: 'db-allow' }],
    ['po web', { kind: 'pod', name: 'web' }],
    ['explain a/b c/d 80', { kind: 'explain', from: 'a/b', to: 'c/d', port: '80' }],
    ['port 53/udp', { kind: 'port', port: 53, protocol: 'UDP' }],
    ['mx backend', { kind: 'matrix', name: 'backend' }],
    ['matrix frontend backend', { kind: 'matrix', name: 'frontend', to: 'backend' }],
    ['q', { kind: 'quit' }],
  ])('%j', (text, expected) => expect(parseCommand(text)).toEqual(expected));

  it.each([['port 0'], ['port 70000'], ['port http'], ['nope']])('%j is an error with what to type', (text) => {
    expect(parseCommand(text).kind).toBe('error');
  });
});

describe('isolation at a glance', () => {
  const pod = (name: string, labels: Record<string, string>, hostNetwork = false): PodInfo => ({ namespace: 'ns', name, labels, ips: [], ports: [], hostNetwork });
  const np = (name: string, matchLabels: Record<string, string>, types: ('Ingress' | 'Egress')[], ingress: NetworkPolicy['ingress'] = []): NetworkPolicy => ({
    namespace: 'ns',
    name,
    podSelector: { matchLabels },
    policyTypes: types,
    policyTypesInferred: false,
    ingress,
    egress: [],
  });
  const state = (pods: PodInfo[], policies: NetworkPolicy[]): ClusterState => ({ namespaces: [{ name: 'ns', labels: {} }], pods, nodes: [], services: [], endpointSlices: [], networkPolicies: policies, adminPolicies: [] });
  const a = pod('a', { app: 'a' });
  const b = pod('b', { app: 'b' });
  it.each([
    ['no policies', [a, b], [], 'Ingress', 'open'],
    ['podSelector {} without rules', [a, b], [np('deny', {}, ['Ingress'])], 'Ingress', 'default-deny'],
    ['default deny for ingress only leaves egress open', [a, b], [np('deny', {}, ['Ingress'])], 'Egress', 'open'],
    ['{} with an allow rule isolates every pod but is not a deny-all', [a, b], [np('all', {}, ['Ingress'], [{}])], 'Ingress', 'isolated'],
    ['one of two pods selected', [a, b], [np('a', { app: 'a' }, ['Ingress'], [{}])], 'Ingress', 'partial 1/2'],
    ['hostNetwork pods are never selected and do not count', [a, pod('h', {}, true)], [np('a', { app: 'a' }, ['Ingress'], [{}])], 'Ingress', 'isolated'],
    ['no pods', [], [np('deny', {}, ['Ingress'])], 'Ingress', '-'],
  ] as const)('%s', (_n, pods, policies, dir, expected) => {
    expect(isolationText(isolation(new ClusterIndex(state([...pods], [...policies])), 'ns', dir))).toBe(expected);
  });
});
