#!/usr/bin/env bash
# Build (or find in the cache) the Pulumi CLI at the version of @pulumi/pulumi
# in package-lock.json, with what it needs to run a Node.js policy pack, and
# print as the last line the folder that holds `pulumi`.
#
#   scripts/pulumi-cli.sh            build if missing, print the folder
#
# No prebuilt binary is downloaded: the CLI is the Go module
# github.com/pulumi/pulumi/pkg/v3, built through the Go module proxy. Its
# go.mod has `replace` lines (sdk/v3 => ../sdk, a clipboard fork) that only
# apply inside pulumi's own repository, so a small wrapper module mirrors them.
#
# The Node.js language host (pulumi-language-nodejs) is not published as a Go
# module. Without a language plugin the CLI starts a Node.js policy pack
# through the analyzer plugin `pulumi-analyzer-policy-nodejs`, run in the
# pack's folder with (engine address, "."): this script installs that
# launcher, which hands over to the pack's own @pulumi/pulumi/cmd/run-policy-pack.
#
# Environment:
#   NETGUARD_PULUMI_CACHE   cache root (default: ${XDG_CACHE_HOME:-~/.cache}/docker-netguard/pulumi-cli)
#   GOFLAGS, GOPROXY, ...   passed to go as usual
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
step="start"
say() { printf 'pulumi-cli: %s\n' "$*" >&2; }
fail() { printf 'pulumi-cli: error: step "%s" failed%s\n' "$step" "${1:+: $1}" >&2; exit 1; }
trap 'fail' ERR

step="read the @pulumi/pulumi version from package-lock.json"
version="$(node -e '
  const lock = require(process.argv[1]);
  const entry = lock.packages && lock.packages["node_modules/@pulumi/pulumi"];
  if (!entry || !entry.version) process.exit(3);
  process.stdout.write(entry.version);
' "$root/package-lock.json")" || fail "no node_modules/@pulumi/pulumi entry in $root/package-lock.json"

cache_root="${NETGUARD_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/docker-netguard/pulumi-cli}"
bin_dir="$cache_root/v$version/bin"
work="$cache_root/v$version/module"

# Tiny, so written on every run; the CLI itself only when missing.
install_launcher() {
  step="install the Node.js policy pack launcher"
  mkdir -p "$bin_dir"
  cat >"$bin_dir/pulumi-analyzer-policy-nodejs" <<'LAUNCHER'
#!/bin/sh
# Started by the Pulumi CLI in the policy pack's folder as: <engine address> . [-option=value]...
# Runs the pack with the @pulumi/pulumi that the pack itself depends on.
run="$(node -p 'require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [process.cwd()] })')" || {
  echo "pulumi-analyzer-policy-nodejs: @pulumi/pulumi is not installed for the policy pack in $PWD (run npm install there)" >&2
  exit 1
}
exec node "$run" "$@"
LAUNCHER
  chmod +x "$bin_dir/pulumi-analyzer-policy-nodejs"
}

built_version() { "$bin_dir/pulumi" version 2>/dev/null || true; }

if [[ -x "$bin_dir/pulumi" && "$(built_version)" == "v$version" ]]; then
  install_launcher
  say "cached: pulumi v$version"
  echo "$bin_dir"
  exit 0
fi

step="find the Go toolchain"
command -v go >/dev/null 2>&1 || fail "go is not on PATH"

step="write the wrapper module"
mkdir -p "$work" "$bin_dir"
cat >"$work/go.mod" <<EOF
module netguard.local/pulumi-cli

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$version
	github.com/pulumi/pulumi/sdk/v3 v$version
)

// Mirrors pkg/v3's own replace line, which Go ignores outside that module.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
cat >"$work/tools.go" <<'EOF'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF

step="resolve github.com/pulumi/pulumi/pkg/v3@v$version through the Go module proxy"
say "resolving pkg/v3@v$version and its dependencies (first run: a few minutes)"
(cd "$work" && GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>"$work/tidy.log") \
  || fail "$(tail -5 "$work/tidy.log")"

step="build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
say "building pulumi v$version (first run: about 15 minutes on 2 cores; log: $work/build.log)"
(cd "$work" && go build -trimpath \
   -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
   -o "$bin_dir/pulumi.new" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi 2>"$work/build.log") \
  || fail "$(tail -20 "$work/build.log")"
mv "$bin_dir/pulumi.new" "$bin_dir/pulumi"

install_launcher

step="check the built CLI"
got="$(built_version)"
[[ "$got" == "v$version" ]] || fail "built pulumi says '$got', expected v$version"
say "built pulumi $got in $bin_dir"
echo "$bin_dir"
