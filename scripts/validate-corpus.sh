#!/usr/bin/env bash
# Scans the shared lockfile corpus (or the folder given), writes CycloneDX 1.6 JSON, SPDX 2.3 JSON
# and SPDX tag-value SBOMs, validates each with the official validators, and reads each back.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${OSPO_TEST_DATA:-../shared/data}
corpus=${1:-$data/lockfiles}
if [ ! -d "$corpus" ]; then
  echo "skipped: no corpus at $corpus (set OSPO_TEST_DATA)" >&2
  exit 0
fi
cargo build --quiet --locked --bin ospo
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
ospo=$target/debug/ospo
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SOURCE_DATE_EPOCH=1700000000
write() { # FORMAT PATH OUT
  "$ospo" sbom -q "$2" -f "$1" -o "$3" 2> "$out/stderr" || { cat "$out/stderr" >&2; echo "ospo sbom -f $1 $2 failed" >&2; exit 1; }
}
write cyclonedx-json "$corpus" "$out/corpus.cdx.json"
write spdx-json "$corpus" "$out/corpus.spdx.json"
write spdx-tag-value "$corpus" "$out/corpus.spdx"
# CycloneDX's validator takes the whole corpus; spdx-tools' validation is quadratic in the number of
# packages (a 17,000-package document takes over 10 minutes), so SPDX is validated per ecosystem
# folder, with one npm project standing in for the very large npm lockfiles.
docs=("$out/corpus.cdx.json")
for dir in "$corpus"/*/ "$corpus/npm/phoenix/"; do
  name=$(basename "$dir")
  [ "$name" = npm ] && continue
  write spdx-json "$dir" "$out/$name.spdx.json"
  write spdx-tag-value "$dir" "$out/$name.spdx"
  docs+=("$out/$name.spdx.json" "$out/$name.spdx")
done
python3 scripts/validate-sboms.py "${docs[@]}"
# Round trip through the CLI: the components read back equal the components written.
for f in corpus.cdx.json corpus.spdx.json corpus.spdx; do
  n_in=$("$ospo" scan -q "$corpus" -f json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len({c["purl"] for r in d["repositories"] for p in r["projects"] for c in p["components"]}))')
  n_out=$("$ospo" scan -q "$out/$f" -f json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len({c["purl"] for r in d["repositories"] for p in r["projects"] for c in p["components"]}))')
  if [ "$n_in" != "$n_out" ]; then
    echo "round trip through $f: $n_in distinct purls written, $n_out read back" >&2
    exit 1
  fi
  echo "round trip through $f: $n_out distinct purls"
done
