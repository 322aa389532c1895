#!/usr/bin/env python3
"""A user's own program per run, after runja's built-in pipeline (numpy only).

usage: python3 analyse.py PIPELINE OUT PARAMS

  PIPELINE  the run's built-in products (runja's {pipeline}): mean.npy, front.csv
  OUT       the empty folder to write into ({out}); runja renames it into place
            only when this program exits 0, so it writes its files directly
  PARAMS    a JSON file of the parameters ({params}): smooth, plot_width, plot_height

Writes into OUT:
  front.png     the front position over the frame index (RGB 8-bit, drawn by hand)
  velocity.csv  index,file,position,velocity: per frame, in pixels and pixels per frame
                (a centred difference, then a moving average of `smooth` frames)
  profile.csv   column,mean: the mean image averaged over its rows, per column
and one line on stdout, which runja keeps in OUT/runja.log.
"""
import csv
import json
import os
import struct
import sys
import zlib

import numpy as np


def read_front(path):
    """front.csv -> (names, positions); a frame without a front is NaN."""
    names, pos = [], []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            names.append(row["file"])
            pos.append(float(row["position"]) if row["position"] else np.nan)
    return names, np.array(pos)


def velocity(pos, smooth):
    """Pixels per frame: np.gradient, then a moving average of `smooth` frames that
    skips the frames without a front (NaN where a frame or its neighbours have none)."""
    if len(pos) < 2:
        return np.full(pos.shape, np.nan)
    v = np.gradient(pos)
    if smooth <= 1:
        return v
    ok = np.isfinite(v)
    k = np.ones(smooth)
    num = np.convolve(np.where(ok, v, 0.0), k, "same")
    den = np.convolve(ok.astype(float), k, "same")
    return np.where(ok, num / np.maximum(den, 1.0), np.nan)


def write_csv(path, header, rows):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def cell(x):
    return "" if not np.isfinite(x) else "%.4f" % x


# A 3x5 pixel font for the axis labels: digits only.
DIGITS = ["111101101101111", "010110010010111", "111001111100111", "111001111001111",
          "101101111001001", "111100111001111", "111100111101111", "111001001001001",
          "111101111101111", "111101111001111"]


def text(img, x, y, s, colour, scale=2):
    """Draw the digits of s with their top left corner at (x, y)."""
    for c in s:
        glyph = np.array([int(b) for b in DIGITS[int(c)]], bool).reshape(5, 3)
        glyph = glyph.repeat(scale, 0).repeat(scale, 1)
        h, w = glyph.shape
        img[y:y + h, x:x + w][glyph[:img.shape[0] - y, :img.shape[1] - x]] = colour
        x += 4 * scale


def line(img, xs, ys, colour):
    """A polyline 2 pixels wide through the points; NaN points break it."""
    for x0, y0, x1, y1 in zip(xs[:-1], ys[:-1], xs[1:], ys[1:]):
        if not np.all(np.isfinite([y0, y1])):
            continue
        n = int(max(abs(x1 - x0), abs(y1 - y0))) * 2 + 2
        px = np.rint(np.linspace(x0, x1, n)).astype(int)
        py = np.rint(np.linspace(y0, y1, n)).astype(int)
        for dx in (0, 1):
            for dy in (0, 1):
                img[np.clip(py + dy, 0, img.shape[0] - 1), np.clip(px + dx, 0, img.shape[1] - 1)] = colour


def plot(pos, ymax, width, height):
    """An RGB image: the front position (0..ymax pixels, upwards) over the frame index."""
    img = np.full((height, width, 3), 255, np.uint8)
    left, right, top, bottom = 40, 12, 12, 28
    x0, x1, y0, y1 = left, width - right, height - bottom, top   # y0 is the axis at the bottom
    n = len(pos)
    for i in range(5):                                   # grid: quarters of each axis
        gx = int(round(x0 + (x1 - x0) * i / 4))
        gy = int(round(y0 + (y1 - y0) * i / 4))
        img[y1:y0 + 1, gx] = 225
        img[gy, x0:x1 + 1] = 225
    img[y1:y0 + 1, [x0, x1]] = 0                         # the frame
    img[[y0, y1], x0:x1 + 1] = 0
    xs = x0 + (x1 - x0) * np.arange(n) / max(n - 1, 1)
    ys = y0 + (y1 - y0) * pos / ymax
    line(img, xs, ys, (31, 119, 180))
    text(img, x0, y0 + 8, "0", 0)                        # labels: first and last frame,
    last = str(n - 1)
    text(img, x1 - 8 * len(last) + 2, y0 + 8, last, 0)   # 0 and the frame's width
    text(img, 4, y0 - 10, "0", 0)
    text(img, 4, y1, str(ymax), 0)
    return img


def write_png(path, rgb):
    """An 8-bit RGB PNG: no filter, one zlib stream (the standard library's zlib)."""
    h, w, _ = rgb.shape
    raw = np.zeros((h, 1 + 3 * w), np.uint8)   # each row: filter type 0, then RGB
    raw[:, 1:] = rgb.reshape(h, 3 * w)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        fh.write(chunk(b"IDAT", zlib.compress(raw.tobytes(), 6)))
        fh.write(chunk(b"IEND", b""))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    pipeline, out, params = sys.argv[1:]
    with open(params) as fh:
        p = json.load(fh)
    smooth, width, height = int(p.get("smooth", 3)), int(p.get("plot_width", 480)), int(p.get("plot_height", 270))

    mean = np.load(os.path.join(pipeline, "mean.npy"))
    names, pos = read_front(os.path.join(pipeline, "front.csv"))
    v = velocity(pos, smooth)

    write_png(os.path.join(out, "front.png"), plot(pos, mean.shape[1], width, height))
    write_csv(os.path.join(out, "velocity.csv"), ["index", "file", "position", "velocity"],
              [[i, names[i], cell(pos[i]), cell(v[i])] for i in range(len(names))])
    profile = mean.mean(axis=0, dtype=np.float64)
    write_csv(os.path.join(out, "profile.csv"), ["column", "mean"],
              [[c, "%.6g" % m] for c, m in enumerate(profile)])

    seen = np.isfinite(pos)
    first = int(np.argmax(seen)) if seen.any() else None
    speed = np.nanmedian(v) if np.isfinite(v).any() else float("nan")
    print("%s: %d frames, front from frame %s, median velocity %s px/frame (smooth %d)"
          % (os.environ.get("RUNJA_ID", "?"), len(names), first, cell(speed), smooth))


if __name__ == "__main__":
    main()
