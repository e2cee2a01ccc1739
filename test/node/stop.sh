#!/usr/bin/env bash
# Stops a node started by start.sh and puts the host back exactly as it was. Idempotent, and
# safe on a half-started node: every step only acts on what this run created. The watchdog runs
# it when the process that started the node dies without stopping it.
#
#   bash test/node/stop.sh RUN [--keep]     (--keep or NETPOL_TEST_KEEP=1: keep RUN's logs)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
RUN="${1:?usage: stop.sh RUN [--keep]}"
keep=${NETPOL_TEST_KEEP:-0}; [[ ${2:-} == --keep ]] && keep=1
[[ -d $RUN/pids ]] || exit 0
BIN="$(cat "$RUN/bin-dir" 2>/dev/null)"
t0=$(date +%s%N)

stop_pid() { # NAME [TENTHS_OF_A_SECOND]
  local p; p=$(pid_of "$1") || return 0
  if alive "$p"; then
    kill -TERM "$p" 2>/dev/null
    for _ in $(seq "${2:-50}"); do alive "$p" || break; sleep 0.1; done
    alive "$p" && kill -KILL "$p" 2>/dev/null
  fi
  rm -f "$RUN/pids/$1"
}

# 1. Pods: while the kubelet and containerd still run, stop every pod sandbox so that CNI DEL
#    releases its veth and address. The API objects go with etcd; only the runtime side matters.
if alive "$(pid_of containerd)"; then
  stop_pid kube-controller-manager 20; stop_pid kube-scheduler 20
  stop_pid kubelet 30
  for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$t" >/dev/null 2>&1; done
  for _ in $(seq 30); do [[ -z $(ctr_ tasks ls -q 2>/dev/null | head -1) ]] && break; sleep 0.1; done
  for c in $(ctr_ containers ls -q 2>/dev/null); do ctr_ tasks rm -f "$c" >/dev/null 2>&1; ctr_ containers rm "$c" >/dev/null 2>&1; done
fi
# 2. Every daemon, in reverse start order.
for n in kube-router kube-proxy kube-controller-manager kube-scheduler kubelet containerd nsrelay kube-apiserver etcd; do stop_pid "$n" 30; done
# containerd shims outlive containerd: find ours by their -address argument.
for p in $(pgrep -f -- "-address $RUN/containerd/containerd.sock" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
# 3. Container processes still alive (a shim killed before its task): everything left in this
#    run's cgroups is ours. Then remove the cgroups, deepest first.
cgroup_root=$(cat "$RUN/cgroup-root" 2>/dev/null)
if [[ -n $cgroup_root ]]; then
  for _ in 1 2 3; do
    left=$(for h in $(cgroup_hierarchies); do [[ -d $h$cgroup_root ]] && find "$h$cgroup_root" -name cgroup.procs -exec cat {} +; done 2>/dev/null | sort -u)
    [[ -z $left ]] && break
    kill -KILL $left 2>/dev/null; sleep 0.2
  done
  for h in $(cgroup_hierarchies); do [[ -d $h$cgroup_root ]] && find "$h$cgroup_root" -depth -type d -exec rmdir {} + 2>/dev/null; done
fi
# 4. The node netns: killing its holder destroys the bridge, veths, iptables, ipsets, conntrack.
stop_pid holder 10
stop_pid holder-lock 10   # flock: exits with its child, which releases the machine-wide lock
# 5. Mounts under the run dir and under /run/containerd (overlay rootfs, shm), and the pod
#    network namespaces containerd pinned under /run/netns (their veth peers are gone with the
#    node netns; unmounting the last reference frees them).
for m in $(awk '{print $2}' /proc/self/mounts | grep -E "^($RUN|/run/containerd)(/|$)" | sort -r); do umount -l "$m" 2>/dev/null; done
for ns in /run/netns/cni-*; do
  [[ -e $ns ]] || continue
  # Only ours: pod netns files that were not there when this run started (one node at a time).
  grep -qxF "$(basename "$ns")" "$RUN/saved/netns" 2>/dev/null && continue
  umount "$ns" 2>/dev/null; rm -f "$ns"
done
# 6. Host state the kubelet changed or created: sysctls, hard-coded directories that did not
#    exist before this run (left alone when they did).
if [[ -f $RUN/saved/sysctls ]]; then while IFS='=' read -r k v; do sysctl -qw "$k=$v" 2>/dev/null; done < "$RUN/saved/sysctls"; fi
if [[ -f $RUN/saved/absent-paths ]]; then while read -r p; do [[ -n $p ]] && rm -rf "$p"; done < "$RUN/saved/absent-paths"; fi
# 7. The run directory.
if [[ $keep == 1 ]]; then
  rm -rf "$RUN/containerd" "$RUN/kubelet" "$RUN/etcd" "$RUN/pids"
  say "stopped in $(( ($(date +%s%N) - t0) / 1000000 )) ms; kept logs in $RUN/logs"
else
  rm -rf "$RUN"
  say "stopped in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
fi
