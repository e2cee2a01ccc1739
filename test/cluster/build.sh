#!/usr/bin/env bash
# Builds the Kubernetes binaries of the test clusters from pinned Go modules and caches them.
#
#   bash test/cluster/build.sh [NAME... | node | all]
#
# NAMEs (default: kube-apiserver etcd, all the API-server-only suite needs):
#   from ./cmd (k8s.io/kubernetes v1.34.4 + etcd, pinned in cmd/go.mod and cmd/go.sum):
#     kube-apiserver etcd kubelet kube-scheduler kube-controller-manager kube-proxy kubectl
#     agnhost (k8s.io/kubernetes/test/images/agnhost, upstream e2e's test program)
#     pause nsrelay (two small mains of ours: the pod sandbox, and a loopback relay into a netns)
#   from ./kube-router (kube-router v2.1.0, the NetworkPolicy enforcer of the real node):
#     kube-router        as released: denied traffic is REJECTed (clients see "refused")
#     kube-router-drop   the same source with REJECT replaced by DROP at build time, through
#                        `go build -overlay` (clients time out, as with Calico or Cilium)
#   node = every binary the real-node cluster (test/node) needs; all = every NAME above.
#
# Idempotent: binaries live in $NETPOL_BUILD_CACHE/bin/<key>/ (default ~/.cache/kubectl-netpol),
# where <key> hashes both modules, the mains and this script, so a changed pin builds anew, an
# existing binary is reused (~10 ms), and a fresh clone of the repository reuses earlier builds.
#
# Output contract (used by test/cluster/harness.ts and test/node): progress messages go to
# stderr; the only thing written to stdout is the absolute path of the binary directory.
#
# Env:
#   NETPOL_TEST_BIN_DIR  skip building; print this directory instead (it must hold the NAMEs).
#   NETPOL_BUILD_CACHE   where built binaries are kept (default ~/.cache/kubectl-netpol).
#   GOFLAGS, GOCACHE, GOMODCACHE, ... are honoured as usual by go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/cmd"
kr_src="$here/kube-router"
min_go="1.24"

say() { printf '[netpol cluster build] %s\n' "$*" >&2; }
die() { printf '[netpol cluster build] ERROR: %s\n' "$*" >&2; exit 1; }

node_set=(kube-apiserver etcd kubelet kube-scheduler kube-controller-manager kube-proxy kubectl agnhost pause nsrelay kube-router kube-router-drop)
names=()
for arg in "${@:-kube-apiserver etcd}"; do
  for n in $arg; do
    case "$n" in
      node | all) names+=("${node_set[@]}") ;;
      kube-apiserver | etcd | kubelet | kube-scheduler | kube-controller-manager | kube-proxy | kubectl | agnhost | pause | nsrelay | kube-router | kube-router-drop) names+=("$n") ;;
      *) die "unknown binary '$n'; known: ${node_set[*]} (or node, all)" ;;
    esac
  done
done

if [[ -n "${NETPOL_TEST_BIN_DIR:-}" ]]; then
  for b in "${names[@]}"; do
    [[ -x "$NETPOL_TEST_BIN_DIR/$b" ]] || die "NETPOL_TEST_BIN_DIR=$NETPOL_TEST_BIN_DIR has no executable '$b'"
  done
  say "using prebuilt binaries from NETPOL_TEST_BIN_DIR=$NETPOL_TEST_BIN_DIR"
  (cd "$NETPOL_TEST_BIN_DIR" && pwd)
  exit 0
fi

# Versions, read from the pins so there is a single source of truth.
pin() { awk -v m="$1" '$1 == "require" { $1 = "" ; $0 = $0 } $1 == m && $2 ~ /^v/ { print $2; exit }' "$2"; }
k8s_version="$(pin k8s.io/kubernetes "$src/go.mod")"
etcd_version="$(pin go.etcd.io/etcd/server/v3 "$src/go.mod")"
kr_version="$(pin github.com/cloudnativelabs/kube-router/v2 "$kr_src/go.mod")"
[[ -n "$k8s_version" && -n "$etcd_version" && -n "$kr_version" ]] || die "could not read the pinned versions from $src/go.mod and $kr_src/go.mod"

hash="$(cat "$0" "$src/go.mod" "$src/go.sum" "$src"/*.go "$src"/*/main.go "$kr_src/go.mod" "$kr_src/go.sum" "$kr_src"/*.go | sha256sum | cut -c1-12)"
cache="${NETPOL_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-netpol}"
out="$cache/bin/k8s-${k8s_version}-etcd-${etcd_version}-kube-router-${kr_version}-${hash}"

missing() {
  local m=() b
  for b in "${names[@]}"; do [[ -x "$out/$b" ]] || m+=("$b"); done
  printf '%s\n' "${m[@]}" | sort -u | sed '/^$/d'
}

todo="$(missing)"
if [[ -z "$todo" ]]; then
  say "up to date: $out"
  printf '%s\n' "$out"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  die "'go' was not found on PATH. The cluster tests build Kubernetes ${k8s_version}, etcd ${etcd_version} and kube-router ${kr_version} from source and need Go >= ${min_go} (https://go.dev/dl/, unpack to /usr/local/go and add /usr/local/go/bin to PATH; Debian bookworm's golang packages are too old) plus access to the Go module proxy. Alternatively set NETPOL_TEST_BIN_DIR to a directory holding the binaries, or NETPOL_TEST_KUBECONFIG to use an existing cluster."
fi
go_version="$(go env GOVERSION 2>/dev/null || true)"
go_version="${go_version#go}"
if [[ "$(printf '%s\n%s\n' "$min_go" "${go_version%%[!0-9.]*}" | sort -V | head -n1)" != "$min_go" ]]; then
  die "Go ${go_version:-unknown} is too old: Kubernetes ${k8s_version} needs Go >= ${min_go} (https://go.dev/dl/)."
fi

mkdir -p "$out"
# Serialise concurrent builds (two test runs started at once); re-check after the lock.
exec 9>"$out/.lock"
command -v flock >/dev/null 2>&1 && flock 9
todo="$(missing)"
if [[ -z "$todo" ]]; then
  say "up to date (built by a concurrent run): $out"
  printf '%s\n' "$out"
  exit 0
fi

say "building $(echo $todo) with Go ${go_version} into $out"
say "a cold build (empty Go caches) takes 15-30 minutes on 2 cores; later builds are cached"
start=$SECONDS
tmp="$(mktemp -d "$out/.tmp-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

k8s_minor="${k8s_version#v*.}"; k8s_minor="${k8s_minor%%.*}"
k8s_major="${k8s_version#v}"; k8s_major="${k8s_major%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=${k8s_version} -X $pkg.gitMajor=${k8s_major} -X $pkg.gitMinor=${k8s_minor}"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
# -mod=readonly: go.sum is committed; never rewrite it during a build. CGO off: static binaries,
# no C toolchain needed. No VCS stamping (needs no git). -trimpath: reproducible, cache-friendly.
gobuild() { CGO_ENABLED=0 go build -mod=readonly -buildvcs=false -trimpath "$@"; }

k8s_pkgs=() kr=() 
for b in $todo; do
  case "$b" in
    agnhost) k8s_pkgs+=(k8s.io/kubernetes/test/images/agnhost) ;;
    kubectl) k8s_pkgs+=(k8s.io/kubernetes/cmd/kubectl) ;;
    kube-router | kube-router-drop) kr+=("$b") ;;
    *) k8s_pkgs+=("./$b") ;;
  esac
done

if ((${#k8s_pkgs[@]})); then
  cd "$src"
  say "downloading modules if needed (cached in $(go env GOMODCACHE))"
  go list -mod=readonly -deps "${k8s_pkgs[@]}" >/dev/null
  say "compiling ${k8s_pkgs[*]}"
  gobuild -ldflags "$ldflags" -o "$tmp/" "${k8s_pkgs[@]}"
fi

for b in "${kr[@]}"; do
  cd "$kr_src"
  go list -mod=readonly -deps github.com/cloudnativelabs/kube-router/v2/cmd/kube-router >/dev/null
  kr_ldflags="-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=${kr_version}"
  if [[ $b == kube-router ]]; then
    say "compiling kube-router ${kr_version}"
    gobuild -ldflags "$kr_ldflags" -o "$tmp/kube-router" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
  else
    # The pod firewall chain ends in `-j REJECT` for traffic no policy allows. Build a copy of the
    # module's source with DROP there, through a replace directive in a scratch copy of our go.mod.
    mod_dir="$(go list -mod=readonly -m -f '{{.Dir}}' github.com/cloudnativelabs/kube-router/v2)"
    work="$tmp/kube-router-drop-src"
    mkdir -p "$work"
    cp "$kr_src/go.mod" "$kr_src/go.sum" "$kr_src/tools.go" "$work/"
    cp -r "$mod_dir" "$work/src" && chmod -R u+w "$work/src"
    pod_go="$work/src/pkg/controllers/netpol/pod.go"
    sed -i 's/"-j", "REJECT", "\\n"}/"-j", "DROP", "\\n"}/' "$pod_go"
    grep -q '"-j", "DROP", "\\n"}' "$pod_go" || die "the REJECT rule was not found in kube-router's pkg/controllers/netpol/pod.go: update the kube-router-drop patch for ${kr_version}"
    printf '\nreplace github.com/cloudnativelabs/kube-router/v2 => ./src\n' >> "$work/go.mod"
    say "compiling kube-router-drop ${kr_version} (REJECT -> DROP)"
    (cd "$work" && gobuild -ldflags "$kr_ldflags" -o "$tmp/kube-router-drop" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router)
    rm -rf "$work"
  fi
done

for f in "$tmp"/*; do
  chmod 755 "$f"
  mv -f "$f" "$out/"
done
say "built $(echo $todo) in $((SECONDS - start))s: $out"
printf '%s\n' "$out"
