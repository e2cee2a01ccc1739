#!/usr/bin/env bash
# Switches the node's NetworkPolicy enforcer: reject (kube-router as released: denied traffic is
# answered with ICMP port-unreachable, clients see "refused"), drop (kube-router-drop: denied
# traffic is dropped, clients time out, as with Calico or Cilium) or off (no enforcement at all:
# policies exist and nothing applies them, as with plain flannel).
#
#   bash test/node/enforcer.sh RUN reject|drop|off
#
# Stops the running kube-router, removes its chains and ipsets from the node netns (never the
# host's), starts the requested variant and waits until its rules are in place and stable.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
trap 'say "failed: line $LINENO: $BASH_COMMAND"' ERR
RUN="${1:?usage: enforcer.sh RUN reject|drop|off}"; MODE="${2:?usage: enforcer.sh RUN reject|drop|off}"
BIN="$(cat "$RUN/bin-dir")"
case "$MODE" in reject) binary=kube-router ;; drop) binary=kube-router-drop ;; off) binary= ;; *) die "unknown enforcer '$MODE' (reject, drop or off)" ;; esac

p=$(pid_of kube-router || true)
if alive "$p"; then
  kill -TERM "$p"
  for _ in $(seq 50); do alive "$p" || break; sleep 0.1; done
  alive "$p" && kill -KILL "$p"
fi
rm -f "$RUN/pids/kube-router"
# kube-router leaves its rules behind when it stops. Drop every line that names one of its chains
# (KUBE-ROUTER-*, per-pod KUBE-POD-FW-*, per-policy KUBE-NWPLCY-*, KUBE-SRC-/KUBE-DST-) and load
# the rest back: kube-proxy's rules stay as they are.
nsx iptables-nft-save | { grep -vE 'KUBE-(ROUTER|POD-FW|NWPLCY|SRC|DST)' || true; } | nsx iptables-nft-restore
for s in $(nsx ipset list -n 2>/dev/null | grep -E '^KUBE-' || true); do nsx ipset destroy "$s" 2>/dev/null || true; done

if [[ -n $binary ]]; then
  [[ -x $BIN/$binary ]] || die "$BIN/$binary is missing (bash test/cluster/build.sh node)"
  setsid nsenter -t "$(holder_pid)" -n -- "$BIN/$binary" --kubeconfig="$RUN/node-admin.kubeconfig" \
    --hostname-override=$NODE_NAME --run-firewall=true --run-router=false --run-service-proxy=false \
    --run-loadbalancer=false --enable-cni=false --health-port=0 --metrics-port=0 \
    --service-cluster-ip-range=$SERVICE_CIDR --iptables-sync-period=5m -v=1 \
    >> "$RUN/logs/kube-router.log" 2>&1 < /dev/null &
  echo $! > "$RUN/pids/kube-router"
  # Ready = its forward chain exists and a full sync has finished (the rule set stops changing).
  deadline=$(( $(date +%s) + 30 )); last=
  while :; do
    alive "$(pid_of kube-router)" || die "kube-router exited; last lines of $RUN/logs/kube-router.log:
$(tail -n 20 "$RUN/logs/kube-router.log")"
    rules=$(nsx iptables-nft-save 2>/dev/null || true)
    now=$(sed '/^#/d; s/\[[0-9]*:[0-9]*\]//' <<< "$rules" | sha256sum)
    if grep -q '^:KUBE-ROUTER-FORWARD' <<< "$rules" && [[ $now == "$last" ]]; then break; fi
    (( $(date +%s) < deadline )) || die "kube-router did not install its rules within 30 s"
    last=$now; sleep 0.3
  done
fi
echo "$MODE" > "$RUN/enforcer"
say "NetworkPolicy enforcer: $MODE"
