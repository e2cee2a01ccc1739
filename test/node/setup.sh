#!/usr/bin/env bash
# Installs the Debian packages the real node runs on, when they are missing (needs root):
#   containerd, runc                      container runtime (containerd 1.6, runc 1.1 on bookworm)
#   containernetworking-plugins           CNI bridge, host-local, loopback (in /usr/lib/cni)
#   iptables, ipset, conntrack            the dataplane kube-proxy and kube-router program
#   busybox-static                        the shell and tools of the test image
#   openssl                               keys and certificates of the API server
# Nothing is started or enabled (Debian's policy-rc.d keeps containerd.service from starting on a
# container; either way the harness runs its own containerd with its own config and socket).
# Prints what it installed on stderr; exits 0 when everything is there.
set -euo pipefail
say() { printf '[netpol node setup] %s\n' "$*" >&2; }

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have containerd || need+=(containerd)
have runc || need+=(runc)
[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] || need+=(containernetworking-plugins)
have iptables-nft || need+=(iptables)
have ipset || need+=(ipset)
have conntrack || need+=(conntrack)
[[ -x /bin/busybox ]] && /bin/busybox --list 2>/dev/null | grep -qx nc || need+=(busybox-static)
have openssl || need+=(openssl)
have nsenter || need+=(util-linux)

if ((${#need[@]} == 0)); then exit 0; fi
if [[ $(id -u) != 0 ]]; then
  say "missing Debian packages: ${need[*]} (run as root, or: apt-get install ${need[*]})"
  exit 1
fi
say "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >&2; then
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
say "installed: ${need[*]}"
