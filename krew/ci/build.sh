#!/usr/bin/env bash
# Builds krew and validate-krew-manifest from the Go module pinned in krew/ci/go.mod (sigs.k8s.io/krew)
# into a cache directory keyed by go.mod + go.sum, and prints that directory (stdout: only the path).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf '[krew build] %s\n' "$*" >&2; }
command -v go >/dev/null 2>&1 || { say "ERROR: 'go' is not on PATH: the krew check builds krew from the Go module sigs.k8s.io/krew (Go >= 1.24 and the Go module proxy)"; exit 1; }
version="$(awk '$1 == "sigs.k8s.io/krew" && $2 ~ /^v/ {print $2; exit}' "$here/go.mod")"
key="krew-${version}-$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)"
out="${NETPOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-netpol}/release/$key"
if [[ -x "$out/krew" && -x "$out/validate-krew-manifest" ]]; then
  say "up to date: $out"
  printf '%s\n' "$out"
  exit 0
fi
say "building krew ${version} into $out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
CGO_ENABLED=0 go build -mod=readonly -buildvcs=false -trimpath -o "$tmp/" sigs.k8s.io/krew/cmd/krew sigs.k8s.io/krew/cmd/validate-krew-manifest
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
printf '%s\n' "$out"
