#!/bin/sh
# make bench: a run's frames on the free cores (README "Cores and threads"), each figure
# against jobs.threads = 1 (one thread a run, as before), the two alternating, medians:
#   (a) one stale run of 60 frames: wall of its runja-process
#   (b) 24 stale runs x 30 frames at ninja -j2: total CPU (user + system) of the build
#   (c) 8 runs x 10 frames and 1 run x 400 frames at ninja -j2: wall of the build; also
#       against threads 1 with the runs in natural order (round 2 writes the longest first).
#       No schedule does better than the build's CPU time over the cores: that bound too
#   (d) the machine itself: two runs like (a)'s at once, one thread each, each on a CPU of
#       its own (taskset), against one of them alone: how much slower a core's work gets
#       while the other core works too. Half of it is the least (a) can reach, with no
#       fixed cost and no cost of threads at all
# 1024x768 8-bit gray frames, the pipeline crop + background(5, median) + blur(2) and the
# products mean, std, max, timestack, stats, front (bench/run.sh's). Keeps the data in
# bench/tmp/threads between invocations. About 10 minutes on 2 cores with REPS = 5.
# usage: sh bench/threads.sh [REPS]   (from the top of the build tree, after make)
set -e
top=$(pwd)
b=$top/bench/tmp/threads
reps=${1:-5}

for f in runja-process runja-gen tests/synth; do
	[ -x "$top/$f" ] || { echo "bench: $f missing (run make first)" >&2; exit 1; }
done
command -v ninja >/dev/null || { echo "bench: ninja not found" >&2; exit 1; }
mkdir -p "$b"
cc -O2 bench/timeit.c -o "$b/timeit"

# tree NAME SYNTH-ARGS...: the data of NAME (made once), and its two build folders t1, auto
tree() {
	name=$1
	shift
	if [ ! -f "$b/$name/data.done" ]; then
		rm -rf "$b/$name"
		for spec; do
			# shellcheck disable=SC2086
			tests/synth $spec --size 1024x768 "$b/$name/data" >/dev/null
		done
		touch "$b/$name/data.done"
	fi
	for th in 1 auto; do
		mkdir -p "$b/$name/$th"
		cat >"$b/$name/$th/runja.cfg" <<CFG
# written by bench/threads.sh
version = 1;
runs = { root = "../data"; match = "run_*"; };
pipeline = ( { op = "crop"; x = 0; y = 200; width = 1024; height = 300; },
             { op = "background"; frames = 5; method = "median"; }, { op = "blur"; sigma = 2.0; } );
products = { mean = true; std = true; max = true; stats = true; timestack = { row = 150; };
             front = { level = 0.1; from = "left"; }; };
jobs = { threads = $([ $th = auto ] && echo '"auto"' || echo 1); };
CFG
		(cd "$b/$name/$th" && "$top/runja-gen" >/dev/null)
	done
}
tree one "--runs 1 --frames 60"
tree many "--runs 24 --frames 30"
tree uneven "--runs 8 --frames 10" "--runs 1 --frames 400 --first 8"
tree pair "--runs 2 --frames 60"
# (c) before round 2: one thread a run, and the runs in their own order (runja-gen now
# writes the longest first): uneven/1nat, build.ninja of uneven/1 with its run edges and
# the report's inputs put back in natural order (ninja starts what it may in that order)
rm -rf "$b/uneven/1nat"
mkdir -p "$b/uneven/1nat"
cp "$b/uneven/1/runja.cfg" "$b/uneven/1nat/"
(cd "$b/uneven/1nat" && "$top/runja-gen" >/dev/null)
/usr/bin/python3 - "$b/uneven/1nat/build.ninja" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
blocks = re.split(r'\n\n', text)
runs = [k for k, bl in enumerate(blocks) if bl.startswith('build out/.runja/ended/')]
runid = lambda bl: re.search(r' out/(run_[0-9]+)/', bl).group(1)
ordered = sorted((blocks[k] for k in runs), key=runid)
for k, bl in zip(runs, ordered):
    blocks[k] = bl
ended = {bl.split()[1]: runid(bl) for bl in ordered}
for k, bl in enumerate(blocks):
    if bl.startswith('build out/summary.csv'):
        head, rest = bl.split('$\n', 1)
        lines = rest.split(' $\n')
        last, tail = lines[-1].split(' | ', 1)
        names = sorted([l.strip() for l in lines[:-1]] + [last.strip()], key=lambda e: ended[e])
        blocks[k] = head + '$\n' + ' $\n'.join('    ' + e for e in names) + ' | ' + tail
open(path, 'w').write('\n\n'.join(blocks))
PY
natfirst() { grep -m1 '^build out/.runja/ended' "$b/uneven/1nat/build.ninja" | sed 's|.* out/\(run_[0-9]*\)/.*|\1|'; }
[ "$(natfirst)" = run_000 ] || { echo "bench: uneven/1nat/build.ninja: not in natural order" >&2; exit 1; }

# t FILE CMD...: time CMD, appending "WALL CPU" to FILE
t() { f=$1; shift; "$b/timeit" "$f" "$@" >"$b/last.log" 2>&1 || { cat "$b/last.log" >&2; exit 1; }; }
# col N FILE: the Nth column of FILE; median: of the numbers on stdin; ratio A B: A / B
col() { awk -v n="$1" '{ print $n }' "$2"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# stale DIR: its runs' results gone (ninja processes them all again)
stale() { rm -rf "$1"/out/run_*; }
rm -f "$b"/*.times
load=$(cut -d' ' -f1-3 /proc/loadavg)

echo "bench (a): one run of 60 frames, runja-process, threads 1 vs auto, $reps runs each"
for th in 1 auto; do
	(cd "$b/one/$th" && ninja >/dev/null 2>&1 && ninja -t commands | grep '/runja-process ' | tail -1 >cmd)
done
for i in $(seq "$reps"); do
	for th in 1 auto; do
		stale "$b/one/$th"
		(cd "$b/one/$th" && t "$b/a-$th.times" sh cmd)
	done
done
# builds NAME LETTER: ninja -j2 on the stale runs of tree NAME, threads 1 and auto in turn, timed into LETTER-*.times
builds() {
	for i in $(seq "$reps"); do
		for th in 1 auto; do
			stale "$b/$1/$th"
			t "$b/$2-$th.times" ninja -C "$b/$1/$th" -j2
		done
	done
}
echo "bench (b): 24 runs x 30 frames, ninja -j2, threads 1 vs auto, $reps runs each"
builds many b
echo "bench (c): 8 runs x 10 frames + 1 run x 400 frames, ninja -j2, threads 1 vs auto, $reps runs each," \
	"and threads 1 with the runs in natural order"
for i in $(seq "$reps"); do
	for th in 1nat 1 auto; do
		stale "$b/uneven/$th"
		t "$b/c-$th.times" ninja -C "$b/uneven/$th" -j2
	done
done
[ "$(nproc)" -ge 2 ] || { echo "bench: (d) needs 2 CPUs, this machine has $(nproc)" >&2; exit 1; }
echo "bench (d): two runs of 60 frames at once on CPUs 0 and 1, one thread each, vs one alone on CPU 0, $reps runs each"
(cd "$b/pair/1" && ninja >/dev/null 2>&1 && for r in run_000 run_001; do
	ninja -t commands | grep "/runja-process .*--id $r " >"cmd-$r"
done)
for i in $(seq "$reps"); do
	stale "$b/pair/1"
	(cd "$b/pair/1" && t "$b/d-one.times" taskset -c 0 sh cmd-run_000)
	stale "$b/pair/1"
	(cd "$b/pair/1" && t "$b/d-two.times" sh -c 'taskset -c 0 sh cmd-run_000 & taskset -c 1 sh cmd-run_001; wait')
done
# no build regenerated 1nat's build.ninja (which would put the long run first again)
[ "$(natfirst)" = run_000 ] || { echo "bench: uneven/1nat/build.ninja was regenerated" >&2; exit 1; }
# the products are the same bytes at any number of threads
for n in one many uneven; do
	for f in $(cd "$b/$n/1/out" && find run_* -type f ! -name '.runja.*' | sort); do
		cmp -s "$b/$n/1/out/$f" "$b/$n/auto/out/$f" || { echo "bench: $n/$f differs" >&2; exit 1; }
	done
done

a1=$(col 1 "$b/a-1.times" | median) aa=$(col 1 "$b/a-auto.times" | median)
b1=$(col 2 "$b/b-1.times" | median) ba=$(col 2 "$b/b-auto.times" | median)
c1=$(col 1 "$b/c-1.times" | median) ca=$(col 1 "$b/c-auto.times" | median) cn=$(col 1 "$b/c-1nat.times" | median)
cc=$(col 2 "$b/c-auto.times" | median)
d1=$(col 1 "$b/d-one.times" | median) d2=$(col 1 "$b/d-two.times" | median)
row() { printf '    %-44s %7.2f s %7.2f s   ratio %s (target %s)\n' "$1" "$2" "$3" "$(ratio "$3" "$2")" "$4"; }
{
	echo
	echo "$(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //'); medians of $reps;" \
		"load average before: $load, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '    %-44s %9s %9s\n' "" "threads 1" "auto"
	row "(a) one run of 60 frames, wall" "$a1" "$aa" "<= 0.6"
	row "(b) 24 runs x 30 frames at -j2, CPU" "$b1" "$ba" "<= 1.03"
	row "(c) 8 x 10 + 1 x 400 frames at -j2, wall" "$c1" "$ca" "-"
	row "(c) the same, threads 1 in natural order" "$cn" "$ca" "<= 0.65"
	# no build is shorter than its CPU time shared out evenly over the cores
	echo "    so (c) cannot go below $(awk -v c="$cc" -v n="$(nproc)" -v w="$cn" 'BEGIN { printf "%.2f", c / n / w }')" \
		"with this CPU: auto's $(awk -v c="$cc" 'BEGIN { printf "%.2f", c }') s (user + system) on $(nproc) cores, every core busy throughout"
	printf '    %-44s %9s %9s\n' "" "one alone" "two"
	row "(d) the machine: 1 run vs 2 at once, wall" "$d1" "$d2" "-"
	echo "    so (a) cannot go below $(awk -v a="$d1" -v b="$d2" 'BEGIN { printf "%.2f", b / a / 2 }') here"
} | tee "$b/results.txt"
