#!/usr/bin/env bash
# Builds Kryphål's Debian package with the Tauri bundler (the npm @tauri-apps/cli pinned in
# packaging/package.json), offline. Prints the .deb's path on the last line.
#
#   packaging/build-deb.sh            # packages the dev build that `cargo build` already made
#                                     # (target/debug/kryphal-desktop; no compiling: what CI tests)
#   packaging/build-deb.sh --release  # builds the UI and an optimised binary, then packages it
#                                     # (target/release/bundle/deb/): for distribution
#
# Both bundle the binary as cargo built it with the default features of src-tauri (which include
# `custom-protocol`: ui/dist is inside the binary), so the package holds exactly what the tests ran.
#
# packaging/deb.conf.json is merged over src-tauri/tauri.conf.json for the package only: a Debian
# package name must be ASCII ("kryphal"), while the product stays "Kryphål" everywhere else (the
# desktop entry's Name comes from packaging/linux/kryphal.desktop.hbs).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tauri=$root/packaging/node_modules/.bin/tauri
die() { echo "build-deb: $*" >&2; exit 1; }

[[ -x $tauri ]] || die "the Tauri CLI is not installed — run: npm --prefix packaging ci (or ./dev.sh setup)"
common=(--bundles deb --config "$root/packaging/deb.conf.json" --ci
  # The bundler would otherwise write the bundle type into the binary in place (for its updater,
  # which Kryphål does not use): the tested binary stays byte for byte the packaged one.
  --no-binary-patching)

cd "$root/src-tauri"
case ${1:-} in
  "")
    profile=debug
    bin=$root/target/debug/kryphal-desktop
    [[ -x $bin ]] || die "no $bin — build it first: npm --prefix ui run build && cargo build -p kryphal-desktop"
    [[ -f $root/ui/dist/index.html ]] || die "ui/dist is missing: the binary would show a blank window"
    "$tauri" bundle --debug "${common[@]}" >&2
    ;;
  --release)
    profile=release
    npm --prefix "$root/ui" run build >&2
    "$tauri" build "${common[@]}" >&2
    ;;
  *) die "unknown argument: $1 (use --release or nothing)" ;;
esac

version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$root/src-tauri/tauri.conf.json")
deb=$root/target/$profile/bundle/deb/kryphal_${version}_amd64.deb
[[ -f $deb ]] || die "the bundler did not write $deb"
echo "$deb"
