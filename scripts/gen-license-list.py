#!/usr/bin/env python3
"""Generates the SPDX licence list data embedded in ospo-license (crates/ospo-license/data/spdx/).

Regenerate (e.g. for a new list release) with:

    python3 scripts/gen-license-list.py [SPDX_DIR]

SPDX_DIR is a license-list-data checkout or the test data folder laid out like it
(default: $OSPO_TEST_DATA/spdx, else /work/shared/data/spdx); it must hold json/licenses.json,
json/exceptions.json and json/details.zip (details/<id>.json and exceptions/<id>.json).

Output: data/spdx/list.bin.z, zlib-compressed UTF-8:
    "ospo-spdx 1\n<list version>\n" then records separated by U+001E, each record's fields
    separated by U+001F: kind (L = licence, E = exception), id, name, deprecated (1/0),
    plain text, standard template, standard header template (may be empty).
Records are sorted by kind then id, so the output is deterministic.
"""
import json
import os
import sys
import zipfile
import zlib

RS, US = "\x1e", "\x1f"


def main():
    default = os.path.join(os.environ.get("OSPO_TEST_DATA", "/work/shared/data"), "spdx")
    src = sys.argv[1] if len(sys.argv) > 1 else default
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "ospo-license", "data", "spdx")
    with open(os.path.join(src, "json", "licenses.json"), encoding="utf-8") as f:
        version = json.load(f)["licenseListVersion"]
    records = []
    with zipfile.ZipFile(os.path.join(src, "json", "details.zip")) as z:
        for name in sorted(z.namelist()):
            if not name.endswith(".json"):
                continue
            d = json.loads(z.read(name).decode("utf-8"))
            if name.startswith("details/"):
                kind, ident = "L", d["licenseId"]
                text = d.get("licenseText") or ""
                template = d.get("standardLicenseTemplate") or text
                header = d.get("standardLicenseHeaderTemplate") or ""
            elif name.startswith("exceptions/"):
                kind, ident = "E", d["licenseExceptionId"]
                text = d.get("licenseExceptionText") or ""
                template = d.get("licenseExceptionTemplate") or text
                header = ""
            else:
                continue
            fields = [kind, ident, d.get("name", ""), "1" if d.get("isDeprecatedLicenseId") else "0", text, template, header]
            for field in fields:
                if RS in field or US in field:
                    sys.exit(f"{name}: a field holds a separator character")
            records.append(fields)
    records.sort(key=lambda r: (r[0], r[1]))
    blob = f"ospo-spdx 1\n{version}\n" + RS.join(US.join(r) for r in records)
    data = zlib.compress(blob.encode("utf-8"), 9)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "list.bin.z"), "wb") as f:
        f.write(data)
    with open(os.path.join(out_dir, "VERSION"), "w", encoding="utf-8") as f:
        f.write(version)
    print(f"{len(records)} records, list {version}, {len(blob)} bytes -> {len(data)} compressed")


if __name__ == "__main__":
    main()
