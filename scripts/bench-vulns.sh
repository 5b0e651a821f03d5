#!/usr/bin/env bash
# Times the vulnerability database and matching (docs/benchmarks.md, "Vulnerabilities"):
#   1. import of all of the shared OSV exports into an empty database;
#   2. database load at scan start (ospo vulns on an empty inventory: open + index read);
#   3. matching a 100,000-component SBOM drawn from real advisories (scripts/make-vuln-bench.py),
#      against reading that SBOM alone (--no-vulns), so the cost of matching itself shows;
#   4. side by side with cargo-audit on the shared Cargo.lock files, when cargo-audit is installed
#      (cargo install cargo-audit --locked), and the findings compared (scripts/compare-cargo-audit.py).
# Needs hyperfine (apt-get install hyperfine). Results go to target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${OSPO_TEST_DATA:-../shared/data}
work=${BENCH_DIR:-/tmp/ospo-vuln-bench}
res=target/bench
mkdir -p "$res" "$work"
cargo build --release --quiet --bin ospo
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
ospo=$target/release/ospo
db=$work/db

python3 scripts/make-vuln-bench.py --osv "$data/osv" --out "$work/bom.cdx.json" --components "${COMPONENTS:-100000}"
mkdir -p "$work/empty"
rm -rf "$db"; "$ospo" db --db "$db" import -q "$data/osv" 2>/dev/null || true

hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$res/vulns.md" --export-json "$res/vulns.json" \
  --prepare "rm -rf $work/db-import" \
  -n "db import (all shared OSV exports)" "$ospo db --db $work/db-import import -q $data/osv" \
  -n "database load (empty inventory)" "$ospo vulns -q --db $db --fail-on never $work/empty" \
  -n "read 100k-component SBOM (scan --no-vulns)" "$ospo scan -q --no-vulns -f json -o /dev/null $work/bom.cdx.json" \
  -n "read + match 100k components (vulns)" "$ospo vulns -q --db $db --fail-on never -f json -o /dev/null $work/bom.cdx.json"

audit=${CARGO_AUDIT:-$(command -v cargo-audit || echo /tmp/cargo-audit/bin/cargo-audit)}
if [ -x "$audit" ]; then
  locks=$(find "$data/lockfiles" -name Cargo.lock | sort)
  args=()
  for l in $locks; do
    args+=(-n "cargo-audit $(basename "$(dirname "$l")")" "$audit audit --db $data/rustsec-advisory-db --no-fetch --stale -q -f $l")
    args+=(-n "ospo vulns $(basename "$(dirname "$l")")" "$ospo vulns -q --db $db --fail-on never $l")
  done
  hyperfine --warmup 1 --runs "${RUNS:-5}" -i --export-markdown "$res/cargo-audit.md" "${args[@]}"
  python3 scripts/compare-cargo-audit.py --ospo "$ospo" --db "$db" --cargo-audit "$audit" \
    --advisory-db "$data/rustsec-advisory-db" "$data/lockfiles" | tee "$res/cargo-audit-diff.txt"
else
  echo "cargo-audit not installed; skipped the comparison"
fi
