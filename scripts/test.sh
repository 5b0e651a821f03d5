#!/usr/bin/env bash
# The test command: installs the SBOM validators if missing, runs every test, then validates the
# SBOMs ospo writes for the shared lockfile corpus with the official tools.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 - <<'PY' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-validators.txt
import cyclonedx.validation.json, spdx_tools.spdx.parser.parse_anything, jsonschema
PY

cargo test --workspace --locked
scripts/validate-corpus.sh
