# Sourced by the engine scripts: stop_pid PID NAME SECONDS sends SIGTERM, waits
# (saying so every 5s through the caller's `say`), and sends SIGKILL after
# SECONDS. Nothing to do for an empty PID or one that is gone.
stop_pid() {
  local pid="$1" name="$2" seconds="$3" waited=0
  [[ -n "$pid" ]] || return 0
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= seconds)); then
      say "$name (pid $pid) still runs after ${seconds}s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    if ((waited > 0 && waited % 5 == 0)); then
      say "waiting for $name (pid $pid) to exit... ${waited}s"
    fi
    sleep 1
    waited=$((waited + 1))
  done
}
