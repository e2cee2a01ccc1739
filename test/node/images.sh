#!/usr/bin/env bash
# Builds the two container images the real node runs, without a registry or Docker, as
# docker-archive tarballs (the `docker save` layout: manifest.json, a config blob, one layer tar)
# that `ctr images import` loads into containerd:
#   registry.k8s.io/e2e-test-images/agnhost:2.56  entrypoint /agnhost (upstream e2e's test program,
#       built from the pinned k8s.io/kubernetes module), plus busybox's shell and tools, users root,
#       nobody and probe (uid 10001), and a world-writable /tmp. Tagged exactly as the probe
#       command's pinned default, so that default works with imagePullPolicy IfNotPresent.
#   registry.k8s.io/pause:3.10                    only /pause (our 1.4 MB sandbox main; agnhost's
#       own pause subcommand works too but costs ~33 MiB per pod).
#
#   bash test/node/images.sh BIN_DIR      prints the directory holding agnhost.tar and pause.tar
#
# Deterministic (sorted entries, mtime 0, uid/gid 0) and cached by the hash of its inputs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
BIN="${1:?usage: images.sh BIN_DIR}"
busybox=/bin/busybox
[[ -x $busybox ]] || die "$busybox is missing (Debian package busybox-static; test/node/setup.sh installs it)"
for b in agnhost pause; do [[ -x $BIN/$b ]] || die "$BIN/$b is missing (bash test/cluster/build.sh node builds it)"; done

case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
key="$(cat "$0" "$BIN/agnhost" "$BIN/pause" "$busybox" | sha256sum | cut -c1-16)"
cache="${NETPOL_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-netpol}"
out="$cache/images/$key"
if [[ -f $out/agnhost.tar && -f $out/pause.tar ]]; then printf '%s\n' "$out"; exit 0; fi
mkdir -p "$out"
work="$(mktemp -d "$out/.tmp.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# docker_archive ROOTFS OUT.tar CONFIG_JSON_FRAGMENT TAG...
docker_archive() {
  local rootfs=$1 tarball=$2 cfg=$3; shift 3
  local d="$work/archive"; rm -rf "$d"; mkdir -p "$d"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$rootfs" -cf "$d/layer.tar" .
  local diff; diff="$(sha256sum "$d/layer.tar" | cut -d' ' -f1)"
  mkdir "$d/$diff"; mv "$d/layer.tar" "$d/$diff/layer.tar"
  printf '{"architecture":"%s","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"kubectl-netpol test/node/images.sh"}]}' \
    "$arch" "$cfg" "$diff" > "$d/config.json"
  local cid; cid="$(sha256sum "$d/config.json" | cut -d' ' -f1)"
  mv "$d/config.json" "$d/$cid.json"
  local tags; tags="$(printf '"%s",' "$@")"
  printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":["%s/layer.tar"]}]' "$cid" "${tags%,}" "$diff" > "$d/manifest.json"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$d" -cf "$tarball" .
}

path_env='"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'

# agnhost: busybox + agnhost
r="$work/agnhost-root"
mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root"
cp "$busybox" "$r/bin/busybox"
for applet in $("$busybox" --list); do [[ $applet == busybox || -e $r/bin/$applet ]] || ln -s busybox "$r/bin/$applet"; done
cp "$BIN/agnhost" "$r/agnhost"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nprobe:x:10001:10001:probe:/tmp:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\nprobe:x:10001:\n' > "$r/etc/group"
chmod 1777 "$r/tmp"
docker_archive "$r" "$work/agnhost.tar" "{\"Entrypoint\":[\"/agnhost\"],$path_env}" "$AGNHOST_IMAGE"

# pause: only /pause
r="$work/pause-root"
mkdir -p "$r"
cp "$BIN/pause" "$r/pause"
docker_archive "$r" "$work/pause.tar" "{\"Entrypoint\":[\"/pause\"],$path_env}" "$PAUSE_IMAGE"

mv "$work/agnhost.tar" "$work/pause.tar" "$out/"
say "images built: $out ($(du -sh "$out" | cut -f1))"
printf '%s\n' "$out"
