# The report step (SPEC section 5): summary.csv and index.html with a failed run, a run
# not processed yet, a run id that needs escaping and a run with missing products.
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
same rows "$(grep -c '^<tr id="r[0-9]*"' "$h")" 6
same failed-row "$(grep -c '<tr id="r4" class="failed">.*failed: run_003/img_5.png: truncated</td></tr>' "$h")" 1
same waiting-row "$(grep -c '<tr id="r5" class="waiting">.*waiting' "$h")" 1
same counts "$(grep -o '[0-9]* runs: [0-9]* done, [0-9]* failed, [0-9]* waiting' "$h")" \
	"6 runs: 4 done, 1 failed, 1 waiting"
same run-plots "$(grep -o '<svg class="plot run"' "$h" | wc -l)" 4
same all-plot "$(grep -o '<svg class="plot all"' "$h" | wc -l)" 1
same all-plot-lines "$(grep -o '<svg class="plot all".*' "$h" | sed 's|</svg>.*||' | grep -o '<path class="line' | wc -l)" 4
same legend "$(grep -c '^<li class="c[0-9]"><span class="sw"></span><a href="#r[0-9]*">' "$h")" 4
same id-escaped-html "$(grep -o '>it&#39;s &lt;b&gt;&amp;&quot;x&quot; #1?</a>' "$h" | wc -l)" 2
same id-escaped-url "$(grep -o 'src="[^"]*it[^"]*"' "$h" | head -1)" 'src=".runja/thumbs/it%27s%20%3Cb%3E%26%22x%22%20%231%3F/mean.png"'
same no-raw-markup "$(grep -c '<b>' "$h")" 0
same no-network-no-script "$(grep -ci 'https\?:\|<script\|<link\|@import\|url(' "$h")" 0
same lazy-images "$(grep -o '<img [^>]*>' "$h" | grep -vc 'loading="lazy"')" 0

# urldecode S: S with each %XX replaced by its byte
urldecode() {
	printf '%s\n' "$1" | awk 'function hex(h) { return (index("0123456789ABCDEF", substr(h, 1, 1)) - 1) * 16 + index("0123456789ABCDEF", substr(h, 2, 1)) - 1 }
	{ s = $0; out = ""; while (match(s, /%[0-9A-F][0-9A-F]/)) { out = out substr(s, 1, RSTART - 1) sprintf("%c", hex(substr(s, RSTART + 1, 2))); s = substr(s, RSTART + 3) } print out s }'
}

# every image the page shows exists, and is an 8-bit gray PNG of the size the page says
bad=
for img in $(grep -o '<img src="[^"]*" width="[0-9]*" height="[0-9]*"' "$h" | sed 's/<img src="\([^"]*\)" width="\([0-9]*\)" height="\([0-9]*\)"/\1|\2|\3/'); do
	src=$(urldecode "${img%%|*}")
	wh=${img#*|}
	hdr=$(od -An -tu1 -j16 -N10 "$o/$src" 2>/dev/null | tr -s ' ' | sed 's/^ //')
	set -- $hdr
	[ $# -eq 10 ] && [ "$(($1 * 16777216 + $2 * 65536 + $3 * 256 + $4))|$(($5 * 16777216 + $6 * 65536 + $7 * 256 + $8))" = "${wh%|*}|${wh#*|}" ] &&
		[ "$9 ${10}" = "8 0" ] && [ "${wh%|*}" -le 160 ] || bad="$bad $src"
done
same thumbnails "$(grep -o '<img ' "$h" | wc -l)|$bad" "8|"
same thumb-sizes "$(grep -o '/mean.png" width="[0-9]*" height="[0-9]*"' "$h" | sort -u)" \
	'/mean.png" width="96" height="64"'

# report1: the report by hand, which exits 1 (run_003 failed) once it has written it
report1() {
	(cd "$d" && "$runreport" out) 2>/dev/null
	[ $? -eq 1 ] || exit 1
}

# deterministic, written atomically, and the thumbnails are remade only when stale
cp "$h" "$tmp/index.1"
cp "$o/.runja/thumbs/run_000/mean.png" "$tmp/thumb.1"
ls -i "$o/.runja/thumbs/run_000/mean.png" >"$tmp/inode.1"
report1
same deterministic "$(cmp "$h" "$tmp/index.1" && echo same)" same
same thumb-kept "$(ls -i "$o/.runja/thumbs/run_000/mean.png")" "$(cat "$tmp/inode.1")"
rm -r "$o/.runja/thumbs"
report1
same thumb-remade "$(cmp "$o/.runja/thumbs/run_000/mean.png" "$tmp/thumb.1" && cmp "$h" "$tmp/index.1" && echo same)" same
same no-temporaries "$(find "$o" -name '*.tmp' | wc -l)" 0

# a run without front.csv has no plot, one without timestack.png no thumbnail
rm "$o/run_001/front.csv" "$o/run_001/timestack.png"
report1
same missing-products "$(grep '^<tr id="r2"' "$h" | grep -o 'no front\|no timestack\|thumbs/run_001/[a-z]*' | tr '\n' ' ')" \
	"thumbs/run_001/mean no timestack no front "

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

finish
