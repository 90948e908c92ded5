#!/usr/bin/env bash
# Make a real Docker engine available to the tests, or stop the one we started.
#
#   scripts/docker-engine.sh start    engine answers already -> nothing to do;
#                                     else install Debian's docker.io if needed
#                                     (root on Debian only) and start dockerd in
#                                     the background, waiting until it answers
#   scripts/docker-engine.sh stop     stop dockerd, only if `start` started it
#   scripts/docker-engine.sh status   say whether an engine answers (exit 1 if not)
#   scripts/docker-engine.sh exec -- CMD...
#                                     run CMD with DOCKER_HOST set to the engine
#
# Each takes `--engine 20` (the default: the system engine, as above) or
# `--engine 29`: a Docker Engine 29 built once from Go modules and cached, run
# beside the system engine in network, mount and UTS namespaces of its own
# (network namespace netguard-e29), with its own containerd, data root and
# socket; `start --engine 29` prints its DOCKER_HOST as the last line on
# stdout, `exec --engine 29 -- CMD...` runs CMD inside its network namespace
# with DOCKER_HOST set to it. See scripts/docker-engine-29.sh (layout and
# NETGUARD_ENGINE29_* variables) and scripts/docker-engine-29-build.sh
# (versions, build cache, and the dependency versions the Go module proxy
# refuses that are replaced).
#
# Environment (--engine 20):
#   DOCKER_HOST                  engine to use; a unix:// socket is where a
#                                started dockerd listens (default: the local
#                                socket /var/run/docker.sock)
#   NETGUARD_DOCKER_STATE_DIR    where the pid file and the log are kept
#                                (default: ${TMPDIR:-/tmp}/netguard-docker)
#   NETGUARD_DOCKER_START_TIMEOUT  seconds to wait for dockerd (default: 60)
#
# Environment (--engine 29; details in scripts/docker-engine-29.sh):
#   NETGUARD_ENGINE29_CACHE      built binaries (default:
#                                ${XDG_CACHE_HOME:-~/.cache}/docker-netguard/engine29)
#   NETGUARD_ENGINE29_NETNS      network namespace (default: netguard-e29)
#   NETGUARD_ENGINE29_RUN_DIR    socket, pid files, logs (default: /run/<netns>);
#                                DOCKER_HOST is unix://<run dir>/docker.sock
#   NETGUARD_ENGINE29_DATA_DIR   data root and containerd root (default:
#                                /var/lib/<netns>; removed by stop unless
#                                NETGUARD_ENGINE29_KEEP_DATA=1)
#   NETGUARD_ENGINE29_START_TIMEOUT  seconds to wait for dockerd (default: 120)
#
# Engine 29 is moby/moby/v2 v2.0.0-beta.25 (Docker 29.9.0) with containerd
# v2.4.2 and runc v1.5.3. The Go module proxy refuses (403) five of moby's
# exact dependency versions, which the build replaces with the nearest
# version it serves: moby/buildkit v0.34.0-rc1 => v0.34.0, moby/extensions
# and moby/swarmkit/v2 => the commits moby v2.0.0-beta.24 pinned,
# moby/profiles/apparmor v0.2.2 => the commit before that tag, and
# moby/policy-helpers => the proxy's newest commit (8 days later); the reasons
# are in scripts/docker-engine-29-build.sh. Its API accepts clients down to
# API 1.40, so Debian's 20.10 client (1.41) works as well as a 28.x one.
#
# Debian 12's docker.io is Docker 20.10 (Engine API 1.41). A newer `docker`
# client (e.g. /usr/local/bin/docker 28.x) negotiates down to 1.41 by itself.
set -euo pipefail

state_dir="${NETGUARD_DOCKER_STATE_DIR:-${TMPDIR:-/tmp}/netguard-docker}"
pid_file="$state_dir/dockerd.pid"
log_file="$state_dir/dockerd.log"
start_timeout="${NETGUARD_DOCKER_START_TIMEOUT:-60}"

# shellcheck source=lib/stop-pid.sh
. "$(dirname "$0")/lib/stop-pid.sh"
say() { printf 'docker-engine: %s\n' "$*"; }
die() { printf 'docker-engine: error: %s\n' "$*" >&2; exit 1; }

usage() {
  echo "usage: $0 start|stop|status [--engine 20|29]" >&2
  echo "       $0 exec [--engine 20|29] -- CMD..." >&2
  exit 2
}

# True when `docker info` answers at DOCKER_HOST or the local socket.
engine_answers() {
  command -v docker >/dev/null 2>&1 || return 1
  timeout 15 docker info >/dev/null 2>&1
}

engine_description() {
  timeout 15 docker version --format \
    'engine {{.Server.Version}} (API {{.Server.APIVersion}}, min {{.Server.MinAPIVersion}}), client {{.Client.Version}} (API {{.Client.APIVersion}})' \
    2>/dev/null || echo "engine (version unknown)"
}

engine_address() {
  echo "${DOCKER_HOST:-unix:///var/run/docker.sock}"
}

# Pid of the dockerd this script started, if it still runs; empty otherwise.
our_dockerd_pid() {
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if [[ -r "/proc/$pid/comm" ]] && [[ "$(cat "/proc/$pid/comm")" == "dockerd" ]]; then
    echo "$pid"
  fi
}

# dockerd refuses to start while its pid file names a live process. After a
# dockerd was killed (say, with the session that ran it), the pid in
# /var/run/docker.pid may since belong to another process: drop such a file.
clear_stale_docker_pidfile() {
  local docker_pid_file=/var/run/docker.pid pid
  [[ -f "$docker_pid_file" ]] || return 0
  pid="$(cat "$docker_pid_file" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && [[ -r "/proc/$pid/comm" ]] && [[ "$(cat "/proc/$pid/comm")" == "dockerd" ]]; then
    return 0
  fi
  say "removing stale $docker_pid_file (pid ${pid:-?} is no running dockerd)"
  rm -f "$docker_pid_file" || true
}

install_docker_if_missing() {
  if command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1; then
    return 0
  fi
  if [[ "$(id -u)" != "0" ]]; then
    die "dockerd is not installed and we are not root: install Docker (Debian: apt-get install docker.io) or set DOCKER_HOST to a running engine"
  fi
  if [[ ! -f /etc/debian_version ]] || ! command -v apt-get >/dev/null 2>&1; then
    die "dockerd is not installed and this is not Debian: install a Docker engine by hand or set DOCKER_HOST"
  fi
  say "dockerd not installed: installing Debian's docker.io (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # docker.io pulls containerd, runc, tini and iptables; iptables is named so
  # that it is there even if the dependencies change.
  apt-get install -y -qq -o Dpkg::Use-Pty=0 docker.io iptables >/dev/null
  command -v dockerd >/dev/null 2>&1 || die "apt-get installed docker.io but dockerd is not on PATH"
  say "installed: $(dockerd --version)"
}

start_engine() {
  if engine_answers; then
    say "an engine already answers at $(engine_address): $(engine_description); nothing to do"
    return 0
  fi

  local listen_args=()
  if [[ -n "${DOCKER_HOST:-}" ]]; then
    case "$DOCKER_HOST" in
      unix://*) listen_args=(--host "$DOCKER_HOST") ;;
      *) die "DOCKER_HOST=$DOCKER_HOST does not answer and is not a local unix socket; not starting a local daemon for it" ;;
    esac
  fi

  local stale
  stale="$(our_dockerd_pid)"
  if [[ -n "$stale" ]]; then
    die "dockerd pid $stale (started by this script) runs but does not answer; see $log_file or run '$0 stop'"
  fi

  install_docker_if_missing
  clear_stale_docker_pidfile

  mkdir -p "$state_dir"
  : >"$log_file"
  say "starting dockerd (log: $log_file)"
  local started_at=$SECONDS
  # setsid: its own session, so that the caller's terminal or process group
  # going away does not take the daemon with it. In a script without job
  # control the background child is no group leader, so setsid execs dockerd
  # in place and $! is dockerd's pid.
  setsid dockerd "${listen_args[@]}" </dev/null >>"$log_file" 2>&1 &
  local pid=$!
  echo "$pid" >"$pid_file"

  local waited=0
  while ! engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      echo "---- last lines of $log_file ----" >&2
      tail -n 40 "$log_file" >&2 || true
      if grep -qi 'iptables' "$log_file"; then
        echo "hint: dockerd could not set up iptables; try 'update-alternatives --set iptables /usr/sbin/iptables-legacy' or start dockerd with --iptables=false" >&2
      fi
      die "dockerd (pid $pid) exited before answering"
    fi
    if ((waited >= start_timeout)); then
      echo "---- last lines of $log_file ----" >&2
      tail -n 40 "$log_file" >&2 || true
      die "dockerd (pid $pid) did not answer within ${start_timeout}s; it is left running, stop it with '$0 stop'"
    fi
    if ((waited > 0 && waited % 5 == 0)); then
      say "waiting for dockerd (pid $pid)... ${waited}s"
    fi
    sleep 1
    waited=$((waited + 1))
  done

  # The client on PATH may be newer than the daemon: check that it negotiates.
  if ! timeout 15 docker ps >/dev/null 2>"$state_dir/docker-ps.err"; then
    cat "$state_dir/docker-ps.err" >&2
    die "dockerd answers 'docker info' but 'docker ps' fails with the client $(command -v docker)"
  fi
  say "dockerd (pid $pid) answers at $(engine_address) after $((SECONDS - started_at))s: $(engine_description)"
}

stop_engine() {
  local pid
  pid="$(our_dockerd_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$pid_file"
    if engine_answers; then
      say "the engine at $(engine_address) was not started by this script; leaving it running"
    else
      say "no dockerd started by this script is running"
    fi
    return 0
  fi
  # dockerd gives containers 15s to stop, then its own shutdown.
  stop_pid "$pid" dockerd 60
  rm -f "$pid_file"
  say "dockerd stopped"
}

status_engine() {
  local pid
  pid="$(our_dockerd_pid)"
  if engine_answers; then
    say "an engine answers at $(engine_address): $(engine_description)"
    if [[ -n "$pid" ]]; then
      say "it was started by this script (pid $pid, log $log_file)"
    fi
    return 0
  fi
  if [[ -n "$pid" ]]; then
    say "dockerd pid $pid (started by this script) runs but does not answer; see $log_file"
  else
    say "no engine answers at $(engine_address)"
  fi
  return 1
}

exec_in_engine() {
  [[ $# -gt 0 ]] || usage
  DOCKER_HOST="$(engine_address)" exec "$@"
}

[[ $# -ge 1 ]] || usage
cmd="$1"
shift
engine=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) [[ $# -ge 2 ]] || usage; engine="$2"; shift 2 ;;
    --engine=*) engine="${1#--engine=}"; shift ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
case "$cmd" in
  start | stop | status) [[ $# -eq 0 ]] || usage ;;
  exec) ;;
  *) usage ;;
esac
case "$engine" in
  20) ;;
  29) exec "$(dirname "$0")/docker-engine-29.sh" "$cmd" "$@" ;;
  *) die "unknown engine '$engine': 20 (the system engine) or 29" ;;
esac
case "$cmd" in
  start) start_engine ;;
  stop) stop_engine ;;
  status) status_engine ;;
  exec) exec_in_engine "$@" ;;
esac
