#!/usr/bin/env python3
"""The user's own per-run program of bench/command.sh, the way a scientist writes it:
process(run, out) reads one run's frames (Pillow), crops them, subtracts each from the
background (the median of the first 5: the current is darker than the tank), blurs
each (scipy.ndimage), and writes mean.npy, std.npy, front.csv and result.json into
out. Run as a script, it is the multiprocessing.Pool over the runs that runja
replaces; bench/perrun_cmd.py is the same process() as a runja command.

usage: perrun.py [-j WORKERS] DATA OUT   (runs are DATA/run_*, results OUT/RUN/)
"""
import argparse
import csv
import glob
import json
import os

import numpy as np
from multiprocessing import Pool
from PIL import Image
from scipy import ndimage

# the same decoding and front as the pipeline benchmark's script
from pool import front_position, load, natural

CROP = (0, 200, 1024, 300)  # x, y, width, height
BG_FRAMES = 5
SIGMA = 2.0
FRONT_LEVEL = 0.1


def process(run, out):
    """One run: the frames of the folder run, the results into the folder out."""
    files = sorted(glob.glob(os.path.join(run, "*.png")), key=lambda p: natural(os.path.basename(p)))
    x, y, w, h = CROP
    frames = np.stack([load(f)[y:y + h, x:x + w] for f in files])
    frames = np.median(frames[:BG_FRAMES], axis=0) - frames
    for f in frames:
        f[...] = ndimage.gaussian_filter(f, SIGMA, mode="nearest", truncate=3.0)
    np.save(os.path.join(out, "mean.npy"), frames.mean(axis=0, dtype=np.float64).astype(np.float32))
    np.save(os.path.join(out, "std.npy"), frames.std(axis=0, dtype=np.float64).astype(np.float32))
    fronts = []
    with open(os.path.join(out, "front.csv"), "w", newline="") as fh:
        wr = csv.writer(fh, lineterminator="\n")
        wr.writerow(["index", "file", "position"])
        for i, f in enumerate(frames):
            pos = front_position(f.mean(axis=0, dtype=np.float64), FRONT_LEVEL)
            wr.writerow([i, os.path.basename(files[i]), "" if pos is None else "%.4f" % pos])
            if pos is not None:
                fronts.append((i, pos))
    speed = float(np.polyfit(*zip(*fronts), 1)[0]) if len(fronts) >= 2 else None
    with open(os.path.join(out, "result.json"), "w") as fh:
        json.dump({"frames": len(files), "front_speed": speed}, fh)


def one(run, outroot):
    out = os.path.join(outroot, os.path.basename(run))
    os.makedirs(out, exist_ok=True)
    process(run, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-j", "--workers", type=int, default=os.cpu_count())
    ap.add_argument("data")
    ap.add_argument("out")
    args = ap.parse_args()
    runs = sorted(glob.glob(os.path.join(args.data, "run_*")), key=natural)
    with Pool(args.workers) as pool:
        pool.starmap(one, [(r, args.out) for r in runs])


if __name__ == "__main__":
    main()
