#!/usr/bin/env python3
"""The alternative to runja that bench/run.sh measures: one script, a
multiprocessing.Pool over the runs, numpy/scipy/Pillow inside, written the way a
scientist would write it. It computes what runja.cfg of bench/run.sh asks for:

  crop x=0 y=200 1024x300, background = median of the first 5 frames, blur sigma=2
  mean, std, max, timestack row 150 (PNG 16-bit + .npy), stats.csv,
  front.csv (level 0.1 from the left), summary.json

or, with --crop X,Y,W,H and --invert, its large-crop pipeline (crop, invert, the same
background and blur).

usage: pool.py [-j WORKERS] [--crop X,Y,W,H] [--invert] DATA OUT
       (runs are DATA/run_*, frames RUN/*.png)
"""
import argparse
import csv
import glob
import json
import os
import re

import numpy as np
from multiprocessing import Pool
from PIL import Image
from scipy import ndimage

CROP = (0, 200, 1024, 300)  # x, y, width, height
BG_FRAMES = 5
SIGMA = 2.0
TS_ROW = 150
FRONT_LEVEL = 0.1
PNG_LEVEL = 3


def natural(name):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def load(path):
    a = np.asarray(Image.open(path))
    scale = 255.0 if a.dtype == np.uint8 else 65535.0
    return a.astype(np.float32) / np.float32(scale)


def save_image(out, name, a):
    lo, hi = float(a.min()), float(a.max())
    if hi > lo:
        u16 = np.floor((a.astype(np.float64) - lo) / (hi - lo) * 65535 + 0.5)
        u16 = np.clip(u16, 0, 65535).astype(np.uint16)
    else:
        u16 = np.zeros(a.shape, np.uint16)
    Image.fromarray(u16).save(os.path.join(out, name + ".png"), compress_level=PNG_LEVEL)
    np.save(os.path.join(out, name + ".npy"), a.astype(np.float32))
    return {"lo": lo, "hi": hi}


def front_position(profile, level):
    above = np.nonzero(profile >= level)[0]
    if len(above) == 0:
        return None
    i = above[-1]
    if i == len(profile) - 1:
        return float(i)
    return float(i + (profile[i] - level) / (profile[i] - profile[i + 1]))


def process(run, outroot, crop=CROP, invert=False):
    files = sorted(glob.glob(os.path.join(run, "*.png")), key=lambda p: natural(os.path.basename(p)))
    x, y, w, h = crop
    frames = [load(f)[y:y + h, x:x + w] for f in files]
    if invert:
        frames = [np.float32(1) - f for f in frames]
    background = np.median(np.stack(frames[:BG_FRAMES]), axis=0)
    frames = np.stack([ndimage.gaussian_filter(f - background, SIGMA, mode="nearest", truncate=3.0)
                       for f in frames])

    out = os.path.join(outroot, os.path.basename(run))
    os.makedirs(out, exist_ok=True)
    products = {
        "mean": save_image(out, "mean", frames.mean(axis=0, dtype=np.float64)),
        "std": save_image(out, "std", frames.std(axis=0, dtype=np.float64)),
        "max": save_image(out, "max", frames.max(axis=0)),
        "timestack": save_image(out, "timestack", frames[:, TS_ROW, :]),
    }
    names = [os.path.basename(f) for f in files]
    with open(os.path.join(out, "stats.csv"), "w", newline="") as fh:
        wr = csv.writer(fh, lineterminator="\n")
        wr.writerow(["index", "file", "mean", "std", "min", "max"])
        for i, f in enumerate(frames):
            f64 = f.astype(np.float64)
            wr.writerow([i, names[i], "%.9g" % f64.mean(), "%.9g" % f64.std(),
                         "%.9g" % f.min(), "%.9g" % f.max()])
    fronts = []
    with open(os.path.join(out, "front.csv"), "w", newline="") as fh:
        wr = csv.writer(fh, lineterminator="\n")
        wr.writerow(["index", "file", "position"])
        for i, f in enumerate(frames):
            pos = front_position(f.mean(axis=0, dtype=np.float64), FRONT_LEVEL)
            wr.writerow([i, names[i], "" if pos is None else "%.4f" % pos])
            if pos is not None:
                fronts.append((i, pos))
    speed = float(np.polyfit(*zip(*fronts), 1)[0]) if len(fronts) >= 2 else None
    summary = {"run": os.path.basename(run), "frames": len(frames), "width": w, "height": h,
               "mean": float(frames.mean(dtype=np.float64)), "std": float(frames.std(dtype=np.float64)),
               "products": products, "front_speed": speed}
    with open(os.path.join(out, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=2)
    return run


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-j", "--workers", type=int, default=os.cpu_count())
    ap.add_argument("--crop", type=lambda v: tuple(int(t) for t in v.split(",")), default=CROP)
    ap.add_argument("--invert", action="store_true")
    ap.add_argument("data")
    ap.add_argument("out")
    args = ap.parse_args()
    runs = sorted(glob.glob(os.path.join(args.data, "run_*")), key=natural)
    with Pool(args.workers) as pool:
        pool.starmap(process, [(r, args.out, args.crop, args.invert) for r in runs])


if __name__ == "__main__":
    main()
