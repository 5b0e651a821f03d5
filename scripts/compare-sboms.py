#!/usr/bin/env python3
"""Compares the components of two CycloneDX JSON SBOMs (ospo's and a peer's) by package URL.

Purls are compared without qualifiers (subpaths are kept), percent-decoded and lower-cased, so
`pkg:npm/%40s/a@1.0.0?foo=bar` and `pkg:npm/@s/a@1.0.0` are one package. Prints the component
counts, the distinct purls of each, per purl type how many only one side has, and a few examples
of each difference. Usage: compare-sboms.py OSPO.json PEER.json [--peer-name cdxgen] [--json OUT]
"""
import argparse
import collections
import json
import urllib.parse


def components(doc):
    stack, out = list(doc.get("components", [])), []
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(c.get("components", []))
    return out


def canonical(purl):
    purl, _, subpath = purl.partition("#")
    purl = purl.split("?")[0] + (f"#{subpath}" if subpath else "")
    return urllib.parse.unquote(purl).lower()


def kind(purl):
    return purl[4:].split("/")[0] if purl.startswith("pkg:") else "?"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ospo")
    p.add_argument("peer")
    p.add_argument("--peer-name", default="cdxgen")
    p.add_argument("--json")
    p.add_argument("--examples", type=int, default=3)
    a = p.parse_args()
    sides = {}
    for name, path in (("ospo", a.ospo), (a.peer_name, a.peer)):
        comps = components(json.load(open(path)))
        purls = {canonical(c["purl"]) for c in comps if c.get("purl")}
        sides[name] = (len(comps), sum(1 for c in comps if not c.get("purl")), purls)
    (on, onp, o), (pn, pnp, c) = sides["ospo"], sides[a.peer_name]
    print(f"components: ospo {on} ({onp} without purl), {a.peer_name} {pn} ({pnp} without purl)")
    print(
        f"distinct purls: ospo {len(o)}, {a.peer_name} {len(c)}, both {len(o & c)}, "
        f"only ospo {len(o - c)}, only {a.peer_name} {len(c - o)}"
    )
    types = sorted({kind(x) for x in o | c})
    print(f"| purl type | ospo | {a.peer_name} | both | only ospo | only {a.peer_name} |")
    print("|---|---|---|---|---|---|")
    by_type = {}
    for t in types:
        ot = {x for x in o if kind(x) == t}
        ct = {x for x in c if kind(x) == t}
        by_type[t] = dict(ospo=len(ot), peer=len(ct), both=len(ot & ct), only_ospo=sorted(ot - ct),
                          only_peer=sorted(ct - ot))
        print(f"| {t} | {len(ot)} | {len(ct)} | {len(ot & ct)} | {len(ot - ct)} | {len(ct - ot)} |")
    for t, v in by_type.items():
        for side in ("only_ospo", "only_peer"):
            if v[side]:
                label = "only ospo" if side == "only_ospo" else f"only {a.peer_name}"
                print(f"  {t} {label}: " + ", ".join(v[side][: a.examples]))
    if a.json:
        json.dump(by_type, open(a.json, "w"), indent=1)


main()
