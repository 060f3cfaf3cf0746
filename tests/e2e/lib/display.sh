# shellcheck shell=bash
# Sourced by tests/e2e/run.sh and scripts/measure-startup.sh: a private Xvfb display and a
# tauri-driver, started and stopped by pid. Bash; the caller sets `set -euo pipefail`.
#
#   start_xvfb LOGFILE          sets XVFB_PID and exports DISPLAY (a free display number)
#   start_tauri_driver LOGFILE [TRACE]
#                               sets DRIVER_PID and DRIVER_PORT (free ports); with TRACE, the
#                               driver and every process it starts (the app) run under strace,
#                               which writes their connect() calls to TRACE
#   stop_tree PID               TERM (then KILL) the process and everything it started
#   tree_rss_kib PID            resident memory of the process and its descendants, KiB
#   tree_pss_kib PID            the same as proportional set size (shared pages split), KiB

XVFB_PID=''
OWN_XDG_DIR='' # created by start_xvfb when XDG_RUNTIME_DIR was unusable; the caller removes it
DRIVER_PID=''
DRIVER_PORT=''

# All descendants of a process, read from /proc (no procps needed).
descendants() {
  local parent=$1 stat pid rest ppid kids=()
  for stat in /proc/[0-9]*/stat; do
    rest=$(cat "$stat" 2>/dev/null) || continue
    pid=${rest%% *}
    rest=${rest##*) } # the command name may contain spaces: cut after its closing ')'
    ppid=$(cut -d' ' -f2 <<<"$rest")
    [[ $ppid == "$parent" ]] && kids+=("$pid")
  done
  for pid in "${kids[@]}"; do
    echo "$pid"
    descendants "$pid"
  done
}

stop_tree() {
  local pid=${1:-} pids _
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  mapfile -t pids < <(echo "$pid"; descendants "$pid")
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 30); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

tree_rss_kib() {
  local pid total=0 rss
  for pid in "$1" $(descendants "$1"); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || continue
    total=$(( total + ${rss:-0} ))
  done
  echo "$total"
}

tree_pss_kib() {
  local pid total=0 pss
  for pid in "$1" $(descendants "$1"); do
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null) || continue
    total=$(( total + ${pss:-0} ))
  done
  echo "$total"
}

start_xvfb() {
  local log=$1 fdfile
  fdfile=$(mktemp "${TMPDIR:-/tmp}/kryphal-xvfb.XXXXXX")
  # -displayfd: the server picks a free display and writes its number once it is ready.
  # 1920×1080: room for the projector window at full HD (spec 13).
  Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$fdfile" >"$log" 2>&1 &
  XVFB_PID=$!
  local _
  for _ in $(seq 100); do
    [[ -s $fdfile ]] && break
    kill -0 "$XVFB_PID" 2>/dev/null || { echo "Xvfb exited at start: $(tail -n 5 "$log")" >&2; return 1; }
    sleep 0.1
  done
  local display
  display=$(tr -dc '0-9' <"$fdfile")
  rm -f "$fdfile"
  [[ -n $display ]] || { echo "Xvfb did not report a display within 10 s" >&2; return 1; }
  export DISPLAY=":$display"
  unset WAYLAND_DISPLAY
  if [[ -z ${XDG_RUNTIME_DIR:-} || ! -w ${XDG_RUNTIME_DIR:-/nonexistent} ]]; then
    OWN_XDG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-xdg.XXXXXX")
    export XDG_RUNTIME_DIR=$OWN_XDG_DIR
  fi
}

start_tauri_driver() {
  local log=$1 trace=${2:-} driver native_port _ watch=()
  driver=$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")
  read -r DRIVER_PORT native_port < <(node -e '
    const net = require("node:net");
    const open = () => new Promise((ok) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => ok(s)); });
    Promise.all([open(), open()]).then((ss) => { console.log(ss.map((s) => s.address().port).join(" ")); ss.forEach((s) => s.close()); });
  ')
  [[ -n $trace ]] && watch=(strace -f -qq --seccomp-bpf -e trace=connect -o "$trace")
  "${watch[@]}" "$driver" --port "$DRIVER_PORT" --native-port "$native_port" >"$log" 2>&1 &
  DRIVER_PID=$!
  for _ in $(seq 150); do
    (exec 3<>"/dev/tcp/127.0.0.1/$DRIVER_PORT") 2>/dev/null && return 0
    kill -0 "$DRIVER_PID" 2>/dev/null || { echo "tauri-driver exited at start: $(tail -n 5 "$log")" >&2; return 1; }
    sleep 0.1
  done
  echo "tauri-driver did not listen on port $DRIVER_PORT within 15 s" >&2
  return 1
}
