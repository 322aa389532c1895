#!/usr/bin/env python3
"""Write a large data tree of empty frames for runja-gen's scale benchmark.

usage: mktree.py DIR RUNS FRAMES  -> DIR/2026-MM/run_NNNNN/img_K.png (empty files),
runs spread over 12 month folders.
"""
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip())
    top, runs, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for r in range(runs):
        d = os.path.join(top, "2026-%02d" % (r % 12 + 1), "run_%05d" % r)
        os.makedirs(d, exist_ok=True)
        for k in range(frames):
            open(os.path.join(d, "img_%d.png" % k), "w").close()


main()
