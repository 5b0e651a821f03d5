#!/usr/bin/env bash
# Licence detection: throughput of ospo, askalono and ScanCode on one real-world corpus, and
# ospo's agreement with ScanCode. Figures are written to docs/license-detection.md by hand.
#
#   scripts/bench-licenses.sh            # everything (ScanCode takes several minutes)
#   SKIP_SCANCODE=1 scripts/bench-licenses.sh
#
# Needs: python3, npm (for the corpus), and, unless skipped, network access to PyPI/crates.io
# for the peers: ScanCode toolkit in a venv under /tmp (pip install scancode-toolkit "pluggy<1.6":
# scancode 32.5's plugincode breaks with pluggy 1.6+), askalono-cli via cargo install into /tmp.
# Every tool runs single-threaded (ScanCode -n 1) on the same file list.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-/tmp/lic-corpus}
OUT=${OUT:-/tmp/lic-bench}
mkdir -p "$OUT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}

if [ ! -d /tmp/npm-corpus/node_modules ]; then
  mkdir -p /tmp/npm-corpus
  (cd /tmp/npm-corpus && npm init -y >/dev/null && npm install --no-audit --no-fund \
    express lodash react react-dom typescript @babel/core axios moment chalk rxjs webpack eslint \
    jquery vue @angular/core yargs commander debug uuid semver >/dev/null)
fi
[ -d "$CORPUS" ] || python3 scripts/gather-license-corpus.py "$CORPUS"
find "$CORPUS" -type f ! -name manifest.tsv | sort > "$OUT/files.list"
FILES=$(wc -l < "$OUT/files.list")
BYTES=$(xargs -d '\n' cat < "$OUT/files.list" | wc -c)
echo "corpus: $FILES files, $BYTES bytes"

cargo build --release -p ospo-license --example detect
OSPO="$CARGO_TARGET_DIR/release/examples/detect"

wall() { # wall-clock seconds of a command
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  python3 -c "print(f'{$t1-$t0:.3f}')"
}
report() { # name seconds
  python3 -c "s=$2; print(f'$1: {s:.2f} s, {$BYTES/1e6/s:.2f} MB/s, {$FILES/s:.1f} files/s')"
}

# ospo: best of 3 whole-command runs (detector construction and process start included).
"$OSPO" --list "$OUT/files.list" > "$OUT/ospo.jsonl"
best=999
for _ in 1 2 3; do
  s=$(wall "$OSPO" --quiet --list "$OUT/files.list")
  best=$(python3 -c "print(min($best, $s))")
done
report ospo "$best"
"$OSPO" --quiet --list "$OUT/files.list"   # prints construction time and in-process throughput

if [ -z "${SKIP_PEERS:-}" ]; then
  if [ ! -x /tmp/askalono/bin/askalono ]; then
    cargo install askalono-cli --root /tmp/askalono
  fi
  s=$(wall sh -c "/tmp/askalono/bin/askalono --format json identify --batch < '$OUT/files.list'")
  report "askalono identify (whole file)" "$s"
  # --optimize --multiple (find licences inside larger files, as ospo does) is quadratic on big
  # source files: on the whole corpus it had not finished after 388 s, so it runs on the
  # licence-file bucket only, under a time limit.
  grep '/license/' "$OUT/files.list" > "$OUT/license-files.list"
  LFILES=$(wc -l < "$OUT/license-files.list")
  LBYTES=$(xargs -d '\n' cat < "$OUT/license-files.list" | wc -c)
  s=$(wall timeout 900 sh -c "/tmp/askalono/bin/askalono --format json identify --optimize --multiple --batch < '$OUT/license-files.list'")
  python3 -c "s=$s; print(f'askalono identify --optimize --multiple, licence files only ($LFILES files, $LBYTES bytes): {s:.2f} s, {$LBYTES/1e6/s:.2f} MB/s, {$LFILES/s:.1f} files/s')"
  s=$(wall "$OSPO" --quiet --list "$OUT/license-files.list")
  python3 -c "s=$s; print(f'ospo, licence files only: {s:.2f} s, {$LBYTES/1e6/s:.2f} MB/s, {$LFILES/s:.1f} files/s')"
fi

if [ -z "${SKIP_SCANCODE:-}" ]; then
  if [ ! -x /tmp/sc-venv/bin/scancode ]; then
    python3 -m venv /tmp/sc-venv
    /tmp/sc-venv/bin/pip install -q scancode-toolkit "pluggy<1.6"
  fi
  /tmp/sc-venv/bin/scancode --version
  # Warm ScanCode's licence index cache first, so the timed run does not include building it.
  mkdir -p "$OUT/warm" && echo "MIT License" > "$OUT/warm/LICENSE"
  /tmp/sc-venv/bin/scancode --license --copyright -n 1 --json "$OUT/warm.json" "$OUT/warm" >/dev/null 2>&1
  s=$(wall /tmp/sc-venv/bin/scancode --license --copyright -n 1 --timeout 300 --json "$OUT/scancode.json" "$CORPUS")
  report "scancode --license --copyright -n 1" "$s"
  python3 scripts/compare-scancode.py "$OUT/scancode.json" "$OUT/ospo.jsonl" "$CORPUS" \
    --markdown "$OUT/agreement.md" | head -20
  echo "full comparison: $OUT/agreement.md"
fi
