#!/usr/bin/env bash
# Build (or find in the cache) a Docker Engine 29 from Go modules, and print as
# the last line the folder that holds its binaries. Used by
# `scripts/docker-engine.sh start --engine 29`; can be run on its own.
#
#   scripts/docker-engine-29-build.sh     build what is missing, print the folder
#
# The folder holds:
#   dockerd, docker-proxy              github.com/moby/moby/v2         v2.0.0-beta.25 (Docker 29.9.0)
#   containerd, containerd-shim-runc-v2 github.com/containerd/containerd/v2 v2.4.2
#   runc                               github.com/opencontainers/runc  v1.5.3 (cgo, libseccomp)
#
# No prebuilt binary is downloaded: everything is built through the Go module
# proxy from a small wrapper module (like scripts/pulumi-cli.sh does for
# Pulumi), one `go build` per binary, sharing `go env GOMODCACHE` and the Go
# build cache. A binary already in the cache is kept when it reports the
# expected version. First run on 2 cores: dockerd about 4.5 minutes (8.5
# measured while other Go builds ran), containerd, the shim and runc about 1.5
# more (under a minute right after dockerd, which shares most of containerd's
# packages in the Go build cache).
#
# Versions:
#   moby/moby/v2 v2.0.0-beta.25 is the newest version the Go module proxy
#   lists (`go list -m -versions github.com/moby/moby/v2`). moby tags every
#   Docker 29 release `docker-v29.x.y` and, on the same commit, the Go module
#   version `v2.0.0-beta.N`; the release being cut is the `next` field of the
#   module's releases/versions.yaml, here 29.9.0, which is what dockerd reports
#   (dockerversion.Version). containerd v2.4.2 is the newest v2 release the
#   proxy serves (moby asks for v2.4.1; the newer patch release satisfies it).
#   runc v1.5.3 is the newest runc release (v1.6.0-rc.1 is a release
#   candidate); containerd v2.4.2 itself is tested with runc v1.5.2.
#
# Dependencies the proxy refuses (HTTP 403 Forbidden on the .zip) at the exact
# version moby/moby/v2 v2.0.0-beta.25 requires, and what the wrapper module
# `replace`s each with (the nearest version the proxy serves):
#   github.com/moby/buildkit        v0.34.0-rc1
#     => v0.34.0, the final release of that release candidate.
#   github.com/moby/extensions      v0.0.0-20260918151408-e4c23d866037
#     => v0.0.0-20260909112015-86305e92aa39, the newest commit the proxy
#        serves (`@latest`), as pinned by moby v2.0.0-beta.24 (Docker 29.8.1).
#   github.com/moby/policy-helpers  v0.0.0-20260928152613-27d9ecfb5a76
#     => v0.0.0-20261006174519-bd98f4747414, the proxy's `@latest`, 8 days
#        newer; buildkit v0.34.0 requires that one anyway, so Go's minimal
#        version selection picks it even without this line.
#   github.com/moby/profiles/apparmor v0.2.2
#     => v0.2.2-0.20260828104831-61eaf32614c7, the commit before the v0.2.2
#        tag that moby v2.0.0-beta.24 pinned (the proxy serves v0.2.1 too).
#   github.com/moby/swarmkit/v2     v2.1.3-0.20260917205909-1fd637ba5cc3
#     => v2.1.3-0.20260828175525-ad0357aedfca, as pinned by moby
#        v2.0.0-beta.24 (the proxy lists only v2.0.0; v2.1.2 is older still).
#   Swarm mode and BuildKit are what these modules serve; neither is what
#   docker-netguard tests, and the daemon builds and runs with them.
#
# Environment:
#   NETGUARD_ENGINE29_CACHE   cache root (default: ${XDG_CACHE_HOME:-~/.cache}/docker-netguard/engine29)
#   GOFLAGS, GOPROXY, ...     passed to go as usual
set -euo pipefail

moby_version=v2.0.0-beta.25
engine_version=29.9.0
containerd_version=v2.4.2
runc_version=v1.5.3

step="start"
say() { printf 'docker-engine-29-build: %s\n' "$*" >&2; }
fail() { printf 'docker-engine-29-build: error: step "%s" failed%s\n' "$step" "${1:+: $1}" >&2; exit 1; }
trap 'fail' ERR

cache_root="${NETGUARD_ENGINE29_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/docker-netguard/engine29}"
bin_dir="$cache_root/docker-$engine_version/bin"
work="$cache_root/docker-$engine_version/module"

# The version each binary prints (on one line), to tell a finished build from a
# missing or older one.
version_of() {
  case "$1" in
    dockerd) "$bin_dir/dockerd" --version 2>/dev/null ;;
    docker-proxy) "$bin_dir/docker-proxy" --version 2>/dev/null ;;
    containerd) "$bin_dir/containerd" --version 2>/dev/null ;;
    containerd-shim-runc-v2) "$bin_dir/containerd-shim-runc-v2" -v 2>/dev/null ;;
    runc) "$bin_dir/runc" --version 2>/dev/null ;;
  esac | tr -s '\n\t ' '   ' || true
}
expected_in_version() {
  case "$1" in
    dockerd) echo "version $engine_version," ;;
    docker-proxy) echo "version $engine_version" ;;
    containerd | containerd-shim-runc-v2) echo " $containerd_version" ;;
    runc) echo "runc version ${runc_version#v}" ;;
  esac
}
is_built() {
  [[ -x "$bin_dir/$1" ]] || return 1
  [[ "$(version_of "$1")" == *"$(expected_in_version "$1")"* ]]
}

binaries=(dockerd docker-proxy containerd containerd-shim-runc-v2 runc)
missing=()
for b in "${binaries[@]}"; do
  is_built "$b" || missing+=("$b")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  say "cached: docker $engine_version (moby $moby_version), containerd $containerd_version, runc $runc_version in $bin_dir"
  echo "$bin_dir"
  exit 0
fi
say "to build: ${missing[*]} (cache: $bin_dir)"

step="find the Go toolchain"
command -v go >/dev/null 2>&1 || fail "go is not on PATH"

needs_cgo=false
for b in "${missing[@]}"; do [[ "$b" == runc ]] && needs_cgo=true; done
if [[ "$needs_cgo" == true ]]; then
  step="install libseccomp-dev (runc is built with cgo and seccomp)"
  if ! pkg-config --exists libseccomp 2>/dev/null; then
    if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null 2>&1; then
      fail "libseccomp development files are missing: install them (Debian: apt-get install libseccomp-dev pkg-config gcc)"
    fi
    say "installing Debian's libseccomp-dev (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq -o Dpkg::Use-Pty=0 libseccomp-dev pkg-config gcc >/dev/null 2>&1; then
      apt-get update -qq
      apt-get install -y -qq -o Dpkg::Use-Pty=0 libseccomp-dev pkg-config gcc >/dev/null
    fi
    pkg-config --exists libseccomp || fail "apt-get installed libseccomp-dev but pkg-config does not find libseccomp"
  fi
fi

step="write the wrapper module"
mkdir -p "$work" "$bin_dir"
cat >"$work/go.mod" <<EOF
module netguard.local/docker-engine-29

go 1.26.8

require (
	github.com/containerd/containerd/v2 $containerd_version
	github.com/moby/moby/v2 $moby_version
	github.com/opencontainers/runc $runc_version
)

// The Go module proxy refuses (403) these exact versions that
// github.com/moby/moby/v2 $moby_version requires; see
// scripts/docker-engine-29-build.sh for why each replacement.
replace (
	github.com/moby/buildkit v0.34.0-rc1 => github.com/moby/buildkit v0.34.0
	github.com/moby/extensions v0.0.0-20260918151408-e4c23d866037 => github.com/moby/extensions v0.0.0-20260909112015-86305e92aa39
	github.com/moby/policy-helpers v0.0.0-20260928152613-27d9ecfb5a76 => github.com/moby/policy-helpers v0.0.0-20261006174519-bd98f4747414
	github.com/moby/profiles/apparmor v0.2.2 => github.com/moby/profiles/apparmor v0.2.2-0.20260828104831-61eaf32614c7
	github.com/moby/swarmkit/v2 v2.1.3-0.20260917205909-1fd637ba5cc3 => github.com/moby/swarmkit/v2 v2.1.3-0.20260828175525-ad0357aedfca
)
EOF
cat >"$work/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "github.com/containerd/containerd/v2/cmd/containerd"
	_ "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2"
	_ "github.com/moby/moby/v2/cmd/docker-proxy"
	_ "github.com/moby/moby/v2/cmd/dockerd"
	_ "github.com/opencontainers/runc"
)
EOF

step="resolve moby/moby/v2@$moby_version, containerd/v2@$containerd_version and runc@$runc_version through the Go module proxy"
say "resolving the modules and their dependencies (first run: a minute or two)"
(cd "$work" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>"$work/tidy.log") \
  || fail "$(grep -m 5 -E '403|error|Forbidden|cannot' "$work/tidy.log" || tail -5 "$work/tidy.log")"

# build <binary> <package> <CGO_ENABLED> <tags> <ldflags>
build() {
  local name="$1" pkg="$2" cgo="$3" tags="$4" ldflags="$5" started=$SECONDS
  step="build $name from $pkg"
  say "building $name ($pkg; log: $work/build-$name.log)"
  (cd "$work" && CGO_ENABLED="$cgo" go build -trimpath -tags "$tags" -ldflags "$ldflags" \
     -o "$bin_dir/$name.new" "$pkg" 2>"$work/build-$name.log") \
    || fail "$(tail -20 "$work/build-$name.log")"
  mv "$bin_dir/$name.new" "$bin_dir/$name"
  say "built $name in $((SECONDS - started))s"
}

moby_x="-X github.com/moby/moby/v2/dockerversion"
build_time="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
containerd_x="-X github.com/containerd/containerd/v2/version"
for b in "${missing[@]}"; do
  case "$b" in
    # As moby's hack/make.sh builds a static dockerd (cgo off here: no
    # journald log driver, which these tests do not use).
    dockerd)
      build dockerd github.com/moby/moby/v2/cmd/dockerd 0 "netgo osusergo static_build nri_no_wasm" \
        "-s -w $moby_x.Version=$engine_version $moby_x.GitCommit=$moby_version $moby_x.BuildTime=$build_time -X 'github.com/moby/moby/v2/dockerversion.PlatformName=Docker Engine - netguard build'" ;;
    docker-proxy)
      build docker-proxy github.com/moby/moby/v2/cmd/docker-proxy 0 "netgo osusergo" \
        "-s -w $moby_x.Version=$engine_version $moby_x.GitCommit=$moby_version" ;;
    containerd)
      build containerd github.com/containerd/containerd/v2/cmd/containerd 0 "no_btrfs" \
        "-s -w $containerd_x.Version=$containerd_version $containerd_x.Revision=$containerd_version" ;;
    containerd-shim-runc-v2)
      build containerd-shim-runc-v2 github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 0 "" \
        "-s -w $containerd_x.Version=$containerd_version $containerd_x.Revision=$containerd_version" ;;
    # runc's Makefile builds with "seccomp urfave_cli_no_docs libpathrs";
    # libpathrs (a Rust library) is left out: runc then uses its Go
    # pathrs-lite implementation.
    runc)
      build runc github.com/opencontainers/runc 1 "seccomp urfave_cli_no_docs" \
        "-s -w -X main.gitCommit=$runc_version" ;;
  esac
done

step="check the built binaries"
for b in "${binaries[@]}"; do
  is_built "$b" || fail "$bin_dir/$b says '$(version_of "$b")', expected '$(expected_in_version "$b")'"
done
say "built docker $engine_version (moby $moby_version), containerd $containerd_version, runc $runc_version in $bin_dir"
echo "$bin_dir"
