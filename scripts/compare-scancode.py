#!/usr/bin/env python3
"""Compares ospo's licence detection with ScanCode toolkit's on the same corpus.

    python3 scripts/compare-scancode.py SCANCODE_JSON OSPO_JSONL CORPUS_DIR [--markdown OUT.md]

SCANCODE_JSON: `scancode --license --copyright --json OUT CORPUS_DIR` (scancode-toolkit 32.x).
OSPO_JSONL:    `cargo run --release -p ospo-license --example detect -- --list LIST` over the
               same files (LIST = every file of CORPUS_DIR, absolute paths).
See scripts/bench-licenses.sh for the whole run.

A file agrees when both tools report the same set of licence and exception ids (the atoms of
their SPDX expressions; AND/OR/WITH structure and kinds ignored), including "none". Every
disagreement is printed with both sets, grouped by a class, so each can be explained.
Copyright statements are compared after normalisation (case, punctuation, "copyright", "(c)",
"©", "all rights reserved" and accents removed): a file's statements agree when both sets are equal.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

ATOM = re.compile(r"[A-Za-z0-9.+:-]+")


def atoms(expr):
    return {a for a in ATOM.findall(expr or "") if a.upper() not in ("AND", "OR", "WITH")}


def norm_copyright(s):
    # ScanCode transliterates to ASCII (Dragoș -> Dragos); compare without accents.
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"all rights reserved\.?", " ", s)
    s = re.sub(r"\(c\)|©|copyright|&copy;?", " ", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def classify(bucket, sc, os_):
    if not sc and os_:
        return "ospo-only"
    if sc and not os_:
        if all(a.startswith("LicenseRef-scancode") for a in sc):
            return "scancode-only (LicenseRef-scancode, not in the SPDX list)"
        return "scancode-only"
    if any(a.startswith("LicenseRef-scancode") for a in sc) and (sc - os_) <= {a for a in sc if a.startswith("LicenseRef-")}:
        return "scancode adds LicenseRef-scancode ids"
    if os_ < sc:
        return "ospo reports fewer ids"
    if os_ > sc:
        return "ospo reports more ids"
    return "different ids"


def main():
    args = sys.argv[1:]
    md = None
    if "--markdown" in args:
        i = args.index("--markdown")
        md = args[i + 1]
        del args[i : i + 2]
    sc_json, ospo_jsonl, corpus = args
    corpus = os.path.abspath(corpus)
    base = os.path.basename(corpus)
    with open(sc_json, encoding="utf-8") as f:
        sc_files = json.load(f)["files"]
    sc = {}
    sc_cr = {}
    for e in sc_files:
        if e.get("type") != "file":
            continue
        rel = e["path"].split("/", 1)[1] if e["path"].startswith(base + "/") else e["path"]
        sc[rel] = atoms(e.get("detected_license_expression_spdx"))
        sc_cr[rel] = {norm_copyright(c["copyright"]) for c in e.get("copyrights", [])}
    ospo = {}
    ospo_cr = {}
    with open(ospo_jsonl, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            rel = os.path.relpath(d["path"], corpus)
            ids = set()
            for m in d["licenses"]:
                ids |= atoms(m["expression"])
            ospo[rel] = ids
            ospo_cr[rel] = {norm_copyright(c["statement"]) for c in d["copyrights"]}
    common = sorted(set(sc) & set(ospo))
    agree = Counter()
    total = Counter()
    classes = defaultdict(list)
    cr_agree = 0
    for rel in common:
        bucket = rel.split("/")[1] if rel.count("/") >= 2 else "?"
        total[bucket] += 1
        if sc[rel] == ospo[rel]:
            agree[bucket] += 1
        else:
            classes[classify(bucket, sc[rel], ospo[rel])].append((rel, sorted(sc[rel]), sorted(ospo[rel])))
        cr_agree += sc_cr[rel] == ospo_cr[rel]
    out = []
    n, a = sum(total.values()), sum(agree.values())
    out.append(f"files compared: {n}; licence agreement: {a}/{n} = {100.0 * a / max(n, 1):.1f}%")
    for b in sorted(total):
        out.append(f"  {b}: {agree[b]}/{total[b]} = {100.0 * agree[b] / total[b]:.1f}%")
    out.append(f"copyright statements identical (normalised): {cr_agree}/{n} = {100.0 * cr_agree / max(n, 1):.1f}%")
    out.append("")
    for cls, rows in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        out.append(f"## {cls}: {len(rows)}")
        for rel, s, o in rows:
            out.append(f"- `{rel}`: scancode {s or '[]'} / ospo {o or '[]'}")
        out.append("")
    text = "\n".join(out)
    print(text)
    if md:
        with open(md, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
