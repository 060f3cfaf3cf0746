#!/usr/bin/env bash
# Dependency audit: known vulnerabilities in the Rust crates of Cargo.lock (cargo audit, the
# RustSec advisory database) and in the npm packages of ui/, tests/e2e/ and packaging/ (npm
# audit, high and critical ones).
#
#   tests/audit.sh
#
# Both databases are on the internet: RustSec's is a git repository on GitHub, npm's sits behind
# the registry's audit endpoint. Where one cannot be reached (a machine that reaches only the
# package registries' downloads, such as CI here), the script says so plainly, reports that
# part as NOT AUDITED and goes on (exit 0); KRYPHAL_AUDIT_STRICT=1 makes that a failure. A
# vulnerability that is found always fails.
#
# KRYPHAL_ADVISORY_DB=DIR uses a local clone of the RustSec advisory database, without fetching.
# Advisories that are ignored, each with its reason, are listed in .cargo/audit.toml.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ -d $HOME/.cargo/bin && :$PATH: != *":$HOME/.cargo/bin:"* ]]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi

not_audited=()
found=()

unreachable() {
  echo "audit: NOT AUDITED: $1"
  not_audited+=("$1")
}

# ------------------------------------------------------------------ Rust crates

rust_db=()
if [[ -n ${KRYPHAL_ADVISORY_DB:-} ]]; then
  rust_db=(--db "$KRYPHAL_ADVISORY_DB" --no-fetch)
elif ! timeout 30 git ls-remote --exit-code https://github.com/rustsec/advisory-db HEAD >/dev/null 2>&1; then
  unreachable "Rust crates: the RustSec advisory database cannot be fetched from this machine (set KRYPHAL_ADVISORY_DB to a local copy)"
  rust_db=(none)
fi
if [[ ${rust_db[0]:-} != none ]]; then
  if ! command -v cargo-audit >/dev/null; then
    echo "audit: installing cargo-audit (cargo install, a few minutes)"
    cargo install cargo-audit --locked --quiet
  fi
  echo "audit: cargo audit (Cargo.lock)"
  if ! cargo audit "${rust_db[@]}" --file Cargo.lock; then
    found+=("Rust crates (cargo audit above)")
  fi
fi

# ------------------------------------------------------------------ npm packages

# npm audit --json; node reads its answer: a report with counts, or an error from the endpoint.
npm_verdict() {
  node -e '
    let d;
    try { d = JSON.parse(require("fs").readFileSync(0, "utf8")); }
    catch { console.log("unreachable: no answer that could be read"); process.exit(0); }
    const v = d.metadata && d.metadata.vulnerabilities;
    if (!v) {
      const why = String(d.message || (d.error && d.error.summary) || "no audit report").split(" - ")[0];
      console.log("unreachable: " + why);
      process.exit(0);
    }
    const counts = `${v.critical || 0} critical, ${v.high || 0} high, ${v.moderate || 0} moderate, ${v.low || 0} low`;
    console.log(((v.high || 0) + (v.critical || 0) ? "found: " : "ok: ") + counts);
  '
}

npm_dirs=(ui tests/e2e packaging)
parts=$(( 1 + ${#npm_dirs[@]} ))
for dir in "${npm_dirs[@]}"; do
  verdict=$( (cd "$dir" && npm audit --json 2>/dev/null || true) | npm_verdict)
  case $verdict in
    ok:*) echo "audit: npm audit $dir: no high or critical vulnerability (${verdict#ok: })" ;;
    found:*)
      (cd "$dir" && npm audit --audit-level=high) || true
      found+=("npm packages of $dir (${verdict#found: })")
      ;;
    *) unreachable "npm packages of $dir: the registry's audit endpoint does not answer from this machine (${verdict#unreachable: })" ;;
  esac
done

# ------------------------------------------------------------------ verdict

if (( ${#found[@]} )); then
  echo "audit: FAILED: known vulnerabilities in: ${found[*]}"
  exit 1
fi
if (( ${#not_audited[@]} )); then
  if (( ${#not_audited[@]} == parts )); then
    echo "audit: NOTHING AUDITED: neither advisory database (RustSec, npm) can be reached from this machine"
  else
    echo "audit: ${#not_audited[@]} of $parts parts could not be audited here (see above); the others have no known vulnerability"
  fi
  [[ -z ${KRYPHAL_AUDIT_STRICT:-} ]] || exit 1
else
  echo "audit: no known vulnerability"
fi
