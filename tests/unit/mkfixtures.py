#!/usr/bin/python3
# Write tests/unit/fixtures/{ops,pipeline}_fixtures.h: inputs and numpy/scipy reference
# outputs of the ops of SPEC section 4, as C float arrays, so the unit tests need no Python.
# Run from the repository root with numpy and scipy: /usr/bin/python3 tests/unit/mkfixtures.py
import os

import numpy as np
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240601)


def rand(w, h):
    return rng.random((h, w), dtype=np.float32)


def carray(name, a):
    a = np.asarray(a, dtype=np.float32).ravel()
    vals = ", ".join("%.9gf" % v for v in a)
    lines = []
    line = "\t"
    for v in vals.split(", "):
        if len(line) + len(v) + 2 > 100:
            lines.append(line.rstrip())
            line = "\t"
        line += v + ", "
    lines.append(line.rstrip())
    return "static const float %s[%d] = {\n%s\n};\n" % (name, a.size, "\n".join(lines))


def blur(f, sigma):
    return ndimage.gaussian_filter(f, sigma, mode="nearest", truncate=3.0)


def median(f, r):
    return ndimage.median_filter(f, size=2 * r + 1, mode="nearest")


def downsample(f, k):
    h, w = f.shape
    g = f[: h // k * k, : w // k * k].astype(np.float64)
    return g.reshape(h // k, k, w // k, k).mean(axis=(1, 3))


def write(path, parts):
    guard = "RUNJA_" + os.path.basename(path).upper().replace(".", "_")
    with open(path, "w") as out:
        out.write("/* written by tests/unit/mkfixtures.py (numpy %s, scipy %s); editing it is pointless */\n"
                  % (np.__version__, __import__("scipy").__version__))
        out.write("#ifndef %s\n#define %s\n\n" % (guard, guard))
        out.write("\n".join(parts))
        out.write("\n#endif\n")


def ops():
    parts = []
    imgs = {"7x5": rand(7, 5), "2x9": rand(2, 9), "1x1": rand(1, 1), "3x2": rand(3, 2), "1x6": rand(1, 6)}
    for name, f in imgs.items():
        parts.append(carray("fx_img_%s" % name, f))
    for name, f in imgs.items():
        for sigma in (0.5, 1, 2, 3):
            parts.append(carray("fx_blur_%s_s%s" % (name, str(sigma).replace(".", "")), blur(f, sigma)))
    for name in ("7x5", "2x9", "1x1", "3x2"):
        for r in (1, 2):
            parts.append(carray("fx_median_%s_r%d" % (name, r), median(imgs[name], r)))
    for name, k in (("7x5", 1), ("7x5", 2), ("7x5", 3), ("2x9", 2), ("7x5", 5)):
        parts.append(carray("fx_down_%s_k%d" % (name, k), downsample(imgs[name], k)))
    stack = np.stack([rand(7, 5) for _ in range(4)])
    parts.append(carray("fx_stack_7x5x4", stack))
    for n in (3, 4):
        s = stack[:n].astype(np.float64)
        parts.append(carray("fx_bgmean_%d" % n, s.mean(axis=0)))
        parts.append(carray("fx_bgmedian_%d" % n, np.median(s, axis=0)))
    write(os.path.join(HERE, "fixtures", "ops_fixtures.h"), parts)


def pipeline():
    # crop x=1 y=2 width=6 height=5, background frames=3 median, blur sigma=1 on 6 frames of 9x8
    frames = [rand(9, 8) for _ in range(6)]
    crops = [f[2:7, 1:7] for f in frames]
    b = np.median(np.stack(crops[:3]).astype(np.float64), axis=0).astype(np.float32)
    outs = [blur(c - b, 1.0) for c in crops]
    # the same with 2 frames only: the background is the mean of the two middle (all) values
    b2 = np.median(np.stack(crops[:2]).astype(np.float64), axis=0).astype(np.float32)
    outs2 = [blur(c - b2, 1.0) for c in crops[:2]]
    parts = [carray("fx_pipe_in", np.stack(frames)), carray("fx_pipe_out", np.stack(outs)),
             carray("fx_pipe_out2", np.stack(outs2))]
    write(os.path.join(HERE, "fixtures", "pipeline_fixtures.h"), parts)


ops()
pipeline()
