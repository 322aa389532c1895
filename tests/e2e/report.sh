# The report step (SPEC section 5): summary.csv, index.html and a page per run with a
# failed run, a run not processed yet, a run id that needs escaping and a run with
# missing products. The page in a real browser: tests/browser/check.sh.
. tests/lib.sh

d=$tmp/tank
odd="it's <b>&\"x\" #1?"
mkdir -p "$d/data"
"$synth" --runs 4 --frames 12 --size 96x64 --bad truncate:3:5 "$d/data" 2>/dev/null || exit 1
"$synth" --runs 1 --frames 12 --size 96x64 --prefix "$odd" "$d/data" || exit 1
mv "$d/data/${odd}000" "$d/data/$odd"
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["*"]; };
pipeline = ( { op = "background"; frames = 3; method = "median"; }, { op = "scale"; gain = -1.0; },
             { op = "blur"; sigma = 1.0; } );
products = { mean = true; timestack = { row = 30; }; front = { level = 0.2; from = "left"; }; };
CFG
(cd "$d" && "$gen" && ninja -k 0) >"$tmp/build.log" 2>&1
same build-fails-one-run "$?" 1
# a run that appears after the build: listed, never processed
rawcheck "$d/data" tank-until-run-appears
"$synth" --runs 1 --frames 3 --size 96x64 --first 9 "$d/data" || exit 1
rawsnap "$d/data"
(cd "$d" && "$gen") >/dev/null 2>&1

(cd "$d" && "$runreport" out) >"$tmp/report.log" 2>&1
same report-by-hand-status "$?|$(cat "$tmp/report.log")" "1|runja-report: 1 run failed: run_003; why: runja-gen --status"
o=$d/out
same summary-csv "$(cat "$o/summary.csv" | cut -d, -f1-5)" "run,frames,skipped,width,height
\"it's <b>&\"\"x\"\" #1?\",12,0,96,64
run_000,12,0,96,64
run_001,12,0,96,64
run_002,12,0,96,64
run_003,,,,
run_009,,,,"
same summary-csv-failed-row "$(grep '^run_003' "$o/summary.csv")" "run_003,,,,,,,"

h=$o/index.html
# the rows: the failed run first, in the table of the runs that need attention; then the others
same rows "$(grep -o '^<tr id="r[0-9]*"' "$h" | tr '\n' ' ')" '<tr id="r4" <tr id="r0" <tr id="r1" <tr id="r2" <tr id="r3" <tr id="r5" '
same failed-row "$(grep -c '^<tr id="r4" class="failed"><td class="id"><a href=".runja/pages/run_003.html">run_003</a></td><td colspan="7" class="state">failed: run_003/img_5.png: truncated</td></tr>$' "$h")" 1
same attention "$(grep -c '<h2>Needs attention <span class="gcount">1 run: 1 failed</span></h2>' "$h")" 1
same new-row "$(grep -o '^<tr id="r5" class="new"><td class="id"><a href="[^"]*">run_009</a></td><td class="st">not processed yet</td>' "$h" | wc -l)" 1
same counts "$(grep -o '[0-9]* runs: [0-9]* done, [0-9]* failed, [0-9]* waiting, [0-9]* not processed yet' "$h")" \
	"6 runs: 4 done, 1 failed, 0 waiting, 1 not processed yet"
# the columns of what the runs hold: no Std, Min, Max, no command's, no time (the pipeline's is on its page)
same columns "$(grep -o '<th class="k-[a-z0-9]*"' "$h" | sed 's/<th class="k-//; s/"//' | tr '\n' ' ')" \
	"id st frames size mean speed fplot front img img "
same column-names "$(grep -o '<th [^>]*>[^<]*</th>' "$h" | sed 's/<[^>]*>//g' | tr '\n' '|')" \
	"Run|State|Frames|Size (px)|Mean|Front speed|Per frame|Front position|Mean|Timestack|"
# the overview: a point a run that is done or failed, the failed one on the axis, each a link to its row
ov=$(grep -o '<svg class="plot overview".*' "$h" | head -n 1 | sed 's|</svg>.*||')
same overview-points "$(printf '%s' "$ov" | grep -o '<circle class="pt [a-z]*"' | sort | uniq -c | tr -s ' ' | tr '\n' '|')" \
	" 4 <circle class=\"pt done\"| 1 <circle class=\"pt failed\"|"
same overview-links "$(printf '%s' "$ov" | grep -o '<a href="#r[0-9]*">' | tr '\n' ' ')" \
	'<a href="#r0"> <a href="#r1"> <a href="#r2"> <a href="#r3"> <a href="#r4"> '
same overview-title "$(grep -o '<h2>Front speed by run</h2>' "$h")" "<h2>Front speed by run</h2>"
same all-fronts-lines "$(grep -o '<svg class="plot all".*' "$h" | sed 's|</svg>.*||' | grep -o '<path class="line' | wc -l)" 4
same legend "$(grep -c '^<li class="c[0-9]"><span class="sw"></span><a href="#r[0-9]*">' "$h")" 4
same id-escaped-html "$(grep -o '>it&#39;s &lt;b&gt;&amp;&quot;x&quot; #1?</a>' "$h" | wc -l)" 2
same id-escaped-url "$(grep -o 'url([^)]*it[^)]*mean.png)' "$h" | head -1)" 'url(.runja/thumbs/it%27s%20%3Cb%3E%26%22x%22%20%231%3F/mean.png)'
same no-raw-markup "$(grep -c '<b>' "$h")" 0
# self-contained: nothing fetched, one script of its own, every url() a relative path
same no-network "$(grep -ci 'https\?:\|<link\|@import\|<script [^>]*src' "$h")" 0
same one-inline-script "$(grep -c '^<script>$' "$h")" 1
same urls-relative "$(grep -o -e '--i:url([^)]*)' -e 'data-i="[^"]*"' "$h" | grep -vc '^--i:url(\.runja/thumbs/[A-Za-z0-9%._~/-]*)$')" 0

# urldecode S: S with each %XX replaced by its byte
urldecode() {
	printf '%s\n' "$1" | awk 'function hex(h) { return (index("0123456789ABCDEF", substr(h, 1, 1)) - 1) * 16 + index("0123456789ABCDEF", substr(h, 2, 1)) - 1 }
	{ s = $0; out = ""; while (match(s, /%[0-9A-F][0-9A-F]/)) { out = out substr(s, 1, RSTART - 1) sprintf("%c", hex(substr(s, RSTART + 1, 2))); s = substr(s, RSTART + 3) } print out s }'
}
# pngsize FILE: "W H DEPTH COLOURTYPE" from its header
pngsize() {
	od -An -tu1 -j16 -N10 "$1" 2>/dev/null | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8, $9, $10 }'
}

# every thumbnail the page shows exists, an 8-bit gray PNG of at most 160 px, linked to its product
bad=
n=0
for t in $(grep -o 'class="th" href="[^"]*" style="--i:url([^)]*)"' "$h" | sed 's/class="th" href="\([^"]*\)" style="--i:url(\([^)]*\))"/\1|\2/'); do
	full=$(urldecode "${t%%|*}")
	src=$(urldecode "${t#*|}")
	n=$((n + 1))
	set -- $(pngsize "$o/$src")
	[ $# -eq 4 ] && [ "$1" -le 160 ] && [ "$2" -le 160 ] && [ "$3 $4" = "8 0" ] && [ -f "$o/$full" ] &&
		[ "$(basename "$full")" = "$(basename "$src")" ] || bad="$bad $src"
done
same thumbnails "$n|$bad" "8|"
same thumb-size "$(pngsize "$o/.runja/thumbs/run_000/mean.png")" "96 64 8 0"
# every row plot is an SVG file of its own with its data
bad=
for p in $(grep -o 'class="sp" href="[^"]*" style="--i:url([^)]*)"' "$h" | sed 's/.*url(\([^)]*\)).*/\1/'); do
	src=$o/$(urldecode "$p")
	head -c 200 "$src" | grep -q '^<svg class="plot run small" xmlns="http://www.w3.org/2000/svg"' &&
		grep -q '<path class="line c[0-9]" d="M[0-9.]* [0-9.]*L' "$src" || bad="$bad $p"
done
same row-plots "$(grep -o 'class="sp"' "$h" | wc -l)|$bad" "8|"
same frames-plot-band "$(grep -c '<path class="band c0" d="M' "$o/.runja/thumbs/run_000/frames.svg")" 1

# report1: the report by hand, which exits 1 (run_003 failed) once it has written it
report1() {
	(cd "$d" && "$runreport" out) 2>/dev/null
	[ $? -eq 1 ] || exit 1
}

# deterministic, written atomically, and the thumbnails are remade only when stale
cp "$h" "$tmp/index.1"
cp "$o/.runja/thumbs/run_000/mean.png" "$tmp/thumb.1"
ls -i "$o/.runja/thumbs/run_000/mean.png" >"$tmp/inode.1"
ls -i "$o/.runja/pages/run_000.html" "$o/.runja/thumbs/run_000/frames.svg" >"$tmp/pages.1"
report1
same deterministic "$(cmp "$h" "$tmp/index.1" && echo same)" same
same thumb-kept "$(ls -i "$o/.runja/thumbs/run_000/mean.png")" "$(cat "$tmp/inode.1")"
same page-and-plot-kept "$(ls -i "$o/.runja/pages/run_000.html" "$o/.runja/thumbs/run_000/frames.svg")" "$(cat "$tmp/pages.1")"
rm -r "$o/.runja/thumbs"
report1
same thumb-remade "$(cmp "$o/.runja/thumbs/run_000/mean.png" "$tmp/thumb.1" && cmp "$h" "$tmp/index.1" && echo same)" same
same plot-remade "$(test -s "$o/.runja/thumbs/run_000/frames.svg" && echo there)" there
same no-temporaries "$(find "$o" -name '*.tmp' | wc -l)" 0
# a report killed as it wrote left temporary files: the next report writing those files
# goes through the same names, so none is left
printf half >"$o/.index.html.tmp"
printf half >"$o/.summary.csv.tmp"
report1
same killed-report-leftovers "$(find "$o" -name '*.tmp' | wc -l)|$(head -c 4 "$o/summary.csv")" "0|run,"

# a run without front.csv has no front plot, one without timestack.png no thumbnail
rm "$o/run_001/front.csv" "$o/run_001/timestack.png"
report1
same missing-products "$(grep '^<tr id="r2"' "$h" | grep -o 'no front\|no timestack\|thumbs/run_001/[a-z]*' | tr '\n' ' ')" \
	"thumbs/run_001/frames no front thumbs/run_001/mean no timestack "
# processed before runja kept its per-frame record: stats.csv instead, else the page says so
rm "$o/run_002/.runja.frames"
report1
same no-frames-record "$(grep -o '^<tr id="r3".*' "$h" | grep -o 'no per-frame record yet[^<]*')" \
	"no per-frame record yet: processed before runja kept one"
grep -q 'none: the run was processed before runja kept a per-frame record' "$o/.runja/pages/run_002.html" &&
	pass no-frames-record-page || fail no-frames-record-page
printf 'index,file,mean,std,min,max\n0,a.png,0.5,0.1,0.2,0.9\n1,b.png,0.6,0.1,0.3,1\n' >"$o/run_002/stats.csv"
report1
same frames-from-stats "$(grep -c '<path class="line c0" d="M' "$o/.runja/thumbs/run_002/frames.svg")|$(grep -c 'Per frame: mean, between min and max (from stats.csv)' "$o/.runja/pages/run_002.html")" "1|1"

# a run's page: its facts, plots, images, summary and attempts; the failed run's error
p=$o/.runja/pages/run_000.html
same page-back "$(grep -c '<a href="../../index.html#r1">&larr; all runs</a> &middot; <a href="../../run_000/">its results folder</a>' "$p")" 1
same page-sections "$(grep -o '<section class="card" id="[a-z-]*">' "$p" | sed 's/.*id="//; s/">//' | tr '\n' ' ')" \
	"run frames front images summary attempts "
same page-plots "$(grep -o '<svg class="plot run"' "$p" | wc -l)" 2
same page-images "$(grep -o '<img src="[^"]*"' "$p" | tr '\n' ' ')" '<img src="../../run_000/mean.png" <img src="../../run_000/timestack.png" '
same page-summary "$(grep -o '<tr><th>[a-z_.]*</th><td>[^<]*</td></tr>' "$p" | sed -n '1,3p;/front_speed/p' | sed 's/<[^>]*>/ /g' | tr -s ' ')" \
	" run run_000 
 frames 12 
 frames_found 12 
 front_speed $(sed -n 's/.*"front_speed": \([0-9.]*\).*/\1/p' "$o/run_000/summary.json" | cut -c1-11) "
same page-attempts "$(grep -c '<tr class="done"><td>20[0-9-]*T[0-9:]*Z</td>' "$p")" "$(grep -c '^run_000	' "$o/.runja/ledger.tsv")"
same page-self-contained "$(grep -ci 'https\?:\|<script' "$p")|$(grep -o '<link rel="stylesheet" href="[^"]*">' "$p")" \
	'0|<link rel="stylesheet" href="../../.runja/pages/report.css">'
same page-stylesheet "$(test -s "$o/.runja/pages/report.css" && echo there)" there
p=$o/.runja/pages/run_003.html
same failed-page "$(grep -c '<tr><th>Error</th><td>run_003/img_5.png: truncated</td></tr>' "$p")|$(grep -c '<tr class="failed">' "$p")" "1|1"
grep -q 'it&#39;s &lt;b&gt;&amp;&quot;x&quot; #1?' "$o/.runja/pages/$odd.html" && pass odd-page || fail odd-page
same pages "$(ls "$o/.runja/pages" | grep -c '\.html$')" 6

# templates are read from beside the program; a missing one is an error naming it
mkdir -p "$tmp/bin/templates"
cp "$runreport" "$tmp/bin/"
cp -r "$top/templates/report" "$tmp/bin/templates/"
rm "$tmp/bin/templates/report/row.html"
cp "$h" "$tmp/index.2"
msg=$(cd "$d" && "$tmp/bin/runja-report" out 2>&1)
same missing-template "$msg|$?" "runja-report: $tmp/bin/templates/report/row.html: No such file or directory|1"
same missing-template-keeps-page "$(cmp "$h" "$tmp/index.2" && echo same)" same
msg=$(cd "$d" && "$runreport" nowhere 2>&1)
same no-run-list "$msg|$?" "runja-report: nowhere/.runja/runs: No such file or directory|1"

# under ninja: the report edge runs once every run is done
rawcheck "$d/data" tank-until-fixed
cp "$d/data/run_000/img_5.png" "$d/data/run_003/img_5.png"
rm -r "$d/data/run_009"
rawsnap "$d/data"
build "$d" "$tmp/fixed.log"
same fixed-build "$?" 0
same fixed-report "$(grep -o '[0-9]* runs: [0-9]* done, [0-9]* failed, [0-9]* waiting' "$h")" \
	"5 runs: 5 done, 0 failed, 0 waiting"
same fixed-no-attention "$(grep -c 'Needs attention' "$h")" 0

finish
