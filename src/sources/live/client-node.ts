// @kubernetes/client-node's KubeConfig, behind a module of its own so the bundler can split it off
// (and tree-shake it) and the CLI loads it only for proxies and legacy auth providers.
export { KubeConfig } from '@kubernetes/client-node';
