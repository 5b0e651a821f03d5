#!/usr/bin/env python3
"""ospo vulns side by side with cargo-audit on every Cargo.lock of a folder.

cargo-audit reads the RustSec advisory-db (a local folder, --no-fetch); ospo reads the OSV export
of the same database. For each lockfile, prints the advisories each tool reports (vulnerabilities
and informational warnings, by id or alias) and every difference.
Usage: compare-cargo-audit.py --ospo BIN --db OSPO_DB --cargo-audit BIN --advisory-db DIR LOCKFILES_DIR
"""
import argparse, json, subprocess, sys
from pathlib import Path

def cargo_audit(bin_, db, lock):
    out = subprocess.run([bin_, "audit", "--db", db, "--no-fetch", "--stale", "--json", "-f", str(lock)],
                         capture_output=True, text=True)
    doc = json.loads(out.stdout)
    found = {}
    for v in doc["vulnerabilities"]["list"]:
        found[(v["advisory"]["id"], v["package"]["name"], v["package"]["version"])] = "vulnerability"
    for kind, items in (doc.get("warnings") or {}).items():
        for w in items:
            if w.get("advisory"):
                found[(w["advisory"]["id"], w["package"]["name"], w["package"]["version"])] = kind
    return found

def ospo(bin_, db, lock):
    out = subprocess.run([bin_, "vulns", "-q", "--db", db, "--fail-on", "never", "-f", "json", str(lock)],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"ospo failed on {lock}: {out.stderr}")
    doc = json.loads(out.stdout)
    found = {}
    for f in doc["findings"]:
        ids = [f["id"], *f["aliases"]]
        rustsec = [i for i in ids if i.startswith("RUSTSEC-")] or ids
        for i in rustsec:
            found[(i, f["name"], f["version"])] = f.get("category") or "vulnerability"
    return found

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ospo", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--cargo-audit", required=True)
    ap.add_argument("--advisory-db", required=True)
    ap.add_argument("folder")
    a = ap.parse_args()
    total_a = total_o = same = 0
    for lock in sorted(Path(a.folder).rglob("Cargo.lock")):
        ca = cargo_audit(a.cargo_audit, a.advisory_db, lock)
        os_ = ospo(a.ospo, a.db, lock)
        both = set(ca) & set(os_)
        total_a += len(ca); total_o += len(os_); same += len(both)
        print(f"{lock}: cargo-audit {len(ca)}, ospo {len(os_)}, both {len(both)}")
        for k in sorted(set(ca) - set(os_)):
            print(f"  only cargo-audit: {k[0]} {k[1]} {k[2]} ({ca[k]})")
        for k in sorted(set(os_) - set(ca)):
            print(f"  only ospo:        {k[0]} {k[1]} {k[2]} ({os_[k]})")
    print(f"total: cargo-audit {total_a}, ospo {total_o}, both {same}")

if __name__ == "__main__":
    main()
