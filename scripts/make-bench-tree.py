#!/usr/bin/env python3
"""Builds a large synthetic monorepo for benchmarks: COPIES copies of every lockfile/manifest of
the shared corpus, each copy a repository (with a `.git` folder) placed deep in a tree, among many
ordinary source files. Deterministic for given arguments."""
import argparse
import pathlib
import random
import shutil

p = argparse.ArgumentParser()
p.add_argument("--corpus", default="../shared/data/lockfiles")
p.add_argument("--out", required=True)
p.add_argument("--copies", type=int, default=40)
p.add_argument("--source-files", type=int, default=2000, help="ordinary files per copy")
a = p.parse_args()

corpus = pathlib.Path(a.corpus)
files = sorted(f for f in corpus.rglob("*") if f.is_file() and f.name != "SOURCES.md")
out = pathlib.Path(a.out)
stamp = f"{a.copies} {a.source_files} {len(files)}\n"
if (out / ".stamp").exists() and (out / ".stamp").read_text() == stamp:
    print(f"{out}: up to date ({stamp.strip()})")
    raise SystemExit(0)
if out.exists():
    shutil.rmtree(out)
rng = random.Random(42)
words = ["core", "api", "web", "service", "lib", "tools", "internal", "pkg", "app", "common", "util", "src"]
body = "\n".join(f"fn f{i}(x: u32) -> u32 {{ x + {i} }}" for i in range(40)) + "\n"
for c in range(a.copies):
    repo = out / f"org-{c % 8}" / f"team-{c % 5}" / f"repo-{c}"
    (repo / ".git").mkdir(parents=True)
    for f in files:
        rel = f.relative_to(corpus)
        dest = repo / "projects" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    for i in range(a.source_files):
        depth = rng.randint(1, 7)
        d = repo.joinpath(*[rng.choice(words) for _ in range(depth)])
        d.mkdir(parents=True, exist_ok=True)
        ext = rng.choice([".rs", ".js", ".py", ".go", ".java", ".md", ".json", ".yaml"])
        (d / f"file{i}{ext}").write_text(body)
(out / ".stamp").write_text(stamp)
n = sum(1 for _ in out.rglob("*"))
print(f"{out}: {a.copies} repositories, {a.copies * len(files)} lockfiles/manifests, {n} entries")
