#!/usr/bin/env bash
# Kryphål's Windows build, tested on Linux under Wine. On demand, not in CI (a cold Windows build
# takes longer than CI's whole budget); run it before a Windows release and after changes to
# packaging/windows, crates/kryphal-platform or the paths, files and start-up of the app.
#
#   tests/windows.sh            build (packaging/build-windows.sh), then everything below
#   tests/windows.sh --no-msi   only the command line: its build, the platform tests, the scenario
#   tests/windows.sh --no-build use what target/windows/ already holds
#
# 1. The Windows code paths of kryphal-platform (atomic replace with a target held open, the
#    named-pipe hand-over of one app per library) run as their own unit tests, cross-compiled
#    and run under Wine.
# 2. The CLI's main path runs twice with the same inputs — the Linux build (target/debug/kryphal)
#    and the Windows kryphal.exe under Wine — in folders and with file names holding å, ä, ö and
#    spaces: init (plain and --encrypt), import of DOCX, PDF, Markdown and HTML (fixtures and
#    ../shared/corpus), list, show, screen, finding add, search, every export, bundle export and
#    import, backup and restore. Their JSON must be equal (times, paths and the random finding
#    ids aside), and the exports must read back equal through LibreOffice and pdftotext. Then
#    Windows-only checks: the default library is in %LOCALAPPDATA% (not the roaming profile),
#    two processes write to one library at once (SQLite's locking through Windows' file locks),
#    and an export onto a read-only file is refused with that reason and leaves the file alone.
# 3. The MSI (unless --no-msi): msiinfo shows its tables, files, registry and shortcut; its and
#    the exes' signatures verify; `msiexec /i … /qn` installs it under Wine: the files in
#    Program Files\Kryphål, the .kryphal association in the registry, the Start-menu shortcut,
#    the installed CLI runs, the installed desktop app says that WebView2 is missing (Wine has
#    none) instead of exiting silently; a newer MSI upgrades it in place, an older one is
#    refused; `msiexec /x … /qn` removes it all and leaves the user's library alone.
#
# Needs (installed when missing, as root): wine64 (its own setup, not `./dev.sh setup`), what
# packaging/build-windows.sh installs, jq, LibreOffice and poppler-utils (`./dev.sh setup` has
# them), Xvfb (for the message box's screenshot; without it the box is not shown, the test still
# runs). Wine gets a private prefix in a temporary folder: nothing in ~/.wine is touched. Its
# Mono and Gecko installers are switched off (they would download). Logs and the screenshot go
# to tests/windows-artifacts/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
artifacts=$root/tests/windows-artifacts
corpus=$root/../shared/corpus
fixtures=$root/crates/kryphal-ingest/tests/fixtures
target=x86_64-pc-windows-gnu

say() { echo "windows: $*"; }
fail() { echo "windows: FAILED: $*" >&2; exit 1; }

build=1 msi=1
for arg in "$@"; do
  case $arg in
    --no-msi) msi=0 ;;
    --no-build) build=0 ;;
    -h | --help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument: $arg (see --help)" ;;
  esac
done

if [[ -d $HOME/.cargo/bin && :$PATH: != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

# ------------------------------------------------------------------ setup

need=()
command -v wine >/dev/null || need+=(wine64 wine)
command -v jq >/dev/null || need+=(jq)
# LibreOffice Writer and Calc read the exports back (./dev.sh setup has Writer only).
for pkg in libreoffice-writer-nogui libreoffice-calc-nogui; do
  [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]] || need+=("$pkg")
done
command -v pdftotext >/dev/null || need+=(poppler-utils)
if (( ${#need[@]} )); then
  (( EUID == 0 )) || fail "missing: ${need[*]} (as root: apt-get install ${need[*]})"
  say "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
packaging/build-windows.sh --setup 2>/dev/null

mkdir -p "$artifacts"
rm -rf "${artifacts:?}"/*
work=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-windows.XXXXXX")
export WINEPREFIX=$work/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
export LC_ALL=C.UTF-8
XVFB_PID=''
OWN_XDG_DIR=''
# shellcheck source=tests/e2e/lib/display.sh
source "$root/tests/e2e/lib/display.sh"

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # This prefix's own wineserver, and with it every Wine process of this test.
  [[ -d $WINEPREFIX ]] && wineserver -k 2>/dev/null || true
  stop_tree "$XVFB_PID"
  [[ -n $OWN_XDG_DIR ]] && rm -rf "$OWN_XDG_DIR"
  rm -rf "$work"
  (( status == 0 )) || echo "windows: logs in $artifacts" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ build

started=$(date +%s)
if (( build )); then
  build_args=()
  (( msi )) || build_args=(--cli-only)
  if ! packaging/build-windows.sh "${build_args[@]}" >"$artifacts/build-windows.log" 2>&1; then
    tail -n 30 "$artifacts/build-windows.log" >&2
    fail "packaging/build-windows.sh failed (see build-windows.log)"
  fi
  grep '^build-windows:' "$artifacts/build-windows.log" || true
  say "Windows build: $(( $(date +%s) - started )) s"
  # The same `cargo build --workspace` as ./dev.sh test: one feature set, one build to share.
  say "building the Linux CLI to compare with (cargo build --workspace)"
  cargo build --workspace 2>"$artifacts/build-linux.log" || fail "the Linux build failed"
  say "building the platform crate's tests for Windows"
  CARGO_TARGET_DIR=$root/target/windows-tests cargo test --target "$target" -p kryphal-platform \
    --no-run 2>"$artifacts/build-platform-tests.log" || fail "kryphal-platform's tests did not build for Windows"
fi
stage=$root/target/windows/stage
win_cli=$stage/kryphal.exe
linux_cli=$root/target/debug/kryphal
[[ -x $linux_cli ]] || fail "no $linux_cli (cargo build --workspace)"
[[ -f $win_cli ]] || fail "no $win_cli (packaging/build-windows.sh --cli-only)"

# ------------------------------------------------------------------ Wine

say "a private Wine prefix (wineboot)"
wineboot -i >"$artifacts/wineboot.log" 2>&1 || fail "wineboot failed"
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Rust's standard library needs on
# Windows 10/11, where the system has it. A stand-in, in this prefix only (never packaged).
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bcryptprimitives.dll" \
  "$root/tests/windows/bcryptprimitives-shim.c" "$root/tests/windows/bcryptprimitives-shim.def" -ladvapi32
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
wine_user=$(wine cmd /c 'echo %USERNAME%' 2>/dev/null | tr -d '\r')
[[ -n $wine_user ]] || fail "Wine does not say who the user is"

# ------------------------------------------------------------------ 1. platform tests

checks=0
pass() { checks=$((checks + 1)); say "ok: $*"; }

platform_tests=$(ls -t "$root"/target/windows-tests/$target/debug/deps/kryphal_platform-*.exe 2>/dev/null | head -n1)
[[ -n $platform_tests ]] || fail "kryphal-platform's Windows tests are not built"
if ! wine "$platform_tests" >"$artifacts/platform-tests.log" 2>&1; then
  tail -n 40 "$artifacts/platform-tests.log" >&2
  fail "kryphal-platform's tests failed under Wine"
fi
summary=$(grep '^test result' "$artifacts/platform-tests.log")
grep -q 'windows::tests::a_second_instance_hands_its_file' "$artifacts/platform-tests.log" \
  || fail "the named-pipe tests did not run"
grep -q 'a_target_held_open_by_another_program_is_refused_clearly' "$artifacts/platform-tests.log" \
  || fail "the Windows replace tests did not run"
pass "kryphal-platform under Wine: $summary"

# ------------------------------------------------------------------ 2. the CLI scenario

# Inputs under names with å, ä, ö and spaces.
in="$work/in/Styrdokument från Ekby kommun"
mkdir -p "$in"
cp crates/kryphal-app/sample/reglemente-kundval-hemtjanst.md "$in/Reglemente för kundval.md"
cp "$fixtures/riktlinje.docx" "$in/Riktlinje för säkerhet.docx"
cp "$fixtures/riktlinje.pdf" "$in/Riktlinje för säkerhet (PDF).pdf"
inputs=("$in/Reglemente för kundval.md" "$in/Riktlinje för säkerhet.docx" "$in/Riktlinje för säkerhet (PDF).pdf")
if [[ -d $corpus ]]; then
  cp "$corpus/ad-2013-63_arbetsdomstolen-dom.docx" "$in/Dom från Arbetsdomstolen.docx"
  cp "$corpus/dir-2016-15_dataskyddsforordningen_word2010.pdf" "$in/Dataskyddsförordningen direktiv.pdf"
  cp "$corpus/sfs-2007-612_bidragsbrottslag_rkrattsbaser.html" "$in/Bidragsbrottslag (2007 612).html"
  inputs+=("$in/Dom från Arbetsdomstolen.docx" "$in/Dataskyddsförordningen direktiv.pdf" "$in/Bidragsbrottslag (2007 612).html")
else
  say "note: $corpus missing: the scenario imports the fixtures and the sample only"
fi
cat >"$in/fynd.json" <<'EOF'
{"unintended_consequence": "Ett gammalt utdrag ur belastningsregistret godtas; en dömd utförare får fortsätta.",
 "crime_types": ["BED"], "likelihood": 3, "impact": 4, "status": "agreed",
 "proposed_wording": "Utdraget ur belastningsregistret får vara högst tre månader gammalt."}
EOF
printf 'Hemlig lösenfras för Åsa\n' >"$in/lösenfras.txt"

side=linux
# kry ARGS…: the side's CLI. Paths in ARGS must be given through p.
kry() {
  if [[ $side == linux ]]; then "$linux_cli" "$@"; else wine "$win_cli" "$@"; fi
}
# p PATH: the path as the side's program sees it (Z: is Wine's drive for /).
p() {
  if [[ $side == linux ]]; then printf '%s' "$1"; else printf 'Z:%s' "${1//\//\\}"; fi
}
# run NAME ARGS…: runs kry, keeps stdout in out/NAME; a failure stops the test.
run() {
  local name=$1
  shift
  if ! kry "$@" >"$out/$name" 2>"$out/$name.err"; then
    cat "$out/$name.err" >&2
    fail "$side: kryphal $* failed"
  fi
}

scenario() {
  side=$1
  local dir=$work/$side
  out=$dir/out
  mkdir -p "$out" "$dir/Bibliotek för Åsa" "$dir/Export för nämnden" "$dir/Utbyte" "$dir/Säkerhetskopior"
  export KRYPHAL_USER="Åsa Öberg" KRYPHAL_CONFIG_DIR
  KRYPHAL_CONFIG_DIR=$(p "$dir/config")
  unset KRYPHAL_LIBRARY KRYPHAL_RULEBOOK KRYPHAL_PASSPHRASE_FILE
  local lib lib2 libenc
  lib=$(p "$dir/Bibliotek för Åsa/analys med mellanslag.kryphal")
  lib2=$(p "$dir/Bibliotek för Åsa/kollegans bibliotek.kryphal")
  libenc=$(p "$dir/Bibliotek för Åsa/krypterad å ä ö.kryphal")

  run init --library "$lib" init
  local args=()
  for f in "${inputs[@]}"; do args+=("$(p "$f")"); done
  run import.json --library "$lib" import --json "${args[@]}"
  [[ $(jq '[.[] | select(.ok)] | length' "$out/import.json") == "${#inputs[@]}" ]] \
    || fail "$side: not every file imported: $(cat "$out/import.json")"
  run list.json --library "$lib" list --json
  local id
  for id in $(jq -r '.[].id' "$out/list.json"); do
    run "show-$id.json" --library "$lib" show "$id" --json
  done
  doc=$(jq -r '.[] | select(.title | startswith("Reglemente för kundval")) | .id' "$out/list.json")
  [[ -n $doc ]] || fail "$side: the sample is not in the list"
  run screen.json --library "$lib" screen "$doc" --json
  clause=$(jq -r '[.. | objects | select(has("text") and has("id")) | select(.text | test("belastningsregist"))][0].id' "$out/show-$doc.json")
  [[ -n $clause && $clause != null ]] || fail "$side: no clause about belastningsregistret"
  run finding.json --library "$lib" finding add "$clause" --json "$(p "$in/fynd.json")"
  run findings.json --library "$lib" finding list "$doc" --json
  run search.json --library "$lib" search belastningsregister --json
  run search-finding.json --library "$lib" search "dömd utförare" --json
  local format
  for format in memo-docx memo-pdf tracked-docx xlsx csv md html json; do
    run "export-$format.log" --library "$lib" export "$doc" --format "$format" \
      --out "$(p "$dir/Export för nämnden/Förslag till nämnden.$format")"
  done
  run bundle-export.log --library "$lib" bundle export "$doc" --out "$(p "$dir/Utbyte/från Åsa.kryphal")"
  run init2 --library "$lib2" init
  run bundle-import.json --library "$lib2" bundle import "$(p "$dir/Utbyte/från Åsa.kryphal")" --json
  run findings2.json --library "$lib2" finding list "$doc" --json
  [[ $(jq length "$out/findings2.json") == 1 ]] || fail "$side: the bundle did not carry the finding"
  run backup.log --library "$lib" backup --out "$(p "$dir/Säkerhetskopior/kopia före ändring.kryphal")"
  run finding-after-backup.json --library "$lib" finding add "$clause" --json "$(p "$in/fynd.json")"
  run restore.log --library "$lib" restore "$(p "$dir/Säkerhetskopior/kopia före ändring.kryphal")"
  run findings-restored.json --library "$lib" finding list "$doc" --json
  [[ $(jq length "$out/findings-restored.json") == 1 ]] || fail "$side: the restore did not bring the library back"
  # Encrypted: created with a passphrase from a file, used, unreadable without it.
  run init-encrypted --library "$libenc" --passphrase-file "$(p "$in/lösenfras.txt")" init --encrypt
  run import-encrypted.json --library "$libenc" --passphrase-file "$(p "$in/lösenfras.txt")" \
    import --json "$(p "$in/Reglemente för kundval.md")"
  run show-encrypted.json --library "$libenc" --passphrase-file "$(p "$in/lösenfras.txt")" show "$doc" --json
  [[ $(head -c 15 "$dir/Bibliotek för Åsa/krypterad å ä ö.kryphal") != "SQLite format 3" ]] \
    || fail "$side: the encrypted library has a plain SQLite header"
  local cli=("$linux_cli")
  [[ $side == linux ]] || cli=(wine "$win_cli")
  if timeout 120 "${cli[@]}" --library "$libenc" list >"$out/locked.out" 2>"$out/locked.err" </dev/null; then
    fail "$side: the encrypted library opened without its passphrase"
  fi
}

say "the CLI scenario on Linux"
scenario linux
say "the CLI scenario on Windows (kryphal.exe under Wine)"
scenario windows
pass "the whole CLI scenario ran on both (init plain and encrypted, ${#inputs[@]} imports, show, screen, finding, search, 8 exports, bundle, backup/restore)"

# The JSON outputs, equal but for what must differ: times, the random finding ids, paths.
normalise() {
  jq -S 'walk(
      if type == "string" then
        (if test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)$") then "<time>" else . end)
        | gsub("f-[0-9a-f]{32}"; "f-<uuid>")
      else . end)
    | walk(if type == "object" and has("file") and (.file | type) == "string"
           then .file |= (split("/") | last | split("\\") | last) else . end)' "$1"
}
compared=0
for f in "$work"/linux/out/*.json; do
  name=$(basename "$f")
  [[ -f $work/windows/out/$name ]] || fail "windows made no $name"
  if ! diff -u <(normalise "$f") <(normalise "$work/windows/out/$name") >"$artifacts/diff-$name.txt"; then
    head -n 40 "$artifacts/diff-$name.txt" >&2
    fail "$name differs between Linux and Windows"
  fi
  rm -f "$artifacts/diff-$name.txt"
  compared=$((compared + 1))
done
clauses=$(cat "$work"/windows/out/show-*.json | jq -s '[.[] | [.. | objects | select(has("text") and has("id"))] | length] | add')
pass "$compared JSON outputs equal on Linux and Windows (${clauses} clause ids, screening, search, findings, bundle, restore)"

# The exports, read back by independent readers: LibreOffice (DOCX, XLSX) and pdftotext.
readback() {
  local side=$1 dir=$work/$1/Export\ för\ nämnden conv=$work/$1/readback
  mkdir -p "$conv"
  cp "$dir/Förslag till nämnden.memo-docx" "$conv/memo.docx"
  cp "$dir/Förslag till nämnden.tracked-docx" "$conv/tracked.docx"
  cp "$dir/Förslag till nämnden.xlsx" "$conv/register.xlsx"
  (cd "$conv" && HOME=$work/lo-home soffice --headless --norestore --convert-to txt:Text memo.docx tracked.docx >/dev/null 2>&1 \
    && HOME=$work/lo-home soffice --headless --norestore --convert-to csv register.xlsx >/dev/null 2>&1) \
    || fail "LibreOffice could not open the $side exports"
  pdftotext -layout "$dir/Förslag till nämnden.memo-pdf" "$conv/memo-pdf.txt" \
    || fail "pdftotext could not read the $side memo PDF"
  for f in memo.txt tracked.txt register.csv memo-pdf.txt; do
    [[ -s $conv/$f ]] || fail "$side: $f read back empty"
  done
}
readback linux
readback windows
# The memo's date and the register's times are of the moment of export; finding ids are random.
same='s/[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+Z?)?/<date>/g; s/f-[0-9a-f]{32}/f-<id>/g; s/[[:space:]]+/ /g'
for f in memo.txt tracked.txt register.csv memo-pdf.txt; do
  if ! diff -u <(sed -E "$same" "$work/linux/readback/$f") <(sed -E "$same" "$work/windows/readback/$f") \
      >"$artifacts/diff-$f.txt"; then
    head -n 40 "$artifacts/diff-$f.txt" >&2
    fail "the exported $f differs between Linux and Windows"
  fi
  rm -f "$artifacts/diff-$f.txt"
done
grep -q 'Föreslagen lydelse' "$work/windows/readback/memo.txt" || fail "the Windows memo has no proposal table"
grep -q 'tre månader' "$work/windows/readback/tracked.txt" || fail "the tracked-changes document lacks the proposal"
for f in csv md html; do
  cmp -s "$work/linux/Export för nämnden/Förslag till nämnden.$f" "$work/windows/Export för nämnden/Förslag till nämnden.$f" \
    || diff <(sed -E "$same" "$work/linux/Export för nämnden/Förslag till nämnden.$f") \
            <(sed -E "$same" "$work/windows/Export för nämnden/Förslag till nämnden.$f") >/dev/null \
    || fail "the $f export differs between Linux and Windows"
done
pass "the Windows exports open in LibreOffice and pdftotext and read the same as Linux's (memo DOCX, memo PDF, tracked DOCX, XLSX; CSV, Markdown, HTML equal but for times and finding ids)"

# Windows only: where the library lives by default.
side=windows
out=$work/windows/out
unset KRYPHAL_LIBRARY KRYPHAL_CONFIG_DIR
run default-library.json list --json
local_dir=$WINEPREFIX/drive_c/users/$wine_user/AppData/Local/Kryphal/kryphal/data
[[ -f $local_dir/library.kryphal ]] || fail "the default library is not in %LOCALAPPDATA% ($(find "$WINEPREFIX/drive_c/users/$wine_user" -name 'library.kryphal'))"
[[ ! -e $WINEPREFIX/drive_c/users/$wine_user/AppData/Roaming/Kryphal ]] || fail "something was written to the roaming profile"
pass "the default library is %LOCALAPPDATA%\\Kryphal\\kryphal\\data\\library.kryphal, nothing in %APPDATA%"

# Two writers on one library at once: SQLite's locks through Windows' file locking.
lib=$(p "$work/windows/Bibliotek för Åsa/analys med mellanslag.kryphal")
pids=()
for n in 1 2 3; do
  wine "$win_cli" --library "$lib" finding add "$clause" --json "$(p "$in/fynd.json")" \
    >"$out/parallel-$n.json" 2>"$out/parallel-$n.err" &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid" || fail "a writer running beside others failed: $(cat "$out"/parallel-*.err)"
done
run findings-parallel.json --library "$lib" finding list "$doc" --json
[[ $(jq length "$out/findings-parallel.json") == 4 ]] || fail "three writers at once did not all land: $(jq length "$out/findings-parallel.json") findings"
run integrity.log --library "$lib" list
pass "three kryphal.exe writing to one library at once all succeeded"

# An export onto a file Windows will not let us replace: refused, with the reason, file intact.
locked="$work/windows/Export för nämnden/Låst memo.docx"
echo "gammalt innehåll" >"$locked"
wine attrib +r "$(p "$locked")" >/dev/null 2>&1 || fail "attrib +r failed"
if wine "$win_cli" --library "$lib" export "$doc" --format memo-docx --out "$(p "$locked")" \
    >"$out/readonly.out" 2>"$out/readonly.err"; then
  fail "an export onto a read-only file succeeded"
fi
grep -q 'read-only' "$out/readonly.err" || fail "the refusal does not say why: $(cat "$out/readonly.err")"
[[ $(cat "$locked") == "gammalt innehåll" ]] || fail "the read-only file was changed"
[[ -z $(find "$work/windows/Export för nämnden" -name '*.tmp') ]] || fail "a temporary file was left behind"
pass "an export onto a read-only file is refused: $(tr -d '\r' <"$out/readonly.err" | head -c 160)"

if (( ! msi )); then
  say "all $checks checks passed (--no-msi: the MSI was not built or installed)"
  exit 0
fi

# ------------------------------------------------------------------ 3. the MSI

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
msi_file=$root/target/windows/kryphal-$version-x64.msi
certdir=$root/target/windows/test-cert
[[ -f $msi_file ]] || fail "no $msi_file"

msiinfo tables "$msi_file" >"$artifacts/msi-tables.txt"
for t in File Registry Shortcut Upgrade Component Directory Feature Icon; do
  grep -qx "$t" "$artifacts/msi-tables.txt" || fail "the MSI has no $t table"
done
for t in File Registry Shortcut Directory Upgrade Property; do
  msiinfo export "$msi_file" "$t" >"$artifacts/msi-$t.txt"
done
msiinfo suminfo "$msi_file" >"$artifacts/msi-suminfo.txt"
for f in kryphal-desktop.exe kryphal.exe WebView2Loader.dll kryphal.ico; do
  grep -q "	$f	" "$artifacts/msi-File.txt" || fail "the MSI does not carry $f"
done
grep -q 'Software\\Classes\\Kryphal.Bundle\\shell\\open\\command		"\[INSTALLDIR\]kryphal-desktop.exe" "%1"' "$artifacts/msi-Registry.txt" \
  || fail "the MSI lacks the open verb with \"%1\""
grep -q 'Software\\Classes\\.kryphal		Kryphal.Bundle' "$artifacts/msi-Registry.txt" || fail "the MSI lacks the .kryphal ProgID"
grep -q '^KryphalShortcut	ProgramMenuFolder	Kryphål' "$artifacts/msi-Shortcut.txt" || fail "the MSI lacks the Start-menu shortcut"
grep -q '^ALLUSERS	1' "$artifacts/msi-Property.txt" || fail "the MSI is not per machine"
grep -q '^INSTALLDIR	ProgramFiles64Folder	Kryphål' "$artifacts/msi-Directory.txt" || fail "the MSI does not install into Program Files\\Kryphål"
pass "msiinfo: files, registry (ProgID, icon, open \"%1\"), Start-menu shortcut, per machine, upgrade code"

for f in "$msi_file" "$stage/kryphal.exe" "$stage/kryphal-desktop.exe"; do
  osslsigncode verify -CAfile "$certdir/cert.pem" -in "$f" >"$artifacts/verify-$(basename "$f").txt" 2>&1 \
    || fail "the signature of $(basename "$f") does not verify"
  grep -q 'Signature verification: ok' "$artifacts/verify-$(basename "$f").txt" \
    || fail "osslsigncode did not say ok for $(basename "$f")"
done
pass "osslsigncode verify: the MSI and both exes are signed (throw-away test certificate)"

progfiles=$WINEPREFIX/drive_c/Program\ Files/Kryphål
# Where the shortcut lands: the common Start menu on Windows (per machine); Wine's msiexec puts it
# in the installing user's, so either is accepted.
shortcut() {
  local f
  for f in "$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Kryphål.lnk" \
    "$WINEPREFIX/drive_c/users/$wine_user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Kryphål.lnk"; do
    [[ -f $f ]] && { echo "$f"; return 0; }
  done
  return 1
}
# reg.exe writes in the console's code page (å comes out as one byte of CP437): non-ASCII → '?'.
ascii() { LC_ALL=C tr -d '\r' | LC_ALL=C sed 's/[\x80-\xff]\{1,2\}/?/g'; }
reg_value() { wine reg query "$1" ${2:+/v "$2"} ${2:-/ve} 2>/dev/null | ascii; }

wine msiexec /i "$(p "$msi_file")" /qn /l*v "$(p "$artifacts/msiexec-install.log")" \
  || fail "msiexec /i failed (see msiexec-install.log)"
for f in kryphal-desktop.exe kryphal.exe WebView2Loader.dll kryphal.ico; do
  [[ -f $progfiles/$f ]] || fail "not installed: Program Files\\Kryphål\\$f"
done
cmp -s "$progfiles/kryphal.exe" "$stage/kryphal.exe" || fail "the installed kryphal.exe is not the built one"
reg_value 'HKLM\Software\Classes\.kryphal' | grep -q 'Kryphal.Bundle' || fail ".kryphal is not associated"
reg_value 'HKLM\Software\Classes\Kryphal.Bundle\shell\open\command' | grep -qF '"C:\Program Files\Kryph?l\kryphal-desktop.exe" "%1"' \
  || fail "the open verb is not $(reg_value 'HKLM\Software\Classes\Kryphal.Bundle\shell\open\command')"
reg_value 'HKLM\Software\Classes\Kryphal.Bundle\DefaultIcon' | grep -qF 'C:\Program Files\Kryph?l\kryphal.ico' || fail "no icon for .kryphal"
lnk=$(shortcut) || fail "no Start-menu shortcut Kryphål.lnk"
reg_value 'HKLM\Software\Classes\Kryphal.Bundle\shell\open\command' >"$artifacts/registry-open-command.txt"
side=windows
installed_cli=$progfiles/kryphal.exe
wine "$installed_cli" list --json >"$out/installed-list.json" 2>"$out/installed-list.err" \
  || fail "the installed kryphal.exe does not run: $(cat "$out/installed-list.err")"
wine 'C:\Program Files\Kryphål\kryphal.exe' --version >"$out/installed-version.txt" 2>&1 \
  || fail "the installed kryphal.exe does not start by its Windows path"
grep -q "kryphal $version" "$out/installed-version.txt" || fail "the installed kryphal.exe says $(cat "$out/installed-version.txt")"
pass "msiexec /i /qn: files in Program Files\\Kryphål, .kryphal → \"…\\kryphal-desktop.exe\" \"%1\" in HKLM, shortcut ${lnk#"$WINEPREFIX/drive_c/"}, the installed CLI runs"

# The installed desktop app on a machine without WebView2 (Wine has none): a message, not silence.
if command -v Xvfb >/dev/null && start_xvfb "$artifacts/xvfb.log"; then
  wine "$progfiles/kryphal-desktop.exe" >"$out/desktop.out" 2>"$out/desktop.err" &
  desktop=$!
  box=''
  for _ in $(seq 100); do
    box=$(xdotool search --name '^Kryphål$' 2>/dev/null | head -n1) && [[ -n $box ]] && break
    kill -0 "$desktop" 2>/dev/null || break
    sleep 0.2
  done
  [[ -n $box ]] || fail "no message box appeared: $(cat "$out/desktop.err")"
  sleep 1
  /usr/bin/import -display "$DISPLAY" -window root "$artifacts/webview2-missing.png" 2>/dev/null || true
  xdotool key --window "$box" Return 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$desktop" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$desktop" 2>/dev/null && fail "the app did not end after its message box was closed"
  set +e; wait "$desktop"; status=$?; set -e
else
  set +e; wine "$progfiles/kryphal-desktop.exe" >"$out/desktop.out" 2>"$out/desktop.err"; status=$?; set -e
fi
(( status == 3 )) || fail "kryphal-desktop.exe without WebView2 ended with $status, not 3: $(cat "$out/desktop.err")"
grep -q 'WebView2 Runtime saknas' "$out/desktop.err" || fail "the message does not say WebView2 is missing: $(cat "$out/desktop.err")"
grep -q 'MicrosoftEdgeWebView2RuntimeInstallerX64.exe /silent /install' "$out/desktop.err" || fail "the message does not say what IT must install"
cp "$out/desktop.err" "$artifacts/webview2-missing.txt"
pass "the installed kryphal-desktop.exe without WebView2 shows what IT must install (message box$( [[ -f $artifacts/webview2-missing.png ]] && echo ', screenshot webview2-missing.png'))"

# A newer MSI upgrades in place; an older one is then refused.
newer=$(echo "$version" | awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }')
packaging/build-windows.sh --version "$newer" >"$artifacts/build-newer.log" 2>&1 || fail "the $newer MSI did not build"
newer_msi=$root/target/windows/kryphal-$newer-x64.msi
wine msiexec /i "$(p "$newer_msi")" /qn /l*v "$(p "$artifacts/msiexec-upgrade.log")" || fail "the upgrade to $newer failed"
uninstall_keys() {
  wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null | ascii \
    | awk '/^HKEY/ { key = $0 } /DisplayName/ && /Kryph\?l/ { print key }'
}
keys=$(uninstall_keys | wc -l)
(( keys == 1 )) || fail "after the upgrade $keys products named Kryphål are installed, not 1"
wine reg query "$(uninstall_keys)" /v DisplayVersion 2>/dev/null | tr -d '\r' | grep -q "$newer" || fail "the installed version is not $newer"
[[ -f $progfiles/kryphal.exe ]] || fail "the upgrade removed the program"
set +e; wine msiexec /i "$(p "$msi_file")" /qn >/dev/null 2>&1; status=$?; set -e
(( status != 0 )) || fail "the older MSI installed over the newer one"
wine reg query "$(uninstall_keys)" /v DisplayVersion 2>/dev/null | tr -d '\r' | grep -q "$newer" || fail "the downgrade attempt changed the installed version"
pass "a $newer MSI upgrades $version in place (one product installed), the older one is refused (exit $status)"

# Removal: the program, the association and the shortcut go; the user's library stays.
wine msiexec /x "$(p "$newer_msi")" /qn /l*v "$(p "$artifacts/msiexec-remove.log")" || fail "msiexec /x failed"
[[ ! -e $progfiles/kryphal.exe && ! -e $progfiles/kryphal-desktop.exe ]] || fail "the program is still there after removal"
if shortcut >/dev/null; then fail "the shortcut is still there after removal: $(shortcut)"; fi
if wine reg query 'HKLM\Software\Classes\Kryphal.Bundle' >/dev/null 2>&1; then fail "the ProgID is still registered"; fi
if wine reg query 'HKLM\Software\Classes\.kryphal' >/dev/null 2>&1; then fail "the .kryphal association is still registered"; fi
(( $(uninstall_keys | wc -l) == 0 )) || fail "Kryphål is still listed as installed"
[[ -f $local_dir/library.kryphal ]] || fail "removing the program removed the user's library"
side=windows
run after-removal.json --library "$(p "$local_dir/library.kryphal")" list --json
pass "msiexec /x /qn: program, association and shortcut gone; the library in %LOCALAPPDATA% is intact and opens"

say "all $checks checks passed in $(( $(date +%s) - started )) s"
