#!/usr/bin/env bash
# Kryphål for Windows, built on Linux: kryphal.exe (the command line) and kryphal-desktop.exe
# for x86_64-pc-windows-gnu with Debian's MinGW-w64, WebView2Loader.dll from the webview2-com-sys
# crate, and the MSI (wixl, from packaging/windows/kryphal.wxs), everything signed and verified.
#
#   packaging/build-windows.sh [--setup] [--cli-only] [--no-msi] [--version X.Y.Z]
#
#   --setup       only install what the build needs (Debian packages, the Rust target), then stop
#   --cli-only    build only kryphal.exe (what the Wine tests of the core need), no MSI
#   --no-msi      build both programs, stage them, no MSI
#   --version V   the MSI's ProductVersion (default: the workspace version); tests/windows.sh
#                 builds a second MSI with a higher one to prove an upgrade in place
#
# It installs what it needs when missing (apt-get, as root or with sudo; rustup target add):
# gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wixl msitools osslsigncode openssl, and the Rust
# target x86_64-pc-windows-gnu. None of it is in `./dev.sh setup`: CI does not build for Windows.
#
# Output, in target/windows/ (its own cargo target dir, so a Linux build runs beside it):
#   stage/            kryphal-desktop.exe kryphal.exe WebView2Loader.dll kryphal.ico (signed exes)
#   kryphal-X.Y.Z-x64.msi   signed
#   test-cert/        the throw-away signing certificate (cert.pem: what `osslsigncode verify
#                     -CAfile` needs; its key never leaves this folder)
# The MSI's path is the last line printed.
#
# Signing: with KRYPHAL_SIGN_PKCS12=FILE (and KRYPHAL_SIGN_PASSWORD_FILE=FILE) the exes and the
# MSI are signed with that certificate instead (a municipality's or supplier's); without, with a
# throw-away self-signed test certificate made here, which proves the pipeline but is trusted by
# no Windows machine. No timestamp is added: that needs a timestamp server (the network).
#
# Cost: a cold release build of both programs for Windows is long on two cores (tens of minutes:
# OpenSSL and SQLCipher in C, typst, tantivy, Tauri); nothing of it runs in CI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target=x86_64-pc-windows-gnu
out=$root/target/windows
stage=$out/stage
certdir=$out/test-cert

say() { printf 'build-windows: %s\n' "$*" >&2; }
die() { printf 'build-windows: error: %s\n' "$*" >&2; exit 1; }

setup_only=0 cli_only=0 no_msi=0 version=''
while (( $# )); do
  case $1 in
    --setup) setup_only=1 ;;
    --cli-only) cli_only=1 ;;
    --no-msi) no_msi=1 ;;
    --version) shift; version=${1:-} ;;
    --version=*) version=${1#--version=} ;;
    -h | --help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
if [[ -z $version ]]; then
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
fi
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "the version must be X.Y.Z, not '$version'"

if [[ -d $HOME/.cargo/bin && :$PATH: != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

# ------------------------------------------------------------------------------- setup

APT_PACKAGES=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wixl msitools osslsigncode openssl)

setup() {
  command -v dpkg-query >/dev/null || die "this script expects Debian/Ubuntu (dpkg-query not found)"
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]] || missing+=("$pkg")
  done
  if (( ${#missing[@]} )); then
    local sudo=()
    if (( EUID != 0 )); then
      command -v sudo >/dev/null || die "missing packages: ${missing[*]}; as root: apt-get install ${missing[*]}"
      sudo=(sudo)
    fi
    say "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup"
  if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
    command -v rustup >/dev/null || die "the Rust target $target is missing and there is no rustup to add it"
    say "adding the Rust target $target"
    rustup target add "$target" >/dev/null
  fi
}

setup
(( setup_only )) && { say "setup done"; exit 0; }

# ------------------------------------------------------------------------------- build

# The desktop app embeds ui/dist; build it when it is missing.
if (( ! cli_only )) && [[ ! -f ui/dist/index.html ]]; then
  say "building the UI (ui/dist)"
  [[ -d ui/node_modules ]] || npm --prefix ui ci --no-audit --no-fund --loglevel=error
  npm --prefix ui run build >/dev/null
fi

packages=(-p kryphal-cli)
(( cli_only )) || packages+=(-p kryphal-desktop)
say "cargo build --release --target $target ${packages[*]} (into $out)"
started=$(date +%s)
# Lean release: no debug info, no incremental state; the dev profile's per-package opt-levels do
# not apply (release optimises everything). One cargo call, so both programs share one build.
CARGO_TARGET_DIR=$out CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_INCREMENTAL=0 \
  cargo build --release --locked --target "$target" "${packages[@]}"
say "built in $(( $(date +%s) - started )) s"

bin=$out/$target/release
rm -rf "$stage"
mkdir -p "$stage"
cp "$bin/kryphal.exe" "$stage/"

# The PE subsystem: the CLI is a console program (3), the desktop app a GUI program (2), so it
# opens no console window.
subsystem() { x86_64-w64-mingw32-objdump -p "$1" | awk '/^Subsystem/ { print $2 + 0; exit }'; }
[[ $(subsystem "$stage/kryphal.exe") == 3 ]] || die "kryphal.exe is not a console program"

if (( ! cli_only )); then
  cp "$bin/kryphal-desktop.exe" "$stage/"
  [[ $(subsystem "$stage/kryphal-desktop.exe") == 2 ]] || die "kryphal-desktop.exe is not a GUI-subsystem program"
  # WebView2Loader.dll ships inside the webview2-com-sys crate (the locked version): the gnu
  # target loads it from beside the exe. Nothing is downloaded.
  manifest=$(cargo metadata --format-version 1 --locked --filter-platform "$target" 2>/dev/null \
    | grep -o '"manifest_path":"[^"]*/webview2-com-sys-[0-9][^"/]*/Cargo.toml"' | head -n1 | cut -d'"' -f4)
  [[ -n $manifest ]] || die "webview2-com-sys is not in the dependency graph (cargo metadata)"
  loader=$(dirname "$manifest")/x64/WebView2Loader.dll
  [[ -f $loader ]] || die "$loader missing"
  cp "$loader" "$stage/"
  x86_64-w64-mingw32-objdump -p "$stage/kryphal-desktop.exe" | grep -qi 'DLL Name: WebView2Loader.dll' \
    || say "note: kryphal-desktop.exe does not import WebView2Loader.dll (linked statically?)"
  cp src-tauri/icons/icon.ico "$stage/kryphal.ico"
fi

# ------------------------------------------------------------------------------- signing

# sign FILE: Authenticode (SHA-256) in place, then verified against the certificate.
sign_args=()
verify_args=()
prepare_signing() {
  if [[ -n ${KRYPHAL_SIGN_PKCS12:-} ]]; then
    [[ -f $KRYPHAL_SIGN_PKCS12 ]] || die "KRYPHAL_SIGN_PKCS12: $KRYPHAL_SIGN_PKCS12 not found"
    sign_args=(-pkcs12 "$KRYPHAL_SIGN_PKCS12")
    [[ -n ${KRYPHAL_SIGN_PASSWORD_FILE:-} ]] && sign_args+=(-readpass "$KRYPHAL_SIGN_PASSWORD_FILE")
    verify_args=()
    say "signing with $KRYPHAL_SIGN_PKCS12"
    return
  fi
  if [[ ! -f $certdir/cert.pem || ! -f $certdir/key.pem ]]; then
    say "making a throw-away test signing certificate in $certdir"
    mkdir -p "$certdir"
    chmod 700 "$certdir"
    openssl req -x509 -newkey rsa:3072 -sha256 -days 30 -nodes -utf8 \
      -keyout "$certdir/key.pem" -out "$certdir/cert.pem" \
      -subj "/CN=Kryphål test signing (not trusted)/O=Kryphål" \
      -addext "keyUsage=critical,digitalSignature" \
      -addext "extendedKeyUsage=codeSigning" 2>/dev/null
  fi
  sign_args=(-certs "$certdir/cert.pem" -key "$certdir/key.pem")
  verify_args=(-CAfile "$certdir/cert.pem")
}

sign() {
  local file=$1 signed
  signed=$file.signed
  rm -f "$signed"
  osslsigncode sign "${sign_args[@]}" -h sha256 -n "Kryphål" -in "$file" -out "$signed" >"$file.sign.log" 2>&1 \
    || { cat "$file.sign.log" >&2; die "osslsigncode could not sign $file"; }
  rm -f "$file.sign.log"
  mv "$signed" "$file"
  osslsigncode verify "${verify_args[@]}" -in "$file" >"$file.verify.log" 2>&1 \
    || { cat "$file.verify.log" >&2; die "the signature of $file does not verify"; }
  say "signed and verified $(basename "$file")"
}

prepare_signing
for exe in "$stage"/*.exe; do
  sign "$exe"
done
mv "$stage"/*.verify.log "$out/" 2>/dev/null || true

if (( cli_only || no_msi )); then
  say "staged in $stage"
  echo "$stage"
  exit 0
fi

# ------------------------------------------------------------------------------- MSI

msi=$out/kryphal-$version-x64.msi
rm -f "$msi"
# wixl reads the files relative to its working folder.
(cd "$stage" && wixl -a x64 -D Version="$version" -o "$msi" "$root/packaging/windows/kryphal.wxs")
sign "$msi"
mv "$msi.verify.log" "$out/" 2>/dev/null || true
say "$(du -h "$msi" | cut -f1) $msi"
echo "$msi"
