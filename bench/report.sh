#!/bin/sh
# The report at scale (issue 17): 10,000 runs in 20 folders of 500 (8 frames of 96x64
# each, one a folder with a damaged frame: failed), processed once with ninja -j2 (about
# 2 minutes the first time; kept in bench/tmp/report). Then:
#   (a) runja-report on the processed tree, nothing changed: every run's row, nothing
#       rewritten but index.html (REPEAT times, median): the report step of a build
#       after one run changed, which is what a build pays at 10,000 runs;
#   (b) the same after one run's results changed (its summary.json touched: its row,
#       page and plots made again);
#   (c) runja-report with OUT/.runja/thumbs and pages removed: every thumbnail, row
#       plot and page made again, once;
#   (d) the size of index.html;
#   (e) headless Chromium's first screenshot of index.html (1200x1600), REPEAT times,
#       median, against a page of one word (the browser's own start).
# Targets: (a) <= 2 s, (d) <= 10 MB, (e) <= 3 s.
# usage: sh bench/report.sh [REPEAT]   (from the top of the build tree, after make)
set -e
repeat=${1:-5}
top=$(pwd)
b=$top/bench/tmp/report
browser=$(command -v chromium || command -v chromium-browser || true)

for f in runja-process runja-gen runja-report tests/synth; do
	[ -x "$top/$f" ] || { echo "bench: $f missing (run make first)" >&2; exit 1; }
done
command -v ninja >/dev/null || { echo "bench: ninja not found" >&2; exit 1; }
mkdir -p "$b"
if [ ! -f "$b/data.done" ]; then
	echo "bench: writing 10,000 runs x 8 frames of 96x64 in 20 folders to $b/data"
	rm -rf "$b/data" "$b/out"
	i=1
	while [ "$i" -le 20 ]; do
		day=$(printf '2026-03-%02d' "$i")
		"$top/tests/synth" --runs 500 --frames 8 --size 96x64 --seed "$i" --bad "truncate:$((i * 7)):3" "$b/data/$day" \
			>/dev/null 2>&1
		i=$((i + 1))
	done
	touch "$b/data.done"
fi
cat >"$b/runja.cfg" <<'CFG'
# written by bench/report.sh
version = 1;
runs = { root = "data"; match = "*/run_*"; };
pipeline = ( { op = "background"; frames = 3; method = "median"; }, { op = "scale"; gain = -1.0; },
             { op = "blur"; sigma = 1.0; } );
products = { mean = true; timestack = { row = 32; }; front = { level = 0.2; from = "left"; }; };
CFG
if [ ! -f "$b/out/index.html" ]; then
	echo "bench: processing them (ninja -j2)"
	"$top/runja-gen" -c "$b/runja.cfg" >/dev/null
	ninja -C "$b" -j2 >"$b/build.log" 2>&1 || true
fi
"$top/runja-gen" -c "$b/runja.cfg" >/dev/null

# median: of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# wall CMD...: the wall time of CMD in s
wall() { /usr/bin/time -f '%e' "$@" 2>&1 >/dev/null | tail -n 1; }
# report: runja-report on the tree (exit 1: runs failed)
report() { wall sh -c "'$top/runja-report' '$b/out' 2>/dev/null; true"; }

report >/dev/null   # what the build left is made fresh
a=$(i=0; while [ "$i" -lt "$repeat" ]; do report; i=$((i + 1)); done | median)
b1=$(i=0; while [ "$i" -lt "$repeat" ]; do touch "$b/out/2026-03-05/run_123/summary.json"; report; i=$((i + 1)); done | median)
rm -rf "$b/out/.runja/thumbs" "$b/out/.runja/pages"
c=$(report)
size=$(wc -c <"$b/out/index.html")
runs=$(grep -c '^<tr id=' "$b/out/index.html")
nfailed=$(grep -c '^<tr id="r[0-9]*" class="failed' "$b/out/index.html")

# shot URL: the wall time of Chromium's screenshot of URL, a fresh profile each time
shot() {
	rm -rf "$b/profile"
	wall timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$b/profile" --screenshot="$b/shot.png" \
		--window-size=1200,1600 "$1"
}
e=- e0=-
if [ -n "$browser" ]; then
	printf '<!DOCTYPE html><p>runja</p>\n' >"$b/word.html"
	e=$(i=0; while [ "$i" -lt "$repeat" ]; do shot "file://$b/out/index.html"; i=$((i + 1)); done | median)
	e0=$(i=0; while [ "$i" -lt "$repeat" ]; do shot "file://$b/word.html"; i=$((i + 1)); done | median)
fi

{
	echo "report at scale: $runs runs ($nfailed failed) in 20 folders, 8 frames of 96x64 each; medians of $repeat"
	echo "| | target | measured |"
	echo "| --- | --- | --- |"
	echo "| (a) runja-report, nothing changed | <= 2 s | **$a s** |"
	echo "| (b) runja-report, one run's results changed | <= 2 s | **$b1 s** |"
	echo "| (c) runja-report, every thumbnail, plot and page made again | | $c s |"
	echo "| (d) index.html | <= 10 MB | **$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }') MB** |"
	echo "| (e) headless Chromium, first screenshot | <= 3 s | **$e s** |"
	echo "| (e) the same of a page of one word | | $e0 s |"
} | tee "$b/results.txt"
