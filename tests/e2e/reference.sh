#!/bin/sh
# End to end: runja-process against the independent Python reference tests/ref/ref.py
# (own PNG decoder, numpy/scipy ops in float64) on every PNG kind of tests/synth, for
# several pipelines and products. Run from the repo root (after make). One line
# "PASS name" / "FAIL name" per (pipeline, run) comparison; exit 1 on any failure.

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import numpy, scipy.ndimage' >/dev/null 2>&1; then
	echo "FAIL reference: python3-numpy/python3-scipy missing"
	exit 1
fi
for f in ./runja-process ./tests/synth tests/ref/ref.py; do
	if [ ! -e "$f" ]; then
		echo "FAIL reference: $f missing (run make first, from the repo root)"
		exit 1
	fi
done

# tests/lib.sh for $tmp and the raw data check at finish
. tests/lib.sh
trap 'exit 1' INT TERM HUP
fails=0

# compare.py NAME RUNJA_OUT REF_OUT: one PASS/FAIL line with the worst differences
cat >"$tmp/compare.py" <<'EOF'
import csv, json, math, os, sys
import numpy as np

name, got, ref = sys.argv[1:4]
errs, worst = [], {"npy": 0.0, "stats": 0.0, "front": 0.0, "speed": 0.0}

def rows(d, f):
    with open(os.path.join(d, f), newline="") as fh:
        return list(csv.reader(fh))

npys = sorted(f for f in os.listdir(ref) if f.endswith(".npy"))
gotnpys = sorted(f for f in os.listdir(got) if f.endswith(".npy"))
if npys != gotnpys:
    errs.append("npy files: runja %s, reference %s" % (gotnpys, npys))
for f in npys:
    if f not in gotnpys:
        continue
    a, b = np.load(os.path.join(got, f)), np.load(os.path.join(ref, f))
    if a.dtype != np.float32 or a.shape != b.shape:
        errs.append("%s: runja %s %s, reference %s %s" % (f, a.dtype, a.shape, b.dtype, b.shape))
        continue
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    m = float(d.max()) if d.size else 0.0
    if not math.isfinite(m):
        m = math.inf
    worst["npy"] = max(worst["npy"], m)
    if not m <= 2e-5:
        i = np.unravel_index(np.nanargmax(np.where(np.isfinite(d), d, np.inf)), d.shape)
        errs.append("%s: max |diff| %.3g at %s (runja %.9g, reference %.9g)" % (f, m, tuple(int(k) for k in i), a[i], b[i]))

def cmpcsv(f, ncols, tol, key):
    if not os.path.exists(os.path.join(ref, f)):
        return
    if not os.path.exists(os.path.join(got, f)):
        errs.append("%s: missing in runja's output" % f)
        return
    a, b = rows(got, f), rows(ref, f)
    if len(a) != len(b) or a[:1] != b[:1]:
        errs.append("%s: %d rows, header %s; reference %d rows, header %s" % (f, len(a), a[:1], len(b), b[:1]))
        return
    for ra, rb in zip(a[1:], b[1:]):
        if len(ra) != ncols or ra[:2] != rb[:2]:
            errs.append("%s: row %s, reference %s" % (f, ra, rb))
            continue
        for j in range(2, ncols):
            if (ra[j] == "") != (rb[j] == ""):
                errs.append("%s: frame %s column %d: runja '%s', reference '%s'" % (f, ra[0], j, ra[j], rb[j]))
            elif ra[j] != "":
                d = abs(float(ra[j]) - float(rb[j]))
                if not math.isfinite(d):
                    d = math.inf
                worst[key] = max(worst[key], d)
                if not d <= tol:
                    errs.append("%s: frame %s column %d: runja %s, reference %s" % (f, ra[0], j, ra[j], rb[j]))

cmpcsv("stats.csv", 6, 2e-5, "stats")
cmpcsv("front.csv", 3, 1e-3, "front")

try:
    with open(os.path.join(got, "summary.json")) as fh:
        s = json.load(fh)
except (OSError, ValueError) as e:
    s = None
    errs.append("summary.json: %s" % e)
with open(os.path.join(ref, "ref.json")) as fh:
    r = json.load(fh)
if s is not None:
    for k in ("width", "height", "frames"):
        if s.get(k) != r[k]:
            errs.append("summary.json %s: runja %s, reference %s" % (k, s.get(k), r[k]))
    if os.path.exists(os.path.join(ref, "front.csv")):
        a, b = s.get("front_speed", "absent"), r["front_speed"]
        if (a is None) != (b is None) or not isinstance(a, (int, float, type(None))):
            errs.append("summary.json front_speed: runja %s, reference %s" % (a, b))
        elif a is not None:
            worst["speed"] = abs(a - b)
            if not worst["speed"] <= 1e-3:
                errs.append("summary.json front_speed: runja %.6g, reference %.6g" % (a, b))

print("%s %s (worst |diff|: npy %.2g, stats %.2g, front %.2g, front_speed %.2g)" % (
    "FAIL" if errs else "PASS", name, worst["npy"], worst["stats"], worst["front"], worst["speed"]))
for e in errs[:12]:
    print("    " + e)
if len(errs) > 12:
    print("    ... and %d more" % (len(errs) - 12))
sys.exit(1 if errs else 0)
EOF

if ! ./tests/synth --runs 12 --frames 7 --size 96x64 --kind mixed -v "$tmp/data" >"$tmp/kinds" 2>&1; then
	echo "FAIL reference: tests/synth failed"
	sed 's/^/    /' "$tmp/kinds"
	exit 1
fi
rawsnap "$tmp/data"

# the reference's own PNG decoder against Pillow (exact for 8-bit; high byte for 16-bit colour)
cat >"$tmp/decoder.py" <<'EOF'
import glob, sys
import numpy as np
sys.path.insert(0, "tests/ref")
import ref
try:
    from PIL import Image
except ImportError:
    print("SKIP reference-decoder: Pillow is not installed (apt-get install python3-pil)")
    sys.exit(0)
bad = []
files = sorted(glob.glob(sys.argv[1] + "/run_*/img_[05].png"))
for f in files:
    s, ct, depth, plte = ref.readpng(f)
    im = Image.open(f)
    a = np.array(im).astype(np.int64)
    if im.mode == "P":
        s = s[:, :, 0]
    elif depth == 16 and ct != 0:
        a, s = a.reshape(s.shape[0], s.shape[1], -1), s >> 8
        if ct == 4:
            a = a[:, :, [0, 3]]
    else:
        a = a.reshape(s.shape)
        if ct == 0 and depth in (2, 4) and a.max() > 2 ** depth - 1:
            a = a // (255 // (2 ** depth - 1))  # Pillow scales 2/4-bit gray to 8 bits
    if a.shape != s.shape or not np.array_equal(a, s):
        bad.append("%s (%s, colour type %d, depth %d)" % (f, im.mode, ct, depth))
print("%s reference decoder agrees with Pillow on %d frames" % ("FAIL" if bad else "PASS", len(files)))
for b in bad:
    print("    differs: " + b)
sys.exit(1 if bad else 0)
EOF
"$PY" "$tmp/decoder.py" "$tmp/data" || fails=$((fails + 1))

# check NAME RUNDIR FRAMES CHANNEL ARGS...: runja-process and ref.py on one run, compared
check() {
	name=$1 rundir=$2 frames=$3 channel=$4
	shift 4
	n=$((n + 1))
	rm -rf "$tmp/got" "$tmp/ref"
	if ! ./runja-process --id "$name" --frames "$frames" --channel "$channel" "$@" "$rundir" "$tmp/got" \
	    >"$tmp/log" 2>&1; then
		echo "FAIL $name: runja-process failed"
		sed 's/^/    /' "$tmp/log"
		fails=$((fails + 1))
		return
	fi
	if ! "$PY" tests/ref/ref.py --frames "$frames" --channel "$channel" "$@" "$rundir" "$tmp/ref" \
	    >"$tmp/log" 2>&1; then
		echo "FAIL $name: tests/ref/ref.py failed"
		sed 's/^/    /' "$tmp/log"
		fails=$((fails + 1))
		return
	fi
	"$PY" "$tmp/compare.py" "$name" "$tmp/got" "$tmp/ref" || fails=$((fails + 1))
}

# pipeline NAME CHANNEL ARGS...: check every run of the tree
pipeline() {
	pname=$1 ch=$2
	shift 2
	for run in "$tmp"/data/run_*; do
		r=${run##*/}
		kind=$(sed -n "s|^.*/$r: \\([^,]*\\) [0-9]*x[0-9]*,.*|\\1|p" "$tmp/kinds" | tr ' ' '-')
		check "reference $pname $r ${kind:-?}" "$run" '*.png' "$ch" "$@"
	done
}

# Front levels on raw data avoid exact ties with k/(2^depth-1)/rows (0.7 = 1008/1440 for
# 4-bit gray): at a tie float32 and float64 sums legitimately fall on either side.
n=0
pipeline none luma \
	--product mean --product std --product min --product max --product stats \
	--product timestack:row=40 --product front:level=0.50013,from=right
pipeline none-top luma \
	--product stats --product timestack:column=0 --product front:level=0.70013,from=top
pipeline crop+background3median+blur2 r \
	--op crop:x=4,y=6,width=80,height=50 --op background:frames=3,method=median --op blur:sigma=2 \
	--product mean --product std --product min --product max --product stats \
	--product timestack:column=30 --product front:level=0.008,from=left
pipeline downsample2+invert+scale+median1+threshold luma \
	--op downsample:factor=2 --op invert --op scale:gain=1.5,offset=-0.25 --op median:radius=1 \
	--op threshold:level=0.5 \
	--product mean --product std --product min --product max --product stats \
	--product timestack:row=20 --product front:level=0.5,from=left
pipeline background4mean+blur1.3 luma \
	--op background:frames=4,method=mean --op blur:sigma=1.3 \
	--product mean --product std --product min --product max --product stats \
	--product timestack:column=50 --product front:level=0.015,from=left
pipeline background2median+negate g \
	--op background:frames=2,method=median --op scale:gain=-1 \
	--product mean --product std --product max --product stats --product front:level=0.05,from=left
pipeline downsample3+invert+blur0.8+median2 b \
	--op downsample:factor=3 --op invert --op blur:sigma=0.8 --op median:radius=2 \
	--product mean --product min --product stats --product timestack:row=0 --product front:level=0.3003,from=bottom

# background from a file: a copy of the run with one frame as bg.png, which is not a frame
for r in run_000 run_004 run_008 run_011; do
	mkdir -p "$tmp/bgfile" && cp -R "$tmp/data/$r" "$tmp/bgfile/$r" && cp "$tmp/data/$r/img_3.png" "$tmp/bgfile/$r/bg.png"
	rawsnap "$tmp/bgfile/$r"
	kind=$(sed -n "s|^.*/$r: \\([^,]*\\) [0-9]*x[0-9]*,.*|\\1|p" "$tmp/kinds" | tr ' ' '-')
	check "reference crop+background-file+negate+blur1.5 $r ${kind:-?}" "$tmp/bgfile/$r" 'img_*.png' luma \
		--op crop:x=2,y=3,width=90,height=57 --op background:file=bg.png --op scale:gain=-1 --op blur:sigma=1.5 \
		--product mean --product std --product stats --product timestack:row=10 \
		--product front:level=0.05,from=left
done

[ "$fails" -eq 0 ] || failed=1
finish
