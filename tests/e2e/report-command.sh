# The report of runs processed by a user's own command: OUT
# trees made by hand, as runja-process --exec writes them (OUT/ID/summary.json of kind
# "command", OUT/ID/command/ after the pipeline, failure records in OUT/.runja/failed/ID,
# the ledger), beside runs of the pipeline; then the page in headless Chromium.
. tests/lib.sh

d=$tmp/tank
o=$d/out
mkdir -p "$d/data"
"$synth" --runs 3 --frames 12 --size 96x64 "$d/data" || exit 1
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["run_*"]; };
pipeline = ( { op = "background"; frames = 3; method = "median"; }, { op = "scale"; gain = -1.0; },
             { op = "blur"; sigma = 1.0; } );
products = { mean = true; timestack = { row = 30; }; front = { level = 0.2; from = "left"; }; };
CFG
(cd "$d" && "$gen" && ninja) >"$tmp/build.log" 2>&1
same pipeline-build "$?" 0
# the page of the pipeline alone, to compare its rows with
cp "$o/index.html" "$tmp/pipeline.html"
cp "$o/summary.csv" "$tmp/pipeline.csv"

# images a program may write, of every kind: synth frames (RGBA 8-bit, gray 16-bit,
# palette, interlaced RGB 16-bit), a file that is no PNG, and a truncated one
png() {
	"$synth" --runs 1 --frames 1 --size "$2" --kind "$1" $3 "$tmp/png-$1" >/dev/null || exit 1
	cp "$tmp/png-$1/run_000/img_0.png" "$4"
}

# cmdsummary DIR ID FRAMES OUTPUT...: DIR/summary.json as runja-process --exec writes it
cmdsummary() {
	dir=$1 id=$2 frames=$3
	shift 3
	files=$(i=0; while [ "$i" -lt "$frames" ]; do printf '"img_%d.png", ' "$i"; i=$((i + 1)); done)
	outs=$(for f; do printf '"%s", ' "$f"; done)
	cat >"$dir/summary.json" <<EOF
{
  "run": "$id",
  "kind": "command",
  "command": ["python3", "analyse.py", "{run}", "{out}"],
  "params": {"smooth": 3, "threshold": 0.1},
  "frames": $frames,
  "files": [${files%, }],
  "skipped": [],
  "outputs": [${outs%, }],
  "argv": ["--exec", "--id", "$id", "--frames", "*.png", "--state", "out/.runja", "data/$id", "out/$id", "--", "python3", "analyse.py", "{run}", "{out}"]
}
EOF
}

# failure DIR LINE LOGLINE...: a failure record (error.txt, runja.log) in DIR
failure() {
	dir=$1
	mkdir -p "$dir"
	printf '%s\n' "$2" >"$dir/error.txt"
	shift 2
	printf '%s\n' "$@" >"$dir/runja.log"
}

f=$o/.runja/failed
# cmd_000: done, two PNGs among its outputs
mkdir -p "$o/cmd_000"
png rgba8 320x200 "" "$o/cmd_000/plot.png"
png gray16 100x1000 "" "$o/cmd_000/profile.png"
printf 'frame,value\n0,1\n' >"$o/cmd_000/result.csv"
printf 'analysing\n' >"$o/cmd_000/runja.log"
cmdsummary "$o/cmd_000" cmd_000 12 plot.png profile.png result.csv runja.log
# cmd_001: failed the first time (no results), a log of 7 lines
failure "$f/cmd_001" "cmd_001: analyse.py exited with status 3" "line 1" "line 2" "Traceback (most recent call last):" \
	'  File "analyse.py", line 9, in <module>' "    x = data[<index>] & 1" "KeyError: 'frame'" "exit 3"
# cmd_002: done once, then failed: the record is newer than the old summary
mkdir -p "$o/cmd_002"
png rgba8 320x200 "" "$o/cmd_002/old.png"
cmdsummary "$o/cmd_002" cmd_002 12 old.png runja.log
touch -d '2026-01-01 10:00' "$o/cmd_002/summary.json"
failure "$f/cmd_002" "cmd_002: timed out after 15m" "step 1" "$(printf 'step 2 \033[31mslow\033[0m')"
# cmd_003: done, PNGs that cannot be read, one in a folder with a name to escape, more than four
mkdir -p "$o/cmd_003/figs"
printf 'not a PNG\n' >"$o/cmd_003/bad.png"
png rgb16 200x90 --interlace "$tmp/rgb16.png"
head -c 300 "$tmp/rgb16.png" >"$o/cmd_003/cut.png"
png palette 64x48 "" "$o/cmd_003/figs/pal ette#1.png"
cp "$tmp/rgb16.png" "$o/cmd_003/interlaced.png"
cp "$tmp/rgb16.png" "$o/cmd_003/more.png"
cmdsummary "$o/cmd_003" cmd_003 5 bad.png cut.png "figs/pal ette#1.png" interlaced.png more.png runja.log
# cmd_004: done, no PNG; its program wrote an error.txt (one of its results); a stale
# failure record, older than its summary (the wrapper killed between its swap and the removal)
mkdir -p "$o/cmd_004"
failure "$f/cmd_004" "cmd_004: interrupted" "partial"
touch -d '2026-01-01 10:00' "$f/cmd_004/error.txt"
printf 'no error at all\n' >"$o/cmd_004/error.txt"
cmdsummary "$o/cmd_004" cmd_004 3 error.txt runja.log
# run_000: the pipeline alone; run_001: the pipeline, then the command (done); run_002:
# the pipeline, then the command, which failed the first time
mkdir -p "$o/run_001/command"
png rgba8 120x120 "" "$o/run_001/command/heat.png"
cmdsummary "$o/run_001/command" run_001 12 heat.png runja.log
failure "$f/run_002" "run_002: analyse.py was killed by signal 9 (Killed)" "loading"
printf 'cmd_000\ncmd_001\ncmd_002\ncmd_003\ncmd_004\n' >>"$o/.runja/runs"
# the ledger: the pipeline's lines, then the commands' (the last line of a run wins)
ledger=$o/.runja/ledger.tsv
t='2026-03-01T10:00:00Z'
printf '%s\t%s\t%s\t1000\thost\t%s\t0.1\t-\t%s\n' \
	cmd_000 "$t" 3.000 3 "cmd_000: analyse.py exited with status 3" \
	cmd_000 "$t" 12.345 0 "" \
	cmd_001 "$t" 250.2 3 "cmd_001: analyse.py exited with status 3" \
	cmd_002 "$t" 900.000 SIGKILL "cmd_002: timed out after 15m" \
	cmd_004 "$t" 0.040 0 "" \
	run_001 "$t" 3.500 0 "" \
	run_002 "$t" 1.500 SIGKILL "run_002: analyse.py was killed by signal 9 (Killed)" >>"$ledger"
printf 'cut short' >>"$ledger"

(cd "$d" && "$runreport" out) >"$tmp/report.log" 2>&1
same report-status "$?" 1
same report-warnings "$(cat "$tmp/report.log")" "runja-report: out/cmd_003/bad.png: not a PNG file
runja-report: out/cmd_003/cut.png: truncated
runja-report: 3 runs failed: cmd_001, cmd_002, run_002; why: runja-gen --status"

# summary.csv: a command's run has its frames, and no figures of the pipeline
same summary-csv "$(cat "$o/summary.csv")" "run,frames,skipped,width,height,mean,std,front_speed
cmd_000,12,0,,,,,
cmd_001,,,,,,,
cmd_002,,,,,,,
cmd_003,5,0,,,,,
cmd_004,3,0,,,,,
$(grep '^run_' "$tmp/pipeline.csv")"

h=$o/index.html
same counts "$(grep -o '[0-9]* runs: [0-9]* done, [0-9]* failed, [0-9]* waiting' "$h")" \
	"8 runs: 5 done, 3 failed, 0 waiting"
# one row a run: the failed ones first (a command failed after the pipeline fails its run), then the others
same rows "$(grep -o '^<tr id="r[0-9]*" class="[a-z]*"' "$h" | sed 's/<tr id="\(r[0-9]*\)" class="\([a-z]*\)"/\1:\2/' | tr '\n' ' ')" \
	"r1:failed r2:failed r7:failed r0:done r3:done r4:done r5:done r6:done "
# the columns: the pipeline's, the command's images, time and memory
same columns "$(grep -o '<th class="k-[a-z0-9]*"' "$h" | sed 's/<th class="k-//; s/"//' | tr '\n' ' ')" \
	"id frames size mean speed fplot front img img imgs time mem "
e='<td></td><td></td><td></td><td></td><td></td><td></td><td></td>'
same row-done '<tr id="r0" class="done"><td class="id"><a href=".runja/pages/cmd_000.html">cmd_000</a></td><td class="n">12</td>'"$e"'<td class="imgs"><a class="th" href="cmd_000/plot.png" style="--i:url(.runja/thumbs/cmd_000/plot.png)"></a><a class="th" href="cmd_000/profile.png" style="--i:url(.runja/thumbs/cmd_000/profile.png)"></a></td><td class="n" data-v="12.345">12.3 s</td><td class="n">1.0 MiB</td></tr>' \
	"$(grep '^<tr id="r0"' "$h")"
# the log's last 5 lines, escaped
same row-failed "$(sed -n '/^<tr id="r1"/,/<\/tr>$/p' "$h")" '<tr id="r1" class="failed"><td class="id"><a href=".runja/pages/cmd_001.html">cmd_001</a></td><td colspan="7" class="state">failed: cmd_001: analyse.py exited with status 3 <span class="time" title="time of the last attempt">4 min 10 s</span><pre class="log">Traceback (most recent call last):
  File &quot;analyse.py&quot;, line 9, in &lt;module&gt;
    x = data[&lt;index&gt;] &amp; 1
KeyError: &#39;frame&#39;
exit 3</pre></td></tr>'
same row-failed-after-done "$(sed -n '/^<tr id="r2"/,/<\/tr>$/p' "$h")" '<tr id="r2" class="failed"><td class="id"><a href=".runja/pages/cmd_002.html">cmd_002</a></td><td colspan="7" class="state">failed: cmd_002: timed out after 15m <span class="time" title="time of the last attempt">15 min 00 s</span><pre class="log">step 1
step 2 slow</pre></td></tr>'
# the first 3 images a row: two that cannot be read say why, a name to escape
same row-unreadable '<tr id="r3" class="done"><td class="id"><a href=".runja/pages/cmd_003.html">cmd_003</a></td><td class="n">5</td>'"$e"'<td class="imgs"><span class="bad thumb-error">no thumbnail of bad.png: not a PNG file</span><span class="bad thumb-error">no thumbnail of cut.png: truncated</span><a class="th" href="cmd_003/figs/pal%20ette%231.png" style="--i:url(.runja/thumbs/cmd_003/figs/pal%20ette%231.png)"></a></td><td></td><td></td></tr>' \
	"$(grep '^<tr id="r3"' "$h")"
same row-no-images '<tr id="r4" class="done"><td class="id"><a href=".runja/pages/cmd_004.html">cmd_004</a></td><td class="n">3</td>'"$e"'<td class="imgs"><span class="none">no images</span></td><td class="n" data-v="0.04">0.0 s</td><td class="n">1.0 MiB</td></tr>' \
	"$(grep '^<tr id="r4"' "$h")"
# the pipeline's rows as on its own page, and the command's cells after them
for i in 0 1; do
	want=$(grep "^<tr id=\"r$i\"" "$tmp/pipeline.html" | sed "s/id=\"r$i\"/id=\"r$((i + 5))\"/; s/ c$i\"/ c$((i + 5))\"/g; s|</tr>$||")
	same "pipeline-row-$i" "$(grep "^<tr id=\"r$((i + 5))\"" "$h" | cut -c1-${#want})" "$want"
done
same pipeline-only-no-command "$(grep '^<tr id="r5"' "$h" | grep -o '<td></td><td></td><td></td></tr>$')" '<td></td><td></td><td></td></tr>'
same after-done-cells "$(grep '^<tr id="r6"' "$h" | grep -o '<td class="imgs">.*')" \
	'<td class="imgs"><a class="th" href="run_001/command/heat.png" style="--i:url(.runja/thumbs/run_001/command/heat.png)"></a></td><td class="n" data-v="3.5">3.5 s</td><td class="n">1.0 MiB</td></tr>'
same after-failed-row "$(grep '^<tr id="r7"' "$h")" '<tr id="r7" class="failed"><td class="id"><a href=".runja/pages/run_002.html">run_002</a></td><td colspan="7" class="state">failed: run_002: analyse.py was killed by signal 9 (Killed) <span class="time" title="time of the last attempt">1.5 s</span><pre class="log">loading</pre></td></tr>'
# the overview of a tree without command.report values: the front speed of the pipeline's runs, the failed ones marked
same overview "$(grep -o '<h2>[^<]* by run</h2>' "$h")|$(grep -o '<svg class="plot overview".*' "$h" | head -n 1 | grep -o 'class="pt [a-z]*"' | sort | uniq -c | tr -s ' ' | tr '\n' '|')" \
	'<h2>Front speed by run</h2>| 2 class="pt done"| 3 class="pt failed"| 3 class="pt none"|'
# every pipeline's front, that of a run whose command failed after it too
same all-plot-lines "$(grep -o '<svg class="plot all".*' "$h" | sed 's|</svg>.*||' | grep -o '<path class="line' | wc -l)" 3
same no-network "$(grep -ci 'https\?:\|<link\|@import\|<script [^>]*src' "$h")" 0

# a command's page: its images at full size, its summary, the end of its log, its attempts
p=$o/.runja/pages/cmd_000.html
same cmd-page-sections "$(grep -o '<section class="card" id="[a-z-]*">' "$p" | sed 's/.*id="//; s/">//' | tr '\n' ' ')" \
	"run images summary log attempts "
same cmd-page-images "$(grep -o '<img src="[^"]*"' "$p" | tr '\n' ' ')" '<img src="../../cmd_000/plot.png" <img src="../../cmd_000/profile.png" '
same cmd-page-log "$(grep -o '<pre class="log">[^<]*</pre>' "$p")" '<pre class="log">analysing</pre>'
same cmd-page-attempts "$(grep -o '<tr class="[a-z]*"><td>2026-03-01T10:00:00Z</td><td class="n">[^<]*</td><td class="n">[^<]*</td><td>host</td><td>[^<]*</td>' "$p" | sed 's/<[^>]*>/ /g' | tr -s ' ')" \
	" 2026-03-01T10:00:00Z 12.3 s 1.0 MiB host 0 
 2026-03-01T10:00:00Z 3.0 s 1.0 MiB host 3 "
same cmd-page-summary "$(grep -o '<tr><th>command</th><td>[^<]*</td></tr>' "$p")" '<tr><th>command</th><td>python3 analyse.py {run} {out}</td></tr>'
same cmd-page-all-images "$(grep -o '<img src="[^"]*"' "$o/.runja/pages/cmd_003.html" | tr '\n' ' ')" \
	'<img src="../../cmd_003/bad.png" <img src="../../cmd_003/cut.png" <img src="../../cmd_003/figs/pal%20ette%231.png" <img src="../../cmd_003/interlaced.png" <img src="../../cmd_003/more.png" '
p=$o/.runja/pages/cmd_001.html
same failed-cmd-page "$(grep -c '<tr><th>Error</th><td>cmd_001: analyse.py exited with status 3</td></tr>' "$p")|$(grep -c '^exit 3</pre>' "$p")|$(grep -c '<pre class="log">line 1$' "$p")" "1|1|1"
same after-page-summaries "$(grep -o '<h2>[a-z/]*summary.json</h2>' "$o/.runja/pages/run_001.html" | tr '\n' ' ')" \
	'<h2>summary.json</h2> <h2>command/summary.json</h2> '

# every thumbnail the page shows exists, of the size thumbsize gives: 8-bit RGB for a
# command's images (colour type 2), 8-bit gray for the pipeline's products (0)
urldecode() {
	printf '%s\n' "$1" | sed 's/%20/ /g; s/%23/#/g'
}
bad=
ncolour=0
n=0
for t in $(grep -o 'class="th" href="[^"]*" style="--i:url([^)]*)"' "$h" | sed 's/.*url(\([^)]*\)).*/\1/'); do
	src=$(urldecode "$t")
	n=$((n + 1))
	case $src in
	*/mean.png | */timestack.png) type=0 ;;
	*) type=2 ncolour=$((ncolour + 1)) ;;
	esac
	hdr=$(od -An -tu1 -j16 -N10 "$o/$src" 2>/dev/null | tr -s ' ' | sed 's/^ //')
	set -- $hdr
	[ $# -eq 10 ] && [ "$(($1 * 16777216 + $2 * 65536 + $3 * 256 + $4))" -le 160 ] &&
		[ "$(($5 * 16777216 + $6 * 65536 + $7 * 256 + $8))" -le 160 ] && [ "$9 ${10}" = "8 $type" ] || bad="$bad $src"
done
same thumbnails "$n|$ncolour|$bad" "8|4|"
same thumb-sizes "$(od -An -tu1 -j16 -N8 "$o/.runja/thumbs/cmd_000/profile.png" | awk '{ print $4 "x" $8 }')" "16x160"
same thumb-not-shown "$(ls "$o/.runja/thumbs/cmd_003")" "figs"

# rerun with nothing changed: the same page, no thumbnail rewritten
(cd "$o" && find .runja/thumbs -type f -exec stat -c '%i %Y.%y %n' {} + | sort) >"$tmp/thumbs.1"
cp "$h" "$tmp/index.1"
settle
(cd "$d" && "$runreport" out) >/dev/null 2>&1
(cd "$o" && find .runja/thumbs -type f -exec stat -c '%i %Y.%y %n' {} + | sort) >"$tmp/thumbs.2"
same rerun-same-page "$(cmp "$h" "$tmp/index.1" && echo same)" same
same rerun-no-thumbnail-rewritten "$(diff "$tmp/thumbs.1" "$tmp/thumbs.2" && wc -l <"$tmp/thumbs.1")" "$(find "$o/.runja/thumbs" -type f | wc -l)"
# a newer image: its thumbnail alone is remade
settle
touch "$o/cmd_000/plot.png"
(cd "$d" && "$runreport" out) >/dev/null 2>&1
(cd "$o" && find .runja/thumbs -type f -exec stat -c '%i %Y.%y %n' {} + | sort) >"$tmp/thumbs.3"
same newer-image-remade "$(diff "$tmp/thumbs.2" "$tmp/thumbs.3" | grep '^>' | sed 's/.* //')" ".runja/thumbs/cmd_000/plot.png"
same no-temporaries "$(find "$o" -name '*.tmp' | wc -l)" 0

# without a ledger, no times
mv "$ledger" "$tmp/ledger.tsv"
(cd "$d" && "$runreport" out) >/dev/null 2>&1
same no-ledger-no-time "$?|$(grep -c 'class="time"' "$h")" "1|0"
mv "$tmp/ledger.tsv" "$ledger"

# a failure record once the run succeeds again is gone: the run is done
rm -r "$f/cmd_001"
mkdir -p "$o/cmd_001"
png gray16 100x1000 "" "$o/cmd_001/profile.png"
cmdsummary "$o/cmd_001" cmd_001 7 profile.png runja.log
(cd "$d" && "$runreport" out) >/dev/null 2>&1
same succeeded-again "$(grep -o '^<tr id="r1" class="[a-z]*"' "$h")|$(grep '^cmd_001,' "$o/summary.csv")" \
	'<tr id="r1" class="done"|cmd_001,7,0,,,,,'

# the page in headless Chromium: every row, every error, every thumbnail loads
sh tests/browser/check.sh "$o" || failed=1

finish
