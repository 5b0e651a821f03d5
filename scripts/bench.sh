#!/usr/bin/env bash
# Times whole `ospo scan` runs on a synthetic monorepo (see scripts/make-bench-tree.py):
#   1. against ospo's own walk that reads every wanted file but parses nothing (--read-only), the
#      floor a scan cannot beat, and `find | xargs cat` as an outside reference;
#   2. the same ratio interleaved round by round (scripts/bench-ratio.py), the goal's figure;
#   3. peak memory and CPU use at two tree sizes (memory must follow the inventory, not the tree);
#   4. with PEERS="npm corpus tree" (or a part), scripts/bench-peers.sh: ospo sbom beside cdxgen
#      and syft, offline.
# `fdfind` / `rg --files` (apt-get install fd-find ripgrep), when installed, time a bare parallel
# walk with the same `ignore` machinery: the floor for ospo's walk.
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

floors=()
if command -v fdfind > /dev/null; then
  floors+=(-n "fd -u (walk only, 2 threads)" "fdfind -u -t f . $work/big")
fi
if command -v rg > /dev/null; then
  floors+=(-n "rg --files (walk only, 2 threads)" "rg --files --hidden --no-ignore-vcs $work/big")
fi
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$res/scan.md" --export-json "$res/scan.json" \
  "${floors[@]}" \
  -n "walk + read only (ospo --read-only)" "$ospo scan -q --read-only $work/big -f json" \
  -n "find | xargs cat (1 thread)" "find $work/big -type f \\( $names \\) -print0 | xargs -0 cat > /dev/null" \
  -n "ospo scan (full)" "$ospo scan -q $work/big -f json -o /dev/null" \
  -n "ospo sbom cyclonedx" "$ospo sbom -q $work/big -o /dev/null"

# The goal's ratio (scan against its walk and read), interleaved round by round: hyperfine's
# blocks drift by up to 10 % on a shared machine, the size of what is measured.
python3 scripts/bench-ratio.py --runs "${RATIO_RUNS:-15}" "$ospo" "$work/big" | tee "$res/ratio.txt"

: > "$res/resources.txt"
for size in small big; do
  for mode in "--read-only" ""; do
    /usr/bin/time -a -o "$res/resources.txt" \
      -f "$size ${mode:-full}: %e s wall, %U s user, %S s sys, %P CPU, %M KiB max RSS" \
      "$ospo" scan -q $mode "$work/$size" -f json -o /dev/null > /dev/null 2>&1 || true
  done
done
cat "$res/resources.txt"

# Peer tools (cdxgen, syft) side by side, offline, with CPU time and peak RSS: scripts/bench-peers.sh.
if [ -n "${PEERS:-}" ]; then
  INPUTS=${PEERS} scripts/bench-peers.sh
fi
