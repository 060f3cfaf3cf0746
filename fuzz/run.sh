#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after the other, and reports the
# executions of each. Exits 1 if any target found a crash, a hang or an out-of-memory; the
# input that caused it is kept under fuzz/artifacts/TARGET/ and named in the report.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      (0 seconds: skip, without building)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). libFuzzer's sanitizer flags are
# nightly-only; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them, so no nightly is
# needed. The seeds are the project's own test fixtures (copied into fuzz/corpus/, which is
# not committed) plus the small hand-made inputs in fuzz/seeds/, among them small
# versions of the hostile shapes of issue 21 (a lettered list from 200,000,000, one
# footnote cited hundreds of times, deeply nested tables, unmatched closing tags, a
# page of `q` operators, a page-tree loop, UTF-16 without a BOM, hidden characters).
# For a run that matters beyond CI's 30 s, give minutes: `fuzz/run.sh 900 ingest_pdf`.
#
# The bundle target is seeded with a bundle of the sample document, made with the debug CLI
# (target/debug/kryphal) when it has been built; without it the target starts from nothing.
set -euo pipefail

fuzz=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$fuzz")
cd "$fuzz"

seconds=${1:-60}
shift || true
targets=("$@")
if (( ${#targets[@]} == 0 )); then
  targets=(ingest_docx ingest_pdf ingest_odt ingest_html ingest_markdown ingest_text rulebook search_query bundle)
fi
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz/run.sh: SECONDS must be a number, not $seconds" >&2; exit 2; }
if (( seconds == 0 )); then
  echo "fuzz: SKIPPED (0 seconds asked for)"
  exit 0
fi

if [[ -d $HOME/.cargo/bin && :$PATH: != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo-fuzz >/dev/null || { echo "fuzz/run.sh: cargo-fuzz missing: cargo install cargo-fuzz --locked" >&2; exit 1; }
export RUSTC_BOOTSTRAP=1

# seed TARGET FILE...: copies the project's own fixtures into the target's working corpus.
seed() {
  local target=$1 file
  shift
  mkdir -p "corpus/$target"
  for file in "$@"; do
    [[ -f $file ]] && cp -n "$file" "corpus/$target/"
  done
  return 0
}
fixtures=$root/crates/kryphal-ingest/tests/fixtures
sample=$root/crates/kryphal-app/sample
seed ingest_docx "$fixtures"/*.docx
seed ingest_pdf "$fixtures"/*.pdf
seed ingest_odt "$fixtures"/*.odt
seed ingest_html
seed ingest_markdown "$sample"/*.md "$root"/docs/*.md
seed ingest_text "$sample"/*.md "$fixtures"/src/*.fodt
# The rulebook target reads "FILE-IN-PACK\nCONTENT": one seed per file of the default pack.
mkdir -p corpus/rulebook
(
  cd "$root/rulebooks/bra-mur-sv"
  find . -name '*.toml' | sed 's|^\./||' | while read -r file; do
    { printf '%s\n' "$file"; cat "$file"; } >"$fuzz/corpus/rulebook/${file//\//_}"
  done
)
mkdir -p corpus/search_query corpus/bundle
cli=$root/target/debug/kryphal
if [[ -x $cli && ! -f corpus/bundle/sample.kryphal ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-fuzz-seed.XXXXXX")
  if "$cli" --library "$work/lib.sqlite" import "$sample/reglemente-kundval-hemtjanst.md" >/dev/null 2>&1 \
    && "$cli" --library "$work/lib.sqlite" bundle export Reglemente --out "$work/s.kryphal" >/dev/null 2>&1; then
    cp "$work/s.kryphal" corpus/bundle/sample.kryphal
  fi
  rm -rf "$work"
fi

echo "==> building the fuzz targets (cargo fuzz build: release, debug assertions, AddressSanitizer)"
build_start=$(date +%s)
log=$(mktemp "${TMPDIR:-/tmp}/kryphal-fuzz-build.XXXXXX")
if ! cargo fuzz build >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  rm -f "$log"
  echo "fuzz/run.sh: the fuzz targets did not build" >&2
  exit 1
fi
rm -f "$log"
echo "    built in $(( $(date +%s) - build_start )) s"

failed=()
total=0
for target in "${targets[@]}"; do
  log=$(mktemp "${TMPDIR:-/tmp}/kryphal-fuzz-$target.XXXXXX")
  dirs=("corpus/$target")
  [[ -d seeds/$target ]] && dirs+=("seeds/$target")
  status=0
  cargo fuzz run "$target" "${dirs[@]}" -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  runs=${runs:-0}
  total=$(( total + runs ))
  if (( status != 0 )); then
    artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n 1 | sed 's/Test unit written to //')
    printf '%-16s %10s runs  FAILED (exit %d) %s\n' "$target" "$runs" "$status" "${artifact:-}"
    grep -E '^(thread .* panicked|==[0-9]+==ERROR|SUMMARY|ERROR: libFuzzer)' "$log" | head -n 5 | sed 's/^/    /'
    failed+=("$target")
  else
    printf '%-16s %10s runs  ok (%s s)\n' "$target" "$runs" "$seconds"
  fi
  rm -f "$log"
done

echo "fuzz: ${#targets[@]} targets, $total executions in all${failed:+; failed: ${failed[*]}}"
echo "fuzz: $(( ${#targets[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
(( ${#failed[@]} == 0 ))
