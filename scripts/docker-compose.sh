#!/usr/bin/env bash
# Build (or find in the cache) the Docker Compose CLI plugin, and print as the
# last line of stdout the path of the plugin binary `docker-compose`.
#
#   scripts/docker-compose.sh            build if missing, print the binary's path
#   scripts/docker-compose.sh build      the same
#   scripts/docker-compose.sh install    build if missing, then copy the binary to
#                                        $DOCKER_CONFIG/cli-plugins/docker-compose
#                                        (default ~/.docker/cli-plugins), so that
#                                        `docker compose ...` works; print that path
#
# Tests can either run `scripts/docker-compose.sh install` once and then call
# `docker compose`, or run the printed binary directly (a CLI plugin also runs
# standalone: `"$(scripts/docker-compose.sh | tail -n 1)" version`).
#
# No prebuilt binary is downloaded: Compose is the Go module
# github.com/docker/compose/v5 (main package ./cmd), built through the Go
# module proxy in a small wrapper module. Compose's go.mod has no `replace`
# lines, only `exclude` lines, which Go ignores outside that module; the
# wrapper mirrors them so that the module graph is the one Compose is built
# and tested with.
#
# Version: the newest version the proxy lists whose `go` line the local Go
# toolchain satisfies (or a build of a newer one already in the cache). Newer
# Compose releases may require a newer Go than the local one (v5.7.0 and v5.7.1
# need go >= 1.26.10, v5.7.2 go >= 1.26.11): such versions are skipped, with a
# note on stderr. This script does not fetch a Go toolchain by itself; to build
# such a version anyway, pin it with NETGUARD_COMPOSE_VERSION and allow Go to
# switch toolchains (GOTOOLCHAIN=auto; with GOTOOLCHAIN=local, as in this
# machine's GOROOT/go.env, a pinned version that needs a newer Go fails with a
# clear message).
#
# Environment:
#   NETGUARD_COMPOSE_VERSION  build this version (e.g. v5.6.0) instead of the newest buildable
#   NETGUARD_COMPOSE_CACHE    cache root (default: ${XDG_CACHE_HOME:-~/.cache}/docker-netguard/docker-compose)
#   DOCKER_CONFIG             docker CLI config dir for `install` (default: ~/.docker)
#   GOFLAGS, GOPROXY, ...     passed to go as usual
set -euo pipefail

module="github.com/docker/compose/v5"
step="start"
say() { printf 'docker-compose: %s\n' "$*" >&2; }
fail() { printf 'docker-compose: error: step "%s" failed%s\n' "$step" "${1:+: $1}" >&2; exit 1; }
trap 'fail' ERR

usage() {
  echo "usage: $0 [build|install]" >&2
  exit 2
}

verb="${1:-build}"
[[ $# -le 1 ]] || usage
case "$verb" in
  build | install) ;;
  *) usage ;;
esac

cache_root="${NETGUARD_COMPOSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/docker-netguard/docker-compose}"
mkdir -p "$cache_root"

step="find the Go toolchain"
command -v go >/dev/null 2>&1 || fail "go is not on PATH"
go_version="$(go env GOVERSION)" || fail "go env GOVERSION"
go_version="${go_version#go}"

# True when Go version $1 <= $2 (both like 1.26.8).
go_le() { [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" == "$1" ]]; }

# `go list -m` on a module@version, run outside any module so that the
# caller's folder does not matter.
go_list_m() { (cd "$cache_root" && go list -m "$@"); }

# The `go` line of the go.mod of module version $1 (fetched from the proxy
# into the module cache). `go list -m -f {{.GoVersion}}` is only filled in for
# queries like @latest, so the file is read.
go_line_of() {
  local mod
  mod="$(go_list_m -f '{{.GoMod}}' "$module@$1" 2>/dev/null)" && [[ -f "$mod" ]] || return 1
  awk '$1 == "go" { print $2; found = 1; exit } END { exit !found }' "$mod"
}

# The newest cached build, used when the proxy cannot be asked.
newest_cached() {
  local dir
  for dir in "$cache_root"/v*/; do
    if [[ -x "$dir/bin/docker-compose" ]]; then basename "$dir"; fi
  done | sort -rV | head -n 1 | grep .
}

if [[ -n "${NETGUARD_COMPOSE_VERSION:-}" ]]; then
  version="v${NETGUARD_COMPOSE_VERSION#v}"
else
  step="list the versions of $module on the Go module proxy"
  list_err="$cache_root/list.err.$$"
  if versions="$(go_list_m -versions "$module" 2>"$list_err")"; then
    version=""
    skipped=()
    # go list prints the versions oldest first: try them newest first.
    for candidate in $(echo "$versions" | tr ' ' '\n' | tail -n +2 | sort -rV); do
      if [[ -x "$cache_root/$candidate/bin/docker-compose" ]]; then
        version="$candidate"
        break
      fi
      need="$(go_line_of "$candidate")" || fail "cannot read the go.mod of $module@$candidate"
      if go_le "$need" "$go_version"; then
        version="$candidate"
        break
      fi
      skipped+=("$candidate (go $need)")
    done
    [[ -n "$version" ]] || fail "no version of $module builds with go $go_version"
    if ((${#skipped[@]})); then
      say "skipping versions that need a newer Go than $go_version: ${skipped[*]}"
    fi
  elif version="$(newest_cached)"; then
    say "the proxy did not answer ($(tail -n 1 "$list_err")); using the cached $version"
  else
    fail "$(tail -n 3 "$list_err"; rm -f "$list_err")"
  fi
  rm -f "$list_err"
fi

bin_dir="$cache_root/$version/bin"
work="$cache_root/$version/module"
binary="$bin_dir/docker-compose"

# `docker-compose version --short` prints the version without the leading v.
built_version() { "$binary" version --short 2>/dev/null || true; }

install_plugin() {
  step="install the plugin into the docker CLI's plugin folder"
  local plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
  local target="$plugin_dir/docker-compose"
  mkdir -p "$plugin_dir"
  if [[ -e "$target" ]] && cmp -s "$binary" "$target"; then
    say "installed already: $target"
  else
    if [[ -e "$target" || -L "$target" ]]; then
      say "replacing $target ($("$target" version --short 2>/dev/null || echo "version unknown"))"
    fi
    # Copied, not linked, so that clearing the cache does not break the docker CLI;
    # through a temporary name, so that a concurrent `docker compose` never sees half a file.
    cp "$binary" "$target.new.$$"
    chmod 0755 "$target.new.$$"
    mv -f "$target.new.$$" "$target"
    say "installed $target (Docker Compose ${version})"
  fi
  echo "$target"
}

if [[ -x "$binary" && "$(built_version)" == "${version#v}" ]]; then
  say "cached: docker compose $version"
  if [[ "$verb" == install ]]; then install_plugin; else echo "$binary"; fi
  exit 0
fi

step="read the go.mod of $module@$version"
need="$(go_line_of "$version")" || fail "the Go module proxy does not serve $module@$version"
if ! go_le "$need" "$go_version" && [[ "$(go env GOTOOLCHAIN)" == local ]]; then
  fail "$module@$version requires go >= $need, this is go $go_version with GOTOOLCHAIN=local (unset NETGUARD_COMPOSE_VERSION to build the newest version this Go can build)"
fi

step="write the wrapper module"
mkdir -p "$work" "$bin_dir"
cat >"$work/go.mod" <<EOF
module netguard.local/docker-compose

go $need

require $module $version

// Mirrors the exclude lines of compose's own go.mod (as of v5.6.0 and v5.7.2),
// which Go ignores outside that module. Compose has no replace lines.
exclude (
	github.com/davecgh/go-spew v1.1.2-0.20180830191138-d8f796af33cc
	github.com/pmezard/go-difflib v1.0.1-0.20181226105442-5d4384ee4fb2
)
EOF
cat >"$work/tools.go" <<EOF
//go:build tools

package tools

import _ "$module/cmd"
EOF

step="resolve $module@$version through the Go module proxy"
say "resolving $module@$version and its dependencies (first run: a minute or two)"
(cd "$work" && GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>"$work/tidy.log") \
  || fail "$(tail -5 "$work/tidy.log")"
# tidy -e keeps going past modules it cannot fetch (a 403 from the proxy, say):
# report that here rather than as a confusing build error later.
if grep -v '^go: downloading ' "$work/tidy.log" | grep -q .; then
  fail "$(grep -v '^go: downloading ' "$work/tidy.log" | tail -5)"
fi

step="build $module/cmd"
say "building docker compose $version (first run: several minutes on 2 cores; log: $work/build.log)"
started=$SECONDS
# As compose's Makefile and Dockerfile do for a release: static (CGO_ENABLED=0),
# -trimpath, the version in internal.Version (with the leading v, as released).
(cd "$work" && CGO_ENABLED=0 go build -trimpath \
   -ldflags "-s -w -X $module/internal.Version=$version" \
   -o "$binary.new" "$module/cmd" 2>"$work/build.log") \
  || fail "$(tail -20 "$work/build.log")"
mv "$binary.new" "$binary"

step="check the built plugin"
got="$(built_version)"
[[ "$got" == "${version#v}" ]] || fail "the built docker-compose says '$got', expected ${version#v}"
say "built docker compose $version in $((SECONDS - started))s: $binary"
if [[ "$verb" == install ]]; then install_plugin; else echo "$binary"; fi
