#!/usr/bin/env python3
"""Generate the version-ordering reference vectors in crates/ospo-version/testdata/vectors/.

Each `<scheme>.tsv` holds lines `a<TAB>b<TAB><|=|>` (the reference's verdict on `a` versus `b`)
and lines `a<TAB><TAB>invalid` (the reference refuses `a`). Lines starting with `#` are comments;
the first ones name the reference that produced the file. The Rust tests
(crates/ospo-version/tests/vectors.rs) check every line; CI needs only the checked-in files, never
the reference tools.

Inputs: real versions harvested from the OSV advisories (../shared/data/osv/*/all.zip events and
version lists) and the real lockfile corpus (../shared/data/lockfiles), plus hand-written tricky
cases per ecosystem. Pairs are sampled with a fixed seed, so a re-run with the same inputs and
references writes the same files.

References (each asked in one batch, never one process per pair):
  pypi       Python `packaging` (pip install packaging)
  npm        node's `semver` package, loose (npm install --prefix /tmp/semver semver)
  semver     node's `semver` package, strict (same install)
  maven      Maven's own ComparableVersion from maven-artifact 3.9.x, through a small Java class
             compiled with javac at generation time. Debian 12 ships Maven 3.8.7, whose ordering
             differs; take 3.9.9 from Debian 13's libmaven3-core-java:
               apt-get download libmaven3-core-java (with a trixie source), dpkg -x the .deb,
               MAVEN_ARTIFACT_JAR=<root>/usr/share/java/maven3-artifact-3.9.9.jar
  debian     dpkg's own parseversion() and dpkg_version_compare() from libdpkg (apt-get install
             libdpkg-dev), through a small C program; spot-checked against `dpkg --compare-versions`
  rubygems   Ruby's Gem::Version (apt-get install ruby)
  packagist  composer/semver's VersionParser::normalize and Comparator, PHP 8 (apt-get install
             php-cli php-composer-semver); also writes packagist-normalize.tsv (input -> normalised)
  go         golang.org/x/mod/semver.Compare (module versions) and go/version.Compare (toolchain
             versions), Go >= 1.22. GOROOT=<a Go toolchain> (Debian 13's golang-1.24-go and
             golang-1.24-src, dpkg -x); X_MOD_SEMVER=<dir holding x/mod's semver.go> (Debian's
             golang-golang-x-mod-dev: /usr/share/gocode/src/golang.org/x/mod/semver)
  nuget      no .NET runtime here: hand-written from NuGet.Versioning's documented rules
  alpine     no apk-tools here: hand-written from apk-tools' version rules

Also writes crates/ospo-version/testdata/osv-sample.json: a fixed-seed sample of real OSV `affected`
entries (ranges and version lists) for the range-evaluation tests (target `osv-sample`).

Run: python3 scripts/gen-version-vectors.py [--data ../shared/data] [scheme ... | osv-sample]
"""

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates/ospo-version/testdata/vectors"
SEED = 20261122
MAX_BYTES = 950_000


# ---------------------------------------------------------------------------------------------
# Harvesting real versions


def osv_versions(data, eco):
    """Every version in the events (non-GIT ranges) and version lists of one OSV ecosystem."""
    out = set()
    path = data / "osv" / eco / "all.zip"
    if not path.exists():
        return out
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            try:
                rec = json.loads(z.read(name))
            except ValueError:
                continue
            for aff in rec.get("affected") or []:
                for v in aff.get("versions") or []:
                    out.add(v)
                for rng in aff.get("ranges") or []:
                    if rng.get("type") == "GIT":
                        continue
                    for ev in rng.get("events") or []:
                        for k, v in ev.items():
                            if isinstance(v, str) and v != "0":
                                out.add(v)
    return out


def read(path):
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def lock_versions(data, scheme):
    lf = data / "lockfiles"
    out = set()
    if scheme == "semver":
        for p in (lf / "crates.io").glob("*/Cargo.lock"):
            out.update(re.findall(r'^version = "([^"]+)"', read(p), re.M))
        for p in (lf / "Hex").glob("*/mix.lock"):
            out.update(re.findall(r':hex, :[a-z_0-9]+, "([^"]+)"', read(p)))
        for p in (lf / "Pub").glob("*/pubspec.lock"):
            out.update(re.findall(r'^    version: "([^"]+)"', read(p), re.M))
    elif scheme == "npm":
        for p in (lf / "npm").glob("*/package-lock.json"):
            out.update(re.findall(r'"version": "([^"]+)"', read(p)))
        for p in (lf / "npm").glob("*/yarn.lock"):
            out.update(re.findall(r'^  version:? "?([^"\s]+)"?', read(p), re.M))
        for p in (lf / "npm").glob("*/pnpm-lock.yaml"):
            out.update(re.findall(r"^  '?/?(?:@[^@/]+/)?[^@/\s]+@([0-9][^():'\s]*)", read(p), re.M))
    elif scheme == "pypi":
        for p in (lf / "PyPI").glob("*/*.lock"):
            out.update(re.findall(r'^version = "([^"]+)"', read(p), re.M))
        for p in (lf / "PyPI").glob("*/Pipfile.lock"):
            out.update(re.findall(r'"version": "==([^"]+)"', read(p)))
        for p in (lf / "PyPI").glob("*/*.txt"):
            out.update(re.findall(r"==([^\s;\\]+)", read(p)))
    elif scheme == "go":
        for p in (lf / "Go").glob("*/go.*"):
            out.update(re.findall(r"\s(v[0-9][^\s/]*?)(?:/go\.mod)?(?:\s|$)", read(p)))
            out.update("go" + v for v in re.findall(r"^(?:go|toolchain go) ?([0-9][^\s]*)", read(p), re.M))
    elif scheme == "maven":
        for p in (lf / "Maven").glob("*/gradle.lockfile"):
            out.update(re.findall(r"^[^:#\s]+:[^:\s]+:([^=\s]+)=", read(p), re.M))
        for p in (lf / "Maven").glob("*/pom.xml"):
            out.update(v for v in re.findall(r"<version>([^<$]+)</version>", read(p)))
    elif scheme == "nuget":
        for p in (lf / "NuGet").glob("*/packages.lock.json"):
            out.update(re.findall(r'"resolved": "([^"]+)"', read(p)))
    elif scheme == "rubygems":
        for p in (lf / "RubyGems").glob("*/Gemfile.lock"):
            out.update(re.findall(r"^    [A-Za-z0-9_.-]+ \(([^)-][^)]*?)(?:-[a-z0-9_]+-[a-z0-9_-]+)?\)$", read(p), re.M))
    elif scheme == "packagist":
        for p in (lf / "Packagist").glob("*/composer.lock"):
            out.update(re.findall(r'"version": "([^"]+)"', read(p)))
    return {v for v in out if v and "\t" not in v and "\n" not in v}


# ---------------------------------------------------------------------------------------------
# Hand-written tricky cases

TRICKY = {
    "semver": """1.0.0 1.0.0-alpha 1.0.0-alpha.1 1.0.0-alpha.beta 1.0.0-beta 1.0.0-beta.2 1.0.0-beta.11
        1.0.0-rc.1 2.0.0 2.1.0 2.1.1 v1.0.0 1.0.0+build 1.0.0+build.2 1.0.0-0 0.0.0-0 0.0.0 1.0.0-a.b.c
        1.0.0-A 1.0.0-a 1.0.0-a-b 1.0.0--a 1.0.0-0a 1.0.0-00a 1.0.0-x.7.z.92 1.0.0-1 1.0.0-9 1.0.0-10
        1.0.0-999999999999 1.0.0-alpha+001 1.0.0+20130313144700 1.0.0-beta+exp.sha.5114f85
        18446744073709551615.0.0 01.0.0 1.0 1.0.0.0 1.0.0-01 1.0.0- 1.0.0+ =1.0.0 vv1.0.0 1.2.3-alpha..1
        1.2.3-DEV 1.2.3-dev 1.2.3-Dev.1 999.999.999 0.1.0 0.0.1 1.0.0-rc.1+build.1 1.0.0-rc.1.1""",
    "npm": """1.2.3 =1.2.3 v1.2.3 =v1.2.3 01.2.3 1.02.3 1.2.03 1.2.3beta 1.2.3-beta 1.2.3-beta.01
        1.2.3-beta.1 1.2.3-01 1.2.3-1 1.2.3-0 1.2.3+build 1.2.3-pre+build 1.2.3-a.b 1.2.3-a.10 1.2.3-a.9
        1.2.3-alpha-1 1.2.3-x-y-z.-- 1.2.3--1 0.0.0 0.0.0-0 9007199254740991.0.0 1.2 1.2.3.4 1.2.x
        1.2.3-A 1.2.3-a 1.2.3-Z 1.2.3-_ 10.0.0 2.0.0-rc.1 2.0.0-rc.10 2.0.0-rc.2 1.2.3-pre.0""",
    "pypi": """1.0 1.0.0 1.0.0.0 1.0a1 1.0a 1.0-a1 1.0.a1 1.0alpha1 1.0-ALPHA-1 1.0b1 1.0beta1 1.0c1
        1.0rc1 1.0pre1 1.0preview1 1.0rc 1.0.dev0 1.0.dev 1.0dev1 1.0-dev1 1.0.post1 1.0post1 1.0-1
        1.0.rev1 1.0r1 1.0.post 1.0-post1 1.0.post1.dev1 1.0a1.post1.dev1 1.0+local 1.0+local.1
        1.0+local.10 1.0+local.a 1.0+LOCAL 1.0+1 1.0+1.a 1.0+a.1 1.0+abc.5 1.0+5 1!1.0 0!1.0 2!0.1
        v1.0 V1.0 1.0-a 1.0_a1 01.0 1.00 1.0.00 1.2.3.4.5.6 2013.10.1 1.0a01 1.0.dev01 1.0+abc-def
        1.0+abc_def 1.0.post01 1.0b2.post345.dev456 1.0b2.post345 1.0rc1.dev456 1.1.dev1 0.9
        1.0+ +1.0 1.0a1b1 1.0.x 1.* 1.0-_-1 1.0.post.dev 1.0c3""",
    "go": """v1.2.3 1.2.3 v1.2.3+incompatible 2.0.0+incompatible v2.0.0+incompatible v1 v1.2 v1.2.0
        v0.0.0-20210101000000-abcdef123456 0.0.0-20191109021931-daa7c04131f5
        v1.2.4-0.20191109021931-daa7c04131f5 v1.2.4-pre.0.20191109021931-daa7c04131f5 v1.2.4-pre
        v1.2.3-pre v1.2.3-pre.1 v1.2.3-rc.1 v1.2.3-rc.10 v1.2.3-rc.2 v0.0.0 v0.0.1 v10.0.0 v1.10.0
        v1.9.0 v01.2.3 v1.2.3-01 v1.2-pre v1.2.3.4 1.21.0-0 1.21.0-rc.1 1.21.0 1.20.11 1.22.0-0
        1.22.0-rc.2 3.7.0-rc.3 v2.1.1-0.20170519163204-f913f5f9c7c6+incompatible""",
    "go-toolchain": """go1 go1.0.1 go1.2 go1.2.2 go1.9beta1 go1.9rc1 go1.9rc2 go1.9 go1.9.7 go1.19
        go1.19beta1 go1.19rc1 go1.19rc2 go1.19.1 go1.20 go1.20rc1 go1.20.0 go1.20.14 go1.21
        go1.21rc1 go1.21rc2 go1.21rc3 go1.21.0 go1.21.3 go1.21.10 go1.22 go1.22rc1 go1.22.0 go1.22.5
        go1.23rc1 go1.23.0 go1.24 go1.24.4 go1.25rc2 go2 go1.21alpha1""",
    "maven": """1 1.0 1.0.0 1-ga 1-final 1-release 1.ga 1-GA 1-0 1-0.1 1.0-alpha 1-alpha 1-alpha1
        1-alpha-1 1.a1 1-a1 1-a 1-b1 1-beta 1-beta-2 1-m1 1-milestone-1 1-rc1 1-RC1 1-cr1 1-CR2
        1.0.0.RC1 1.0.0-RC2 1-rc 1-snapshot 1-SNAPSHOT 1.0-SNAPSHOT 1-sp 1-sp1 1-sp.1 1-SP2 1-abc
        1-xyz 1-foo 1-foo1 1.foo 1.x 1.0.x 1.0.x1 1.0.0-x2 1.0.1 1.1 1.10 1.9 1.0010 2.0 2.0.0.Final
        2.0.0.CR1 2.0.0-M1 2.0.0.M2 1..2 1-.2 1.2.3-jre 1.2.3-android 5.3.2.RELEASE 4.3.5.Final
        2.5.3.SP13 1.1.0.CR4 x1 a 1-2.3foo4.5 1.0-20230101.123456-1 1.0.0-beta.2 2.0-rc-1
        1-sp-1 1-alpha.beta 1-1 1-2 1.0.0-0 3.0.0-M3 1.0.0.0.0.1 10000000000 100000000000000000000
        1-_ 1.0.0-_x 2.4.0-b180830.0359 1.0-beta.1 1-pre 1-preview 1-dev 1-rc-2-SNAPSHOT""",
    "rubygems": """1 1.0 1.0.0 1.a 1.0.a 1.0.a1 1.0.a.0 1.0.a.1 1.0.b 1.0.B 1.0.pre 1.0.rc1 1.0.rc.1
        1.0-rc1 1.0-pre 1.0-1 1.0.1 1.1 1.10 1.9 2.0.0.beta 2.0.0.beta1 2.0.0.beta.2 0 0.0
        1.2b3 1.2.b.3 1.2.b3 1.0.0.1 6.0.5.1 5.2.4.6 3.0.0.rc.2 1.0.pre.1 1.A 1.0.0-beta.1
        01.0 1.01 1.0.01 1.0.0.0.0.1 2.0.0.pre.alpha 2.0.0.alpha.pre a 1..2 1.2. 1.2- .1 1_2""",
    "packagist": """1.0.0 1.0 1 v1.0.0 V1.0.0 1.0.0.0 1.0.0-dev 1.0-dev 1.0.0-alpha 1.0.0-alpha1
        1.0.0-alpha.1 1.0.0-a1 1.0.0a1 1.0.0-beta 1.0.0-beta1 1.0.0-b1 1.0.0-beta.2 1.0.0-RC1
        1.0.0-rc1 1.0.0RC1 1.0.0-RC1-dev 1.0.0-patch1 1.0.0-pl1 1.0.0-p1 1.0.0-stable 1.0.0.1
        1.0.1 1.1 1.10 1.9 1.02 2010.01.02 2010-01-02 20100102 1.x-dev 2.1.x-dev dev-master master
        dev-feature/x 1.0.0+build 1.0.0-beta+build 1.0.0@dev 1.0.0.RC.15-dev 1.0.0-alpha.1.2
        8.9.19 10.1.8 7.0.0-beta1 9.5.11 4.4.18 6.13.6.2 1.0.0.0.0 foo 1.0.0-meh 123456.0""",
    "debian": """1.0 1.00 1.0-1 1.0-0 0:1.0 1:1.0 1:0.1 2:0.1 1.0~rc1 1.0~ 1.0~~ 1.0~~a 1.0~beta1
        1.0a 1.0+b1 1.0+dfsg 1.0+dfsg-1 1.0.1 1.1 1.10 1.9 1.01 1. 2.30-1ubuntu1 2.30-1
        2.30-1ubuntu1.1 2.30-1+deb12u1 2.30-1+deb11u2 1.2.3-1-1 1.2.3-1-2 1.0-1~bpo11+1
        1.0-1+b1 7.88.1-10+deb12u5 3.0.11-1~deb12u2 1:2.38.1-5+deb12u1 0.0 0 abc 1.0:1 a:1.0 1:
        1.0- -1 :1.0 1.0.0~git20230101.abcdef-1 5.10.0-26 5.10.0-9 1.0_1 1.0%1 1.0-r1 1.0-1.2
        2.0~rc1+dfsg-1 2.0+dfsg-1~exp1 2.0~rc1 1.0-1a 1.0-1.a 1.0~1 1.0~a 1.0~~~ 10:1 9:1""",
}


def tricky(scheme):
    return TRICKY.get(scheme, "").split()


# Hand-written orderings for schemes without a reference implementation here. Each chain is in
# strictly ascending order; `==` joins equal spellings. Comparisons are derived from the chains.
HAND_CHAINS = {
    "nuget": [
        # NuGet.Versioning docs: "Package versioning" (version precedence, normalisation).
        "1.0.0-1 < 1.0.0-2 < 1.0.0-10 < 1.0.0-alpha == 1.0.0-ALPHA == 1.0.0-Alpha < 1.0.0-alpha.1"
        " < 1.0.0-alpha.2 < 1.0.0-alpha.10 < 1.0.0-alpha.beta < 1.0.0-beta == 1.0.0-BETA"
        " < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0 == 1.0 == 1 == 1.0.0.0 == 01.0.0"
        " == 1.0.0+metadata == 1.0.0.0+build.5 < 1.0.0.1 < 1.0.1-beta < 1.0.1 < 1.0.10 < 1.1"
        " < 1.1.0.1 < 2.0.0-preview.1.23 < 2.0.0 < 10.0.0",
        "1.0.0-a < 1.0.0-a.b < 1.0.0-a-b < 1.0.0-b < 1.0.0-B1 == 1.0.0-b1 < 1.0.0-b2 < 1.0.0-ba",
        "1.0.0-2147483647 < 1.0.0-2147483648 < 1.0.0-a",
        "1.0.0-01 == 1.0.0-1 < 1.0.0-1.0 < 1.0.0-1.a",
        "4.0.0-rc.2.23479.6 < 4.0.0-rc.2.23480.1 < 4.0.0 < 4.0.1 < 4.1.0",
        "1.2.3.4-beta < 1.2.3.4 < 1.2.3.5 < 1.2.4 < 2147483647.0",
    ],
    "nuget-invalid": "'' 1.2.3.4.5 a 1.-1 1.0- 1.0+ 1.0-a..b 2147483648.0 1.0-a_b v1.0 1.0.0-beta+ .1 1.",
    "alpine": [
        # apk-tools 2.x version.c rules: token types digit, letter, suffix, suffix number, revision.
        "1.0_alpha < 1.0_alpha1 < 1.0_alpha2 < 1.0_beta < 1.0_beta1 < 1.0_pre1 < 1.0_rc < 1.0_rc0"
        " < 1.0_rc1 < 1.0_rc2 < 1.0 < 1.0-r0 < 1.0-r1 < 1.0-r10 < 1.0_cvs1 < 1.0_svn1"
        " < 1.0_git20230101 < 1.0_hg1 < 1.0_p1 < 1.0_p2 < 1.0a < 1.0a_p1 < 1.0b < 1.0z < 1.0.0"
        " < 1.0.1 < 1.1_rc1 < 1.1 < 1.1.1 < 1.2 < 1.10 < 2.0 < 10.0",
        "1.001 < 1.01 < 1.010 < 1.1",
        "1.00 == 1.0 < 1.0.0",
        "1.2.3_rc1-r0 < 1.2.3_rc1-r1 < 1.2.3 < 1.2.3-r1 < 1.2.3_p1-r0",
        "3.0.11-r0 < 3.0.12-r0 < 3.1.0_alpha1-r0 < 3.1.0-r0 < 3.1.4-r5",
        "2.38.1-r0 < 2.38.1-r1 < 2.39.0_rc1-r0 < 2.39.0-r0 < 2.39.2-r0",
        "1.36.1-r0 < 1.36.1_git20230514-r0 < 1.36.1_p1-r0 < 1.36.1_p2-r0",
        "1 < 1-r1 < 1_p1 < 1a < 1.0",
        "0.1 < 0.2 < 0.10 < 1",
        "1.2.3a < 1.2.3a1 < 1.2.3b",
    ],
    "alpine-invalid": "'' a1 1.0_foo 1.0-1 1.0A 1.0ab .1 1.0_ 1.0a.1 1.0-r1_p1 1.0~abc",
}


def chain_vectors(chains):
    """All pairs within each chain, from its order and equalities."""
    lines = []
    for chain in chains:
        groups = [[v.strip() for v in g.split("==")] for g in chain.split("<")]
        flat = [(gi, v) for gi, g in enumerate(groups) for v in g]
        for i, (ga, a) in enumerate(flat):
            for gb, b in flat[i + 1 :]:
                op = "=" if ga == gb else "<"
                lines.append((a, b, op))
                lines.append((b, a, "=" if op == "=" else ">"))
    return lines


def unquote(s):
    return "" if s == "''" else s


# ---------------------------------------------------------------------------------------------
# Sampling pairs


def sample_pairs(versions, rng, n_random, tricky_set):
    vs = sorted(set(versions))
    pairs = set()
    # Every pair of tricky cases (they are chosen to sit close to each other).
    t = [v for v in vs if v in tricky_set]
    for i, a in enumerate(t):
        for b in t[i + 1 :]:
            pairs.add((a, b) if rng.random() < 0.5 else (b, a))
    # Neighbours in text order: versions that share prefixes and differ in the details.
    for i in range(len(vs) - 1):
        for j in (1, 2, 5):
            if i + j < len(vs):
                pairs.add((vs[i], vs[i + j]) if rng.random() < 0.5 else (vs[i + j], vs[i]))
    # Random pairs, including each version against itself now and then.
    for _ in range(n_random):
        a, b = rng.choice(vs), rng.choice(vs)
        pairs.add((a, b))
    return sorted(pairs)


def mutations(versions, rng, n):
    """Variations of real versions: dropped/added parts, changed separators and case."""
    out = set()
    vs = sorted(versions)
    for _ in range(n):
        v = rng.choice(vs)
        k = rng.randrange(7)
        if k == 0:
            out.add(v + rng.choice([".0", ".1", "-1", "a", "-SNAPSHOT", "-rc1", ".post1", "-beta.2"]))
        elif k == 1 and "." in v:
            out.add(v.rsplit(".", 1)[0])
        elif k == 2:
            out.add(v.replace(".", rng.choice(["-", "_", "."]), 1))
        elif k == 3:
            out.add(v.upper())
        elif k == 4:
            out.add(re.sub(r"\d+", lambda m: str(int(m.group()) + rng.choice([-1, 1, 10])), v, count=1))
        elif k == 5:
            out.add(re.sub(r"(\d)", r"0\1", v, count=1))
        else:
            out.add(rng.choice(["v", "", "="]) + v)
    return {v for v in out if v and "\t" not in v and not v.startswith("-")}


# ---------------------------------------------------------------------------------------------
# References


def run(cmd, stdin, **kw):
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"reference failed: {' '.join(map(str, cmd))}\n{r.stderr[-3000:]}")
    return r.stdout


def batch_lines(pairs, singles):
    return "".join(f"C\t{a}\t{b}\n" for a, b in pairs) + "".join(f"V\t{v}\n" for v in singles)


def ref_pypi(pairs, singles):
    from packaging.version import InvalidVersion, Version

    def parse(v):
        try:
            return Version(v)
        except InvalidVersion:
            return None

    cmp, valid = [], {}
    for v in singles:
        valid[v] = parse(v) is not None
    for a, b in pairs:
        x, y = parse(a), parse(b)
        cmp.append(None if x is None or y is None else ("<" if x < y else ">" if x > y else "="))
    import packaging

    return cmp, valid, f"Python packaging {packaging.__version__} (packaging.version.Version)"


NODE_SEMVER = os.environ.get("NODE_SEMVER", "/tmp/semver/node_modules/semver")


def ref_node(pairs, singles, loose):
    js = r"""
const semver = require(process.argv[1]); const loose = process.argv[2] === 'loose';
const lines = require('fs').readFileSync(0, 'utf8').split('\n'); const out = [];
const ok = v => { try { new semver.SemVer(v, {loose}); return true } catch (e) { return false } };
for (const l of lines) { if (!l) continue; const f = l.split('\t');
  if (f[0] === 'C') { if (!ok(f[1]) || !ok(f[2])) { out.push('?'); continue }
    const c = semver.compare(f[1], f[2], {loose}); out.push(c < 0 ? '<' : c > 0 ? '>' : '=') }
  else out.push(ok(f[1]) ? 'ok' : 'invalid') }
console.log(out.join('\n'));
console.error(require(process.argv[1] + '/package.json').version);
"""
    r = subprocess.run(
        ["node", "-e", js, NODE_SEMVER, "loose" if loose else "strict"],
        input=batch_lines(pairs, singles), capture_output=True, text=True,
    )
    if r.returncode != 0:
        sys.exit("node semver failed (npm install --prefix /tmp/semver semver):\n" + r.stderr)
    res = r.stdout.split("\n")
    cmp = [None if x == "?" else x for x in res[: len(pairs)]]
    valid = {v: res[len(pairs) + i] == "ok" for i, v in enumerate(singles)}
    mode = "loose: semver.compare(a, b, {loose: true})" if loose else "strict: semver.compare(a, b)"
    return cmp, valid, f"node semver {r.stderr.strip()} ({mode})"


def ref_rubygems(pairs, singles):
    rb = r"""
out = []
STDIN.each_line do |l|
  f = l.chomp("\n").split("\t", -1)
  if f[0] == 'C'
    if Gem::Version.correct?(f[1]) && Gem::Version.correct?(f[2])
      c = Gem::Version.new(f[1]) <=> Gem::Version.new(f[2])
      out << (c < 0 ? '<' : c > 0 ? '>' : '=')
    else
      out << '?'
    end
  else
    out << (Gem::Version.correct?(f[1]) ? 'ok' : 'invalid')
  end
end
puts out.join("\n")
STDERR.puts "Ruby #{RUBY_VERSION}, RubyGems #{Gem::VERSION}"
"""
    r = subprocess.run(["ruby", "-e", rb], input=batch_lines(pairs, singles), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("ruby failed (apt-get install ruby):\n" + r.stderr)
    res = r.stdout.split("\n")
    cmp = [None if x == "?" else x for x in res[: len(pairs)]]
    valid = {v: res[len(pairs) + i] == "ok" for i, v in enumerate(singles)}
    return cmp, valid, f"{r.stderr.strip().splitlines()[-1]} (Gem::Version#<=>, Gem::Version.correct?)"


def ref_packagist(pairs, singles):
    php = r"""<?php
require '/usr/share/php/Composer/Semver/autoload.php';
use Composer\Semver\VersionParser; use Composer\Semver\Comparator;
$p = new VersionParser(); $out = [];
function norm($p, $v) { try { return $p->normalize($v); } catch (\Exception $e) { return null; } }
foreach (explode("\n", stream_get_contents(STDIN)) as $l) {
  if ($l === '') continue; $f = explode("\t", $l);
  if ($f[0] === 'C') {
    $a = norm($p, $f[1]); $b = norm($p, $f[2]);
    if ($a === null || $b === null) { $out[] = '?'; continue; }
    $ab = strpos($a, 'dev-') === 0; $bb = strpos($b, 'dev-') === 0;
    if ($ab || $bb) { $out[] = $ab && $bb && $a === $b ? '=' : '?'; continue; }
    $out[] = Comparator::lessThan($a, $b) ? '<' : (Comparator::greaterThan($a, $b) ? '>' : (Comparator::equalTo($a, $b) ? '=' : '?'));
  } else { $n = norm($p, $f[1]); $out[] = $n === null ? "invalid" : "ok\t" . $n; }
}
echo implode("\n", $out), "\n";
fwrite(STDERR, "PHP " . PHP_VERSION);
"""
    with tempfile.NamedTemporaryFile("w", suffix=".php", delete=False) as fh:
        fh.write(php)
    r = subprocess.run(["php", fh.name], input=batch_lines(pairs, singles), capture_output=True, text=True)
    os.unlink(fh.name)
    if r.returncode != 0:
        sys.exit("php failed (apt-get install php-cli php-composer-semver):\n" + r.stderr + r.stdout)
    res = r.stdout.split("\n")
    cmp = [None if x == "?" else x for x in res[: len(pairs)]]
    valid, normalized = {}, {}
    for i, v in enumerate(singles):
        x = res[len(pairs) + i]
        valid[v] = x != "invalid"
        if x.startswith("ok\t"):
            normalized[v] = x[3:]
    ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "php-composer-semver"], capture_output=True, text=True).stdout
    return cmp, valid, f"composer/semver {ver} (VersionParser::normalize + Comparator), {r.stderr.strip()}", normalized


def ref_maven(pairs, singles):
    jar = os.environ.get("MAVEN_ARTIFACT_JAR")
    if not jar:
        cands = sorted(Path("/").glob("tmp/**/maven3-artifact-3.9*.jar")) + sorted(Path("/usr/share/java").glob("maven3-artifact-3.9*.jar"))
        if not cands:
            sys.exit("set MAVEN_ARTIFACT_JAR to a maven-artifact 3.9.x jar (see the docstring)")
        jar = str(cands[0])
    java = r"""
import org.apache.maven.artifact.versioning.ComparableVersion;
import java.io.*;
public class MavenRef { public static void main(String[] a) throws Exception {
  BufferedReader r = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
  PrintWriter w = new PrintWriter(new OutputStreamWriter(System.out, "UTF-8")); String l;
  while ((l = r.readLine()) != null) { String[] f = l.split("\t", -1);
    if (f[0].equals("C")) { int c = new ComparableVersion(f[1]).compareTo(new ComparableVersion(f[2]));
      w.println(c < 0 ? "<" : c > 0 ? ">" : "="); } else w.println("ok"); }
  w.flush(); } }
"""
    d = Path(tempfile.mkdtemp())
    (d / "MavenRef.java").write_text(java)
    run(["javac", "-cp", jar, "-d", str(d), str(d / "MavenRef.java")], "")
    out = run(["java", "-cp", f"{jar}:{d}", "MavenRef"], batch_lines(pairs, singles)).split("\n")
    shutil.rmtree(d)
    cmp = out[: len(pairs)]
    valid = {v: v.strip() != "" for v in singles}
    return cmp, valid, f"Maven ComparableVersion from {Path(jar).name} (Java {java_version()})"


def java_version():
    r = subprocess.run(["java", "-version"], capture_output=True, text=True)
    m = re.search(r'version "([^"]+)"', r.stderr)
    return m.group(1) if m else "?"


def ref_debian(pairs, singles):
    c = r"""
#define LIBDPKG_VOLATILE_API 1
#include <stdio.h>
#include <string.h>
#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>
#include <dpkg/parsedump.h>
static char line[8192];
int main(void) {
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    char *f1 = strchr(line, '\t'); if (!f1) continue; *f1++ = 0;
    struct dpkg_version a, b; struct dpkg_error err;
    if (line[0] == 'C') {
      char *f2 = strchr(f1, '\t'); *f2++ = 0;
      int ea = parseversion(&a, f1, &err); if (ea < 0 && err.type != DPKG_MSG_WARN) { puts("?"); dpkg_error_destroy(&err); continue; }
      int eb = parseversion(&b, f2, &err); if (eb < 0 && err.type != DPKG_MSG_WARN) { puts("?"); dpkg_error_destroy(&err); continue; }
      int r = dpkg_version_compare(&a, &b);
      puts(r < 0 ? "<" : r > 0 ? ">" : "=");
    } else {
      int e = parseversion(&a, f1, &err);
      puts(e < 0 && err.type != DPKG_MSG_WARN ? "invalid" : "ok");
    }
  }
  return 0;
}
"""
    d = Path(tempfile.mkdtemp())
    (d / "debref.c").write_text(c)
    run(["cc", "-O1", "-o", str(d / "debref"), str(d / "debref.c"), "-ldpkg", "-lmd", "-lz", "-llzma", "-lzstd", "-lbz2"], "")
    out = run([str(d / "debref")], batch_lines(pairs, singles)).split("\n")
    shutil.rmtree(d)
    cmp = [None if x == "?" else x for x in out[: len(pairs)]]
    valid = {v: out[len(pairs) + i] == "ok" for i, v in enumerate(singles)}
    # Spot-check libdpkg against the dpkg binary itself.
    rng = random.Random(SEED)
    checked = 0
    for (a, b), r in rng.sample(list(zip(pairs, cmp)), min(200, len(pairs))):
        if r is None:
            continue
        lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b], capture_output=True).returncode == 0
        gt = subprocess.run(["dpkg", "--compare-versions", a, "gt", b], capture_output=True).returncode == 0
        want = "<" if lt else ">" if gt else "="
        if want != r:
            sys.exit(f"libdpkg and dpkg disagree on {a!r} {b!r}: {r} vs {want}")
        checked += 1
    ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "dpkg"], capture_output=True, text=True).stdout
    return cmp, valid, f"dpkg {ver}: libdpkg parseversion + dpkg_version_compare ({checked} pairs re-checked with dpkg --compare-versions)"


def ref_go(pairs, singles, toolchain):
    goroot = os.environ.get("GOROOT")
    gobin = Path(goroot) / "bin/go" if goroot else shutil.which("go")
    if not gobin or not Path(gobin).exists():
        sys.exit("set GOROOT to a Go >= 1.22 toolchain (see the docstring)")
    semver_dir = Path(os.environ.get("X_MOD_SEMVER", "/usr/share/gocode/src/golang.org/x/mod/semver"))
    d = Path(tempfile.mkdtemp())
    (d / "go.mod").write_text("module ref\n\ngo 1.22\n")
    (d / "xsemver").mkdir()
    shutil.copy(semver_dir / "semver.go", d / "xsemver/semver.go")
    (d / "main.go").write_text(r"""package main
import ("bufio"; "fmt"; "go/version"; "os"; "strings"; semver "ref/xsemver")
func main() {
  tool := os.Args[1] == "toolchain"
  sc := bufio.NewScanner(os.Stdin); sc.Buffer(make([]byte, 1<<20), 1<<20)
  w := bufio.NewWriter(os.Stdout); defer w.Flush()
  valid := func(v string) bool { if tool { return version.IsValid(v) }; return semver.IsValid(v) }
  cmp := func(a, b string) int { if tool { return version.Compare(a, b) }; return semver.Compare(a, b) }
  norm := func(v string) string { if !tool && !strings.HasPrefix(v, "v") { return "v" + v }; return v }
  for sc.Scan() {
    f := strings.Split(sc.Text(), "\t")
    if f[0] == "C" {
      a, b := norm(f[1]), norm(f[2])
      if !valid(a) || !valid(b) { fmt.Fprintln(w, "?"); continue }
      c := cmp(a, b); if c < 0 { fmt.Fprintln(w, "<") } else if c > 0 { fmt.Fprintln(w, ">") } else { fmt.Fprintln(w, "=") }
    } else if valid(norm(f[1])) { fmt.Fprintln(w, "ok") } else { fmt.Fprintln(w, "invalid") }
  }
}
""")
    env = dict(os.environ, GOFLAGS="-mod=mod", GOPROXY="off", GOCACHE=str(d / "cache"), GO111MODULE="on")
    if goroot:
        env["GOROOT"] = goroot
    out = run([str(gobin), "run", ".", "toolchain" if toolchain else "module"], batch_lines(pairs, singles), cwd=d, env=env).split("\n")
    gover = run([str(gobin), "version"], "", env=env).strip()
    shutil.rmtree(d)
    cmp = [None if x == "?" else x for x in out[: len(pairs)]]
    valid = {v: out[len(pairs) + i] == "ok" for i, v in enumerate(singles)}
    src = "go/version.Compare" if toolchain else f"golang.org/x/mod/semver.Compare from {semver_dir} (a `v` is added where missing)"
    return cmp, valid, f"{src}, {gover}"


# ---------------------------------------------------------------------------------------------


def write(scheme, reference, lines, extra_comments=()):
    OUT.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write(f"# reference: {reference}\n")
    for c in extra_comments:
        buf.write(f"# {c}\n")
    buf.write("# generated by scripts/gen-version-vectors.py; columns: a, b, verdict (<, =, >), or a, '', invalid\n")
    body = [f"{a}\t{b}\t{op}\n" for a, b, op in lines]
    size = len(buf.getvalue())
    kept = []
    for l in body:
        if size + len(l.encode()) > MAX_BYTES:
            break
        kept.append(l)
        size += len(l.encode())
    buf.write("".join(kept))
    (OUT / f"{scheme}.tsv").write_text(buf.getvalue(), encoding="utf-8")
    n_cmp = sum(1 for l in kept if not l.endswith("\tinvalid\n"))
    print(f"{scheme}: {n_cmp} comparisons, {len(kept) - n_cmp} invalid, {size} bytes", file=sys.stderr)


OSV_ECO = {
    "semver": ["crates.io"],
    "npm": ["npm"],
    "pypi": ["PyPI"],
    "go": ["Go"],
    "maven": ["Maven"],
    "rubygems": ["RubyGems"],
    "packagist": ["Packagist"],
}


def generate(scheme, data):
    rng = random.Random(f"{SEED}-{scheme}")
    if scheme in ("nuget", "alpine"):
        lines = chain_vectors(HAND_CHAINS[scheme])
        lines += [(unquote(v), "", "invalid") for v in HAND_CHAINS[f"{scheme}-invalid"].split()]
        real = sorted(lock_versions(data, scheme))
        what = (
            "NuGet.Versioning's documented rules (no .NET runtime on the generating machine)"
            if scheme == "nuget"
            else "apk-tools' version rules (no apk-tools on the generating machine)"
        )
        write(scheme, f"HAND-WRITTEN from {what}; not produced by a reference implementation", lines,
              [f"{len(real)} real versions from the lockfile corpus are parse-only checks in the tests"] if real else [])
        return

    base = "go" if scheme == "go-toolchain" else scheme
    real = set()
    if scheme != "go-toolchain":
        for eco in OSV_ECO.get(base, []):
            real |= osv_versions(data, eco)
        real |= lock_versions(data, base)
    else:
        real = {v for v in lock_versions(data, "go") if v.startswith("go")}
    if scheme == "debian":
        # Real Debian versions: the package database of the generating machine.
        status = read(Path("/var/lib/dpkg/status"))
        real |= set(re.findall(r"^Version: (\S+)$", status, re.M))
    tr = set(tricky(scheme))
    if scheme == "go":
        real = {v for v in real if not v.startswith("go")}
    versions = real | tr | mutations(real | tr, rng, 400)
    if scheme == "go-toolchain":
        # go/version accepts odd forms (`go1-20`, `go1.9rc2-beta.2`) that no Go release has;
        # ospo reads only the forms Go releases are named with.
        versions = {v for v in versions if re.fullmatch(r"go\d+(\.\d+)?(\.\d+|(alpha|beta|rc)\d+)?", v)}
    versions = {v for v in versions if "\t" not in v and "\n" not in v}
    target = {"pypi": 5000, "debian": 5000}.get(scheme, 4000)
    pairs = sample_pairs(versions, rng, target, tr)
    singles = sorted(versions)
    normalized = {}
    if scheme == "pypi":
        cmp, valid, ref = ref_pypi(pairs, singles)
    elif scheme == "npm":
        cmp, valid, ref = ref_node(pairs, singles, loose=True)
    elif scheme == "semver":
        cmp, valid, ref = ref_node(pairs, singles, loose=False)
        # node trims white space and caps numbers at 2^53 - 1; keep what both should agree on.
        keep = lambda v: v == v.strip() and all(len(x) < 16 for x in re.findall(r"\d+", v.split("-")[0].split("+")[0]))
        valid = {v: ok for v, ok in valid.items() if keep(v)}
        cmp = [c if keep(a) and keep(b) else None for (a, b), c in zip(pairs, cmp)]
    elif scheme == "rubygems":
        cmp, valid, ref = ref_rubygems(pairs, singles)
    elif scheme == "packagist":
        cmp, valid, ref, normalized = ref_packagist(pairs, singles)
    elif scheme == "maven":
        cmp, valid, ref = ref_maven(pairs, singles)
    elif scheme == "debian":
        cmp, valid, ref = ref_debian(pairs, singles)
    elif scheme in ("go", "go-toolchain"):
        cmp, valid, ref = ref_go(pairs, singles, toolchain=scheme == "go-toolchain")
    else:
        sys.exit(f"unknown scheme {scheme}")
    lines = [(a, b, c) for (a, b), c in zip(pairs, cmp) if c is not None]
    rng.shuffle(lines)
    invalid = sorted(v for v, ok in valid.items() if not ok)
    # Invalid inputs first (a few hundred at most), then the comparisons.
    out = [(v, "", "invalid") for v in invalid[:400]] + lines
    write(scheme, ref, out, [f"{len(real)} real versions (OSV events and lockfiles), {len(tr)} hand-written, seed {SEED}"])
    if normalized:
        buf = [f"# reference: {ref}\n", "# columns: input, Composer's normalised form\n"]
        buf += [f"{k}\t{v}\n" for k, v in sorted(normalized.items())]
        (OUT / "packagist-normalize.tsv").write_text("".join(buf[:2] + buf[2:3000]), encoding="utf-8")


def osv_sample(data):
    """A deterministic sample of real OSV `affected` entries (ranges and versions lists) for the
    range-evaluation tests: testdata/osv-sample.json. No reference tool is involved."""
    rng = random.Random(f"{SEED}-osv")
    out = []
    for eco in ["crates.io", "npm", "PyPI", "Go", "Maven", "RubyGems", "Packagist"]:
        path = data / "osv" / eco / "all.zip"
        if not path.exists():
            continue
        with zipfile.ZipFile(path) as z:
            names = sorted(z.namelist())
            for name in rng.sample(names, min(60, len(names))):
                rec = json.loads(z.read(name))
                if rec.get("withdrawn"):
                    continue
                for aff in rec.get("affected") or []:
                    out.append({
                        "id": rec["id"],
                        "ecosystem": aff.get("package", {}).get("ecosystem", eco),
                        "ranges": [{"type": r["type"], "events": r["events"]} for r in aff.get("ranges") or []],
                        "versions": aff.get("versions") or [],
                    })
    text = json.dumps(out, indent=0, ensure_ascii=False, sort_keys=True)
    (OUT.parent / "osv-sample.json").write_text(text + "\n", encoding="utf-8")
    print(f"osv-sample: {len(out)} affected entries, {len(text)} bytes", file=sys.stderr)


ALL = ["semver", "npm", "pypi", "go", "go-toolchain", "maven", "nuget", "rubygems", "packagist", "debian", "alpine", "osv-sample"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("OSPO_TEST_DATA", str(ROOT.parent / "shared/data")))
    ap.add_argument("schemes", nargs="*", default=ALL)
    args = ap.parse_args()
    data = Path(args.data)
    if not (data / "osv").is_dir():
        sys.exit(f"no OSV data in {data} (use --data)")
    for s in args.schemes:
        if s == "osv-sample":
            osv_sample(data)
        else:
            generate(s, data)


if __name__ == "__main__":
    main()
