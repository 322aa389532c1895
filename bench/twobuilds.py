#!/usr/bin/env python3
"""Two builds of runja side by side on trees of a command (bench/command.sh's): first
builds (`runja-gen && ninja -j2`, out/ removed and the tree's warm server killed before
each), A and B alternately, REPS of each. Prints the medians of wall time and of CPU
time (user + system) and the medians of the pair-by-pair ratios A/B. The CPU counts
the build's processes and the warm servers with the runs they forked, read from /proc
once the build has ended (a server is detached: a timer of the build alone misses it).

usage: /usr/bin/python3 bench/twobuilds.py REPS TOP-A TREE-A TOP-B TREE-B
       TOP: a built runja tree (its runja-gen and runja-exec are used); TREE: a folder
       with runja.cfg, the program and data/ (two trees, so that each build's servers
       and state stay its own: e.g. copies of bench/tmp/command/short with data/ a
       link to the same data)
"""
import os
import statistics
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def servers(tree):
    """The pids of the warm servers' processes (and their runs) of tree."""
    out = subprocess.run(["pgrep", "-f", "warm.py out/.runja/warm/"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split() if os.path.realpath("/proc/%s/cwd" % p) == os.path.realpath(tree)]


def cpu(pids):
    """CPU seconds of pids, their reaped children's included."""
    t = 0
    for p in pids:
        try:
            with open("/proc/%d/stat" % p) as f:
                v = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        t += sum(int(x) for x in v[11:15])
    return t / HZ


def build(top, tree):
    """One first build of tree by top's runja: (wall s, CPU s)."""
    for p in servers(tree):
        try:
            os.kill(p, 9)
        except OSError:
            pass
    time.sleep(0.2)
    subprocess.run(["rm", "-rf", "out", "build.ninja", ".runja"], cwd=tree, check=True)
    t = time.monotonic()
    p = subprocess.Popen("'%s/runja-gen' >/dev/null && exec ninja -j2 >/dev/null" % top, shell=True, cwd=tree)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    if status != 0:
        sys.exit("twobuilds: the build of %s by %s failed" % (tree, top))
    time.sleep(0.3)  # the servers have reaped the last runs
    return wall, ru.ru_utime + ru.ru_stime + cpu(servers(tree))


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__.split("\n\n")[1])
    reps = int(sys.argv[1])
    sides = [(os.path.abspath(sys.argv[2]), sys.argv[3]), (os.path.abspath(sys.argv[4]), sys.argv[5])]
    got = ([], [])
    for _ in range(reps):
        for k, (top, tree) in enumerate(sides):
            got[k].append(build(top, tree))
    for name, j in (("wall", 0), ("CPU", 1)):
        a = [r[j] for r in got[0]]
        b = [r[j] for r in got[1]]
        print("%-4s A %.3f s  B %.3f s  A/B %.3f (median of %d pairs)" %
              (name, statistics.median(a), statistics.median(b), statistics.median(x / y for x, y in zip(a, b)), reps))


if __name__ == "__main__":
    main()
