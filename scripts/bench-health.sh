#!/usr/bin/env bash
# Times `ospo health` on a long history (30,000 synthetic commits by 300 authors, merges,
# tags, 2,000 files; built by scripts/make-long-history.py with git fast-import) against
# `git log --numstat` and `git log` of headers and messages reading the same history, then
# the repositories per minute on a folder of 20 clones. Figures: docs/health.md.
#
#   scripts/bench-health.sh [OSPO_BINARY]   (default: $CARGO_TARGET_DIR/release/ospo, else
#                                            target/release/ospo)
#   N=100000 scripts/bench-health.sh        (a longer history)
set -euo pipefail
cd "$(dirname "$0")/.."
OSPO=${1:-${CARGO_TARGET_DIR:-target}/release/ospo}
N=${N:-30000}
CLONES=${CLONES:-20}
WORK=${WORK:-$(mktemp -d)}
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
[ -x "$OSPO" ] || { echo "no ospo binary at $OSPO (cargo build --release -p ospo)" >&2; exit 2; }

repo="$WORK/long"
if [ ! -d "$repo" ]; then
  git init -q -b main "$repo"
  python3 scripts/make-long-history.py "$N" | git -C "$repo" fast-import --quiet --done
  git -C "$repo" gc -q
fi
commits=$(git -C "$repo" rev-list --count HEAD)

best() { # best of 3 wall-clock seconds of a command
  local best=999999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $e - $s))")
  done
  printf '%.3f' "$best"
}

numstat=$(best git -C "$repo" log --numstat)
headers=$(best git -C "$repo" log --format='%H %an %ae %at %cn %ce %ct%n%B')
health=$(best "$OSPO" health --as-of 2025-01-01 -f json "$repo")
echo "history: $commits commits"
echo "git log --numstat:                   ${numstat} s"
echo "git log (headers and messages):      ${headers} s"
echo "ospo health (history + files + score): ${health} s"

folder="$WORK/clones"
if [ ! -d "$folder" ]; then
  mkdir -p "$folder"
  for i in $(seq 1 "$CLONES"); do git clone -q --bare "$repo" "$folder/r$i.git"; done
fi
all=$(best "$OSPO" health --as-of 2025-01-01 -f json "$folder")
python3 -c "print(f'folder of $CLONES clones of $commits commits: ${all} s, {60 * $CLONES / $all:.0f} repositories per minute')"
echo "(work folder: $WORK)"
