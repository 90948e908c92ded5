#!/usr/bin/env bash
# A Docker Engine 29 beside the system engine, in namespaces of its own.
# Called by scripts/docker-engine.sh for `--engine 29`; see there for usage:
#
#   scripts/docker-engine.sh start  --engine 29   build once (cached) and start;
#                                                 the last line on stdout is DOCKER_HOST
#   scripts/docker-engine.sh stop   --engine 29   stop it, remove what start made
#   scripts/docker-engine.sh status --engine 29   say whether it answers (exit 1 if not)
#   scripts/docker-engine.sh exec   --engine 29 -- CMD...
#                                                 run CMD in its network namespace,
#                                                 with DOCKER_HOST set to it
#
# The binaries come from scripts/docker-engine-29-build.sh (Go modules, built
# once into ${NETGUARD_ENGINE29_CACHE:-${XDG_CACHE_HOME:-~/.cache}/docker-netguard/engine29}).
#
# Layout (root only):
#   network namespace  netguard-e29 (`ip netns add`): only `lo`, up, and
#                      net.ipv4.ip_forward=0 as on a fresh host before dockerd
#                      starts. dockerd's bridges and iptables rules live there;
#                      nothing in it is routed to or from the host.
#   mount + UTS ns     `unshare --mount --uts` (private propagation), holding
#                      containerd, dockerd, the shims and their mounts: a sysfs
#                      of the new network namespace on /sys (the cgroup mounts
#                      kept), a tmpfs on /run (so /run/containerd/s shim
#                      sockets, /run/xtables.lock, the D-Bus socket of the host
#                      are not shared), with the run folder bound back in.
#   run folder         /run/netguard-e29: docker.sock (reachable from the root
#                      mount namespace), containerd/ (socket and state),
#                      docker/ (dockerd --exec-root), pid files, logs, configs
#   data folder        /var/lib/netguard-e29: docker/ (--data-root) and
#                      containerd/ (containerd root; the containerd image store,
#                      Engine 29's default, keeps images here)
#   cgroups            --cgroup-parent /netguard-e29 (cgroupfs driver)
# The system engine, its docker0 bridge and the root namespace's firewall are
# not touched; dockerd reads its own --config-file, not /etc/docker/daemon.json.
#
# Environment:
#   NETGUARD_ENGINE29_NETNS          namespace name, also the default folder names
#                                    (default: netguard-e29)
#   NETGUARD_ENGINE29_RUN_DIR        run folder (default: /run/<netns>)
#   NETGUARD_ENGINE29_DATA_DIR       data folder (default: /var/lib/<netns>)
#   NETGUARD_ENGINE29_KEEP_DATA      1: `stop` keeps the data folder (images)
#   NETGUARD_ENGINE29_START_TIMEOUT  seconds to wait for dockerd (default: 120)
#   NETGUARD_ENGINE29_CACHE          cache of the built binaries (see the build script)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
ns="${NETGUARD_ENGINE29_NETNS:-netguard-e29}"
run_dir="$(realpath -m "${NETGUARD_ENGINE29_RUN_DIR:-/run/$ns}")"
data_dir="$(realpath -m "${NETGUARD_ENGINE29_DATA_DIR:-/var/lib/$ns}")"
start_timeout="${NETGUARD_ENGINE29_START_TIMEOUT:-120}"
netns_path="/run/netns/$ns"
socket="$run_dir/docker.sock"
docker_host="unix://$socket"
anchor_pid_file="$run_dir/namespace.pid"
containerd_pid_file="$run_dir/containerd.pid"
dockerd_pid_file="$run_dir/dockerd.pid"
cgroup_parent="/$ns"

step="start"
say() { printf 'docker-engine: %s\n' "$*" >&2; }
die() { printf 'docker-engine: error: step "%s" failed: %s\n' "$step" "$*" >&2; exit 1; }
# Any other failing command (set -e) names the step too; -E: also in functions.
set -E
trap 'die "command failed (exit status $?)"' ERR

docker_client() {
  command -v docker >/dev/null 2>&1 || die "no docker client on PATH (Debian: apt-get install docker.io, or any docker CLI)"
  env -u DOCKER_CONTEXT DOCKER_HOST="$docker_host" timeout 15 docker "$@"
}

engine_answers() {
  [[ -S "$socket" ]] || return 1
  command -v docker >/dev/null 2>&1 || return 1
  env -u DOCKER_CONTEXT DOCKER_HOST="$docker_host" timeout 15 docker info >/dev/null 2>&1
}

engine_description() {
  docker_client version --format \
    'engine {{.Server.Version}} (API {{.Server.APIVersion}}, min {{.Server.MinAPIVersion}}), client {{.Client.Version}} (API {{.Client.APIVersion}})' \
    2>/dev/null || echo "engine (version unknown)"
}

# Pid from a pid file if that process still runs as <comm>; empty otherwise.
running_pid() {
  local file="$1" comm="$2" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if [[ -r "/proc/$pid/comm" ]] && [[ "$(cat "/proc/$pid/comm")" == "$comm" ]]; then
    echo "$pid"
  fi
}
anchor_pid() { running_pid "$anchor_pid_file" sh; }
containerd_pid() { running_pid "$containerd_pid_file" containerd; }
dockerd_pid() { running_pid "$dockerd_pid_file" dockerd; }

need_root() {
  [[ "$(id -u)" == "0" ]] || die "Engine 29 runs in namespaces of its own: run this as root"
}

# dockerd manages its firewall with the iptables and ip6tables commands.
install_iptables_if_missing() {
  command -v iptables >/dev/null 2>&1 && command -v ip6tables >/dev/null 2>&1 && return 0
  if [[ ! -f /etc/debian_version ]] || ! command -v apt-get >/dev/null 2>&1; then
    die "iptables is not installed and this is not Debian: install iptables"
  fi
  say "iptables not installed: installing Debian's iptables (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq -o Dpkg::Use-Pty=0 iptables >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq -o Dpkg::Use-Pty=0 iptables >/dev/null
  fi
  command -v iptables >/dev/null 2>&1 || die "apt-get installed iptables but it is not on PATH"
}

show_log() {
  local file="$1"
  [[ -s "$file" ]] || return 0
  echo "---- last lines of $file ----" >&2
  tail -n 30 "$file" >&2 || true
}

# Kill a process we started: SIGTERM, then SIGKILL after <seconds>.
# shellcheck source=lib/stop-pid.sh
. "$(dirname "$0")/lib/stop-pid.sh"

# Processes left in our namespace (shims) or in our containers' cgroups.
leftover_pids() {
  local ns_id="" pid
  [[ -e "$netns_path" ]] && ns_id="net:[$(stat -L -c %i "$netns_path")]"
  for pid in /proc/[0-9]*; do
    pid="${pid#/proc/}"
    if [[ -n "$ns_id" && "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" == "$ns_id" ]]; then
      echo "$pid"
    fi
  done
  cat /sys/fs/cgroup/pids"$cgroup_parent"/*/cgroup.procs /sys/fs/cgroup/unified"$cgroup_parent"/*/cgroup.procs \
    /sys/fs/cgroup"$cgroup_parent"/*/cgroup.procs 2>/dev/null || true
}

# The script run as the namespace's first process (pid in namespace.pid):
# prepares the mount namespace, starts containerd and then dockerd, waits for
# dockerd and then stops containerd. Values come from the environment.
inside_script() {
  cat <<'INSIDE'
set -eu
step() { echo "netguard-e29 step: $*"; }
fail() { echo "netguard-e29 error: $*"; exit 1; }
step "set the hostname"
hostname "$E29_NS"

step "mount a sysfs of this network namespace on /sys, keeping the cgroup mounts"
mkdir -p "$E29_RUN/.cgroup"
mount --rbind /sys/fs/cgroup "$E29_RUN/.cgroup"
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount --move "$E29_RUN/.cgroup" /sys/fs/cgroup
rmdir "$E29_RUN/.cgroup" 2>/dev/null || true

step "mount a tmpfs of its own on /run, with $E29_RUN bound back in"
mkdir -p "$E29_DATA/.run"
mount --bind "$E29_RUN" "$E29_DATA/.run"
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
mkdir -p "$E29_RUN"
mount --move "$E29_DATA/.run" "$E29_RUN"
rmdir "$E29_DATA/.run" 2>/dev/null || true

step "start containerd"
export PATH="$E29_BIN:$PATH"
containerd --config "$E29_RUN/containerd.toml" >>"$E29_RUN/containerd.log" 2>&1 &
echo $! >"$E29_RUN/containerd.pid"
waited=0
until [ -S "$E29_RUN/containerd/containerd.sock" ]; do
  kill -0 "$(cat "$E29_RUN/containerd.pid")" 2>/dev/null || fail "containerd exited (see $E29_RUN/containerd.log)"
  [ "$waited" -lt 300 ] || fail "containerd made no socket within 30s"
  sleep 0.1
  waited=$((waited + 1))
done

step "start dockerd"
dockerd \
  --config-file "$E29_RUN/daemon.json" \
  --host "unix://$E29_RUN/docker.sock" \
  --containerd "$E29_RUN/containerd/containerd.sock" \
  --data-root "$E29_DATA/docker" \
  --exec-root "$E29_RUN/docker" \
  --pidfile "$E29_RUN/dockerd.pid" \
  --cgroup-parent "$E29_CGROUP_PARENT" \
  --exec-opt native.cgroupdriver=cgroupfs \
  --userland-proxy-path "$E29_BIN/docker-proxy" \
  >>"$E29_RUN/dockerd.log" 2>&1 &
dockerd_pid=$!
step "running (containerd pid $(cat "$E29_RUN/containerd.pid"), dockerd pid $dockerd_pid)"
rc=0
wait "$dockerd_pid" || rc=$?
echo "netguard-e29: dockerd exited (status $rc); stopping containerd"
kill -TERM "$(cat "$E29_RUN/containerd.pid")" 2>/dev/null || true
wait || true
INSIDE
}

write_configs() {
  cat >"$run_dir/containerd.toml" <<EOF
# containerd of the netguard Engine 29 (scripts/docker-engine-29.sh)
version = 3
root = "$data_dir/containerd"
state = "$run_dir/containerd"
# Kubernetes' CRI and NRI are not needed by dockerd; NRI would listen on
# /var/run/nri/nri.sock.
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.runtime", "io.containerd.cri.v1.images", "io.containerd.nri.v1.nri"]

[grpc]
  address = "$run_dir/containerd/containerd.sock"

[ttrpc]
  address = "$run_dir/containerd/containerd.sock.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$data_dir/containerd-opt"
EOF
  # Engine defaults, on purpose: the containerd image store, iptables, IPv4
  # forwarding turned on by dockerd itself.
  echo '{}' >"$run_dir/daemon.json"
}

start_engine() {
  need_root
  step="check for a running Engine 29"
  if engine_answers; then
    say "Engine 29 already answers at $docker_host: $(engine_description)"
    echo "$docker_host"
    return 0
  fi
  local stale
  stale="$(anchor_pid)"
  [[ -z "$stale" ]] || die "its namespace process (pid $stale) runs but dockerd does not answer; see $run_dir/dockerd.log or run 'scripts/docker-engine.sh stop --engine 29'"
  if [[ -e "$netns_path" || -d "$run_dir" ]]; then
    say "clearing what an earlier Engine 29 left"
    stop_engine >/dev/null
  fi

  step="find ip, unshare, nsenter"
  local tool
  for tool in ip unshare nsenter mount hostname; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (Debian: iproute2, util-linux, mount)"
  done
  step="install iptables"
  install_iptables_if_missing
  step="find a docker client"
  command -v docker >/dev/null 2>&1 || die "no docker client on PATH (Debian: apt-get install docker.io)"

  step="build or find Engine 29 (scripts/docker-engine-29-build.sh)"
  local bin_dir
  bin_dir="$("$here/docker-engine-29-build.sh" | tail -n 1)" || die "the build failed (see its messages above)"
  [[ -x "$bin_dir/dockerd" ]] || die "the build printed '$bin_dir', which holds no dockerd"

  step="create $run_dir and $data_dir"
  mkdir -p "$run_dir" "$data_dir"
  step="create the network namespace $ns"
  ip netns add "$ns" || die "ip netns add $ns"
  ip -n "$ns" link set lo up || die "ip -n $ns link set lo up"
  # As on a fresh host; dockerd turns it on in this namespace when it creates bridges.
  nsenter --net="$netns_path" sysctl -q -w net.ipv4.ip_forward=0 || die "set net.ipv4.ip_forward=0 in $ns"

  step="write containerd.toml and daemon.json in $run_dir"
  write_configs

  step="start containerd and dockerd in the namespaces"
  say "starting Engine 29 in network namespace $ns (logs: $run_dir/{namespace,containerd,dockerd}.log)"
  local started_at=$SECONDS
  # setsid, as for the system engine: its own session. nsenter and unshare
  # exec in place (no --fork), so $! is the namespace's shell.
  E29_NS="$ns" E29_RUN="$run_dir" E29_DATA="$data_dir" E29_BIN="$bin_dir" E29_CGROUP_PARENT="$cgroup_parent" \
    setsid nsenter --net="$netns_path" unshare --mount --uts --propagation private \
    sh -c "$(inside_script)" </dev/null >>"$run_dir/namespace.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$anchor_pid_file"

  step="wait for Engine 29 to answer at $docker_host"
  local waited=0
  while ! engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log "$run_dir/namespace.log"
      show_log "$run_dir/containerd.log"
      show_log "$run_dir/dockerd.log"
      step="$(sed -n 's/^netguard-e29 step: //p' "$run_dir/namespace.log" | tail -n 1)"
      die "$(sed -n 's/^netguard-e29 error: //p' "$run_dir/namespace.log" | tail -n 1)${step:+ (}the namespace's process (pid $pid) exited before dockerd answered${step:+)}; run 'scripts/docker-engine.sh stop --engine 29' to clean up"
    fi
    if ((waited >= start_timeout)); then
      show_log "$run_dir/dockerd.log"
      die "dockerd did not answer within ${start_timeout}s; it is left running, stop it with 'scripts/docker-engine.sh stop --engine 29'"
    fi
    if ((waited > 0 && waited % 5 == 0)); then
      say "waiting for Engine 29... ${waited}s"
    fi
    sleep 1
    waited=$((waited + 1))
  done

  step="check that the docker client negotiates with Engine 29"
  docker_client ps >/dev/null 2>"$run_dir/docker-ps.err" \
    || { cat "$run_dir/docker-ps.err" >&2; die "dockerd answers 'docker info' but 'docker ps' fails with the client $(command -v docker)"; }
  say "Engine 29 answers at $docker_host after $((SECONDS - started_at))s: $(engine_description)"
  echo "$docker_host"
}

stop_engine() {
  need_root
  step="stop Engine 29"
  stop_pid "$(dockerd_pid)" dockerd 60
  stop_pid "$(containerd_pid)" containerd 20
  local pid left
  left="$(leftover_pids | sort -un | tr '\n' ' ')"
  if [[ -n "${left// /}" ]]; then
    say "killing what is left in its namespace and cgroups: $left"
    for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 1
  fi
  stop_pid "$(anchor_pid)" "its namespace process" 10

  step="remove the network namespace $ns"
  if [[ -e "$netns_path" ]]; then
    ip netns delete "$ns" || die "ip netns delete $ns"
    say "removed network namespace $ns"
  fi
  step="remove its cgroups"
  local dir
  for dir in /sys/fs/cgroup/*"$cgroup_parent" /sys/fs/cgroup"$cgroup_parent"; do
    [[ -d "$dir" ]] || continue
    find "$dir" -depth -mindepth 1 -type d -exec rmdir {} \; 2>/dev/null || true
    rmdir "$dir" 2>/dev/null || say "could not remove $dir"
  done
  step="remove $run_dir and $data_dir"
  # Mounts made by the engine lived in its mount namespace, which is gone;
  # do not remove a folder that something in this namespace mounts over.
  if grep -qF -e " $run_dir" -e " $data_dir" /proc/self/mountinfo; then
    die "something is still mounted under $run_dir or $data_dir (see /proc/self/mountinfo); not removing them"
  fi
  # Only what start makes, by name: the folders may be set to shared places.
  if [[ -d "$run_dir" ]]; then
    rm -rf "${run_dir:?}/docker" "${run_dir:?}/containerd"
    rm -f "$run_dir"/{containerd.toml,daemon.json,namespace.log,containerd.log,dockerd.log} \
      "$run_dir"/{namespace.pid,containerd.pid,dockerd.pid,docker.sock,docker-ps.err}
    rmdir "$run_dir/.cgroup" 2>/dev/null || true
    rmdir "$run_dir" 2>/dev/null || say "left $run_dir: it holds files this script did not make"
  fi
  if [[ "${NETGUARD_ENGINE29_KEEP_DATA:-}" == 1 ]]; then
    say "kept $data_dir (NETGUARD_ENGINE29_KEEP_DATA=1)"
  elif [[ -d "$data_dir" ]]; then
    rm -rf "${data_dir:?}/docker" "${data_dir:?}/containerd" "${data_dir:?}/containerd-opt"
    rmdir "$data_dir/.run" 2>/dev/null || true
    rmdir "$data_dir" 2>/dev/null || say "left $data_dir: it holds files this script did not make"
  fi
  say "Engine 29 stopped; cached binaries kept"
}

status_engine() {
  if engine_answers; then
    say "Engine 29 answers at $docker_host: $(engine_description)"
    echo "$docker_host"
    return 0
  fi
  local pid
  pid="$(anchor_pid)"
  if [[ -n "$pid" ]]; then
    say "Engine 29's namespace process (pid $pid) runs but dockerd does not answer at $docker_host; see $run_dir/dockerd.log"
  else
    say "Engine 29 does not answer at $docker_host"
  fi
  return 1
}

exec_in_engine() {
  need_root
  step="enter the network namespace $ns"
  [[ $# -gt 0 ]] || die "no command given (usage: scripts/docker-engine.sh exec --engine 29 -- CMD...)"
  [[ -e "$netns_path" ]] || die "no network namespace $ns: run 'scripts/docker-engine.sh start --engine 29' first"
  DOCKER_HOST="$docker_host" exec nsenter --net="$netns_path" -- "$@"
}

cmd="${1:-}"
shift || true
case "$cmd" in
  start) start_engine ;;
  stop) stop_engine ;;
  status) status_engine || exit 1 ;;  # not answering is an answer, not a failed step
  exec) exec_in_engine "$@" ;;
  *) echo "usage: $0 start|stop|status|exec [--] [CMD...]" >&2; exit 2 ;;
esac
