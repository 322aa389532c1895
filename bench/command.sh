#!/bin/sh
# make bench, after bench/run.sh: the user's own program per run (runja.cfg command),
# runja against the multiprocessing.Pool script it replaces, 2 workers, side by side.
# The program is bench/perrun.py's process(run, out) (Pillow, numpy, scipy.ndimage);
# as a command, bench/perrun_cmd.py calls that same function. runja's command is
# timed with the defaults (a Python script: its runs forked from a warm interpreter)
# and with command.warm = false (a fresh interpreter per run, the default before).
# Prints medians; keeps the data in bench/tmp/command between invocations. About 12
# minutes on 2 cores.
#   short  13 runs x 15 frames of 320x240: perrun.py -j 2 (Pool) vs runja-gen + ninja
#          -j2 with the defaults vs with warm = false, from nothing processed; 5 each,
#          alternating
#   many   the same with 200 runs x 15 frames of 320x240; 3 each
#   long   8 runs x 100 frames of 1024x768, 3 each; also the median of the runs' own
#          wall times (the ledger), and process()'s CPU per run in a fresh process vs
#          in a warm one
#   wrap   the wrapper's cost per run: runja-exec running a program that writes one
#          file vs that program by itself, on a run of 100 frames, with the options
#          runja-gen gives it (--stamp, --depfile; the run's record removed before each
#          call, so that each runs the program); 200 each, alternating
#   new    one new run among 100 processed ones (4 frames each): ninja vs that run's
#          command by itself, 3 times
# usage: sh bench/command.sh [CASE...]   (from the top of the build tree, after make;
#        all five cases when none is named)
set -e
top=$(pwd)
b=$top/bench/tmp/command
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
workers=2
cases=${*:-short many long wrap new}
for c in $cases; do
	case $c in short|many|long|wrap|new) ;; *) echo "bench: unknown case '$c' (short many long wrap new)" >&2; exit 2 ;; esac
done
on() { case " $cases " in *" $1 "*) return 0 ;; esac; return 1; }

for f in runja-process runja-gen tests/synth; do
	[ -x "$top/$f" ] || { echo "bench: $f missing (run make first)" >&2; exit 1; }
done
command -v ninja >/dev/null || { echo "bench: ninja not found" >&2; exit 1; }
"$py" -c 'import numpy, scipy.ndimage, PIL' 2>/dev/null ||
	{ echo "bench: $py lacks numpy, scipy or PIL (python3-numpy python3-scipy python3-pil)" >&2; exit 1; }
mkdir -p "$b"
cc -O2 bench/timeit.c -o "$b/timeit"

# program DIR: the program beside DIR/runja.cfg, as a user keeps it; copied only when changed
program() {
	mkdir -p "$1"
	for f in perrun.py perrun_cmd.py pool.py; do
		cmp -s "bench/$f" "$1/$f" || cp "bench/$f" "$1/$f"
	done
}
# config DIR ROOT [KEY]: DIR/runja.cfg, the command on the runs in ROOT, with KEY
# ("warm = false;") in its command group; rewritten only when it changes
config() {
	cat >"$1/runja.cfg.new" <<CFG
# written by bench/command.sh: bench/perrun.py's process() as a command per run
version = 1;
runs = { root = "$2"; match = "run_*"; frames = "*.png"; };
command = {
  run = ["$py", "perrun_cmd.py", "{run}", "{out}"];
  inputs = ["perrun.py", "perrun_cmd.py", "pool.py"];${3:+
  $3}
};
CFG
	if cmp -s "$1/runja.cfg.new" "$1/runja.cfg"; then rm "$1/runja.cfg.new"; else mv "$1/runja.cfg.new" "$1/runja.cfg"; fi
}
# tree NAME RUNS FRAMES SIZE: data in $b/NAME/data (written once); NAME/runja.cfg has
# the defaults, NAME-cold/runja.cfg warm = false on the same data
tree() {
	if [ "$(cat "$b/$1.done" 2>/dev/null)" != "$2 $3 $4" ]; then
		echo "bench: writing $2 runs x $3 frames of $4 to $b/$1/data"
		rm -rf "$b/$1" "$b/$1-cold"
		mkdir -p "$b/$1"
		tests/synth --runs "$2" --frames "$3" --size "$4" "$b/$1/data" >/dev/null
		echo "$2 $3 $4" >"$b/$1.done"
	fi
	program "$b/$1"
	program "$b/$1-cold"
	config "$b/$1" data
	config "$b/$1-cold" "../$1/data" "warm = false;"
}
on short && tree short 13 15 320x240
on many && tree many 200 15 320x240
on long && tree long 8 100 1024x768
on new && tree new 100 4 1024x768
on new && rm -rf "$b/new/data/run_1"[0-9][0-9] "$b/new/out/run_1"[0-9][0-9]   # left by a broken run of it

# both sides without the OpenBLAS settings of this machine's environment, as bench/run.sh
pyenv="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
# t FILE CMD...: time CMD, appending "WALL CPU" to FILE
t() { f=$1; shift; "$b/timeit" "$f" "$@"; }
# col N FILE: the Nth column of FILE, one value a line
col() { awk -v n="$1" '{ print $n }' "$2"; }
# median: of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# quiet FILE CMD...: time CMD into FILE, its output into build.log, shown if it fails
quiet() { t "$@" >"$b/build.log" 2>&1 || { cat "$b/build.log" >&2; exit 1; }; }
# count DIR: the runs with a result.json under DIR
count() { ls "$1"/*/result.json 2>/dev/null | wc -l; }
rm -f "$b"/*.times "$b"/*.cpu

# servers DIR: the warm servers of DIR's builds still up; server DIR: "OWN CHILDREN", the CPU seconds of the warm server of DIR's build (not
# counted by timeit: it is detached) and of the runs it forked, once it is idle
servers() {
	for p in $(pgrep -f "warm.py out/.runja/warm/"); do
		[ "$(readlink "/proc/$p/cwd")" = "$1" ] && echo "$p"
	done
}
server() {
	for p in $(servers "$1"); do
		awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / hz, ($14 + $15) / hz }' "/proc/$p/stat"
	done | awk '{ o += $1; c += $2 } END { print o + 0, c + 0 }'
}
# compare NAME RUNS REPS: first builds of NAME's runs, alternating, outputs removed before
# each: the Pool, runja with the defaults, runja with warm = false; into NAME-*.times,
# and each run's own wall time (the ledger) into NAME-*.runs
compare() {
	echo "bench $1: first build, $2 runs, $workers workers: Pool vs runja (defaults) vs runja (warm = false), $3 each"
	rm -f "$b/$1-warm.runs" "$b/$1-cold.runs"
	i=0
	while [ $i -lt "$3" ]; do
		rm -rf "$b/$1/out-py"
		quiet "$b/$1-pool.times" $pyenv "$py" bench/perrun.py -j "$workers" "$b/$1/data" "$b/$1/out-py"
		# a new warm server each time: its socket goes with out/; the one before goes now
		for p in $(servers "$b/$1"); do kill "$p"; done
		rm -rf "$b/$1/out" "$b/$1/build.ninja"
		quiet "$b/$1-warm.times" $pyenv sh -c "cd '$b/$1' && '$top/runja-gen' && ninja -j $workers"
		server "$b/$1" >>"$b/$1-server.cpu"
		if [ "$1" = many ] && command -v eatmydata >/dev/null; then
			# where the rest goes: the same with fsync made a no-op (not a way to run it)
			rm -rf "$b/$1/out" "$b/$1/build.ninja"
			quiet "$b/$1-nosync.times" $pyenv eatmydata sh -c "cd '$b/$1' && '$top/runja-gen' && ninja -j $workers"
		fi
		rm -rf "$b/$1-cold/out" "$b/$1-cold/build.ninja"
		quiet "$b/$1-cold.times" $pyenv sh -c "cd '$b/$1-cold' && '$top/runja-gen' && ninja -j $workers"
		[ "$(count "$b/$1/out-py")" -eq "$2" ] && [ "$(count "$b/$1/out")" -eq "$2" ] && [ "$(count "$b/$1-cold/out")" -eq "$2" ] ||
			{ echo "bench: $1 did not process all $2 runs" >&2; exit 1; }
		# the defaults ran warm (a server's log), warm = false did not
		ls "$b/$1/out/.runja/warm/"*.log >/dev/null 2>&1 && ! ls "$b/$1-cold/out/.runja/warm/"*.log >/dev/null 2>&1 ||
			{ echo "bench: $1: the defaults did not run warm, or warm = false did" >&2; exit 1; }
		cut -f3 "$b/$1/out/.runja/ledger.tsv" >>"$b/$1-warm.runs"
		cut -f3 "$b/$1-cold/out/.runja/ledger.tsv" >>"$b/$1-cold.runs"
		i=$((i + 1))
	done
	for f in "$b/$1/out/run_007/front.csv" "$b/$1-cold/out/run_007/front.csv"; do
		cmp "$b/$1/out-py/run_007/front.csv" "$f" || { echo "bench: $1: Pool and runja disagree on $f" >&2; exit 1; }
	done
}
on short && compare short 13 5
on many && compare many 200 3
on long && compare long 8 3
if on long; then
	# where a cold run's time goes: process() CPU per run in a fresh process (a command
	# per run, cold) vs in one that already ran a run (a Pool worker from its second run on)
	for r in run_001 run_002 run_003; do
		rm -rf "$b/alone"
		mkdir "$b/alone"
		(cd "$b/long" && t "$b/long-fresh.times" $pyenv "$py" perrun_cmd.py "data/$r" "$b/alone")
	done
	(cd "$b/long" && $pyenv "$py" - "$b/alone" >"$b/long-inproc.times") <<'PY'
import resource, sys
from perrun import process
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
for i, run in enumerate(["run_000", "run_001", "run_002", "run_003"]):
    c = cpu()
    process("data/" + run, sys.argv[1])
    if i:
        print(0, cpu() - c)
PY
fi

# wrap: a program that writes one file, with and without runja-exec (on a run of long)
if on wrap; then
	[ -d "$b/long/data/run_000" ] || tree long 8 100 1024x768
	echo "bench wrap: runja-exec around a program that writes one file, 200 each"
	w=$b/wrap
	rm -rf "$w"
	mkdir -p "$w/.runja" "$w/direct"
	prog='echo done >"$1/one"'
	i=0
	while [ $i -lt 200 ]; do
		t "$w/direct.times" sh -c "$prog" sh "$w/direct"
		# without its record the run is not up to date: each call runs the program
		rm -f "$w/out/.runja.inputs"
		t "$w/exec.times" "$top/runja-exec" --id run_000 --frames '*.png' --state "$w/.runja" \
			--params '{}' --stamp "$w/.runja/done/run_000" --depfile "$w/out/.runja.d" \
			"$b/long/data/run_000" "$w/out" -- sh -c "$prog" sh '{out}'
		i=$((i + 1))
	done
	[ "$(cat "$w/out/one")" = done ] || { echo "bench: wrap: the wrapped program wrote nothing" >&2; exit 1; }
fi

# new: one run added to 100 processed ones: ninja by itself vs that run's command alone
if on new; then
	echo "bench new: ninja after adding 1 run to 100 processed ones, 3 times"
	(cd "$b/new" && "$top/runja-gen" >/dev/null && $pyenv ninja -j "$workers" >"$b/build.log" 2>&1) ||
		{ cat "$b/build.log" >&2; exit 1; }
	[ "$(count "$b/new/out")" -eq 100 ] || { echo "bench: new: the 100 runs are not processed" >&2; exit 1; }
	for i in 1 2 3; do
		run=run_$((100 + i))
		tests/synth --runs 1 --frames 4 --size 1024x768 --first $((100 + i)) --seed $i "$b/new/data" >/dev/null
		quiet "$b/new-ninja.times" $pyenv ninja -C "$b/new" -j "$workers"
		grep -q "COMMAND $run " "$b/build.log" && [ "$(grep -c '] COMMAND ' "$b/build.log")" -eq 1 ] ||
			{ cat "$b/build.log" >&2; echo "bench: new: ninja did not process exactly $run" >&2; exit 1; }
		rm -rf "$b/alone"
		mkdir "$b/alone"
		(cd "$b/new" && t "$b/new-alone.times" $pyenv "$py" perrun_cmd.py "data/$run" "$b/alone")
	done
	rm -rf "$b/new/data/run_1"[0-9][0-9] "$b/new/out/run_1"[0-9][0-9] "$b/alone"
fi

# row LABEL VALUE UNIT [NOTE]: one aligned line of the table
row() { awk -v l="$1" -v v="$2" -v u="$3" -v x="$4" 'BEGIN { printf "    %-40s %8.3f %-2s %s\n", l, v, u, x }'; }
# ratio A B: A / B in 3 decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# table NAME TITLE: the rows of compare NAME
table() {
	pool=$(col 1 "$b/$1-pool.times" | median)
	warm=$(col 1 "$b/$1-warm.times" | median)
	cold=$(col 1 "$b/$1-cold.times" | median)
	echo "$2, $workers workers, wall, first build"
	row "bench/perrun.py (Pool($workers))" "$pool" s
	row "runja-gen + ninja -j$workers, defaults (warm)" "$warm" s "runja / Pool $(ratio "$warm" "$pool") (target <= 1)"
	row "the same, command.warm = false (cold)" "$cold" s "runja / Pool $(ratio "$cold" "$pool")"
	row "one run, warm (the ledger)" "$(median <"$b/$1-warm.runs")" s
	row "one run, cold (the ledger)" "$(median <"$b/$1-cold.runs")" s
	echo "  CPU (user + system) of the same builds"
	row "Pool, all its processes" "$(col 2 "$b/$1-pool.times" | median)" s
	row "runja warm: ninja, runja-gen, runja-exec" "$(col 2 "$b/$1-warm.times" | median)" s
	row "runja warm: the warm server itself" "$(col 1 "$b/$1-server.cpu" | median)" s
	row "runja warm: the runs it forked" "$(col 2 "$b/$1-server.cpu" | median)" s
	row "runja cold: all its processes" "$(col 2 "$b/$1-cold.times" | median)" s
	if [ -s "$b/$1-nosync.times" ]; then
		nosync=$(col 1 "$b/$1-nosync.times" | median)
		row "runja warm, fsync a no-op (eatmydata)" "$nosync" s "runja / Pool $(ratio "$nosync" "$pool") (not a way to run it)"
	fi
}
{
	echo
	echo "$(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //'); medians"
	on short && table short "short: 13 runs x 15 frames of 320x240"
	on many && table many "many: 200 runs x 15 frames of 320x240"
	if on long; then
		table long "long: 8 runs x 100 frames of 1024x768"
		row "process() CPU per run, fresh process" "$(col 2 "$b/long-fresh.times" | median)" s
		row "process() CPU per run, warm process" "$(col 2 "$b/long-inproc.times" | median)" s "(a Pool worker after its first run)"
	fi
	if on wrap; then
		echo "wrap: a program writing one file, 200 times each, wall"
		row "by itself" "$(col 1 "$b/wrap/direct.times" | median | awk '{ print $1 * 1000 }')" ms
		row "under runja-exec" "$(col 1 "$b/wrap/exec.times" | median | awk '{ print $1 * 1000 }')" ms \
			"overhead $(paste "$b/wrap/exec.times" "$b/wrap/direct.times" | awk '{ print $1 - $3 }' | median |
			awk '{ printf "%.1f", $1 * 1000 }') ms per run (median of pairs; target <= 10)"
	fi
	if on new; then
		nj=$(col 1 "$b/new-ninja.times" | median)
		alone=$(col 1 "$b/new-alone.times" | median)
		echo "new: 1 new run among 100 processed ones (4 frames each), wall"
		row "ninja" "$nj" s
		row "that run's command by itself" "$alone" s "difference $(awk -v a="$nj" -v b="$alone" 'BEGIN { printf "%.3f", a - b }') s (target <= 0.3)"
	fi
} | tee "$b/results.txt"
