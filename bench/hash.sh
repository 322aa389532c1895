#!/bin/sh
# The cost of recognising a run's frames by their bytes (common/inputs.c): the hash's
# speed in memory, and the time to look at and hash every frame of a run of 100
# 1024x768 8-bit gray frames from the page cache, against the time runja-process takes
# to process that run with bench/run.sh's pipeline and products. Medians of 5.
# usage: sh bench/hash.sh   (from the top of the build tree, after make); about 30 s
#
# On the development machine (2 cores of an Intel Xeon VM, shared with other work, so
# figures move by tens of percent; gcc 12 -O2), 4 runs:
#   hash in memory, 256 MiB               5.2-5.9 GB/s (from RAM; 10-11 GB/s on 256 KiB in
#                                         cache, as the xxHash library's own XXH64)
#   scan + hash, 100 frames, 41.5 MB      11.5-19 ms (2.2-3.6 GB/s, read() from the page cache)
#   runja-process on that run             0.39-0.88 s
#   so recognising a run's frames by their bytes costs 2-3 % of processing the run.
set -e
top=$(pwd)
b=$top/bench/tmp/hash
args="--op crop:x=0,y=200,width=1024,height=300 --op background:frames=5,method=median
      --op blur:sigma=2 --product mean --product std --product max --product timestack:row=150
      --product stats --product front:level=0.1,from=left"

for f in runja-process tests/synth libcommon.a; do
	[ -e "$top/$f" ] || { echo "bench: $f missing (run make first)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (the time package)" >&2; exit 1; }
mkdir -p "$b"
cc -O2 -std=c11 -D_GNU_SOURCE -I. bench/hash.c libcommon.a -o "$b/hash"
if [ ! -f "$b/data.done" ]; then
	rm -rf "$b/data"
	tests/synth --runs 1 --frames 100 --size 1024x768 "$b/data" >/dev/null
	touch "$b/data.done"
fi
run=$b/data/run_000

# median: of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

mem=$("$b/hash" mem 256)
set -- $("$b/hash" run "$run" "$args")
hashs=$1 nf=$2 bytes=$3
rm -f "$b/process.times"
for i in 1 2 3 4 5; do
	rm -rf "$b/out"
	# shellcheck disable=SC2086
	/usr/bin/time -f %e -a -o "$b/process.times" "$top/runja-process" $args "$run" "$b/out" >/dev/null
done
procs=$(median <"$b/process.times")
{
	echo "$(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //'); medians of 5"
	echo "hash in memory, 256 MiB:                      $mem"
	awk -v t="$hashs" -v n="$nf" -v by="$bytes" 'BEGIN {
		printf "scan + hash of %d frames (%.1f MB), page cache: %.1f ms (%.2f GB/s)\n", n, by / 1e6, t * 1000, by / t / 1e9 }'
	awk -v p="$procs" -v t="$hashs" 'BEGIN {
		printf "runja-process on that run (/usr/bin/time):    %.2f s; the hash is %.2f %% of it\n", p, t / p * 100 }'
} | tee "$b/results.txt"
