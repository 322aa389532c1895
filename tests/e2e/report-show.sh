# command.report: what a user's program writes, on the report (README "The report"):
# its values (a JSON key, a CSV column) as columns of the page and of summary.csv, its
# CSV plotted per run, its images by glob, the overview across runs of the value it
# names; what is missing said in the row. Then the page in headless Chromium.
. tests/lib.sh

d=$tmp/cmd
"$synth" --runs 4 --frames 3 --size 48x32 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
cat >"$d/prog.sh" <<'EOF'
run=$1 out=$2 id=$3
n=${id#run_}
n=${n#0}
n=${n#0}
[ "$id" != run_002 ] || { echo "bad thing" >&2; exit 3; }
cp "$run/img_0.png" "$out/frame0.png"
mkdir -p "$out/figs"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#c33"/></svg>\n' >"$out/figs/bar.svg"
printf '{"fit": {"speed": %s.5, "n": 3}}\n' "$n" >"$out/fit.json"
if [ "$id" = run_003 ]; then
	printf 't,sig\n0,1\n' >"$out/trace.csv"
else
	printf 't,signal\n0,1\n1,%s\n2,2\n' "$((n + 3))" >"$out/trace.csv"
fi
EOF
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = {
  run = ["sh", "prog.sh", "{run}", "{out}", "{id}"];
  inputs = ["prog.sh"];
  report = {
    images = ["*.png", "figs/*.svg", "*.jpg"];
    plot = { file = "trace.csv"; x = "t"; y = "signal"; };
    values = ( { name = "speed"; file = "fit.json"; key = "fit.speed"; },
               { name = "peak"; file = "trace.csv"; column = "signal"; row = "max"; } );
    overview = "speed";
  };
};
CFG
(cd "$d" && "$gen" && ninja) >"$tmp/build.log" 2>&1
same build "$?|$(grep -c '^runja-report: 1 run failed: run_002' "$tmp/build.log")" "1|1"
o=$d/out
same report-json "$(tr -d ' \n' <"$o/.runja/report.json")" \
	'{"images":["*.png","figs/*.svg","*.jpg"],"plot":{"file":"trace.csv","x":"t","y":"signal"},"values":[{"name":"speed","file":"fit.json","key":"fit.speed"},{"name":"peak","file":"trace.csv","column":"signal","row":"max"}],"overview":"speed"}'

# the values are columns of summary.csv: empty where the program did not write them
same summary-csv "$(cat "$o/summary.csv")" "run,frames,skipped,width,height,mean,std,front_speed,speed,peak
run_000,3,0,,,,,,0.5,3
run_001,3,0,,,,,,1.5,4
run_002,,,,,,,,,
run_003,3,0,,,,,,3.5,"

h=$o/index.html
same columns "$(grep -o '<th [^>]*>[^<]*</th>' "$h" | sed 's/<[^>]*>//g' | tr '\n' '|')" \
	"Run|Frames|speed|peak|signal over t|Images|Time|Memory|"
same value-cells "$(grep '^<tr id="r0"' "$h" | grep -o '<td class="n"[^>]*>[^<]*</td>' | sed -n '2,3p' | tr '\n' ' ')" \
	'<td class="n" data-v="0.5">0.5</td> <td class="n" data-v="3">3</td> '
# a column that is not there, said in the row
same missing-column "$(grep '^<tr id="r3"' "$h" | grep -o '<span class="bad" title="trace[^"]*">' | sort -u | tr '\n' ' ')" \
	'<span class="bad" title="trace.csv: no column &#39;signal&#39; (columns: &#39;t&#39;, &#39;sig&#39;)"> '
same images "$(grep '^<tr id="r0"' "$h" | grep -o '<td class="imgs">.*</td>' | sed 's|</td><td class="n".*||')" \
	'<td class="imgs"><a class="th" href="run_000/frame0.png" style="--i:url(.runja/thumbs/run_000/frame0.png)"></a><a class="th" href="run_000/figs/bar.svg" style="--i:url(run_000/figs/bar.svg)"></a><span class="bad" title="no file matches &#39;*.jpg&#39;">no file matches &#39;*.jpg&#39;</span>'
same plot-cell "$(grep '^<tr id="r0"' "$h" | grep -o '<td class="sp" [^>]*>')" \
	'<td class="sp" style="--i:url(.runja/thumbs/run_000/plot.svg)">'
grep -q '<path class="line c0" d="M' "$o/.runja/thumbs/run_000/plot.svg" && pass plot-file || fail plot-file
# the overview: speed, one point a run that is done, the failed one marked
same overview "$(grep -o '<h2>speed by run</h2>' "$h")|$(grep -o '<svg class="plot overview".*' "$h" | head -n 1 | grep -o 'class="pt [a-z]*"' | sort | uniq -c | tr -s ' ' | tr '\n' '|')" \
	'<h2>speed by run</h2>| 3 class="pt done"| 1 class="pt failed"|'
# a run's page: its values, its plot with axes, every image at full size
p=$o/.runja/pages/run_001.html
same page-values "$(grep -o '<tr><th>[a-z]*</th><td>[^<]*</td></tr>' "$p" | sed -n '/speed\|peak/p' | head -n 2 | tr '\n' ' ')" \
	'<tr><th>speed</th><td>1.5</td></tr> <tr><th>peak</th><td>4</td></tr> '
same page-plot "$(grep -o '<h2>signal over t, from trace.csv</h2>' "$p")|$(grep -o '<svg class="plot run" viewBox="0 0 720 260"' "$p" | wc -l)" \
	"<h2>signal over t, from trace.csv</h2>|1"
same page-images "$(grep -o '<img src="[^"]*"' "$p" | tr '\n' ' ')" '<img src="../../run_001/frame0.png" <img src="../../run_001/figs/bar.svg" '

# another value to plot across runs: the report is made again, no run that is done reruns
# (the failed one is tried again, as at every build, and is quarantined then)
sed -i 's/overview = "speed";/overview = "peak";/' "$d/runja.cfg"
(cd "$d" && ninja) >"$tmp/again.log" 2>&1
same new-overview-report-only "$(grep -o 'COMMAND [a-z_0-9]*' "$tmp/again.log" | tr '\n' ' ')|$(grep -c 'REPORT' "$tmp/again.log")|$(grep -o '<h2>peak by run</h2>' "$h")" \
	"COMMAND run_002 |1|<h2>peak by run</h2>"
(cd "$d" && ninja) >/dev/null 2>&1
same then-nothing "$(cd "$d" && ninja 2>&1 | tail -n 1)" "ninja: no work to do."

# the page in headless Chromium: its columns, none empty, plots, filter, search, images
sh tests/browser/check.sh "$o" "" "Run|Frames|speed|peak|signal over t|Images|Time|Memory" || failed=1

finish
