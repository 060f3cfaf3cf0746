#!/usr/bin/env bash
# Kryphål as a user gets it: the .deb is built (packaging/build-deb.sh, from the dev build that
# `cargo build` made), its contents are checked, and then — as root — it is installed with
# dpkg -i, the installed app is started under Xvfb with a fresh HOME and no repository around,
# started again the way the file manager opens a .kryphal bundle (the desktop entry's Exec line),
# the offered import is accepted with the keyboard, and the package is removed with dpkg -r.
#
#   tests/install-deb.sh
#
# Needs: the workspace built (target/debug/kryphal-desktop with ui/dist inside, and the CLI
# target/debug/kryphal, which makes the test bundle and reads the libraries afterwards), `npm ci`
# in packaging/, and dpkg, Xvfb, xdotool, /usr/bin/import, desktop-file-validate (`./dev.sh
# setup`). Not root: the package is built and inspected, and installing it is SKIPPED (said
# clearly). As root it installs and removes the package `kryphal` system-wide: do not run it as
# root on a machine where Kryphål is installed for real. Screenshots and logs: tests/install-artifacts/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
artifacts=$root/tests/install-artifacts
cli=$root/target/debug/kryphal
timeout_s=${KRYPHAL_INSTALL_TIMEOUT:-120}
package=kryphal
mime=application/x-kryphal-bundle
# shellcheck source=tests/e2e/lib/display.sh
source "$root/tests/e2e/lib/display.sh"

say() { echo "install-deb: $*"; }
fail() { echo "install-deb: FAILED: $*" >&2; exit 1; }

[[ -x $cli ]] || fail "no $cli — build the workspace first: cargo build --workspace"
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts"/*.log
work=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-install.XXXXXX")
APP_PID=''
installed_by_us=0

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_tree "$APP_PID"
  if (( status != 0 )) && [[ -n ${DISPLAY:-} && -x /usr/bin/import ]] && kill -0 "${XVFB_PID:-0}" 2>/dev/null; then
    /usr/bin/import -display "$DISPLAY" -window root "$artifacts/zz-on-exit.png" 2>/dev/null || true
  fi
  stop_tree "$XVFB_PID"
  [[ -n $OWN_XDG_DIR ]] && rm -rf "$OWN_XDG_DIR"
  # A failed run does not leave the package installed.
  if (( installed_by_us )) && dpkg-query -W "$package" >/dev/null 2>&1; then
    dpkg -r "$package" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  (( status == 0 )) || echo "install-deb: logs and screenshots in $artifacts" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ build and inspect

started=$(date +%s)
deb=$("$root/packaging/build-deb.sh" 2>"$artifacts/build-deb.log" | tail -n1) \
  || { tail -n 30 "$artifacts/build-deb.log" >&2; fail "packaging/build-deb.sh failed"; }
say "built $deb ($(du -h "$deb" | cut -f1), $(( $(date +%s) - started )) s)"

dpkg-deb --info "$deb" >"$artifacts/deb-info.log"
dpkg-deb --contents "$deb" >"$artifacts/deb-contents.log"
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == "$package" ]] || fail "package name is '$(field Package)', not $package"
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0; do
  [[ ", $depends," == *", $dep,"* ]] || fail "Depends lacks $dep: $depends"
done

tree=$work/deb
dpkg-deb --extract "$deb" "$tree"
desktop_rel=usr/share/applications/kryphal.desktop
for f in usr/bin/kryphal-desktop "$desktop_rel" usr/share/mime/packages/kryphal.xml \
  usr/share/icons/hicolor/32x32/apps/kryphal-desktop.png \
  usr/share/icons/hicolor/128x128/apps/kryphal-desktop.png \
  usr/share/icons/hicolor/512x512/apps/kryphal-desktop.png; do
  [[ -s $tree/$f ]] || fail "the package lacks /$f"
done
cmp -s "$tree/usr/bin/kryphal-desktop" "$root/target/debug/kryphal-desktop" \
  || fail "the packaged binary is not the one the tests ran"
for size in 32 128 512; do
  got=$(file -b "$tree/usr/share/icons/hicolor/${size}x${size}/apps/kryphal-desktop.png")
  [[ $got == "PNG image data, $size x $size,"* ]] || fail "icon ${size}x$size is: $got"
done

entry=$tree/$desktop_rel
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$entry" || fail "desktop-file-validate rejects $desktop_rel"
elif [[ -n ${CI:-} ]]; then
  fail "desktop-file-validate missing (package desktop-file-utils; ./dev.sh setup installs it)"
else
  say "desktop-file-validate not installed (apt-get install desktop-file-utils): entry not validated"
fi
grep -qx 'Name=Kryphål' "$entry" || fail "the desktop entry's Name is not Kryphål"
grep -Eq "^MimeType=(.*;)?$mime;" "$entry" || fail "the desktop entry has no MimeType=$mime;"
grep -qx 'Exec=kryphal-desktop %f' "$entry" || fail "the desktop entry's Exec does not pass the file (%f)"
grep -q 'pattern="\*\.kryphal"' "$tree/usr/share/mime/packages/kryphal.xml" \
  || fail "the MIME type has no *.kryphal glob"
say "package contents: OK (control, binary, desktop entry, 3 icon sizes, MIME type)"

if (( EUID != 0 )); then
  say "SKIPPED installing: dpkg -i / dpkg -r need root (CI runs this as root)."
  exit 0
fi

# ---------------------------------------------------------------------------- install

for tool in Xvfb xdotool; do
  command -v "$tool" >/dev/null || fail "$tool missing — run ./dev.sh setup"
done
[[ -x /usr/bin/import ]] || fail "/usr/bin/import missing (package imagemagick)"
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
  fail "a package '$package' is already installed here; remove it first (dpkg -r $package)"
fi
installed_by_us=1
if ! dpkg -i "$deb" >"$artifacts/dpkg-install.log" 2>&1; then
  say "dpkg -i left dependencies to fetch: apt-get install -f"
  DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >>"$artifacts/dpkg-install.log" 2>&1 \
    || { tail -n 20 "$artifacts/dpkg-install.log" >&2; fail "the package could not be installed"; }
fi
dpkg-query -W -f='${Status}' "$package" | grep -q 'install ok installed' || fail "dpkg does not list $package as installed"
say "installed with dpkg -i"

installed_entry=/$desktop_rel
grep -Eq "^MimeType=(.*;)?$mime;" "$installed_entry" || fail "$installed_entry has no MimeType=$mime"
# The dpkg triggers of shared-mime-info and desktop-file-utils have run: the MIME database
# knows *.kryphal, and the desktop database names Kryphål's entry for the type.
grep -q "^$mime:\*\.kryphal$" /usr/share/mime/globs || fail "the MIME database does not know *.kryphal"
grep -q "^$mime=.*kryphal\.desktop" /usr/share/applications/mimeinfo.cache \
  || fail "the desktop database does not list kryphal.desktop for $mime"

home=$work/home
mkdir -p "$home" "$work/cwd"
if command -v xdg-mime >/dev/null; then
  default=$(HOME=$home xdg-mime query default "$mime")
  [[ $default == kryphal.desktop ]] || fail "xdg-mime query default $mime says '$default'"
  say "xdg-mime: $mime opens with $default"
fi

# --------------------------------------------------------------------------- launch

start_xvfb "$artifacts/xvfb.log" || fail "could not start Xvfb"
say "Xvfb on $DISPLAY"

# The installed app with nothing of the build around: a fresh HOME, no KRYPHAL_* variables,
# an empty working directory, PATH without the repository.
launch() {
  local log=$1
  shift
  (cd "$work/cwd" && exec env -i HOME="$home" DISPLAY="$DISPLAY" XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" \
    PATH=/usr/bin:/bin LANG=C.UTF-8 USER=analytiker "$@") >"$log" 2>&1 &
  APP_PID=$!
}

# Waits until the app's output has a line matching $2 (grep -E).
wait_for() {
  local log=$1 pattern=$2 i
  for (( i = 0; i < timeout_s * 2; i++ )); do
    grep -Eq "$pattern" "$log" && return 0
    kill -0 "$APP_PID" 2>/dev/null || { tail -n 20 "$log" >&2; fail "the app exited before printing $pattern"; }
    sleep 0.5
  done
  tail -n 20 "$log" >&2
  fail "no '$pattern' from the app within $timeout_s s"
}

stop_app() {
  stop_tree "$APP_PID"
  APP_PID=''
}

shot() {
  sleep "${2:-1}"
  /usr/bin/import -display "$DISPLAY" -window root "$artifacts/$1.png"
  say "screenshot: $artifacts/$1.png"
}

command -v kryphal-desktop | grep -qx /usr/bin/kryphal-desktop || fail "kryphal-desktop is not /usr/bin/kryphal-desktop"
launch "$artifacts/app-first-start.log" kryphal-desktop
wait_for "$artifacts/app-first-start.log" '^KRYPHAL_READY '
shot 01-installed-first-start 2
stop_app

library=$home/.local/share/kryphal/library.kryphal
[[ -f $library ]] || fail "no library at $library (the XDG data directory)"
[[ $(head -c 15 "$library") == "SQLite format 3" ]] || fail "$library is not an SQLite file"
# The embedded sample document, screened by the built-in default rulebook.
listing=$(KRYPHAL_CONFIG_DIR=$work/cli-config "$cli" --library "$library" list --json)
grep -q '"title": "Reglemente för kundval inom hemtjänst"' <<<"$listing" \
  || fail "the first start did not seed the sample document: $listing"
grep -Eq '"open_suggestion_count": [1-9]' <<<"$listing" \
  || fail "the sample has no screening suggestions: was the default rulebook found? $listing"
say "first start: library created at ~/.local/share/kryphal/library.kryphal with the sample, screened"

# A bundle made by a colleague, opened from the file manager.
other=$work/colleague.kryphal
cat >"$work/inkopspolicy.md" <<'EOF'
# Inköpspolicy för Ekby kommun

## 1. Attest

1.1 Inköp över 100 000 kronor attesteras av förvaltningschefen.

1.2 Vid brådska får attest ske i efterhand om det bedöms osannolikt att felaktigheter förekommer.
EOF
export KRYPHAL_CONFIG_DIR=$work/cli-config KRYPHAL_USER=bertil
"$cli" --library "$other" import "$work/inkopspolicy.md" >/dev/null
doc=$("$cli" --library "$other" list | cut -f1 | head -n1)
bundle="$work/Inköpspolicy från Bertil.kryphal"
"$cli" --library "$other" bundle export "$doc" --out "$bundle" 2>/dev/null
[[ -s $bundle ]] || fail "the CLI did not write the test bundle"

exec_line=$(sed -n 's/^Exec=//p' "$installed_entry")
read -ra command <<<"$exec_line"
for i in "${!command[@]}"; do
  [[ ${command[$i]} == %f ]] && command[i]=$bundle
done
launch "$artifacts/app-open-bundle.log" "${command[@]}"
wait_for "$artifacts/app-open-bundle.log" '^KRYPHAL_OPENED Bundle Inköpspolicy från Bertil\.kryphal$'
wait_for "$artifacts/app-open-bundle.log" '^KRYPHAL_READY '
shot 02-installed-offers-import 2
# The offer has the focus on "Läs in": Enter accepts it (the pointer in the window gives it the
# keyboard on a display without a window manager).
xdotool mousemove 640 400
xdotool key --clearmodifiers Return
wait_for "$artifacts/app-open-bundle.log" '^KRYPHAL_IMPORTED 1$'
shot 03-installed-imported 2
stop_app
"$cli" --library "$library" list | grep -q $'\tInköpspolicy för Ekby kommun\t' \
  || fail "the bundle's document is not in the library after the import"
say "opened with a .kryphal bundle: import offered, accepted, the document is in the library"

# A second bundle opened from the file manager while the app runs: the second start hands the
# file to the running app and exits; the running window offers the import.
cat >"$work/riktlinje.md" <<'EOF'
# Riktlinje för representation

1 § Representation ska ha ett tydligt samband med kommunens verksamhet.

2 § Alkohol bjuds inte vid intern representation.
EOF
"$cli" --library "$other" import "$work/riktlinje.md" >/dev/null
doc2=$("$cli" --library "$other" list | grep $'\tRiktlinje för representation\t' | cut -f1)
bundle2="$work/Riktlinje från Bertil.kryphal"
"$cli" --library "$other" bundle export "$doc2" --out "$bundle2" 2>/dev/null
[[ -s $bundle2 ]] || fail "the CLI did not write the second test bundle"
launch "$artifacts/app-running.log" kryphal-desktop
wait_for "$artifacts/app-running.log" '^KRYPHAL_READY '
for i in "${!command[@]}"; do
  [[ ${command[$i]} == "$bundle" ]] && command[i]=$bundle2
done
second_start=0
(cd "$work/cwd" && exec timeout 20 env -i HOME="$home" DISPLAY="$DISPLAY" XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" \
  PATH=/usr/bin:/bin LANG=C.UTF-8 USER=analytiker "${command[@]}") >"$artifacts/second-start.log" 2>&1 || second_start=$?
(( second_start == 0 )) || { cat "$artifacts/second-start.log" >&2; fail "the second start exited with $second_start"; }
grep -qx 'KRYPHAL_HANDED_OVER' "$artifacts/second-start.log" \
  || { cat "$artifacts/second-start.log" >&2; fail "the second start did not hand the file over"; }
wait_for "$artifacts/app-running.log" '^KRYPHAL_OPENED Bundle Riktlinje från Bertil\.kryphal$'
shot 04-installed-handed-over 2
xdotool mousemove 640 400
xdotool key --clearmodifiers Return
wait_for "$artifacts/app-running.log" '^KRYPHAL_IMPORTED 1$'
stop_app
"$cli" --library "$library" list | grep -q $'\tRiktlinje för representation\t' \
  || fail "the handed-over bundle's document is not in the library after the import"
say "opened while the app runs: the second start handed the bundle over and exited; imported in the running app"

# ----------------------------------------------------------------------------- remove

dpkg -r "$package" >"$artifacts/dpkg-remove.log" 2>&1 || { cat "$artifacts/dpkg-remove.log" >&2; fail "dpkg -r failed"; }
installed_by_us=0
for f in /usr/bin/kryphal-desktop "$installed_entry" /usr/share/mime/packages/kryphal.xml \
  /usr/share/icons/hicolor/128x128/apps/kryphal-desktop.png; do
  [[ ! -e $f ]] || fail "$f is still there after dpkg -r"
done
if grep -q "kryphal" /usr/share/mime/globs; then fail "the MIME database still knows *.kryphal"; fi
# Removing the program never touches the user's work.
[[ -f $library ]] || fail "dpkg -r removed the user's library"
say "removed with dpkg -r: program, entry, icons and MIME type gone; the user's library kept"
say "OK"
