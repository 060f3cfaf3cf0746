#!/usr/bin/env bash
# Offline proof for the command line: import, screen, findings, search and every export
# format run inside a network namespace of their own (unshare -n), where there is no network
# at all, not even a loopback that is up. Each command must succeed there, and strace must
# see no attempt to open an internet socket (AF_INET / AF_INET6).
#
#   tests/no-network.sh [PATH-TO-kryphal]     (default: target/debug/kryphal; needs root)
#
# The desktop app's main path gets the same proof in the end-to-end runner (tests/e2e).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/target/debug/kryphal}
[[ -x $bin ]] || { echo "no-network: $bin not built (cargo build -p kryphal-cli)" >&2; exit 1; }

if ! unshare -n true 2>/dev/null; then
  # Creating a network namespace needs root (or user namespaces); CI runs as root.
  if [[ -n ${CI:-} ]]; then
    echo "no-network: unshare -n is not permitted here, and CI needs this proof" >&2
    exit 1
  fi
  echo "no-network: SKIPPED (unshare -n not permitted; run as root)"
  exit 0
fi
command -v strace >/dev/null || { echo "no-network: strace missing (apt-get install strace)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kryphal-offline.XXXXXX")
trap 'rm -rf "$work"' EXIT
export KRYPHAL_LIBRARY=$work/library.kryphal KRYPHAL_USER=offline KRYPHAL_CONFIG_DIR=$work/config
unset KRYPHAL_RULEBOOK

fail() { echo "no-network: FAILED: $*" >&2; exit 1; }

# The namespace really has no network: only the loopback interface, and it is down.
ifaces=$(unshare -n cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')
[[ $ifaces == "lo " ]] || fail "the namespace has interfaces: $ifaces"
if unshare -n bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null; then
  fail "a connection could be opened inside the namespace"
fi
# The watch below sees an attempt when there is one: a shell trying to connect is caught.
unshare -n strace -f -qq -e trace=socket,connect -o "$work/probe.trace" \
  bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null || true
grep -qE 'AF_INET6?\b' "$work/probe.trace" || fail "strace did not see a probe's connection attempt"

checks=0
# offline NAME CMD...: runs the CLI in a fresh network namespace under strace; the command must
# succeed and open no internet socket. Its stdout is left in $work/NAME.out.
offline() {
  local name=$1
  shift
  if ! unshare -n strace -f -qq -e trace=socket,connect -o "$work/$name.trace" \
      "$bin" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    cat "$work/$name.err" >&2
    fail "kryphal $* failed without a network"
  fi
  if grep -E 'AF_INET6?\b' "$work/$name.trace" >&2; then
    fail "kryphal $* tried to open an internet socket"
  fi
  checks=$((checks + 1))
}

fixtures=$root/crates/kryphal-ingest/tests/fixtures
offline import import --json "$root/crates/kryphal-app/sample/reglemente-kundval-hemtjanst.md" \
  "$fixtures/riktlinje.docx" "$fixtures/riktlinje.pdf" "$fixtures/riktlinje.odt"
[[ $(grep -o '"ok": *true' "$work/import.out" | wc -l) -eq 4 ]] || fail "not all four files imported: $(cat "$work/import.out")"

offline list list
[[ $(wc -l <"$work/list.out") -eq 4 ]] || fail "list shows $(wc -l <"$work/list.out") documents, not 4"
doc=$(grep -i "reglemente för kundval" "$work/list.out" | head -n 1 | cut -f1)
[[ -n $doc ]] || fail "the sample document is not listed"

offline screen screen "$doc"
grep -q 'open' "$work/screen.out" || fail "screening found nothing in the sample"

offline show show "$doc"
clause=$(awk -F'\t' 'NF >= 3 { print $1; exit }' "$work/show.out")
echo '{"unintended_consequence": "Gamla utdrag godtas offline.", "crime_types": ["BED"], "likelihood": 3, "impact": 4, "status": "agreed", "proposed_wording": "Utdraget får vara högst tre månader gammalt."}' \
  >"$work/finding.json"
offline finding finding add "$clause" --json "$work/finding.json"

offline search search belastningsregister --json
grep -q '"hits"' "$work/search.out" || fail "search gave no result object"
grep -qi 'belastningsregist' "$work/search.out" || fail "search found nothing for belastningsregister"
offline search-finding search "utdrag godtas offline"
grep -q . "$work/search-finding.out" || fail "search did not find the new finding"

for format in memo-docx memo-pdf tracked-docx xlsx csv md html json; do
  out=$work/export.$format
  offline "export-$format" export "$doc" --format "$format" --out "$out"
  [[ -s $out ]] || fail "export $format wrote nothing"
done

echo "no-network: $checks commands ran without a network and opened no internet socket"
