#!/usr/bin/env bash
# Renders Kryphål's icon (packaging/icons/kryphal.svg, drawn by hand for Kryphål) to the files
# the Tauri bundler and the window use, in src-tauri/icons/: PNGs for the Linux icon theme and
# the window, icon.ico for a Windows build. Run it after changing the SVG and commit the output.
#   packaging/icons/render.sh      (needs `npm --prefix packaging ci`)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-icons.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$here/../node_modules/.bin/tauri" icon "$here/kryphal.svg" --output "$out" >/dev/null 2>&1
for f in icon.png 32x32.png 64x64.png 128x128.png icon.ico; do
  cp "$out/$f" "$here/../../src-tauri/icons/$f"
done
echo "icons written to src-tauri/icons/"
