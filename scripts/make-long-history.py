#!/usr/bin/env python3
"""Writes a `git fast-import` stream of a long synthetic history to stdout, for
scripts/bench-health.sh: N commits (default 30000) by 300 authors from 40 mail domains over
ten years, each changing one or two of 2000 files, with a merge every 50 commits, a version
tag every 300 and a few dependabot commits. Deterministic (fixed seed, fixed dates)."""

import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
rng = random.Random(6)
out = sys.stdout.buffer
START = 1_420_070_400  # 2015-01-01
STEP = (10 * 365 * 86400) // N

domains = [f"corp{i}.example" for i in range(30)] + ["gmail.com"] * 10
authors = [(f"Dev {i:03d} Person", f"dev{i}@{domains[i % len(domains)]}") for i in range(300)]
# A Zipf-like weight: a few people make most commits, as in real projects.
weights = [1.0 / (i + 1) for i in range(len(authors))]


def data(text: bytes):
    out.write(b"data %d\n" % len(text))
    out.write(text)
    out.write(b"\n")


mark = 0
branch_tip = None
for i in range(N):
    t = START + i * STEP
    if i % 97 == 5:
        name, email = "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"
    else:
        name, email = rng.choices(authors, weights)[0]
    mark += 1
    ref = b"refs/heads/main" if i % 50 != 49 else b"refs/heads/feature"
    out.write(b"commit %s\nmark :%d\n" % (ref, mark))
    who = f"{name} <{email}> {t} +0000".encode()
    out.write(b"author " + who + b"\ncommitter " + who + b"\n")
    msg = f"change {i}\n\nSigned-off-by: {name} <{email}>\n" if i % 3 == 0 else f"change {i}\n"
    data(msg.encode())
    if i == 0:
        pass
    elif ref == b"refs/heads/feature":
        out.write(b"from :%d\n" % (mark - 1))
    else:
        out.write(b"from :%d\n" % (main_tip))
        if branch_tip is not None:
            out.write(b"merge :%d\n" % branch_tip)
            branch_tip = None
    for _ in range(rng.choice([1, 1, 2])):
        f = rng.randrange(2000)
        body = ("\n".join(f"line {rng.randrange(10**6)}" for _ in range(rng.randrange(3, 30))) + "\n").encode()
        out.write(b"M 100644 inline src/d%d/f%d.txt\n" % (f % 40, f))
        data(body)
    if ref == b"refs/heads/feature":
        branch_tip = mark
    else:
        main_tip = mark
        if i % 300 == 0:
            out.write(b"reset refs/tags/v%d.%d.0\nfrom :%d\n\n" % (1 + i // 3000, (i // 300) % 10, mark))
out.write(b"reset refs/heads/main\nfrom :%d\n\n" % main_tip)
out.write(b"done\n")
