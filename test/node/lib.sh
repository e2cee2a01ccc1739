# Shared by the real-node scripts (sourced, not run): the layout of one run directory, the fixed
# addresses inside the node's private network namespace, and small helpers.
#
# A run directory ($RUN) holds everything of one node: pids/, logs/, pki/, kubeconfigs, the
# containerd root and state, the kubelet root, CNI config and IPAM data, and saved/ (the host
# state the scripts must put back: sysctls the kubelet changes, hard-coded paths that did not
# exist before). Everything else lives in the node's network namespace and dies with it.

NODE_NAME=realnode
NODE_IP=10.244.0.1            # on the pod bridge; the kubelet's --node-ip
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
BRIDGE=netpol0
API_PORT=6443                 # inside the node netns (private: no clash with the host)
ETCD_PORT=2379
ETCD_PEER_PORT=2380
AGNHOST_IMAGE=registry.k8s.io/e2e-test-images/agnhost:2.56
PAUSE_IMAGE=registry.k8s.io/pause:3.10
# Kernel settings the kubelet writes at start (protectKernelDefaults: false) and never re-checks.
# They are global (not per network namespace), so they are saved and put back.
KUBELET_SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys kernel.keys.root_maxbytes)
# Paths the kubelet and containerd create whatever their configured roots are.
HARDCODED_PATHS=(/run/netns /run/containerd /var/lib/kubelet /var/log/containers /var/log/pods /usr/libexec/kubernetes)

say() { printf '[netpol node] %s\n' "$*" >&2; }
die() { printf '[netpol node] ERROR: %s\n' "$*" >&2; exit 1; }

holder_pid() { cat "$RUN/pids/holder" 2>/dev/null; }
# Run a command inside the node's network namespace (nsenter, not `ip netns exec`: that one
# remounts /sys and hides the cgroup hierarchies from the kubelet and containerd).
nsx() { nsenter -t "$(holder_pid)" -n -- "$@"; }
# alive = exists and is not a zombie (daemons re-parented to PID 1 are reaped lazily).
alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }
pid_of() { cat "$RUN/pids/$1" 2>/dev/null; }
# ctr can block on a wedged shim: never wait more than a few seconds for one call.
ctr_() { timeout 5 ctr -a "$RUN/containerd/containerd.sock" -n k8s.io "$@"; }
kubectl_() { "$BIN/kubectl" --kubeconfig "$RUN/node-admin.kubeconfig" "$@"; }
# The cgroup hierarchies a run's cgroup root is made in: every v1 hierarchy (and the hybrid
# "unified" one), or the single root of a pure cgroup v2 host.
cgroup_hierarchies() {
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then echo /sys/fs/cgroup/; return; fi
  local h; for h in /sys/fs/cgroup/*/; do [[ -f $h/cgroup.procs ]] && echo "$h"; done
}
