#!/usr/bin/env bash
# Starts a real single-node Kubernetes cluster in its own network namespace ("isolated mode"):
# etcd, kube-apiserver, containerd + runc, the kubelet with the CNI bridge, kube-scheduler,
# kube-controller-manager, kube-proxy (iptables) and kube-router (NetworkPolicy only), with
# real pods in real network namespaces. The host's interfaces, routes, iptables, ipsets and
# conntrack are never touched: they all live in the node netns. The one thing that cannot be
# isolated, the global sysctls the kubelet writes at start, is saved first and put back.
#
#   bash test/node/start.sh RUN BIN_DIR IMAGE_DIR RELAY_PORT ENFORCER
#
# RUN is an empty directory that will hold everything of this node (see lib.sh); ENFORCER is
# reject (kube-router as released), drop (kube-router-drop) or none. Writes
# RUN/admin.kubeconfig and RUN/limited.kubeconfig for host-side clients, which reach the API
# server through nsrelay on 127.0.0.1:RELAY_PORT. Stop with stop.sh RUN (also on failure).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
trap 'say "failed: line $LINENO: $BASH_COMMAND"' ERR
RUN="${1:?usage: start.sh RUN BIN_DIR IMAGE_DIR RELAY_PORT ENFORCER}"
BIN="${2:?}"; IMAGES="${3:?}"; RELAY_PORT="${4:?}"; ENFORCER="${5:-reject}"
t0=$(date +%s%N)
step() { say "$(( ($(date +%s%N) - t0) / 1000000 )) ms: $*"; }

mkdir -p "$RUN"/{pids,logs,pki,saved,cni/net.d,cni/ipam,containerd,kubelet,pod-logs}
echo "$BIN" > "$RUN/bin-dir"

# --- what the host has now, so stop.sh puts back exactly that -------------------------------
for s in "${KUBELET_SYSCTLS[@]}"; do printf '%s=%s\n' "$s" "$(sysctl -n "$s")"; done > "$RUN/saved/sysctls"
for p in "${HARDCODED_PATHS[@]}"; do [[ -e $p ]] || echo "$p"; done > "$RUN/saved/absent-paths"
ls /run/netns 2>/dev/null > "$RUN/saved/netns" || true
cgroup_root="netpol-node-$(basename "$RUN" | tr -c 'a-zA-Z0-9\n' -)"
echo "$cgroup_root" > "$RUN/cgroup-root"

launch() { # NAME BINARY ARGS... : a daemon in the node netns, in its own session
  local name=$1; shift
  setsid nsenter -t "$(holder_pid)" -n -- "$@" > "$RUN/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/pids/$name"
}
running() { alive "$(pid_of "$1")" || die "$1 exited during start; last lines of $RUN/logs/$1.log:
$(tail -n 25 "$RUN/logs/$1.log" 2>/dev/null)"; }
wait_for() { # WHAT TIMEOUT_S COMPONENT CMD... : poll CMD every 100 ms while COMPONENT runs
  local what=$1 timeout=$2 component=$3; shift 3
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    running "$component"
    (( $(date +%s) < deadline )) || die "timed out after ${timeout}s waiting for $what; see $RUN/logs/$component.log"
    sleep 0.1
  done
}

# --- the node's network namespace -------------------------------------------------------------
# One real node per machine (the kubelet's device-plugin socket, /run/containerd and the global
# sysctls are shared): the holder of the node netns also holds a machine-wide lock for its whole
# life, so a second start waits here until the first node has stopped.
LOCK=/run/lock/netpol-node.lock
mkdir -p /run/lock
setsid unshare --net -- flock -w 900 -E 99 "$LOCK" \
  bash -c 'echo $$ > "$1.tmp" && mv "$1.tmp" "$1" && exec -a netpol-node-holder sleep infinity' holder "$RUN/pids/holder" \
  < /dev/null > /dev/null 2>&1 &
echo $! > "$RUN/pids/holder-lock"
waited=0
until [[ -s $RUN/pids/holder ]]; do
  alive "$(pid_of holder-lock)" || die "another real node held $LOCK for 15 minutes; stop it with test/node/stop.sh or npm run node:down"
  if (( waited++ == 20 )); then say "waiting for another real node on this machine to stop (lock $LOCK)"; fi
  sleep 0.1
done
nsx ip link set lo up
# Per-netns: without a rate limit every REJECTed packet gets its ICMP answer, so a denied
# connection is always "refused", never a random timeout.
nsx sysctl -qw net.ipv4.icmp_ratelimit=0
nsx ip link add "$BRIDGE" type bridge
nsx ip addr add "$NODE_IP/24" dev "$BRIDGE"
nsx ip link set "$BRIDGE" up
step "node netns $(readlink "/proc/$(holder_pid)/ns/net") with bridge $BRIDGE $NODE_IP"

# --- credentials: service-account keys, static tokens -------------------------------------------
openssl genrsa -out "$RUN/pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$RUN/pki/sa.key" -pubout -out "$RUN/pki/sa.pub" 2>/dev/null
admin_token=$(openssl rand -hex 24)
limited_token=$(openssl rand -hex 24)
printf '%s,admin,admin-uid,"system:masters"\n%s,limited,limited-uid\n' "$admin_token" "$limited_token" > "$RUN/pki/tokens.csv"
chmod 600 "$RUN/pki/"{sa.key,tokens.csv}

# --- etcd and kube-apiserver ---------------------------------------------------------------------
launch etcd "$BIN/etcd" --name=realnode --data-dir="$RUN/etcd" \
  --listen-client-urls=http://127.0.0.1:$ETCD_PORT --advertise-client-urls=http://127.0.0.1:$ETCD_PORT \
  --listen-peer-urls=http://127.0.0.1:$ETCD_PEER_PORT --initial-advertise-peer-urls=http://127.0.0.1:$ETCD_PEER_PORT \
  --initial-cluster=realnode=http://127.0.0.1:$ETCD_PEER_PORT --listen-metrics-urls= --unsafe-no-fsync --log-level=warn
launch kube-apiserver "$BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:$ETCD_PORT \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=$API_PORT \
  --cert-dir="$RUN/pki" --token-auth-file="$RUN/pki/tokens.csv" --authorization-mode=RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$RUN/pki/sa.pub" --service-account-signing-key-file="$RUN/pki/sa.key" \
  --service-cluster-ip-range=$SERVICE_CIDR --disable-admission-plugins=ServiceAccount \
  --endpoint-reconciler-type=none --allow-privileged=true --profiling=false \
  --kubelet-preferred-address-types=InternalIP
# Host-side clients (tests, kubectl, the CLI under test) reach the API through a loopback relay.
setsid "$BIN/nsrelay" "127.0.0.1:$RELAY_PORT" "/proc/$(holder_pid)/ns/net" "127.0.0.1:$API_PORT" > "$RUN/logs/nsrelay.log" 2>&1 < /dev/null &
echo $! > "$RUN/pids/nsrelay"

# --- containerd (own root, state and socket; CNI bridge config) ------------------------------
sed "s#@RUN@#$RUN#g" "$here/config/containerd.toml" > "$RUN/containerd/config.toml"
sed "s#@RUN@#$RUN#g; s#@BRIDGE@#$BRIDGE#g; s#@POD_CIDR@#$POD_CIDR#g" "$here/config/cni.conflist" > "$RUN/cni/net.d/10-netpol.conflist"
launch containerd /usr/bin/containerd --config "$RUN/containerd/config.toml"

wait_for "the API server's serving certificate" 60 kube-apiserver test -s "$RUN/pki/apiserver.crt"
# The self-signed serving cert file holds the leaf, then the CA that signed it.
awk '/BEGIN CERTIFICATE/{buf=""} {buf=buf $0 "\n"} /END CERTIFICATE/{last=buf} END{printf "%s", last}' "$RUN/pki/apiserver.crt" > "$RUN/pki/ca.crt"
kubeconfig() { # SERVER USER TOKEN
  printf '{"apiVersion":"v1","kind":"Config","clusters":[{"name":"netpol-node","cluster":{"server":"%s","certificate-authority-data":"%s"}}],"users":[{"name":"%s","user":{"token":"%s"}}],"contexts":[{"name":"netpol-node-%s","context":{"cluster":"netpol-node","user":"%s","namespace":"default"}}],"current-context":"netpol-node-%s"}\n' \
    "$1" "$(base64 -w0 < "$RUN/pki/ca.crt")" "$2" "$3" "$2" "$2" "$2"
}
kubeconfig "https://127.0.0.1:$API_PORT" admin "$admin_token" > "$RUN/node-admin.kubeconfig"
kubeconfig "https://127.0.0.1:$RELAY_PORT" admin "$admin_token" > "$RUN/admin.kubeconfig"
kubeconfig "https://127.0.0.1:$RELAY_PORT" limited "$limited_token" > "$RUN/limited.kubeconfig"
chmod 600 "$RUN"/*.kubeconfig
HOSTK=("$BIN/kubectl" --kubeconfig "$RUN/admin.kubeconfig" --request-timeout=5s)
wait_for "kube-apiserver /readyz" 90 kube-apiserver "${HOSTK[@]}" get --raw /readyz
step "kube-apiserver ready (through nsrelay 127.0.0.1:$RELAY_PORT)"

wait_for "containerd's socket" 30 containerd test -S "$RUN/containerd/containerd.sock"
for img in "$IMAGES"/*.tar; do ctr_ images import "$img" > /dev/null; done
step "images imported: $AGNHOST_IMAGE, $PAUSE_IMAGE"

# --- kubelet ---------------------------------------------------------------------------------
# Its cgroups go under a root of this run's own, created in every v1 hierarchy (and cpuset's
# cpus/mems copied from the parent, which a new cpuset cgroup needs before it takes tasks).
for h in $(cgroup_hierarchies); do
  mkdir -p "$h$cgroup_root"
  if [[ -f $h/cpuset.cpus ]]; then cat "$h/cpuset.cpus" > "$h$cgroup_root/cpuset.cpus"; cat "$h/cpuset.mems" > "$h$cgroup_root/cpuset.mems"; fi
done
sed "s#@RUN@#$RUN#g; s#@NODE_IP@#$NODE_IP#g; s#@CGROUP_ROOT@#/$cgroup_root#g" "$here/config/kubelet.yaml" > "$RUN/kubelet/config.yaml"
launch kubelet "$BIN/kubelet" --config="$RUN/kubelet/config.yaml" --kubeconfig="$RUN/node-admin.kubeconfig" \
  --root-dir="$RUN/kubelet" --cert-dir="$RUN/kubelet/pki" --hostname-override=$NODE_NAME --node-ip=$NODE_IP -v=1
# The controllers: node-lifecycle lifts the not-ready taint the kubelet registers with.
K=(--kubeconfig="$RUN/node-admin.kubeconfig" --authentication-kubeconfig="$RUN/node-admin.kubeconfig" --authorization-kubeconfig="$RUN/node-admin.kubeconfig" --leader-elect=false --bind-address=127.0.0.1)
launch kube-scheduler "$BIN/kube-scheduler" "${K[@]}" --secure-port=10259
launch kube-controller-manager "$BIN/kube-controller-manager" "${K[@]}" --secure-port=10257 \
  --use-service-account-credentials=false \
  --controllers=namespace-controller,garbage-collector-controller,replicaset-controller,deployment-controller,statefulset-controller,daemonset-controller,job-controller,cronjob-controller,pod-garbage-collector-controller,node-lifecycle-controller,endpointslice-controller
node_ready() { [[ $("${HOSTK[@]}" get node $NODE_NAME -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}') == True ]]; }
wait_for "node $NODE_NAME Ready" 90 kubelet node_ready
# The kubelet has written its kernel defaults by now (once, at start): put the host's back.
while IFS='=' read -r k v; do sysctl -qw "$k=$v"; done < "$RUN/saved/sysctls"
step "node $NODE_NAME Ready; host sysctls restored"

# --- Services and NetworkPolicy ---------------------------------------------------------------
# --cluster-cidr keeps pod source addresses (no masquerade), so policies see the real client.
launch kube-proxy "$BIN/kube-proxy" --kubeconfig="$RUN/node-admin.kubeconfig" --hostname-override=$NODE_NAME \
  --proxy-mode=iptables --cluster-cidr=$POD_CIDR --bind-address=$NODE_IP --conntrack-max-per-core=0 \
  --iptables-localhost-nodeports=false --healthz-bind-address=127.0.0.1:10256 --metrics-bind-address=127.0.0.1:10249
if [[ $ENFORCER != none ]]; then "$here/enforcer.sh" "$RUN" "$ENFORCER"; fi
no_taint() { [[ -z $("${HOSTK[@]}" get node $NODE_NAME -o 'jsonpath={.spec.taints}') ]]; }
wait_for "the node's not-ready taint to be lifted" 60 kube-controller-manager no_taint
echo "$ENFORCER" > "$RUN/enforcer"
touch "$RUN/ready"
step "ready: kubeconfig $RUN/admin.kubeconfig, NetworkPolicy enforcer: $ENFORCER"
