#!/usr/bin/env bash
# Make the test engine a single-node swarm manager, or leave the swarm this
# script made.
#
#   scripts/docker-swarm.sh start    a manager already -> nothing to do; a worker
#                                    or a swarm in error -> fail (not ours to
#                                    change); else `docker swarm init
#                                    --advertise-addr 127.0.0.1` and remember it
#   scripts/docker-swarm.sh stop     `docker swarm leave --force`, only if
#                                    `start` made the swarm
#   scripts/docker-swarm.sh status   say whether the engine is a swarm manager
#                                    (exit 1 if not)
#
# Environment: DOCKER_HOST (the engine), NETGUARD_DOCKER_STATE_DIR (where the
# marker is kept; default ${TMPDIR:-/tmp}/netguard-docker), as for
# scripts/docker-engine.sh.
#
# A swarm init adds two networks to the engine: `docker_gwbridge`
# (172.18.0.0/16 unless taken) and the routing mesh's `ingress` overlay
# (10.0.0.0/24). Leaving removes both.
set -euo pipefail

state_dir="${NETGUARD_DOCKER_STATE_DIR:-${TMPDIR:-/tmp}/netguard-docker}"
marker="$state_dir/swarm-initialised-by-netguard"

say() { printf 'docker-swarm: %s\n' "$*"; }
die() { printf 'docker-swarm: error: %s\n' "$*" >&2; exit 1; }

# LocalNodeState (inactive, pending, active, error, locked) and ControlAvailable.
swarm_state() {
  timeout 15 docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null \
    || die "no Docker engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}: run scripts/docker-engine.sh start"
}

case "${1:-}" in
  start)
    read -r state control < <(swarm_state)
    if [[ "$state" == active && "$control" == true ]]; then
      say "the engine is a swarm manager already; nothing to do"
      exit 0
    fi
    [[ "$state" == inactive ]] || die "the engine's swarm state is '$state' (manager: $control): not a state this script changes; fix it or point DOCKER_HOST at another engine"
    say "docker swarm init --advertise-addr 127.0.0.1"
    docker swarm init --advertise-addr 127.0.0.1 >/dev/null
    mkdir -p "$state_dir"
    date -u +%FT%TZ > "$marker"
    say "the engine is now a single-node swarm manager (left again by: $0 stop)"
    ;;
  stop)
    if [[ ! -f "$marker" ]]; then
      say "this script made no swarm; leaving the engine as it is"
      exit 0
    fi
    say "docker swarm leave --force"
    docker swarm leave --force >/dev/null
    rm -f "$marker"
    ;;
  status)
    read -r state control < <(swarm_state)
    if [[ "$state" == active && "$control" == true ]]; then
      say "the engine is a swarm manager"
      exit 0
    fi
    say "the engine is not a swarm manager (state: $state)"
    exit 1
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
