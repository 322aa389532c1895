#!/bin/sh
# What a build costs when every frame was touched (or the tree copied without its times)
# but not one byte changed, against a full build of the same runs: runja hashes the
# frames whose times changed (common/inputs.c) and writes nothing. Target: at most 10 %.
# 4 runs of 50 1024x768 8-bit frames, bench/run.sh's pipeline, ninja -j1; the two kinds
# of build alternate, 5 of each; medians of wall time (date), ratio of the medians.
# usage: sh bench/touched.sh   (from the top of the build tree, after make); about a minute
set -e
top=$(pwd)
b=$top/bench/tmp/touched
for f in runja-gen runja-process tests/synth; do
	[ -e "$top/$f" ] || { echo "bench: $f missing (run make first)" >&2; exit 1; }
done
command -v ninja >/dev/null || { echo "bench: ninja missing" >&2; exit 1; }
mkdir -p "$b"
if [ ! -f "$b/data.done" ]; then
	rm -rf "$b/data"
	tests/synth --runs 4 --frames 50 --size 1024x768 "$b/data" >/dev/null
	touch "$b/data.done"
fi
cat >"$b/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
pipeline = ( { op = "crop"; x = 0; y = 200; width = 1024; height = 300; },
             { op = "background"; frames = 5; method = "median"; },
             { op = "blur"; sigma = 2.0; } );
products = { mean = true; std = true; max = true; timestack = { row = 150; }; stats = true;
             front = { level = 0.1; from = "left"; }; };
jobs = { retries = 0; };
CFG

# seconds CMD...: the wall time of CMD in the tree, in seconds
seconds() {
	t0=$(date +%s.%N)
	(cd "$b" && "$@") >/dev/null 2>&1
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' 
}
# median: of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

"$top/runja-gen" -c "$b/runja.cfg" >/dev/null
: >"$b/full" && : >"$b/touched"
for i in 1 2 3 4 5; do
	rm -rf "$b/out" "$b/.runja"
	"$top/runja-gen" -c "$b/runja.cfg" >/dev/null
	seconds ninja -j1 >>"$b/full"
	touch "$b"/data/run_*/*.png
	seconds ninja -j1 >>"$b/touched"
	n=$(cd "$b" && ninja -n | grep -c PROCESS || true)
	[ "$n" = 0 ] || { echo "bench: $n runs still to do after the touched build" >&2; exit 1; }
done
full=$(median <"$b/full")
touched=$(median <"$b/touched")
printf 'full build (4 runs x 50 frames):     %s s\n' "$full"
printf 'every frame touched, same bytes:     %s s\n' "$touched"
printf 'touched / full:                      %s %%  (target <= 10 %%)\n' "$(awk -v t="$touched" -v f="$full" 'BEGIN { printf "%.1f", 100 * t / f }')"
