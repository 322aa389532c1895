#!/bin/sh
# make bench, after bench/run.sh: the user's own program per run (runja.cfg command),
# runja against the multiprocessing.Pool script it replaces, 2 workers, side by side.
# The program is bench/perrun.py's process(run, out) (Pillow, numpy, scipy.ndimage);
# as a command, bench/perrun_cmd.py calls that same function. Prints medians; keeps
# the data in bench/tmp/command between invocations. About 6 minutes on 2 cores.
#   (i)   first build, 12 runs x 100 frames of 1024x768: perrun.py -j 2 (Pool) vs
#         runja-gen + ninja -j2 (the command, cold and with command.warm), from nothing
#         processed; 5 each, alternating; the median of the runs' own wall times (the
#         ledger); and process()'s CPU per run in a fresh process vs in a warm one
#   (ii)  the wrapper's cost per run: runja-exec running a program that writes
#         one file vs that program by itself, on a run of 100 frames, with the options
#         runja-gen gives it (--stamp, --depfile); 200 each, alternating
#   (iii) one new run among 100 processed ones (4 frames each): ninja vs that run's
#         command by itself, 3 times
# usage: sh bench/command.sh   (from the top of the build tree, after make)
set -e
top=$(pwd)
b=$top/bench/tmp/command
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
workers=2
size=1024x768

for f in runja-process runja-gen tests/synth; do
	[ -x "$top/$f" ] || { echo "bench: $f missing (run make first)" >&2; exit 1; }
done
command -v ninja >/dev/null || { echo "bench: ninja not found" >&2; exit 1; }
"$py" -c 'import numpy, scipy.ndimage, PIL' 2>/dev/null ||
	{ echo "bench: $py lacks numpy, scipy or PIL (python3-numpy python3-scipy python3-pil)" >&2; exit 1; }

mkdir -p "$b/big" "$b/many"
cc -O2 bench/timeit.c -o "$b/timeit"
if [ ! -f "$b/big.done" ]; then
	echo "bench: writing 12 runs x 100 frames of $size to $b/big/data"
	rm -rf "$b/big/data"
	tests/synth --runs 12 --frames 100 --size "$size" "$b/big/data" >/dev/null
	touch "$b/big.done"
fi
if [ ! -f "$b/many.done" ]; then
	echo "bench: writing 100 runs x 4 frames of $size to $b/many/data"
	rm -rf "$b/many/data" "$b/many/out"
	tests/synth --runs 100 --frames 4 --size "$size" "$b/many/data" >/dev/null
	touch "$b/many.done"
fi
rm -rf "$b/many/data/run_1"[0-9][0-9] "$b/many/out/run_1"[0-9][0-9]   # left by a broken (iii)
# the program beside each runja.cfg, as a user keeps it; copied only when changed
for d in big many; do
	for f in perrun.py perrun_cmd.py pool.py; do
		cmp -s "bench/$f" "$b/$d/$f" || cp "bench/$f" "$b/$d/$f"
	done
	cat >"$b/$d/runja.cfg.new" <<CFG
# written by bench/command.sh: bench/perrun.py's process() as a command per run
version = 1;
runs = { root = "data"; match = "run_*"; frames = "*.png"; };
command = {
  run = ["$py", "perrun_cmd.py", "{run}", "{out}"];
  inputs = ["perrun.py", "perrun_cmd.py", "pool.py"];
};
CFG
	if cmp -s "$b/$d/runja.cfg.new" "$b/$d/runja.cfg"; then
		rm "$b/$d/runja.cfg.new"
	else
		mv "$b/$d/runja.cfg.new" "$b/$d/runja.cfg"
	fi
done
# the same command kept warm (command.warm: imports once, a fork per run), on big's data
mkdir -p "$b/bigwarm"
for f in perrun.py perrun_cmd.py pool.py; do
	cmp -s "bench/$f" "$b/bigwarm/$f" || cp "bench/$f" "$b/bigwarm/$f"
done
sed -e 's|root = "data"|root = "../big/data"|' -e 's|^  inputs = |  warm = true;\n  inputs = |' \
	"$b/big/runja.cfg" >"$b/bigwarm/runja.cfg.new"
if cmp -s "$b/bigwarm/runja.cfg.new" "$b/bigwarm/runja.cfg"; then
	rm "$b/bigwarm/runja.cfg.new"
else
	mv "$b/bigwarm/runja.cfg.new" "$b/bigwarm/runja.cfg"
fi

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
rm -f "$b"/*.times

# (i) first build, alternating, outputs removed before each
echo "bench (i): first build, 12 runs x 100 frames, $workers workers: Pool vs runja cold and warm, 5 each"
rm -f "$b/i-cold.runs" "$b/i-warm.runs"
for i in 1 2 3 4 5; do
	rm -rf "$b/big/out-py"
	quiet "$b/i-pool.times" $pyenv "$py" bench/perrun.py -j "$workers" "$b/big/data" "$b/big/out-py"
	rm -rf "$b/big/out" "$b/big/build.ninja"
	quiet "$b/i-runja.times" $pyenv sh -c "cd '$b/big' && '$top/runja-gen' && ninja -j $workers"
	# a new server each time: its socket goes with out/
	rm -rf "$b/bigwarm/out" "$b/bigwarm/build.ninja"
	quiet "$b/i-runjawarm.times" $pyenv sh -c "cd '$b/bigwarm' && '$top/runja-gen' && ninja -j $workers"
	[ "$(count "$b/big/out-py")" -eq 12 ] && [ "$(count "$b/big/out")" -eq 12 ] && [ "$(count "$b/bigwarm/out")" -eq 12 ] ||
		{ echo "bench: (i) did not process all 12 runs" >&2; exit 1; }
	cut -f3 "$b/big/out/.runja/ledger.tsv" >>"$b/i-cold.runs"
	cut -f3 "$b/bigwarm/out/.runja/ledger.tsv" >>"$b/i-warm.runs"
done
for f in "$b/big/out/run_007/front.csv" "$b/bigwarm/out/run_007/front.csv"; do
	cmp "$b/big/out-py/run_007/front.csv" "$f" ||
		{ echo "bench: (i) Pool and runja disagree on $f" >&2; exit 1; }
done
ipool=$(col 1 "$b/i-pool.times" | median)
irunja=$(col 1 "$b/i-runja.times" | median)
irunjawarm=$(col 1 "$b/i-runjawarm.times" | median)
icoldrun=$(median <"$b/i-cold.runs")
iwarmrun=$(median <"$b/i-warm.runs")
# where the difference goes: process() CPU per run in a fresh process (a command per run)
# vs in one that already ran a run (a Pool worker from its second run on); 3 runs each
for r in run_001 run_002 run_003; do
	rm -rf "$b/alone"
	mkdir "$b/alone"
	(cd "$b/big" && t "$b/i-fresh.times" $pyenv "$py" perrun_cmd.py "data/$r" "$b/alone")
done
(cd "$b/big" && $pyenv "$py" - "$b/alone" >"$b/i-warm.times") <<'PY'
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
ifresh=$(col 2 "$b/i-fresh.times" | median)
iwarm=$(col 2 "$b/i-warm.times" | median)

# (ii) the wrapper: a program that writes one file, with and without runja-exec
echo "bench (ii): runja-exec around a program that writes one file, 200 each"
w=$b/wrap
rm -rf "$w"
mkdir -p "$w/.runja" "$w/direct"
prog='echo done >"$1/one"'
i=0
while [ $i -lt 200 ]; do
	t "$w/direct.times" sh -c "$prog" sh "$w/direct"
	t "$w/exec.times" "$top/runja-exec" --id run_000 --frames '*.png' --state "$w/.runja" \
		--params '{}' --stamp "$w/.runja/done/run_000" --depfile "$w/out/.runja.d" \
		"$b/big/data/run_000" "$w/out" -- sh -c "$prog" sh '{out}'
	i=$((i + 1))
done
[ "$(cat "$w/out/one")" = done ] || { echo "bench: (ii) the wrapped program wrote nothing" >&2; exit 1; }
iidirect=$(col 1 "$w/direct.times" | median)
iiexec=$(col 1 "$w/exec.times" | median)
iidiff=$(paste "$w/exec.times" "$w/direct.times" | awk '{ print $1 - $3 }' | median)

# (iii) one run added to 100 processed ones: ninja by itself vs that run's command alone
echo "bench (iii): ninja after adding 1 run to 100 processed ones, 3 times"
(cd "$b/many" && "$top/runja-gen" >/dev/null && $pyenv ninja -j "$workers" >"$b/build.log" 2>&1) ||
	{ cat "$b/build.log" >&2; exit 1; }
[ "$(count "$b/many/out")" -eq 100 ] || { echo "bench: (iii) the 100 runs are not processed" >&2; exit 1; }
for i in 1 2 3; do
	run=run_$((100 + i))
	tests/synth --runs 1 --frames 4 --size "$size" --first $((100 + i)) --seed $i "$b/many/data" >/dev/null
	quiet "$b/iii-ninja.times" $pyenv ninja -C "$b/many" -j "$workers"
	grep -q "COMMAND $run " "$b/build.log" && [ "$(grep -c '] COMMAND ' "$b/build.log")" -eq 1 ] ||
		{ cat "$b/build.log" >&2; echo "bench: (iii) ninja did not process exactly $run" >&2; exit 1; }
	rm -rf "$b/alone"
	mkdir "$b/alone"
	(cd "$b/many" && t "$b/iii-alone.times" $pyenv "$py" perrun_cmd.py "data/$run" "$b/alone")
done
rm -rf "$b/many/data/run_1"[0-9][0-9] "$b/many/out/run_1"[0-9][0-9] "$b/alone"
iiininja=$(col 1 "$b/iii-ninja.times" | median)
iiialone=$(col 1 "$b/iii-alone.times" | median)

# row LABEL VALUE UNIT [NOTE]: one aligned line of the table
row() { awk -v l="$1" -v v="$2" -v u="$3" -v x="$4" 'BEGIN { printf "    %-38s %8.3f %-2s %s\n", l, v, u, x }'; }
{
	echo
	echo "$(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //'); medians"
	echo "(i) first build, 12 runs x 100 frames of $size, $workers workers, wall"
	row "bench/perrun.py (Pool($workers))" "$ipool" s
	row "runja-gen + ninja -j$workers (the command)" "$irunja" s \
		"runja / Pool $(awk -v a="$irunja" -v b="$ipool" 'BEGIN { printf "%.3f", a / b }') (target <= 1.10)"
	row "the same, command.warm = true" "$irunjawarm" s \
		"runja / Pool $(awk -v a="$irunjawarm" -v b="$ipool" 'BEGIN { printf "%.3f", a / b }') (target <= 1.10)"
	row "one run, cold (the ledger)" "$icoldrun" s
	row "one run, warm (the ledger)" "$iwarmrun" s \
		"warm / cold $(awk -v a="$iwarmrun" -v b="$icoldrun" 'BEGIN { printf "%.3f", a / b }')"
	row "process() CPU per run, fresh process" "$ifresh" s
	row "process() CPU per run, warm process" "$iwarm" s "(a Pool worker after its first run)"
	echo "(ii) a program writing one file, 200 times each, wall"
	row "by itself" "$(awk -v a="$iidirect" 'BEGIN { print a * 1000 }')" ms
	row "under runja-exec" "$(awk -v a="$iiexec" 'BEGIN { print a * 1000 }')" ms \
		"overhead $(awk -v a="$iidiff" 'BEGIN { printf "%.1f", a * 1000 }') ms per run (median of pairs; target <= 10)"
	echo "(iii) 1 new run among 100 processed ones (4 frames each), wall"
	row "ninja" "$iiininja" s
	row "that run's command by itself" "$iiialone" s \
		"difference $(awk -v a="$iiininja" -v b="$iiialone" 'BEGIN { printf "%.3f", a - b }') s (target <= 0.3)"
} | tee "$b/results.txt"
