#!/usr/bin/env python3
"""The scan against its floor, interleaved: the goal's ratio measured fairly on a noisy machine.

    scripts/bench-ratio.py [--runs N] [--base OLD_OSPO] OSPO TREE

Runs `OSPO scan -q --read-only TREE -f json` (the walk and read: the floor) and
`OSPO scan -q TREE -f json -o /dev/null` (the whole scan) one after the other, N rounds (20 by
default), the order rotated every round, after one warm-up run of each; with --base, an older
build's scan joins each round. hyperfine times one command's runs as a block, and on this
machine whichever block comes first runs up to 10 % slower (page cache and background reclaim
drift between blocks), which is the size of the differences measured here; interleaving puts
every command under the same conditions. Prints, per command, the median and mean wall time
with user and system CPU (from wait4), and the ratio of each scan to the floor: the median of
the per-round ratios (each round's runs are seconds apart) and the ratio of the medians.
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    """Wall, user and system seconds of one run; the output is discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    # 0: clean; 1: findings (never without a vulnerability database); 2: unreadable files.
    if code not in (0, 1):
        sys.exit(f"`{shlex.join(cmd)}` exited with {code}")
    return wall, usage.ru_utime, usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--base", help="an older ospo binary whose scan runs beside")
    parser.add_argument("ospo")
    parser.add_argument("tree")
    args = parser.parse_args()

    commands = {
        "floor: walk + read (--read-only)": [args.ospo, "scan", "-q", "--read-only", args.tree, "-f", "json"],
        "scan -f json": [args.ospo, "scan", "-q", args.tree, "-f", "json", "-o", "/dev/null"],
    }
    if args.base:
        commands["scan -f json (--base)"] = [args.base, "scan", "-q", args.tree, "-f", "json", "-o", "/dev/null"]
    names = list(commands)
    for name in names:
        run(commands[name])
    times = {name: [] for name in names}
    for r in range(args.runs):
        for name in names[r % len(names):] + names[: r % len(names)]:
            times[name].append(run(commands[name]))

    floor = names[0]
    print(f"{args.runs} interleaved rounds on {args.tree}")
    for name in names:
        wall = [t[0] for t in times[name]]
        line = (
            f"{name:34} median {statistics.median(wall):.3f} s  mean {statistics.mean(wall):.3f} s"
            f" ± {statistics.stdev(wall):.3f}  user {statistics.mean(t[1] for t in times[name]):.2f} s"
            f"  sys {statistics.mean(t[2] for t in times[name]):.2f} s"
        )
        if name != floor:
            rounds = [s[0] / f[0] for s, f in zip(times[name], times[floor])]
            medians = statistics.median(wall) / statistics.median(t[0] for t in times[floor])
            line += f"  ratio {statistics.median(rounds):.2f}x (per round), {medians:.2f}x (of medians)"
        print(line)


if __name__ == "__main__":
    main()
