#!/usr/bin/env bash
# Kryphål developer and CI entry point.
#
#   ./dev.sh setup   install what building and testing need (idempotent; apt needs root or sudo)
#   ./dev.sh app     build the UI and the desktop app, then run it (extra arguments go to the app)
#   ./dev.sh test    everything CI checks: format, UI build/check/tests, clippy, cargo tests, build,
#                    the offline proof, the dependency audit, E2E, the .deb install test and the fuzzers
#   ./dev.sh e2e     only the end-to-end tests (assumes the app is built)
#   ./dev.sh setup-windows   optional, not part of setup or CI: what packaging/build-windows.sh and
#                    tests/windows.sh need (MinGW-w64, wixl/msitools, osslsigncode, wine64, the Rust target)
#
# Everything stays in the dev profile: tests, the app and the E2E tests share one build (the
# fuzz targets build apart, in fuzz/target, with flags of their own).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"

if [[ -d $HOME/.cargo/bin && :$PATH: != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if [[ -n ${CI:-} ]]; then
  export CARGO_TERM_COLOR=never NO_COLOR=1 FORCE_COLOR=0
fi

APT_PACKAGES=(
  # Tauri 2 / WebKitGTK build dependencies
  libwebkit2gtk-4.1-dev build-essential libssl-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev pkg-config file
  # End-to-end tests: virtual display, WebDriver for WebKitGTK, screenshots, window titles
  xvfb xauth webkit2gtk-driver imagemagick x11-utils
  # Independent readers of the exports: LibreOffice (DOCX → PDF) and poppler (pdftotext, pdftoppm)
  libreoffice-writer-nogui poppler-utils
  # The offline proofs (tests/no-network.sh, tests/e2e/run.sh) watch system calls in a
  # network namespace whose loopback `ip` brings up
  strace iproute2
  # The .deb install test (tests/install-deb.sh): the desktop entry's validator, the MIME and
  # desktop databases (their dpkg triggers), xdg-mime, and a key press into the installed app
  desktop-file-utils shared-mime-info xdg-utils xdotool
)

say() { printf '==> %s\n' "$*"; }
die() { printf 'dev.sh: error: %s\n' "$*" >&2; exit 1; }

# Runs a command with its output kept in a log; prints the log only if it fails.
quiet() {
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/kryphal-dev.XXXXXX")
  if "$@" >"$log" 2>&1; then
    rm -f "$log"
  else
    local status=$?
    echo "dev.sh: failed (exit $status): $*" >&2
    tail -n 60 "$log" >&2
    rm -f "$log"
    return "$status"
  fi
}

# ---------------------------------------------------------------------------------- setup

missing_apt_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]] || echo "$pkg"
  done
}

setup_apt() {
  command -v dpkg-query >/dev/null || die "this script expects Debian/Ubuntu (dpkg-query not found)"
  local missing
  mapfile -t missing < <(missing_apt_packages)
  if (( ${#missing[@]} == 0 )); then
    say "system packages: all ${#APT_PACKAGES[@]} present"
    return
  fi
  local sudo=()
  if (( EUID != 0 )); then
    command -v sudo >/dev/null || die "missing packages: ${missing[*]}; run as root: apt-get install ${missing[*]}"
    sudo=(sudo)
  fi
  say "system packages: installing ${missing[*]}"
  quiet "${sudo[@]}" apt-get update -qq
  quiet "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

setup_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
  local component
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      command -v rustup >/dev/null || die "cargo $component missing and no rustup to add it"
      say "rust: adding component $component"
      quiet rustup component add "$component"
    fi
  done
  if command -v tauri-driver >/dev/null; then
    say "tauri-driver: present"
  else
    say "tauri-driver: installing (cargo install, about a minute)"
    quiet cargo install tauri-driver --locked --version '^2'
  fi
  # The fuzz targets (fuzz/run.sh) build with the stable toolchain and RUSTC_BOOTSTRAP=1.
  if command -v cargo-fuzz >/dev/null; then
    say "cargo-fuzz: present"
  else
    say "cargo-fuzz: installing (cargo install, two to three minutes)"
    quiet cargo install cargo-fuzz --locked
  fi
}

# npm ci in a folder when node_modules is missing or older than package-lock.json.
npm_ci() {
  local dir=$1
  shift
  command -v npm >/dev/null || die "npm not found: install Node.js 20 or newer"
  [[ -f $dir/package-lock.json ]] || die "$dir/package-lock.json missing"
  if [[ -f $dir/node_modules/.package-lock.json && ! $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    say "npm: $dir up to date"
    return
  fi
  say "npm: installing $dir (npm ci)"
  quiet npm --prefix "$dir" ci --no-audit --no-fund --loglevel=error "$@"
}

cmd_setup() {
  setup_apt
  setup_rust
  npm_ci ui
  # No install scripts: webdriverio's optional browser-driver downloaders are not used here
  # (tauri-driver + WebKitWebDriver are), and this machine reaches no download host.
  npm_ci tests/e2e --ignore-scripts
  # The Tauri bundler (@tauri-apps/cli, pinned) that builds the .deb.
  npm_ci packaging
}

# The Windows build and its Wine tests run on demand only: their tools are not in APT_PACKAGES (CI
# would install them for nothing). packaging/build-windows.sh installs its own; this adds Wine.
cmd_setup_windows() {
  packaging/build-windows.sh --setup
  local missing=() pkg
  for pkg in wine64 wine; do
    [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]] || missing+=("$pkg")
  done
  if (( ${#missing[@]} )); then
    local sudo=()
    (( EUID == 0 )) || sudo=(sudo)
    say "system packages: installing ${missing[*]}"
    quiet "${sudo[@]}" apt-get update -qq
    quiet "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  say "Windows tools ready: packaging/build-windows.sh, tests/windows.sh"
}

# ---------------------------------------------------------------------------------- steps

declare -a TIMINGS=()
started_all=$(date +%s)

print_timings() {
  (( ${#TIMINGS[@]} )) || return 0
  echo
  echo "---- timings ----"
  printf '%s\n' "${TIMINGS[@]}"
  printf '%-44s %6ss\n' "total" "$(( $(date +%s) - started_all ))"
}

# step "name" command...: banner, run, time; stop at the first failure with a clear message.
step() {
  local name=$1 start status
  shift
  printf '\n======== %s ========\n$ %s\n' "$name" "$*"
  start=$(date +%s)
  # A subshell with errexit of its own: a failing command inside a step's function stops it.
  set +e
  (set -e; "$@")
  status=$?
  set -e
  TIMINGS+=("$(printf '%-44s %6ss  %s' "$name" "$(( $(date +%s) - start ))" "$( ((status)) && echo FAILED || echo ok)")")
  if (( status != 0 )); then
    print_timings
    printf '\n######## FAILED: %s (exit %d) ########\n' "$name" "$status"
    exit "$status"
  fi
}

build_ui() { npm --prefix ui run build; }

# Seconds each fuzz target runs in ./dev.sh test: 30 in CI, 10 on a developer's machine;
# KRYPHAL_FUZZ_SECONDS overrides (0 skips the fuzz step, build included).
fuzz_seconds() {
  if [[ -n ${KRYPHAL_FUZZ_SECONDS:-} ]]; then
    echo "$KRYPHAL_FUZZ_SECONDS"
  elif [[ -n ${CI:-} ]]; then
    echo 30
  else
    echo 10
  fi
}

cmd_e2e() {
  npm_ci tests/e2e --ignore-scripts
  tests/e2e/run.sh "$@"
}

cmd_app() {
  cmd_setup
  say "building the UI"
  quiet build_ui
  say "building kryphal-desktop"
  cargo build -p kryphal-desktop
  if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
    die "no display (DISPLAY is not set). On a machine without a screen run: xvfb-run -a ./dev.sh app"
  fi
  exec target/debug/kryphal-desktop "$@"
}

cmd_test() {
  step "setup" cmd_setup
  step "cargo fmt --check" cargo fmt --all --check
  step "ui: build (ui/dist, embedded by src-tauri)" build_ui
  step "ui: svelte-check" npm --prefix ui run check
  step "ui: vitest" npm --prefix ui test
  step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
  # CI runs as root: the full-disk and read-only tests (a tmpfs) must run there, not skip.
  if [[ -n ${CI:-} && $EUID -eq 0 ]]; then
    export KRYPHAL_REQUIRE_MOUNT=1
  fi
  step "cargo test" cargo test --workspace
  step "cargo build (app + CLI for E2E)" cargo build --workspace
  step "no network (CLI inside unshare -n)" tests/no-network.sh
  step "dependency audit (cargo audit, npm audit)" tests/audit.sh
  step "e2e (tauri-driver, Xvfb)" tests/e2e/run.sh
  step "install the .deb (dpkg -i, Xvfb, dpkg -r)" tests/install-deb.sh
  step "fuzz ($(fuzz_seconds) s per target)" fuzz/run.sh "$(fuzz_seconds)"
  print_timings
  printf '\n======== all checks passed ========\n'
}

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

case ${1:-} in
  setup) shift; cmd_setup "$@" ;;
  app) shift; cmd_app "$@" ;;
  test) shift; cmd_test "$@" ;;
  e2e) shift; cmd_e2e "$@" ;;
  setup-windows) shift; cmd_setup_windows "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
