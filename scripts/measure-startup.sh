#!/usr/bin/env bash
# Measures what a user waits for and what the app costs, on the built dev binaries:
#
#   - desktop cold start to the first painted document list: the app prints
#     `KRYPHAL_READY <ms since process start>` when the UI reports the list painted; we record
#     that and the time from launch until we read the line;
#   - resident memory after start: VmRSS of kryphal-desktop plus every process it started
#     (WebKit's web and network processes), from /proc;
#   - `kryphal import` of the sample document into a fresh library, and `kryphal show` of it.
#
# Each desktop run uses a fresh temporary library under a private Xvfb display. Medians of
# RUNS_APP (5) and RUNS_CLI (10) runs. Uses hyperfine for the CLI when installed
# (apt-get install hyperfine), else a loop with `date +%s%N`.
#
#   scripts/measure-startup.sh              # needs: ./dev.sh setup, then cargo build --workspace
#   RUNS_APP=3 RUNS_CLI=20 scripts/measure-startup.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app=$root/target/debug/kryphal-desktop
cli=$root/target/debug/kryphal
sample=$root/crates/kryphal-app/sample/reglemente-kundval-hemtjanst.md
runs_app=${RUNS_APP:-5}
runs_cli=${RUNS_CLI:-10}
ready_timeout=${READY_TIMEOUT_S:-30}
settle_ms=${SETTLE_MS:-1000} # after KRYPHAL_READY, before reading memory

# shellcheck source=tests/e2e/lib/display.sh
source "$root/tests/e2e/lib/display.sh"

die() { echo "measure-startup: $*" >&2; exit 1; }
for bin in "$app" "$cli"; do
  [[ -x $bin ]] || die "$bin not built — run: npm --prefix ui run build && cargo build --workspace"
done
[[ -f $sample ]] || die "sample document missing: $sample"
command -v Xvfb >/dev/null || die "Xvfb not found — run ./dev.sh setup"

work=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-measure.XXXXXX")
app_pid=''
cleanup() {
  stop_tree "$app_pid"
  stop_tree "$XVFB_PID"
  [[ -n $OWN_XDG_DIR ]] && rm -rf "$OWN_XDG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# median of the numbers on stdin (mean of the middle two for an even count)
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; m = int((NR + 1) / 2); printf "%.1f\n", (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
minmax() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s..%s", lo, hi }'; }
now_ns() { date +%s%N; }

# ------------------------------------------------------------------ desktop: start and memory
start_xvfb "$work/xvfb.log" || die "could not start Xvfb"
echo "Xvfb on $DISPLAY; $runs_app desktop runs, each with a fresh library" >&2
: >"$work/ready_app" ; : >"$work/ready_seen" ; : >"$work/rss" ; : >"$work/pss"

# One run with the app's own KRYPHAL_READY line. Returns 2 when the line never came while the
# app kept running (a UI that does not report readiness), 1 when the app died.
ready_run() {
  local run=$1 lib_dir=$work/lib-$1 out line ready='' t0 t1 deadline rss pss nprocs seen_ms
  mkdir "$lib_dir"
  mkfifo "$work/out-$run"
  t0=$(now_ns)
  "$app" --library "$lib_dir/lib.sqlite" >"$work/out-$run" 2>"$work/err-$run" &
  app_pid=$!
  exec {out}<"$work/out-$run"
  deadline=$(( $(date +%s) + ready_timeout ))
  while (( $(date +%s) < deadline )); do
    if IFS= read -r -t 1 -u "$out" line; then
      if [[ $line =~ ^KRYPHAL_READY\ ([0-9]+) ]]; then
        t1=$(now_ns)
        ready=${BASH_REMATCH[1]}
        break
      fi
    elif ! kill -0 "$app_pid" 2>/dev/null; then
      break
    fi
  done
  if [[ -z $ready ]]; then
    local status=2
    kill -0 "$app_pid" 2>/dev/null || status=1
    stop_tree "$app_pid"
    app_pid=''
    exec {out}<&-
    if (( status == 1 )); then
      echo "run $run: the app exited before KRYPHAL_READY; stderr:" >&2
      tail -n 20 "$work/err-$run" >&2
    fi
    return "$status"
  fi
  # Let the first paint's work finish before reading memory (the app keeps running).
  sleep "$(awk -v ms="$settle_ms" 'BEGIN { print ms / 1000 }')"
  rss=$(tree_rss_kib "$app_pid")
  pss=$(tree_pss_kib "$app_pid")
  nprocs=$(( 1 + $(descendants "$app_pid" | wc -l) ))
  seen_ms=$(( (t1 - t0) / 1000000 ))
  echo "$ready" >>"$work/ready_app"
  echo "$seen_ms" >>"$work/ready_seen"
  echo "$rss" >>"$work/rss"
  echo "$pss" >>"$work/pss"
  printf 'run %d: KRYPHAL_READY %s ms (read after %s ms), %d processes, RSS %d MiB\n' \
    "$run" "$ready" "$seen_ms" "$nprocs" $(( rss / 1024 )) >&2
  stop_tree "$app_pid"
  app_pid=''
  exec {out}<&-
}

# All runs through tauri-driver: new session -> doc-item displayed.
webdriver_runs() {
  [[ -d $root/tests/e2e/node_modules/webdriverio ]] || die "run ./dev.sh setup first (tests/e2e/node_modules)"
  start_tauri_driver "$work/tauri-driver.log" || die "could not start tauri-driver"
  local ms rss pss nprocs run=0
  KRYPHAL_E2E_APP=$app KRYPHAL_E2E_PORT=$DRIVER_PORT KRYPHAL_E2E_DRIVER_PID=$DRIVER_PID SETTLE_MS=$settle_ms \
    node "$root/tests/e2e/tools/startup-webdriver.mjs" "$runs_app" >"$work/webdriver.out"
  while read -r ms rss pss nprocs; do
    run=$(( run + 1 ))
    echo "$ms" >>"$work/ready_seen"
    echo "$rss" >>"$work/rss"
    echo "$pss" >>"$work/pss"
    printf 'run %d: doc-item displayed %s ms after the new-session request, %d processes, RSS %d MiB\n' \
      "$run" "$ms" "$nprocs" $(( rss / 1024 )) >&2
  done <"$work/webdriver.out"
  stop_tree "$DRIVER_PID"
}

desktop_method=ready
for run in $(seq "$runs_app"); do
  status=0
  ready_run "$run" || status=$?
  if (( status == 2 && run == 1 )); then
    echo "no KRYPHAL_READY line within ${ready_timeout}s: measuring through WebDriver instead" >&2
    desktop_method=webdriver
    webdriver_runs
    break
  elif (( status != 0 )); then
    die "desktop run $run failed"
  fi
done

# ------------------------------------------------------------------ CLI: import and show
cli_lib=$work/cli/lib.sqlite
mkdir -p "$work/cli"
cli_method=''
if command -v hyperfine >/dev/null; then
  cli_method="hyperfine, $runs_cli runs, 1 warm-up"
  hyperfine --style none --warmup 1 --runs "$runs_cli" --export-json "$work/import.json" \
    --prepare "rm -f '$cli_lib' '$cli_lib'-*" \
    "'$cli' --library '$cli_lib' import '$sample'" >/dev/null
  hyperfine --style none --warmup 1 --runs "$runs_cli" --export-json "$work/show.json" \
    "'$cli' --library '$cli_lib' show 'Reglemente för kundval'" >/dev/null
  for what in import show; do
    node -e '
      const r = require(process.argv[1]).results[0];
      const ms = (s) => (s * 1000).toFixed(1);
      console.log(ms(r.median) + " " + ms(r.min) + ".." + ms(r.max));
    ' "$work/$what.json" >"$work/$what.summary"
  done
else
  cli_method="bash loop with date +%s%N, $runs_cli runs, 1 warm-up (apt-get install hyperfine for more)"
  time_ms() { # runs the command, prints its wall time in ms (one decimal)
    local a b
    a=$(now_ns)
    "$@" >/dev/null
    b=$(now_ns)
    awk -v d=$(( b - a )) 'BEGIN { printf "%.1f\n", d / 1e6 }'
  }
  : >"$work/import.times" ; : >"$work/show.times"
  for i in $(seq 0 "$runs_cli"); do
    rm -f "$cli_lib" "$cli_lib"-*
    t=$(time_ms "$cli" --library "$cli_lib" import "$sample")
    (( i > 0 )) && echo "$t" >>"$work/import.times"
  done
  for i in $(seq 0 "$runs_cli"); do
    t=$(time_ms "$cli" --library "$cli_lib" show 'Reglemente för kundval')
    (( i > 0 )) && echo "$t" >>"$work/show.times"
  done
  for what in import show; do
    echo "$(median <"$work/$what.times") $(minmax <"$work/$what.times")" >"$work/$what.summary"
  done
fi

# ------------------------------------------------------------------ table
read -r import_med import_range <"$work/import.summary"
read -r show_med show_range <"$work/show.summary"
rss_mib() { awk '{ printf "%.0f\n", $1 / 1024 }'; }

echo
echo "Kryphål start-up and CLI ($(uname -m), $(nproc) cores, debug build, $(date -u +%Y-%m-%d))"
printf '| %-58s | %10s | %-16s |\n' "measure" "median" "range"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..18})"
if [[ $desktop_method == ready ]]; then
  printf '| %-58s | %7s ms | %-16s |\n' "desktop: start -> document list painted (KRYPHAL_READY)" \
    "$(median <"$work/ready_app")" "$(minmax <"$work/ready_app") ms"
  printf '| %-58s | %7s ms | %-16s |\n' "desktop: launch -> KRYPHAL_READY read by this script" \
    "$(median <"$work/ready_seen")" "$(minmax <"$work/ready_seen") ms"
else
  printf '| %-58s | %7s ms | %-16s |\n' "desktop: WebDriver new session -> doc-item displayed" \
    "$(median <"$work/ready_seen")" "$(minmax <"$work/ready_seen") ms"
fi
printf '| %-58s | %6s MiB | %-16s |\n' "desktop: memory, sum of VmRSS, app + WebKit processes" \
  "$(rss_mib <"$work/rss" | median | cut -d. -f1)" "$(rss_mib <"$work/rss" | minmax) MiB"
printf '| %-58s | %6s MiB | %-16s |\n' "desktop: memory, sum of PSS (shared pages counted once)" \
  "$(rss_mib <"$work/pss" | median | cut -d. -f1)" "$(rss_mib <"$work/pss" | minmax) MiB"
printf '| %-58s | %7s ms | %-16s |\n' "kryphal import (sample, fresh library)" "$import_med" "$import_range ms"
printf '| %-58s | %7s ms | %-16s |\n' "kryphal show (sample)" "$show_med" "$show_range ms"
echo
echo "desktop: $runs_app runs under Xvfb, each with a fresh library (the first run is the coldest); memory read ${settle_ms} ms after the list was painted."
[[ $desktop_method == webdriver ]] && echo "desktop: measured through tauri-driver/WebKitWebDriver (the app printed no KRYPHAL_READY); includes the driver's session set-up."
echo "CLI: $cli_method."
