#!/usr/bin/env bash
# Builds kube-apiserver and etcd for the cluster test suite from the Go module
# in ./cmd (k8s.io/kubernetes + go.etcd.io/etcd/server/v3, pinned in
# cmd/go.mod / cmd/go.sum) into test/cluster/.bin/<key>/.
#
# Idempotent: the output directory is keyed by the pinned versions plus a hash
# of cmd/go.mod, cmd/go.sum and the main packages, so an existing build is
# reused and any change to the pins produces a fresh build.
#
# Output contract (used by harness.ts): progress messages go to stderr; the
# only thing written to stdout is the absolute path of the directory holding
# `kube-apiserver` and `etcd`.
#
# Env:
#   NETPOL_TEST_BIN_DIR  skip building; print this directory instead (it must
#                        contain executable kube-apiserver and etcd).
#   GOFLAGS, GOCACHE, GOMODCACHE, ... are honoured as usual by go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/cmd"
min_go="1.24"

say() { printf '[netpol cluster build] %s\n' "$*" >&2; }
die() { printf '[netpol cluster build] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -n "${NETPOL_TEST_BIN_DIR:-}" ]]; then
  for b in kube-apiserver etcd; do
    [[ -x "$NETPOL_TEST_BIN_DIR/$b" ]] || die "NETPOL_TEST_BIN_DIR=$NETPOL_TEST_BIN_DIR has no executable '$b'"
  done
  say "using prebuilt binaries from NETPOL_TEST_BIN_DIR=$NETPOL_TEST_BIN_DIR"
  (cd "$NETPOL_TEST_BIN_DIR" && pwd)
  exit 0
fi

# Versions, read from the pins so there is a single source of truth.
k8s_version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "$src/go.mod")"
etcd_version="$(awk '$1 == "go.etcd.io/etcd/server/v3" && $2 ~ /^v/ {print $2; exit}' "$src/go.mod")"
[[ -n "$k8s_version" && -n "$etcd_version" ]] || die "could not read k8s.io/kubernetes / etcd versions from $src/go.mod"

hash="$(cat "$src/go.mod" "$src/go.sum" "$src/kube-apiserver/main.go" "$src/etcd/main.go" | sha256sum | cut -c1-12)"
key="kube-apiserver-${k8s_version}-etcd-${etcd_version}-${hash}"
out="$here/.bin/$key"

if [[ -x "$out/kube-apiserver" && -x "$out/etcd" ]]; then
  say "up to date: $out"
  printf '%s\n' "$out"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  die "'go' was not found on PATH. The cluster tests build kube-apiserver ${k8s_version} and etcd ${etcd_version} from source and need Go >= ${min_go} (https://go.dev/dl/, unpack to /usr/local/go and add /usr/local/go/bin to PATH; Debian bookworm's golang packages are too old) plus access to the Go module proxy. Alternatively set NETPOL_TEST_BIN_DIR to a directory containing kube-apiserver and etcd binaries, or NETPOL_TEST_KUBECONFIG to use an existing cluster."
fi
go_version="$(go env GOVERSION 2>/dev/null || true)"
go_version="${go_version#go}"
if [[ "$(printf '%s\n%s\n' "$min_go" "${go_version%%[!0-9.]*}" | sort -V | head -n1)" != "$min_go" ]]; then
  die "Go ${go_version:-unknown} is too old: kube-apiserver ${k8s_version} needs Go >= ${min_go} (https://go.dev/dl/)."
fi

mkdir -p "$here/.bin"
# Serialise concurrent builds (e.g. two test runs started at once).
exec 9>"$here/.bin/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if [[ -x "$out/kube-apiserver" && -x "$out/etcd" ]]; then
    say "up to date (built by a concurrent run): $out"
    printf '%s\n' "$out"
    exit 0
  fi
fi

say "building kube-apiserver ${k8s_version} and etcd ${etcd_version} with Go ${go_version} into $out"
say "a cold build (empty Go build cache) takes several minutes on 2 cores; later builds are cached"
start=$SECONDS
tmp="$(mktemp -d "$here/.bin/.tmp-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

k8s_minor="${k8s_version#v*.}"; k8s_minor="${k8s_minor%%.*}"
k8s_major="${k8s_version#v}"; k8s_major="${k8s_major%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=${k8s_version} -X $pkg.gitMajor=${k8s_major} -X $pkg.gitMinor=${k8s_minor}"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

cd "$src"
# -mod=readonly: go.sum is committed; never rewrite it during a build.
# CGO off: static binaries, no C toolchain needed. No VCS stamping (needs no git).
say "downloading modules if needed (cached in $(go env GOMODCACHE))"
go list -mod=readonly -deps ./kube-apiserver ./etcd >/dev/null
say "compiling (go build -trimpath)"
CGO_ENABLED=0 go build -mod=readonly -buildvcs=false -trimpath -ldflags "$ldflags" \
  -o "$tmp/" ./kube-apiserver ./etcd

say "built: $("$tmp/kube-apiserver" --version), $("$tmp/etcd" --version | sed -n 1p)"

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
chmod 755 "$out"
say "built in $((SECONDS - start))s: $out"
printf '%s\n' "$out"
