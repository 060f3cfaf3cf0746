#!/usr/bin/env bash
# End-to-end tests: the real kryphal-desktop binary in its real webview, under Xvfb,
# driven through tauri-driver (which spawns WebKitWebDriver).
#
#   tests/e2e/run.sh                 # all specs, serially
#   tests/e2e/run.sh specs/02-*.mjs  # some specs (paths relative to tests/e2e)
#
# Needs: the app built (target/debug/kryphal-desktop, with ui/dist embedded), `npm ci` done
# in tests/e2e, and Xvfb, tauri-driver, WebKitWebDriver and /usr/bin/import on the machine
# (`./dev.sh setup` installs them). Screenshots and logs go to tests/e2e/artifacts/.
#
# Offline: where network namespaces can be made (as root; CI), the whole run happens in one of
# its own, with nothing but the loopback (tauri-driver and the tests talk over 127.0.0.1), and
# every connect() of the app's process tree is traced: each spec is then also a proof that the
# desktop app works without a network, and the run fails if the app tried to reach any address
# but the loopback. KRYPHAL_E2E_OFFLINE=0 runs with the machine's network instead.
#
# Environment: KRYPHAL_E2E_APP (absolute path of the binary), KRYPHAL_E2E_TIMEOUT_MS (UI waits),
# KRYPHAL_E2E_SESSION_TIMEOUT_MS (app start), KRYPHAL_E2E_WDIO_LOG (webdriverio log level).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
app=${KRYPHAL_E2E_APP:-$root/target/debug/kryphal-desktop}
artifacts=$here/artifacts
# shellcheck source=tests/e2e/lib/display.sh
source "$here/lib/display.sh"

die() { echo "e2e: $*" >&2; exit 1; }

# outside TRACE: prints the traced connect() calls to an internet address other than the
# loopback (127.0.0.0/8, ::1); true if there was one. Unix sockets are not the network.
outside() {
  grep -E 'sa_family=AF_INET6?\b' "$1" \
    | grep -vE 'inet_addr\("127\.[0-9.]+"\)|inet_pton\(AF_INET6, "::1"' \
    | grep -E .
}

offline=${KRYPHAL_E2E_OFFLINE:-1}
if [[ $offline == 1 && -z ${KRYPHAL_E2E_IN_NETNS:-} ]]; then
  if unshare -n true 2>/dev/null; then
    command -v ip >/dev/null || die "ip not found — run ./dev.sh setup (package iproute2)"
    command -v strace >/dev/null || die "strace not found — run ./dev.sh setup (package strace)"
    export KRYPHAL_E2E_IN_NETNS=1
    exec unshare -n bash -c 'ip link set lo up && exec "$@"' bash "${BASH_SOURCE[0]}" "$@"
  elif [[ -n ${CI:-} ]]; then
    die "unshare -n is not permitted here, and CI needs the desktop app's offline proof"
  else
    echo "e2e: not offline (unshare -n not permitted; run as root for the offline proof)" >&2
    offline=0
  fi
fi

[[ -x $app ]] || die "no app binary at $app — build it first: npm --prefix ui run build && cargo build -p kryphal-desktop"
[[ -d $here/node_modules/webdriverio ]] || die "webdriverio is not installed — run: npm --prefix tests/e2e ci --ignore-scripts (or ./dev.sh setup)"
command -v tauri-driver >/dev/null || [[ -x $HOME/.cargo/bin/tauri-driver ]] \
  || die "tauri-driver not found — run: cargo install tauri-driver --locked --version '^2' (or ./dev.sh setup)"
for tool in Xvfb WebKitWebDriver node; do
  command -v "$tool" >/dev/null || die "$tool not found — run ./dev.sh setup (packages xvfb, webkit2gtk-driver)"
done
[[ -x /usr/bin/import ]] || echo "e2e: /usr/bin/import missing (package imagemagick): no screenshots" >&2

mkdir -p "$artifacts"
# The app keeps preferences (user name, language) outside any library; the tests must
# neither read the developer's nor leave theirs behind.
KRYPHAL_CONFIG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-e2e-config.XXXXXX")
export KRYPHAL_CONFIG_DIR
# The webview keeps its storage (the outline's height, the last clause of each document) under
# XDG_DATA_HOME: each run gets its own, so no run sees the developer's or another run's.
E2E_DATA_HOME=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-e2e-data.XXXXXX")
export XDG_DATA_HOME=$E2E_DATA_HOME
rm -f "$artifacts"/*.png "$artifacts"/*.log

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if (( status != 0 )) && [[ -n ${DISPLAY:-} && -x /usr/bin/import ]] && kill -0 "$XVFB_PID" 2>/dev/null; then
    /usr/bin/import -display "$DISPLAY" -window root "$artifacts/zz-on-exit.png" 2>/dev/null \
      && echo "e2e: screenshot at exit: $artifacts/zz-on-exit.png"
  fi
  stop_tree "$DRIVER_PID"
  stop_tree "$XVFB_PID"
  [[ -n $OWN_XDG_DIR ]] && rm -rf "$OWN_XDG_DIR"
  rm -rf "$E2E_DATA_HOME"
  [[ -n ${E2E_RUNTIME_DIR:-} ]] && rm -rf "$E2E_RUNTIME_DIR"
  rm -rf "$KRYPHAL_CONFIG_DIR"
  if (( status != 0 )); then
    echo "e2e: FAILED (exit $status). Logs and screenshots: $artifacts" >&2
    if [[ -s $artifacts/tauri-driver.log ]]; then
      echo "--- last lines of $artifacts/tauri-driver.log (the app's output is here too) ---" >&2
      tail -n 40 "$artifacts/tauri-driver.log" >&2
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_xvfb "$artifacts/xvfb.log" || die "could not start Xvfb"
echo "e2e: Xvfb on $DISPLAY (pid $XVFB_PID)"
TRACE=''
if [[ -n ${KRYPHAL_E2E_IN_NETNS:-} ]]; then
  ifaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')
  [[ $ifaces == "lo " ]] || die "the network namespace has interfaces besides the loopback: $ifaces"
  # The watch sees an attempt when there is one: a shell's connection to an outside address is
  # caught (and fails: there is no route).
  strace -f -qq -e trace=connect -o "$artifacts/probe.trace" \
    bash -c 'exec 3<>/dev/tcp/192.0.2.1/9' 2>/dev/null && die "a connection outside could be opened"
  outside "$artifacts/probe.trace" >/dev/null || die "strace did not see a probe's connection attempt"
  TRACE=$artifacts/app-connect.trace
  echo "e2e: offline — a network namespace with only the loopback; the app's connect() calls go to $TRACE"
fi
# The apps' single-instance sockets (one per library, see src-tauri/src/instance.rs) go to a
# runtime folder of this run, not the developer's: a killed test app leaves nothing behind.
E2E_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-e2e-run.XXXXXX")
export XDG_RUNTIME_DIR=$E2E_RUNTIME_DIR
start_tauri_driver "$artifacts/tauri-driver.log" "$TRACE" || die "could not start tauri-driver"
echo "e2e: tauri-driver on 127.0.0.1:$DRIVER_PORT (pid $DRIVER_PID)"

# The tests, one at a time (one app window at a time on the display).
export KRYPHAL_E2E_APP=$app KRYPHAL_E2E_PORT=$DRIVER_PORT KRYPHAL_E2E_ARTIFACTS=$artifacts
cd "$here"
if (( $# )); then specs=("$@"); else specs=(specs/*.test.mjs); fi
node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "${specs[@]}"
if [[ -n $TRACE ]]; then
  calls=$(grep -c 'connect(' "$TRACE" || true)
  if outside "$TRACE" >&2; then
    die "the app tried to reach an address outside this machine (lines above, from $TRACE)"
  fi
  echo "e2e: offline: the specs passed without a network; $calls connect() calls, none to an address outside the loopback"
fi
