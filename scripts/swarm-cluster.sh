#!/usr/bin/env bash
# A real multi-node Docker swarm on one machine, for the multi-node tests.
#
#   scripts/swarm-cluster.sh start        remove leftovers, then start N engines and join them
#   scripts/swarm-cluster.sh stop         stop the engines, delete their namespaces, bridge and data
#   scripts/swarm-cluster.sh status       say which engines answer and list the swarm's nodes (exit 1 if none)
#   scripts/swarm-cluster.sh cut NODE     take NODE's link to the bridge down (NODE: 1..N)
#   scripts/swarm-cluster.sh mend NODE    bring it up again
#   scripts/swarm-cluster.sh freeze NODE  stop NODE's dockerd (SIGSTOP): its socket accepts, nothing answers
#   scripts/swarm-cluster.sh thaw NODE    let it run again (SIGCONT)
#
# Each node is a dockerd in its own network namespace (ng-swarm-N) and UTS
# namespace (hostname ng-swarm-N), with its own data root, exec root, pid
# file, socket (unix:///run/netguard-swarm/nodeN.sock) and a containerd of its
# own that dockerd starts and stops. The namespaces hang on veth links
# (host side ng-swarm-vN) off the host bridge ng-swarm-br, 10.232.0.254/24;
# node N is 10.232.0.N. Node 1 initialises the swarm (advertising 10.232.0.1)
# and the others join as workers. Every node gets the label ng.node=N, for
# placement constraints (`node.labels.ng.node==2`), and the probe image
# netguard-probe:local from the host engine.
#
# The host engine (/var/run/docker.sock, itself maybe a single-node swarm) is
# untouched, but for one thing: it sets the FORWARD policy to DROP, and with
# bridge-nf-call-iptables=1 that also drops frames bridged between the nodes;
# `start` inserts an ACCEPT for ng-swarm-br into FORWARD (commented
# "netguard-swarm-cluster") and `stop` removes it.
#
# Environment:
#   NETGUARD_SWARM_NODES          number of nodes, 1..9 (default 3)
#   NETGUARD_SWARM_HEARTBEAT      dispatcher heartbeat (default 2s), so that a cut node is Down in seconds
#   NETGUARD_PROBE_IMAGE          image to load into every node (default netguard-probe:local)
#   NETGUARD_SWARM_START_TIMEOUT  seconds to wait for each dockerd (default 60)
#
# Needs root, dockerd, docker, ip, iptables, unshare; the probe image on the
# host engine (scripts/build-test-image.sh) for the image load.
set -euo pipefail

nodes="${NETGUARD_SWARM_NODES:-3}"
heartbeat="${NETGUARD_SWARM_HEARTBEAT:-2s}"
image="${NETGUARD_PROBE_IMAGE:-netguard-probe:local}"
start_timeout="${NETGUARD_SWARM_START_TIMEOUT:-60}"

run_root=/run/netguard-swarm
data_root=/var/lib/netguard-swarm
bridge=ng-swarm-br
bridge_address=10.232.0.254
prefix=10.232.0
# The overlays' default pool (the swarm's ingress network comes from it); tests name their own subnets.
overlay_pool=10.237.0.0/16
fw_comment=netguard-swarm-cluster

say() { printf 'swarm-cluster: %s\n' "$*"; }
die() { printf 'swarm-cluster: error: %s\n' "$*" >&2; exit 1; }

usage() {
  echo "usage: $0 start|stop|status|cut NODE|mend NODE|freeze NODE|thaw NODE" >&2
  exit 2
}

[[ "$nodes" =~ ^[1-9]$ ]] || die "NETGUARD_SWARM_NODES=$nodes: expected a number from 1 to 9"

netns_of() { echo "ng-swarm-$1"; }
veth_of() { echo "ng-swarm-v$1"; }
socket_of() { echo "$run_root/node$1.sock"; }
host_of() { echo "unix://$(socket_of "$1")"; }
address_of() { echo "$prefix.$1"; }
node_docker() {
  local n=$1
  shift
  timeout 60 docker -H "$(host_of "$n")" "$@"
}

require_tools() {
  [[ "$(id -u)" == "0" ]] || die "needs root (network namespaces, a bridge, dockerd)"
  local tool
  for tool in dockerd docker ip iptables nsenter unshare setsid; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not on PATH"
  done
}

# Pid of node N's dockerd if it runs, else nothing.
dockerd_pid() {
  local pid_file="$run_root/node$1/dockerd.pid" pid
  [[ -f "$pid_file" ]] || return 0
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && [[ -r "/proc/$pid/comm" ]] && [[ "$(cat "/proc/$pid/comm")" == "dockerd" ]]; then
    echo "$pid"
  fi
}

node_answers() { timeout 10 docker -H "$(host_of "$1")" info >/dev/null 2>&1; }

wait_for_exit() {
  local pid=$1 limit=$2 waited=0
  while kill -0 "$pid" 2>/dev/null; do
    ((waited >= limit)) && return 1
    sleep 1
    waited=$((waited + 1))
  done
}

stop_node() {
  local n=$1 pid netns
  netns="$(netns_of "$n")"
  pid="$(dockerd_pid "$n")"
  if [[ -n "$pid" ]]; then
    # A frozen daemon (`freeze`) must run again to stop. Containers first (tasks would be rescheduled
    # while the daemon stops), then the daemon, which stops its containerd.
    kill -CONT "$pid" 2>/dev/null || true
    if node_answers "$n"; then
      node_docker "$n" swarm leave --force >/dev/null 2>&1 || true
      local ids
      ids="$(node_docker "$n" ps -aq 2>/dev/null || true)"
      [[ -z "$ids" ]] || node_docker "$n" rm -f $ids >/dev/null 2>&1 || true
    fi
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_for_exit "$pid" 45; then
      say "node $n: dockerd (pid $pid) still runs after 45s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_for_exit "$pid" 10 || true
    fi
  fi
  # Whatever still runs in the node's namespace was started by it (containerd, shims, a dockerd whose pid file is gone).
  if ip netns list | grep -qw "^$netns"; then
    local left
    left="$(ip netns pids "$netns" 2>/dev/null || true)"
    if [[ -n "$left" ]]; then
      say "node $n: ending processes left in $netns: $(echo $left)"
      kill -TERM $left 2>/dev/null || true
      sleep 2
      left="$(ip netns pids "$netns" 2>/dev/null || true)"
      [[ -z "$left" ]] || kill -KILL $left 2>/dev/null || true
    fi
    ip netns del "$netns"
  fi
  ip link del "$(veth_of "$n")" 2>/dev/null || true
}

stop_cluster() {
  require_tools
  local n
  # Also nodes beyond NETGUARD_SWARM_NODES, left by a run with more.
  for n in 1 2 3 4 5 6 7 8 9; do
    if [[ -n "$(dockerd_pid "$n")" ]] || ip netns list | grep -qw "^$(netns_of "$n")" || [[ -d "$run_root/node$n" ]]; then
      stop_node "$n"
    fi
  done
  ip link del "$bridge" 2>/dev/null || true
  while iptables -D FORWARD -i "$bridge" -o "$bridge" -m comment --comment "$fw_comment" -j ACCEPT 2>/dev/null; do :; done
  # The daemons mounted in their own mount namespaces (ip netns exec), gone with them: plain files remain.
  rm -rf "$run_root" "$data_root"
  say "stopped: no engines, namespaces, bridge or data left"
}

setup_links() {
  ip link add "$bridge" type bridge
  ip addr add "$bridge_address/24" dev "$bridge"
  ip link set "$bridge" up
  iptables -I FORWARD 1 -i "$bridge" -o "$bridge" -m comment --comment "$fw_comment" -j ACCEPT
  local n netns veth
  for n in $(seq 1 "$nodes"); do
    netns="$(netns_of "$n")"
    veth="$(veth_of "$n")"
    ip netns add "$netns"
    ip link add "$veth" type veth peer name eth0 netns "$netns"
    ip link set "$veth" master "$bridge" up
    ip -n "$netns" link set lo up
    ip -n "$netns" addr add "$(address_of "$n")/24" dev eth0
    ip -n "$netns" link set eth0 up
  done
}

start_daemon() {
  local n=$1 netns dir
  netns="$(netns_of "$n")"
  dir="$run_root/node$n"
  mkdir -p "$dir/exec" "$data_root/node$n"
  # No daemon.json from /etc/docker: this engine's settings are all here.
  printf '{}\n' >"$dir/daemon.json"
  # The node's network namespace; a hostname of its own (the swarm's node names differ); a mount
  # namespace of its own with a sysfs of that network namespace, as `ip netns exec` gives, but
  # keeping the cgroup mounts under /sys that `ip netns exec` drops (dockerd: "Devices cgroup isn't mounted");
  # and an /etc/docker of its own: dockerd 20.10 keeps its engine ID in /etc/docker/key.json, with no flag
  # to move it, and engines sharing the host's would all be one engine to `docker info`.
  mkdir -p "$dir/cgroup" "$dir/etc-docker" /etc/docker
  # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: a task runs the node's own copy of the image instead of first
  # trying a registry (none answers here: every task start would wait for the lookup to fail).
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid nsenter --net="/run/netns/$netns" unshare --uts --mount --propagation slave \
    sh -c 'hostname "$0" && mount --rbind /sys/fs/cgroup "$1/cgroup" && mount -t sysfs sysfs /sys && mount --move "$1/cgroup" /sys/fs/cgroup &&
      mount --bind "$1/etc-docker" /etc/docker && shift && exec "$@"' \
    "$netns" "$dir" \
    dockerd \
    --config-file "$dir/daemon.json" \
    --host "$(host_of "$n")" \
    --data-root "$data_root/node$n" \
    --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" \
    --bip "10.233.$n.1/24" \
    --default-address-pool "base=10.233.$((100 + n)).0/24,size=26" \
    --iptables=true \
    --userland-proxy=false \
    --swarm-default-advertise-addr "$(address_of "$n")" \
    </dev/null >"$dir/dockerd.log" 2>&1 &
}

wait_for_daemon() {
  local n=$1 waited=0 dir="$run_root/node$1"
  while ! node_answers "$n"; do
    if ((waited >= 3)) && [[ -z "$(dockerd_pid "$n")" ]] && ! pgrep -f -- "--host $(host_of "$n")" >/dev/null 2>&1; then
      tail -n 30 "$dir/dockerd.log" >&2 || true
      die "node $n: dockerd exited before answering (log: $dir/dockerd.log)"
    fi
    if ((waited >= start_timeout)); then
      tail -n 30 "$dir/dockerd.log" >&2 || true
      die "node $n: dockerd did not answer at $(host_of "$n") within ${start_timeout}s (log: $dir/dockerd.log)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

load_image() {
  timeout 15 docker image inspect "$image" >/dev/null 2>&1 ||
    die "the host engine has no image $image: run scripts/build-test-image.sh first"
  local archive="$run_root/image.tar" n
  docker save -o "$archive" "$image"
  for n in $(seq 1 "$nodes"); do
    node_docker "$n" load -q -i "$archive" >/dev/null
  done
  rm -f "$archive"
}

form_swarm() {
  node_docker 1 swarm init \
    --advertise-addr "$(address_of 1)" --listen-addr "$(address_of 1):2377" \
    --default-addr-pool "$overlay_pool" --dispatcher-heartbeat "$heartbeat" >/dev/null
  local token n
  token="$(node_docker 1 swarm join-token -q worker)"
  for n in $(seq 2 "$nodes"); do
    node_docker "$n" swarm join --token "$token" \
      --advertise-addr "$(address_of "$n")" --listen-addr "$(address_of "$n"):2377" \
      "$(address_of 1):2377" >/dev/null
  done
  for n in $(seq 1 "$nodes"); do
    node_docker 1 node update --label-add "ng.node=$n" "$(node_docker "$n" info --format '{{.Swarm.NodeID}}')" >/dev/null
  done
  local waited=0 ready
  while :; do
    ready="$(node_docker 1 node ls --format '{{.Status}}' | grep -c '^Ready$' || true)"
    ((ready == nodes)) && break
    ((waited >= 60)) && die "only $ready of $nodes nodes are Ready after 60s: $(node_docker 1 node ls)"
    sleep 1
    waited=$((waited + 1))
  done
}

start_cluster() {
  require_tools
  stop_cluster >/dev/null
  local started_at=$SECONDS n
  mkdir -p "$run_root" "$data_root"
  setup_links
  for n in $(seq 1 "$nodes"); do start_daemon "$n"; done
  for n in $(seq 1 "$nodes"); do wait_for_daemon "$n"; done
  load_image
  form_swarm
  say "$nodes nodes up in $((SECONDS - started_at))s; manager: $(host_of 1)"
  status_cluster
}

status_cluster() {
  local n any=false
  for n in $(seq 1 "$nodes"); do
    if node_answers "$n"; then
      any=true
      say "node $n ($(address_of "$n"), $(netns_of "$n")): answers at $(host_of "$n"), pid $(dockerd_pid "$n")"
    else
      say "node $n ($(address_of "$n"), $(netns_of "$n")): no answer at $(host_of "$n")"
    fi
  done
  [[ "$any" == true ]] || return 1
  node_docker 1 node ls --format '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}' 2>/dev/null || true
}

check_node() {
  [[ "$1" =~ ^[1-9]$ ]] && (($1 <= nodes)) || die "no node '$1': expected 1..$nodes"
}

set_link() {
  local n=$1 state=$2
  check_node "$n"
  ip link set "$(veth_of "$n")" "$state"
  say "node $n: link $(veth_of "$n") $state"
}

signal_daemon() {
  local n=$1 signal=$2 pid
  check_node "$n"
  pid="$(dockerd_pid "$n")"
  [[ -n "$pid" ]] || die "node $n: no dockerd runs"
  kill "-$signal" "$pid"
  say "node $n: dockerd (pid $pid) $([[ "$signal" == STOP ]] && echo frozen || echo thawed)"
}

case "${1:-}" in
  start) [[ $# -eq 1 ]] || usage; start_cluster ;;
  stop) [[ $# -eq 1 ]] || usage; stop_cluster ;;
  status) [[ $# -eq 1 ]] || usage; status_cluster ;;
  cut) [[ $# -eq 2 ]] || usage; set_link "$2" down ;;
  mend) [[ $# -eq 2 ]] || usage; set_link "$2" up ;;
  freeze) [[ $# -eq 2 ]] || usage; signal_daemon "$2" STOP ;;
  thaw) [[ $# -eq 2 ]] || usage; signal_daemon "$2" CONT ;;
  *) usage ;;
esac
