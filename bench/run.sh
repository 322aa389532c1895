#!/bin/sh
# make bench: runja against the alternatives of SPEC section 7, on synthetic 1024x768
# 8-bit gray frames. Prints medians and ratios; keeps the data in bench/tmp/run between
# invocations. Takes about 8-12 minutes on 2 cores. The pipelines:
#   spec:  crop 1024x300 + background(5, median) + blur(2)   (SPEC section 2)
#   large: crop 1000x600 (76 % of the frame) + invert + background(5, median) + blur(2)
#   whole: background(5, median) + blur(2), no crop
# each with the products mean, std, max, timestack, stats, front; and the decode floor:
# no op, only stats.
#   (a) CPU per frame: libpng alone (bench/decode.c) vs runja-process on each pipeline
#       and the floor, 60 frames, 5 runs each (REPS with "a"), alternating
#   (b) end to end, 24 runs x 50 frames, 2 workers: bench/pool.py vs runja-gen + ninja -j2,
#       spec and large, 3 each
#   (c) ninja after adding 1 run (3 times) vs runja-process on that run alone;
#       parallel efficiency t(-j1) / (2 t(-j2)) on the 24 runs, -j1 on one CPU
# usage: sh bench/run.sh [a [REPS]]   (from the top of the build tree, after make)
#   a: (a) alone, REPS runs each (default 5), its table in bench/tmp/run/results-a.txt
set -e
top=$(pwd)
b=$top/bench/tmp/run
only=${1:-}
reps=${2:-5}
case $only in '' | a) ;; *) echo "usage: sh bench/run.sh [a [REPS]]" >&2; exit 2 ;; esac
case $reps in '' | *[!0-9]* | 0) echo "bench: REPS must be a whole number >= 1" >&2; exit 2 ;; esac
py=/usr/bin/python3
[ -x "$py" ] || py=python3
workers=2
prods="--product mean --product std --product max --product timestack:row=150 --product stats
       --product front:level=0.1,from=left"
bgblur="--op background:frames=5,method=median --op blur:sigma=2"
args="--op crop:x=0,y=200,width=1024,height=300 $bgblur $prods"
argslarge="--op crop:x=12,y=84,width=1000,height=600 --op invert $bgblur $prods"
argswhole="$bgblur $prods"
argsfloor="--product stats"

for f in runja-process runja-gen tests/synth; do
	[ -x "$top/$f" ] || { echo "bench: $f missing (run make first)" >&2; exit 1; }
done
command -v ninja >/dev/null || { echo "bench: ninja not found" >&2; exit 1; }
"$py" -c 'import numpy, scipy.ndimage, PIL' 2>/dev/null ||
	{ echo "bench: $py lacks numpy, scipy or PIL (python3-numpy python3-scipy python3-pil)" >&2; exit 1; }

mkdir -p "$b"
cc -O2 bench/decode.c $(pkg-config --cflags --libs libpng) -o "$b/decode"
cc -O2 bench/timeit.c -o "$b/timeit"
if [ ! -f "$b/frames.done" ]; then
	rm -rf "$b/frames"
	tests/synth --runs 1 --frames 60 --size 1024x768 "$b/frames" >/dev/null
	touch "$b/frames.done"
fi
if [ "$only" != a ] && [ ! -f "$b/data.done" ]; then
	echo "bench: writing 24 runs x 50 frames of 1024x768 to $b/data"
	rm -rf "$b/data"
	tests/synth --runs 24 --frames 50 --size 1024x768 "$b/data" >/dev/null
	touch "$b/data.done"
fi
rm -rf "$b/data/run_1"[0-9][0-9]   # runs a broken earlier (c) left behind
# cfg DIR OPS: DIR/runja.cfg of the runs in $b/data, its pipeline OPS (each op followed by ",")
# then the background and the blur
cfg() {
	mkdir -p "$1"
	cat >"$1/runja.cfg" <<CFG
# written by bench/run.sh: the pipeline and products of SPEC section 7
version = 1;
runs = { root = "$b/data"; match = "run_*"; frames = "*.png"; };
output = { dir = "out"; npy = true; png_compression = 3; };
input = { channel = "luma"; on_bad_frame = "fail"; };
pipeline = (
  $2
  { op = "background"; frames = 5; method = "median"; },
  { op = "blur"; sigma = 2.0; }
);
products = {
  mean = true; std = true; max = true; stats = true;
  timestack = { row = 150; };
  front = { level = 0.1; from = "left"; };
};
CFG
}
cfg "$b" '{ op = "crop"; x = 0; y = 200; width = 1024; height = 300; },'
cfg "$b/large" '{ op = "crop"; x = 12; y = 84; width = 1000; height = 600; }, { op = "invert"; },'

# t FILE CMD...: time CMD, appending "WALL CPU" to FILE
t() { f=$1; shift; "$b/timeit" "$f" "$@"; }
# col N FILE: the Nth column of FILE, one value a line
col() { awk -v n="$1" '{ print $n }' "$2"; }
# median: of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# ratio A B: A / B to 2 decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# quiet FILE CMD...: time CMD into FILE, its output into build.log, shown if it fails
quiet() { t "$@" >"$b/build.log" 2>&1 || { cat "$b/build.log" >&2; exit 1; }; }
# build FILE JOBS [DIR [PREFIX]]: runja-gen then ninja -jJOBS in DIR ($b), from nothing processed, timed into FILE;
# PREFIX (e.g. "taskset -c 0") runs before the whole of it
build() {
	d=${3:-$b}
	rm -rf "$d/out" "$d/build.ninja"
	quiet "$1" $4 sh -c "'$top/runja-gen' -c '$d/runja.cfg' && ninja -C '$d' -j $2"
}
# row LABEL VALUE UNIT [NOTE]: one aligned line of the table
row() { awk -v l="$1" -v v="$2" -v u="$3" -v x="$4" 'BEGIN { printf "    %-38s %8.2f %s%s\n", l, v, u, x == "" ? "" : substr("   ", length(u)) x }'; }
# the machine, then (a)'s rows
machine() {
	echo "$(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')," \
		"$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM; medians"
}
atable() {
	echo "(a) CPU per frame, 1024x768 gray8, $nf frames, $reps runs each"
	row "libpng alone (bench/decode)" "$decf" ms
	row "runja-process, floor (only stats)" "$f_floor" ms "ratio $r_floor"
	row "runja-process, spec (crop 1024x300)" "$f_spec" ms "ratio $r_spec (target <= 0.8)"
	row "runja-process, large (crop 1000x600)" "$f_large" ms "ratio $r_large (target <= 0.8)"
	row "runja-process, whole (no crop)" "$f_whole" ms "ratio $r_whole (target <= 0.8)"
}
# perframe FILE: the median CPU time of FILE's runs per frame, in ms
perframe() { awk -v t="$(col 2 "$1" | median)" -v n="$nf" 'BEGIN { printf "%.2f", t / n * 1000 }'; }
rm -f "$b"/*.times

# (a) CPU per frame, alternating
echo "bench (a): CPU per frame, libpng alone vs runja-process (floor, spec, large, whole), 60 frames, $reps runs each"
for i in $(seq "$reps"); do
	t "$b/a-decode.times" "$b/decode" "$b"/frames/run_000/*.png >/dev/null
	for p in floor spec large whole; do
		case $p in
		floor) a=$argsfloor ;;
		spec) a=$args ;;
		large) a=$argslarge ;;
		whole) a=$argswhole ;;
		esac
		rm -rf "$b/a-out"
		# shellcheck disable=SC2086
		# on one CPU (one thread), as the decoder: the CPU a frame costs, no threads' overhead
		t "$b/a-$p.times" taskset -c 0 "$top/runja-process" $a "$b/frames/run_000" "$b/a-out"
	done
done
nf=$(ls "$b/frames/run_000" | wc -l)
# pairratio FILE: the median of the ratios, round by round, of FILE's CPU times to the
# decoder's (run in turn: a slow spell of the machine weighs on both sides of a ratio)
pairratio() { paste "$1" "$b/a-decode.times" | awk '{ printf "%.4f\n", $2 / $4 }' | median | awk '{ printf "%.2f", $1 }'; }
decf=$(perframe "$b/a-decode.times")
for p in floor spec large whole; do
	eval "f_$p=\$(perframe \"\$b/a-\$p.times\")"
	eval "r_$p=\$(pairratio \"\$b/a-\$p.times\")"
done
if [ "$only" = a ]; then
	{ echo; machine; atable; } | tee "$b/results-a.txt"
	exit 0
fi

# (b) end to end, alternating, outputs removed before each
echo "bench (b): end to end, 24 runs x 50 frames, $workers workers, spec and large, 3 runs each"
for i in 1 2 3; do
	rm -rf "$b/out-py"
	quiet "$b/b-py.times" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" bench/pool.py -j "$workers" \
		"$b/data" "$b/out-py"
	build "$b/b-runja.times" "$workers"
	rm -rf "$b/out-py"
	quiet "$b/b-pylarge.times" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" bench/pool.py -j "$workers" \
		--crop 12,84,1000,600 --invert "$b/data" "$b/out-py"
	build "$b/b-runjalarge.times" "$workers" "$b/large"
done
rm -rf "$b/out-py" "$b/large/out"
bpy=$(col 1 "$b/b-py.times" | median)
brj=$(col 1 "$b/b-runja.times" | median)
rb=$(ratio "$bpy" "$brj")
bpyl=$(col 1 "$b/b-pylarge.times" | median)
brjl=$(col 1 "$b/b-runjalarge.times" | median)
rbl=$(ratio "$bpyl" "$brjl")

# (c) one run added to the processed tree: ninja by itself vs that run alone
echo "bench (c): ninja after adding 1 run, 3 times; -j1 vs -j$workers"
for i in 1 2 3; do
	run=run_$((100 + i))
	tests/synth --runs 1 --frames 50 --size 1024x768 --first $((100 + i)) --seed $i "$b/data" >/dev/null
	quiet "$b/c-ninja.times" ninja -C "$b"
	[ -f "$b/out/$run/summary.json" ] || { echo "bench: ninja did not process $run" >&2; exit 1; }
	rm -rf "$b/alone"
	# shellcheck disable=SC2086
	t "$b/c-alone.times" "$top/runja-process" $args "$b/data/$run" "$b/alone"
done
rm -rf "$b/data/run_1"[0-9][0-9] "$b/out/run_1"[0-9][0-9] "$b/alone"
cnj=$(col 1 "$b/c-ninja.times" | median)
cal=$(col 1 "$b/c-alone.times" | median)
# -j1 on one CPU: a lone run would otherwise take the free core with threads
for i in 1 2 3; do
	build "$b/c-j1.times" 1 "$b" "taskset -c 0"
done
t1=$(col 1 "$b/c-j1.times" | median)
eff=$(awk -v a="$t1" -v b="$brj" -v w="$workers" 'BEGIN { printf "%.0f", a / (w * b) * 100 }')

{
	echo
	machine
	atable
	echo "(b) end to end, 24 runs x 50 frames, $workers workers, wall"
	row "bench/pool.py (Pool + numpy), spec" "$bpy" s
	row "runja-gen + ninja -j$workers, spec" "$brj" s "ratio $rb (target >= 8)"
	row "bench/pool.py, large" "$bpyl" s
	row "runja-gen + ninja -j$workers, large" "$brjl" s "ratio $rbl (target >= 8)"
	echo "(c) incremental and parallel, wall"
	row "ninja after adding 1 run" "$cnj" s
	row "that run alone (runja-process)" "$cal" s \
		"difference $(awk -v a="$cnj" -v b="$cal" 'BEGIN { printf "%.2f", a - b }') s (target <= 0.5)"
	row "24 runs, runja-gen + ninja -j1" "$t1" s "efficiency at -j$workers $eff % (target >= 90)"
} | tee "$b/results.txt"

echo
echo "scale: runja-gen on 10,000 runs x 100 frames (bench/scale.sh)"
sh bench/scale.sh 10000 100 5
