import { describe, expect, it } from 'vitest';
import { awsNodeRule, flagValue, k3sArgsRule, kindnetRule, parseImage, type Container, type Workload } from '../../src/cni/rules.js';

const ctr = (image: string, args: string[] = [], name = 'c'): Container => ({ name, image, args, env: new Map() });
const wl = (...containers: Container[]): Workload => ({ kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node', owner: 'aws-node', containers });

describe('parseImage', () => {
  it.each([
    ['docker.io/calico/node:v3.28.0', 'docker.io/calico/node', 'v3.28.0'],
    ['localhost:5000/kindest/kindnetd:v20240813-c6f155d6', 'localhost:5000/kindest/kindnetd', 'v20240813-c6f155d6'],
    ['quay.io/cilium/cilium:v1.16.1@sha256:abc', 'quay.io/cilium/cilium', 'v1.16.1'],
    ['localhost:5000/flannel@sha256:abc', 'localhost:5000/flannel', undefined],
    ['weaveworks/weave-kube', 'weaveworks/weave-kube', undefined],
  ])('%s', (image, repo, tag) => {
    expect(parseImage(image)).toEqual(tag === undefined ? { repo } : { repo, tag });
  });
});

describe('flagValue', () => {
  it.each<[string[], string, string | undefined]>([
    [['--enable-network-policy=true'], 'enable-network-policy', 'true'],
    [['-network-policy=false'], 'network-policy', 'false'],
    [['--disable-network-policy', 'true'], 'disable-network-policy', 'true'],
    [['--disable-network-policy', 'false'], 'disable-network-policy', 'false'],
    [['--disable-network-policy', '--other'], 'disable-network-policy', 'true'],
    [['--run-firewall=true', '--run-firewall=false'], 'run-firewall', 'false'],
    [['/bin/kindnetd --network-policy=false'], 'network-policy', 'false'],
    [['--enable-network-policy-x=true'], 'enable-network-policy', undefined],
    [[], 'x', undefined],
  ])('%j %s', (args, name, want) => expect(flagValue(args, name)).toBe(want));
});

describe('kindnetRule', () => {
  it.each<[string, string[], boolean | 'depends']>([
    // kind's bundled kindnetd: tag = build date; policy since 2024-07-15 (kind v0.24.0)
    ['docker.io/kindest/kindnetd:v20240202-8f1494ea', [], false], // kind v0.22.0
    ['docker.io/kindest/kindnetd:v20240513-cd2ac642', [], false], // kind v0.23.0
    ['docker.io/kindest/kindnetd:v20240813-c6f155d6', [], true], // kind v0.24.0
    ['docker.io/kindest/kindnetd:v20241108-5c6d2daf', [], true], // kind v0.25.0
    ['docker.io/kindest/kindnetd:v20250512-df8de77b', [], true], // kind v0.29.0
    ['kindest/kindnetd:0.5.4', [], false], // 2019
    // standalone kindnet (aojea/kindnet)
    ['ghcr.io/aojea/kindnetd:v1.2.0', ['--network-policy=true'], false],
    ['ghcr.io/aojea/kindnetd:v1.3.0', [], false],
    ['ghcr.io/aojea/kindnetd:v1.3.0', ['--network-policy=true'], true],
    ['ghcr.io/aojea/kindnetd:v1.5.0', [], true],
    ['ghcr.io/aojea/kindnetd:v1.8.5', ['--network-policy=false'], false],
    ['ghcr.io/aojea/kindnetd:stable', ['/bin/kindnetd', '--network-policy=true'], true],
    ['ghcr.io/aojea/kindnetd:stable', [], 'depends'],
    // kubernetes-sigs/kindnet
    ['registry.k8s.io/networking/kindnet:v1.0.0', [], true],
    ['registry.k8s.io/networking/kindnet:v1.0.0', ['--network-policy=false'], false],
  ])('%s %j => %s', (image, args, want) => expect(kindnetRule(ctr(image, args)).enforces).toBe(want));
});

describe('awsNodeRule', () => {
  const cni = ctr('602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.18.3-eksbuild.1', [], 'aws-node');
  const agent = (args: string[]) => ctr('602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-network-policy-agent:v1.1.2-eksbuild.1', args, 'aws-eks-nodeagent');
  it('no agent container: no', () => expect(awsNodeRule(wl(cni)).enforces).toBe(false));
  it('agent with the flag unset: no (default false)', () => {
    const v = awsNodeRule(wl(cni, agent(['--enable-ipv6=false'])));
    expect(v).toEqual({ enforces: false, why: 'container aws-eks-nodeagent runs with --enable-network-policy=<unset, default false>' });
  });
  it('agent with --enable-network-policy=false: no', () => expect(awsNodeRule(wl(cni, agent(['--enable-network-policy=false']))).enforces).toBe(false));
  it('agent with --enable-network-policy=true: yes', () => expect(awsNodeRule(wl(cni, agent(['--enable-network-policy=true']))).enforces).toBe(true));
  it('agent recognised by image even when renamed', () => {
    const renamed = { ...agent(['--enable-network-policy=true']), name: 'np-agent' };
    expect(awsNodeRule(wl(cni, renamed)).enforces).toBe(true);
  });
});

describe('k3sArgsRule', () => {
  it.each<[string | undefined, boolean | undefined]>([
    ['["server"]', true],
    ['["server","--disable-network-policy","true"]', false],
    ['["server","--disable-network-policy"]', false],
    ['["server","--disable-network-policy","false"]', true],
    ['["server","--disable-network-policy=true"]', false],
    ['not json', undefined],
    [undefined, undefined],
  ])('%s => %s', (args, want) => expect(k3sArgsRule(args).enforces).toBe(want));
});
