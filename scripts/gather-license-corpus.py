#!/usr/bin/env python3
"""Gathers a real-world corpus of licence files and source files for licence detection tests.

    python3 scripts/gather-license-corpus.py [OUT_DIR]      (default /tmp/lic-corpus)

Sources (whatever exists on this machine):
  cargo  ~/.cargo/registry/src/*/<crate>/          crates in the local cargo cache
  python site-packages and dist-packages           installed Python distributions
  npm    /tmp/npm-corpus/node_modules              `npm install` of popular packages (see
         scripts/bench-licenses.sh for the exact command)

Per source, three buckets, sampled deterministically (sorted by a hash of the path) and
deduplicated by content:
  license  LICENSE*/LICENCE*/COPYING*/NOTICE*/UNLICENSE*/COPYRIGHT* files of a package
  header   source files (.rs .py .js .ts .c .h .go .java) whose first 40 lines mention a
           licence or copyright
  plain    other source files (false-positive check)
Files are copied to OUT_DIR/<source>/<bucket>/<n>-<package>/<file name> (names kept, since
they matter to the tools) and OUT_DIR/manifest.tsv lists bucket, source and original path.
"""
import glob
import hashlib
import os
import shutil
import site
import sys

LICENSE_PREFIXES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE", "COPYRIGHT")
SOURCE_EXT = (".rs", ".py", ".js", ".ts", ".mjs", ".cjs", ".c", ".h", ".go", ".java")
QUOTA = {  # per source: bucket -> files
    "cargo": {"license": 200, "header": 80, "plain": 20},
    "python": {"license": 80, "header": 60, "plain": 20},
    "npm": {"license": 120, "header": 60, "plain": 20},
}
MAX_SIZE = 512 * 1024


def packages():
    for d in sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/*"))):
        if os.path.isdir(d):
            yield "cargo", os.path.basename(d), d
    roots = set(site.getsitepackages()) | {"/usr/lib/python3/dist-packages"}
    for root in sorted(roots):
        for d in sorted(glob.glob(os.path.join(root, "*"))):
            if os.path.isdir(d) and not os.path.basename(d).startswith(("__", "_distutils")):
                yield "python", os.path.basename(d), d
    nm = "/tmp/npm-corpus/node_modules"
    for d in sorted(glob.glob(os.path.join(nm, "*")) + glob.glob(os.path.join(nm, "@*", "*"))):
        if os.path.isdir(d) and not os.path.basename(d).startswith((".", "@")):
            yield "npm", os.path.relpath(d, nm).replace("/", "+"), d


def files_of(source, pkg_dir):
    """(bucket, path) for the files of one package."""
    for dirpath, dirnames, filenames in os.walk(pkg_dir):
        dirnames[:] = sorted(d for d in dirnames if d not in ("node_modules", ".git", "target", "__pycache__"))
        depth = os.path.relpath(dirpath, pkg_dir).count(os.sep) + (0 if dirpath == pkg_dir else 1)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            size = os.path.getsize(path)
            if size == 0 or size > MAX_SIZE:
                continue
            if name.upper().startswith(LICENSE_PREFIXES) and depth <= 2:
                yield "license", path
            elif name.endswith(SOURCE_EXT):
                try:
                    with open(path, "rb") as f:
                        head = b"".join(f.readline() for _ in range(40)).lower()
                except OSError:
                    continue
                if b"licen" in head or b"copyright" in head or b"spdx-license-identifier" in head:
                    yield "header", path
                else:
                    yield "plain", path


def key(path):
    return hashlib.sha1(path.encode()).hexdigest()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/lic-corpus"
    if os.path.exists(out):
        shutil.rmtree(out)
    pools = {}
    for source, pkg, d in packages():
        for bucket, path in files_of(source, d):
            pools.setdefault((source, bucket), []).append((key(path), pkg, path))
    rows = []
    for (source, bucket), pool in sorted(pools.items()):
        quota = QUOTA[source][bucket]
        seen = set()
        taken = 0
        for _, pkg, path in sorted(pool):
            if taken >= quota:
                break
            with open(path, "rb") as f:
                data = f.read()
            digest = hashlib.sha1(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            dest_dir = os.path.join(out, source, bucket, f"{taken:03}-{pkg}"[:80])
            os.makedirs(dest_dir, exist_ok=True)
            dest = os.path.join(dest_dir, os.path.basename(path))
            shutil.copyfile(path, dest)
            rows.append((bucket, source, os.path.relpath(dest, out), path))
            taken += 1
        print(f"{source:7} {bucket:8} {taken:4} of {len(pool)} candidates")
    with open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("bucket\tsource\tfile\toriginal\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{len(rows)} files in {out}")


if __name__ == "__main__":
    main()
