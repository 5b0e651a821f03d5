#!/usr/bin/env python3
"""Writes a CycloneDX 1.6 SBOM of N components for the vulnerability-matching benchmark.

Packages and versions are drawn (with a fixed seed) from the real OSV exports, so most components
hit the database and many are inside an affected range: the worst case for matching, not the easy
one where nothing is found. Usage: make-vuln-bench.py --osv DIR --out FILE [--components N]
"""
import argparse, json, random, sys, urllib.parse, zipfile
from pathlib import Path

PURL_TYPE = {"crates.io": "cargo", "npm": "npm", "PyPI": "pypi", "Go": "golang", "Maven": "maven",
             "Packagist": "composer", "RubyGems": "gem", "NuGet": "nuget"}

def purl(eco, name, version):
    ty = PURL_TYPE[eco]
    if eco == "Maven":
        group, _, artifact = name.partition(":")
        path = f"{quote(group)}/{quote(artifact)}"
    elif eco in ("npm", "Packagist", "Go"):
        path = "/".join(quote(p) for p in name.split("/"))
    else:
        path = quote(name)
    if eco == "Go" and not version.startswith("v"):
        version = "v" + version
    return f"pkg:{ty}/{path}@{quote(version)}", version

def quote(s):
    return urllib.parse.quote(s, safe="")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--osv", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--components", type=int, default=100_000)
    args = ap.parse_args()
    packages = {}
    for z in sorted(Path(args.osv).glob("*/all.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in sorted(zf.namelist()):
                rec = json.loads(zf.read(name))
                for a in rec.get("affected") or []:
                    pkg = a.get("package") or {}
                    eco = (pkg.get("ecosystem") or "").split(":")[0]
                    if eco not in PURL_TYPE or not pkg.get("name") or pkg["name"] in ("stdlib", "toolchain"):
                        continue
                    versions = set(a.get("versions") or [])
                    for r in a.get("ranges") or []:
                        if r.get("type") == "GIT":
                            continue
                        for e in r.get("events") or []:
                            versions.update(v for v in e.values() if isinstance(v, str) and v != "0")
                    if versions:
                        packages.setdefault((eco, pkg["name"]), set()).update(versions)
    rng = random.Random(20261122)
    keys = sorted(packages)
    components, seen = [], set()
    while len(components) < args.components:
        eco, name = rng.choice(keys)
        version = rng.choice(sorted(packages[(eco, name)]))
        p, version = purl(eco, name, version)
        if p in seen:
            # Same package at a made-up patch version: still a real name, a plausible version.
            version = f"{version}.{len(components)}" if eco != "Go" else version
            p, version = purl(eco, name, version)
            if p in seen:
                continue
        seen.add(p)
        components.append({"type": "library", "bom-ref": p, "name": name, "version": version, "purl": p})
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
           "metadata": {"component": {"type": "application", "name": "vuln-bench", "bom-ref": "root"}},
           "components": components}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(bom))
    print(f"{len(components)} components from {len(keys)} packages -> {args.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
