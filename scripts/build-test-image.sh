#!/usr/bin/env bash
# Build the tiny local image the Docker tests run, without any image registry:
# a root holding Debian's static busybox and its applet links, imported with
# `docker import`.
#
#   scripts/build-test-image.sh            build netguard-probe:local unless it exists
#   scripts/build-test-image.sh --rebuild  remove it first and build it again
#
# Environment: NETGUARD_PROBE_IMAGE overrides the image name.
# Needs an engine that answers (scripts/docker-engine.sh start).
#
# The image's default command runs as PID 1 and exits on SIGTERM, so that
# `docker stop` returns at once instead of waiting 10s for SIGKILL.
set -euo pipefail

image="${NETGUARD_PROBE_IMAGE:-netguard-probe:local}"
busybox_bin=/bin/busybox
# Applets the tests rely on; all others that busybox has are linked too.
required_applets=(sh ping nslookup nc wget sleep cat ip hostname timeout ifconfig)

say() { printf 'build-test-image: %s\n' "$*"; }
die() { printf 'build-test-image: error: %s\n' "$*" >&2; exit 1; }

rebuild=false
case "${1:-}" in
  "") ;;
  --rebuild) rebuild=true ;;
  *) echo "usage: $0 [--rebuild]" >&2; exit 2 ;;
esac

command -v docker >/dev/null 2>&1 || die "no docker client on PATH: run scripts/docker-engine.sh start"
timeout 15 docker info >/dev/null 2>&1 || die "no Docker engine answers: run scripts/docker-engine.sh start"

if docker image inspect "$image" >/dev/null 2>&1; then
  if [[ "$rebuild" == false ]]; then
    say "image $image exists; nothing to do"
    exit 0
  fi
  say "removing $image to rebuild it"
  docker image rm -f "$image" >/dev/null
fi

is_static() {
  # ldd exits non-zero ("not a dynamic executable") on a static binary.
  [[ -x "$1" ]] && ! ldd "$1" >/dev/null 2>&1
}

if ! is_static "$busybox_bin"; then
  if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null 2>&1; then
    die "$busybox_bin is missing or not static: install Debian's busybox-static"
  fi
  say "installing Debian's busybox-static"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq -o Dpkg::Use-Pty=0 busybox-static >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq -o Dpkg::Use-Pty=0 busybox-static >/dev/null
  fi
  is_static "$busybox_bin" || die "$busybox_bin is still not a static binary"
fi

# The list is read once: `busybox --list | grep -q` under pipefail fails at
# random, when grep stops reading before busybox has written it all (SIGPIPE).
applets="$("$busybox_bin" --list)"
for applet in "${required_applets[@]}"; do
  grep -qx -- "$applet" <<<"$applets" || die "$busybox_bin has no '$applet' applet"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/netguard-probe-root.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,run,var/run}
chmod 1777 "$root/tmp"
cp "$busybox_bin" "$root/bin/busybox"

# One symlink per applet, at the path busybox itself names (bin/sh, sbin/ip,
# usr/bin/nslookup, ...), all pointing at /bin/busybox.
while IFS= read -r applet_path; do
  [[ -n "$applet_path" && "$applet_path" != "bin/busybox" ]] || continue
  mkdir -p "$root/$(dirname "$applet_path")"
  ln -sf /bin/busybox "$root/$applet_path"
done < <("$busybox_bin" --list-full)

# Minimal /etc. Docker bind-mounts its own hosts, hostname and resolv.conf
# over these at run time.
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
: >"$root/etc/resolv.conf"
echo probe >"$root/etc/hostname"
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"

busybox_version="$("$busybox_bin" 2>&1 | head -n 1 || true)"
say "importing $image from $busybox_version"
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf - . |
  docker import \
    --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'LABEL netguard.test=true' \
    --change 'WORKDIR /' \
    --change "CMD [\"/bin/sh\", \"-c\", \"trap 'exit 0' TERM INT; while :; do sleep 3600 & wait \$!; done\"]" \
    --message "netguard test probe: static busybox" \
    - "$image" >/dev/null

docker run --rm "$image" sh -c 'ping 2>&1 | head -n 1 >/dev/null; nslookup 2>&1 | head -n 1 >/dev/null; echo ok' |
  grep -qx ok || die "the image $image was imported but a shell does not run in it"
say "built $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"
