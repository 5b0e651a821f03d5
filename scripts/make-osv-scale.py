#!/usr/bin/env python3
"""Writes an osv.dev-sized export for the import scale test: N records cloned (with new ids and
aliases) from the real shared exports, into one all.zip per ecosystem folder.
Usage: make-osv-scale.py --osv DIR --out DIR [--records N]"""
import argparse, json, zipfile
from pathlib import Path

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--osv", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--records", type=int, default=300_000)
    a = ap.parse_args()
    sources = []
    for z in sorted(Path(a.osv).glob("*/all.zip")):
        with zipfile.ZipFile(z) as zf:
            for n in sorted(zf.namelist()):
                sources.append((z.parent.name, zf.read(n)))
    per = {}
    out = Path(a.out)
    for i in range(a.records):
        eco, raw = sources[i % len(sources)]
        rec = json.loads(raw)
        rec["id"] = f"{rec['id']}-x{i}"
        rec["aliases"] = [f"{x}-x{i}" for x in rec.get("aliases") or []]
        per.setdefault(eco, []).append(rec)
    for eco, recs in per.items():
        (out / eco).mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out / eco / "all.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for r in recs:
                zf.writestr(f"{r['id']}.json", json.dumps(r))
    print(f"{a.records} records in {len(per)} ecosystems -> {out}")

if __name__ == "__main__":
    main()
