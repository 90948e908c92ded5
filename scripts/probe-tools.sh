#!/usr/bin/env bash
# Install the host tools `netguard audit --probe-method host` uses (root on
# Debian): fping (one batched ICMP sweep per container), nsenter (util-linux:
# into each container's network namespace) and busybox-static (nslookup
# against Docker's embedded DNS inside that namespace). Idempotent.
set -euo pipefail

say() { printf 'probe-tools: %s\n' "$*"; }
die() { printf 'probe-tools: error: %s\n' "$*" >&2; exit 1; }

missing=()
command -v fping >/dev/null 2>&1 || missing+=(fping)
command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
{ command -v nslookup >/dev/null 2>&1 || command -v busybox >/dev/null 2>&1; } || missing+=(busybox-static)

if [[ ${#missing[@]} -eq 0 ]]; then
  say "fping, nsenter and nslookup are installed"
  exit 0
fi
if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null 2>&1; then
  die "missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]}), or probe with --probe-method exec"
fi
say "installing ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
fi
command -v fping >/dev/null 2>&1 || die "apt-get ran but fping is still not on PATH"
say "installed: $(fping --version 2>&1 | head -1)"
