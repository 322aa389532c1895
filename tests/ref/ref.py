#!/usr/bin/python3
"""Independent reference of SPEC section 4 for one run (used by tests/e2e/reference.sh).

ref.py --frames GLOB --channel C [--op SPEC]... [--product SPEC]... RUNDIR OUTDIR

Decodes the frames with its own PNG decoder (zlib + numpy), applies the ops in float64
with numpy/scipy, and writes the products as runja-process names them: NAME.npy
(float32), stats.csv, front.csv, plus ref.json {width, height, frames, front_speed}.
The op/product SPEC texts are those of runja-process (common/spec.c).
"""
import argparse
import fnmatch
import json
import os
import re
import struct
import sys
import zlib

import numpy as np
import scipy.ndimage as ndi


def die(msg):
    sys.stderr.write("ref.py: %s\n" % msg)
    sys.exit(1)


# ---------------------------------------------------------------- PNG decoding

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
NCHAN = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def unfilter(data, pos, rows, rowbytes, bpp):
    """Unfilter `rows` scanlines of `rowbytes` bytes starting at data[pos]; returns (uint8 array, new pos)."""
    out = np.zeros((rows, rowbytes), dtype=np.uint8)
    prev = np.zeros(rowbytes, dtype=np.int64)
    for y in range(rows):
        if pos + 1 + rowbytes > len(data):
            die("image data too short")
        ft = data[pos]
        line = np.frombuffer(data, dtype=np.uint8, count=rowbytes, offset=pos + 1).astype(np.int64)
        pos += 1 + rowbytes
        if ft == 0:
            cur = line
        elif ft == 1:  # Sub: running sum over each of the bpp interleaved byte streams
            cur = np.cumsum(line.reshape(-1, bpp), axis=0).reshape(-1) & 255
        elif ft == 2:
            cur = (line + prev) & 255
        elif ft in (3, 4):
            raw = line.tolist()
            up = prev.tolist()
            cur = [0] * rowbytes
            for i in range(rowbytes):
                a = cur[i - bpp] if i >= bpp else 0
                b = up[i]
                if ft == 3:
                    cur[i] = (raw[i] + ((a + b) >> 1)) & 255
                else:
                    c = up[i - bpp] if i >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pr = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                    cur[i] = (raw[i] + pr) & 255
            cur = np.array(cur, dtype=np.int64)
        else:
            die("bad filter type %d" % ft)
        out[y] = cur
        prev = cur
    return out, pos


def samples(rowsbytes, width, nch, depth):
    """Unfiltered scanlines (rows x rowbytes uint8) -> (rows, width, nch) integer samples."""
    rows = rowsbytes.shape[0]
    if depth == 16:
        s = rowsbytes.view(">u2").astype(np.int64)
    elif depth == 8:
        s = rowsbytes.astype(np.int64)
    else:
        bits = np.unpackbits(rowsbytes, axis=1).reshape(rows, -1, depth).astype(np.int64)
        s = np.zeros(bits.shape[:2], dtype=np.int64)
        for k in range(depth):
            s = s * 2 + bits[:, :, k]
    return s[:, : width * nch].reshape(rows, width, nch)


def readpng(path):
    """-> (samples (h, w, nch) int64, color type, bit depth, palette or None)"""
    with open(path, "rb") as f:
        d = f.read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        die("%s: not a PNG" % path)
    pos, idat, plte, hdr = 8, [], None, None
    while pos + 8 <= len(d):
        n, typ = struct.unpack(">I4s", d[pos:pos + 8])
        body = d[pos + 8:pos + 8 + n]
        if len(body) != n or pos + 12 + n > len(d):
            die("%s: truncated" % path)
        if zlib.crc32(typ + body) != struct.unpack(">I", d[pos + 8 + n:pos + 12 + n])[0]:
            die("%s: bad CRC in %s" % (path, typ))
        pos += 12 + n
        if typ == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif typ == b"PLTE":
            plte = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3).astype(np.float64) / 255.0
        elif typ == b"IDAT":
            idat.append(body)
        elif typ == b"IEND":
            break
    if hdr is None:
        die("%s: no IHDR" % path)
    w, h, depth, ctype, _, _, inter = hdr
    nch = NCHAN[ctype]
    bpp = max(1, nch * depth // 8)
    data = zlib.decompress(b"".join(idat))
    out = np.zeros((h, w, nch), dtype=np.int64)
    pos = 0
    passes = ADAM7 if inter else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        pw = (w - x0 + dx - 1) // dx if w > x0 else 0
        ph = (h - y0 + dy - 1) // dy if h > y0 else 0
        if pw == 0 or ph == 0:
            continue
        rowbytes = (pw * nch * depth + 7) // 8
        rb, pos = unfilter(data, pos, ph, rowbytes, bpp)
        out[y0::dy, x0::dx] = samples(rb, pw, nch, depth)
    return out, ctype, depth, plte


def decode(path, channel):
    s, ctype, depth, plte = readpng(path)
    if ctype == 3:
        rgb = plte[s[:, :, 0]]
    elif ctype in (2, 6):
        rgb = s[:, :, :3].astype(np.float64) / (2 ** depth - 1)
    else:
        return s[:, :, 0].astype(np.float64) / (2 ** depth - 1)
    if channel == "luma":
        return 0.2126 * rgb[:, :, 0] + 0.7152 * rgb[:, :, 1] + 0.0722 * rgb[:, :, 2]
    return rgb[:, :, "rgb".index(channel)]


# ---------------------------------------------------------------- specs


def parsespec(text):
    name, _, rest = text.partition(":")
    kv = {}
    while rest:
        k, eq, v = rest.partition("=")
        if not eq or not k:
            die("bad parameter list in '%s'" % text)
        if k == "file":
            kv[k] = v
            break
        v, _, rest = v.partition(",")
        kv[k] = v
    return name, kv


def natkey(s):
    return [(0, int(t), t) if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s) if t] + [(2, 0, s)]


def listframes(rundir, pattern):
    sub, pat = os.path.split(pattern)
    names = []
    for e in os.listdir(os.path.join(rundir, sub) if sub else rundir):
        if fnmatch.fnmatchcase(e, pat) and (pat.startswith(".") or not e.startswith(".")):
            rel = os.path.join(sub, e) if sub else e
            if os.path.isfile(os.path.join(rundir, rel)):
                names.append(rel)
    return sorted(names, key=natkey)


# ---------------------------------------------------------------- ops


def applyop(name, kv, f):
    if name == "crop":
        x, y, w, h = int(kv["x"]), int(kv["y"]), int(kv["width"]), int(kv["height"])
        if x + w > f.shape[1] or y + h > f.shape[0]:
            die("crop leaves the frame")
        return f[y:y + h, x:x + w].copy()
    if name == "downsample":
        k = int(kv.get("factor", 1))
        h, w = f.shape[0] // k, f.shape[1] // k
        return f[:h * k, :w * k].reshape(h, k, w, k).mean(axis=(1, 3))
    if name == "invert":
        return 1.0 - f
    if name == "scale":
        return f * float(kv.get("gain", 1)) + float(kv.get("offset", 0))
    if name == "blur":
        return ndi.gaussian_filter(f, float(kv["sigma"]), mode="nearest", truncate=3.0)
    if name == "median":
        return ndi.median_filter(f, size=2 * int(kv.get("radius", 1)) + 1, mode="nearest")
    if name == "threshold":
        return np.where(f >= float(kv["level"]), 1.0, 0.0)
    die("unknown op '%s'" % name)


def pipeline(ops, frames, rundir, channel):
    """ops: [(name, kv)]; frames: list of float64 images; returns the processed list."""
    bgs = []  # background image of each op (None for the others)
    for j, (name, kv) in enumerate(ops):
        if name != "background":
            frames = [applyop(name, kv, f) for f in frames]
            bgs.append(None)
            continue
        if "file" in kv:
            b = decode(os.path.join(rundir, kv["file"]), channel)
            for (n2, kv2), b2 in zip(ops[:j], bgs):
                b = b - b2 if n2 == "background" else applyop(n2, kv2, b)
        else:
            stack = np.stack(frames[:min(int(kv.get("frames", 1)), len(frames))])
            b = np.median(stack, axis=0) if kv.get("method", "median") == "median" else stack.mean(axis=0)
        bgs.append(b)
        frames = [f - b for f in frames]
    return frames


# ---------------------------------------------------------------- products


def frontpos(p, level, side):
    """position along p per SPEC, or None"""
    idx = np.nonzero(p >= level)[0]
    if len(idx) == 0:
        return None
    n = len(p)
    if side in ("left", "top"):
        x = int(idx[-1])
        return float(x) if x == n - 1 else x + (p[x] - level) / (p[x] - p[x + 1])
    x = int(idx[0])
    return 0.0 if x == 0 else x - (p[x] - level) / (p[x] - p[x - 1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", default="*.png")
    ap.add_argument("--channel", default="luma", choices=["luma", "r", "g", "b"])
    ap.add_argument("--op", action="append", default=[])
    ap.add_argument("--product", action="append", default=[])
    ap.add_argument("rundir")
    ap.add_argument("outdir")
    a = ap.parse_args()

    names = listframes(a.rundir, a.frames)
    if not names:
        die("no frames")
    raw = [decode(os.path.join(a.rundir, n), a.channel) for n in names]
    if any(f.shape != raw[0].shape for f in raw):
        die("frames differ in size")
    fr = pipeline([parsespec(o) for o in a.op], raw, a.rundir, a.channel)
    st = np.stack(fr)  # (frames, h, w) float64
    os.makedirs(a.outdir, exist_ok=True)
    out = lambda n: os.path.join(a.outdir, n)
    speed = None
    for text in a.product:
        name, kv = parsespec(text)
        if name in ("mean", "std", "min", "max"):
            img = {"mean": np.mean, "std": np.std, "min": np.min, "max": np.max}[name](st, axis=0)
            np.save(out(name + ".npy"), img.astype(np.float32))
        elif name == "timestack":
            ts = st[:, int(kv["row"]), :] if "row" in kv else st[:, :, int(kv["column"])]
            np.save(out("timestack.npy"), ts.astype(np.float32))
        elif name == "stats":
            with open(out("stats.csv"), "w") as f:
                f.write("index,file,mean,std,min,max\n")
                for i, (n, v) in enumerate(zip(names, fr)):
                    f.write("%d,%s,%.9g,%.9g,%.9g,%.9g\n" % (i, n, v.mean(), v.std(), v.min(), v.max()))
        elif name == "front":
            level, side = float(kv.get("level", 0.5)), kv.get("from", "left")
            axis = 0 if side in ("left", "right") else 1
            pts = []
            with open(out("front.csv"), "w") as f:
                f.write("index,file,position\n")
                for i, (n, v) in enumerate(zip(names, fr)):
                    pos = frontpos(v.mean(axis=axis), level, side)
                    f.write("%d,%s,%s\n" % (i, n, "" if pos is None else "%.4f" % pos))
                    if pos is not None:
                        pts.append((i, pos))
            if len(pts) >= 2:
                t = np.array([p[0] for p in pts], dtype=np.float64)
                x = np.array([p[1] for p in pts], dtype=np.float64)
                speed = float(((t - t.mean()) * (x - x.mean())).sum() / ((t - t.mean()) ** 2).sum())
        else:
            die("unknown product '%s'" % text)
    with open(out("ref.json"), "w") as f:
        json.dump({"width": st.shape[2], "height": st.shape[1], "frames": len(fr), "front_speed": speed}, f)


if __name__ == "__main__":
    main()
