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
start_tauri_driver "$artifacts/tauri-driver.log" || die "could not start tauri-driver"
echo "e2e: tauri-driver on 127.0.0.1:$DRIVER_PORT (pid $DRIVER_PID)"

# The tests, one at a time (one app window at a time on the display).
export KRYPHAL_E2E_APP=$app KRYPHAL_E2E_PORT=$DRIVER_PORT KRYPHAL_E2E_ARTIFACTS=$artifacts
cd "$here"
if (( $# )); then specs=("$@"); else specs=(specs/*.test.mjs); fi
node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "${specs[@]}"
