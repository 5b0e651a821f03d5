#!/usr/bin/env bash
# Times whole `ospo scan` runs on a synthetic monorepo (see scripts/make-bench-tree.py):
#   1. against ospo's own walk that reads every wanted file but parses nothing (--read-only), the
#      floor a scan cannot beat, and `find | xargs cat` as an outside reference;
#   2. peak memory and CPU use at two tree sizes (memory must follow the inventory, not the tree);
#   3. side by side with cdxgen (npm @cyclonedx/cdxgen, offline) on the shared corpus.
# Needs hyperfine and GNU time (apt-get install hyperfine time). Results go to target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${OSPO_TEST_DATA:-../shared/data}
copies=${COPIES:-40}
work=${BENCH_DIR:-/tmp/ospo-bench}
res=target/bench
mkdir -p "$res" "$work"
cargo build --release --quiet --bin ospo
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
ospo=$target/release/ospo

python3 scripts/make-bench-tree.py --corpus "$data/lockfiles" --out "$work/big" --copies "$copies" | tee "$res/tree.txt"
python3 scripts/make-bench-tree.py --corpus "$data/lockfiles" --out "$work/small" --copies $((copies / 4)) | tee -a "$res/tree.txt"
names='-name Cargo.lock -o -name package-lock.json -o -name yarn.lock -o -name pnpm-lock.yaml -o -name *.txt -o -name poetry.lock -o -name Pipfile.lock -o -name uv.lock -o -name go.mod -o -name pom.xml -o -name gradle.lockfile -o -name Gemfile.lock -o -name composer.lock -o -name packages.lock.json -o -name mix.lock -o -name pubspec.lock -o -name Package.resolved'

hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$res/scan.md" --export-json "$res/scan.json" \
  -n "walk + read only (ospo --read-only)" "$ospo scan -q --read-only $work/big -f json" \
  -n "find | xargs cat (1 thread)" "find $work/big -type f \\( $names \\) -print0 | xargs -0 cat > /dev/null" \
  -n "ospo scan (full)" "$ospo scan -q $work/big -f json -o /dev/null" \
  -n "ospo sbom cyclonedx" "$ospo sbom -q $work/big -o /dev/null"

for size in small big; do
  for mode in "--read-only" ""; do
    /usr/bin/time -f "$size ${mode:-full}: %e s wall, %U s user, %S s sys, %P CPU, %M KiB max RSS" \
      "$ospo" scan -q $mode "$work/$size" -f json -o /dev/null 2>> "$res/resources.txt" || true
  done
done
cat "$res/resources.txt"

# Side by side with cdxgen on the shared corpus (one copy), offline.
cdxgen=${CDXGEN:-$(command -v cdxgen || echo /tmp/cdxgen/node_modules/.bin/cdxgen)}
if [ -x "$cdxgen" ]; then
  corpus="$work/big/org-0/team-0/repo-0"
  export CDXGEN_NO_BANNER=true FETCH_LICENSE=false CDXGEN_TEMP_DIR="$work/cdxgen-tmp"
  hyperfine --warmup 1 --runs "${RUNS:-3}" --export-markdown "$res/cdxgen.md" -i \
    -n "ospo sbom" "$ospo sbom -q $corpus -o $res/ospo.cdx.json" \
    -n "cdxgen -r (no install)" "$cdxgen -r --no-install-deps --no-babel -o $res/cdxgen.cdx.json $corpus"
  python3 - "$res/ospo.cdx.json" "$res/cdxgen.cdx.json" <<'PY' | tee "$res/cdxgen-components.txt"
import json, sys
def purls(path):
    d = json.load(open(path))
    out, stack = set(), list(d.get("components", []))
    while stack:
        c = stack.pop()
        if c.get("purl"):
            out.add(c["purl"].split("?")[0].lower())
        stack.extend(c.get("components", []))
    return out
o, c = purls(sys.argv[1]), purls(sys.argv[2])
print(f"distinct purls: ospo {len(o)}, cdxgen {len(c)}, both {len(o & c)}, only ospo {len(o - c)}, only cdxgen {len(c - o)}")
PY
else
  echo "cdxgen not installed (npm install @cyclonedx/cdxgen); skipped the comparison" | tee "$res/cdxgen-components.txt"
fi
