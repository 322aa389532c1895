# The report in a real browser (headless Chromium): every run has its row (failed and
# waiting runs first, with their errors), the table's columns are those expected and
# none is empty for every run, there is an SVG plot with data, the page's script runs
# without an error, its state filter, search and sort change what is shown, every
# thumbnail and row plot loads, and a run's page renders. Run from the top of the build tree:
#   sh tests/browser/check.sh                      a 6-run tree with one failed run, built here
#   sh tests/browser/check.sh OUT [SHOT [COLUMNS]] the report in OUT (e.g. demo/out); SHOT keeps the
#                                                  screenshot; COLUMNS: the headers expected, "|" between
. tests/lib.sh

browser=$(command -v chromium || command -v chromium-browser)
if [ -z "$browser" ]; then
	echo "FAIL browser: chromium not installed"
	exit 1
fi

# chrome ARGS...: headless Chromium with a fresh profile and nothing fetched from the network;
# what the pages log to their console goes to $tmp/console.log
chrome() {
	prof=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --enable-logging=stderr --v=0 \
		--user-data-dir="$prof" "$@" 2>>"$tmp/chromium.log"
	grep 'CONSOLE' "$tmp/chromium.log" >>"$tmp/console.log"
	: >"$tmp/chromium.log"
}

# fileurl PATH: the file:// URL of an absolute path
fileurl() {
	printf 'file://%s\n' "$1" | sed 's/%/%25/g; s/ /%20/g; s/#/%23/g; s/?/%3F/g'
}

: >"$tmp/console.log"
if [ $# -ge 1 ]; then
	o=$(cd "$1" && pwd) || exit 1
	columns=$3
else
	d=$tmp/tank
	mkdir -p "$d/data"
	"$synth" --runs 6 --frames 16 --size 160x96 --nested --bad truncate:3:5 "$d/data" 2>/dev/null || exit 1
	rawsnap "$d/data"
	cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["*/run_*"]; };
pipeline = ( { op = "background"; frames = 3; method = "median"; }, { op = "scale"; gain = -1.0; },
             { op = "blur"; sigma = 1.0; } );
products = { mean = true; timestack = { row = 48; }; front = { level = 0.2; from = "left"; }; };
CFG
	# a plain ninja: the failed run does not stop the others, and the report is written
	(cd "$d" && "$gen" && ninja) >"$tmp/build.log" 2>&1
	same tree-one-run-failed "$?|$(grep -c '^runja-process: 2026-04/run_003/img_5.png: truncated$' "$tmp/build.log")" "1|1"
	o=$d/out
	columns="Run|Frames|Size (px)|Mean|Front speed|Per frame|Front position|Mean|Timestack"
fi
page=$o/index.html
[ -f "$page" ] || { fail "report-exists" "$page: missing"; finish; }

# what the page must show, from the files the report was made from. A run of a user's
# command (summary.json of kind "command", or OUT/ID/command/ after the pipeline) failed
# when its failure record OUT/.runja/.../error.txt is not older than its summary.
nruns=$(cat "$o/.runja/runs" "$o/.runja/waiting" 2>/dev/null | grep -c .)
nfailed=0
errors=$tmp/errors
: >"$errors"
# escape: the text on stdin as Chromium's DOM dump writes a text node
escape() {
	sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g'
}
# failed FILE: count a failed run, its error the first line of FILE
failed() {
	nfailed=$((nfailed + 1))
	head -n 1 "$1" | escape >>"$errors"
}
while IFS= read -r id; do
	[ -n "$id" ] || continue
	rec=$o/.runja/failed/$id/error.txt
	if grep -qs '"kind": *"command"' "$o/$id/summary.json"; then
		[ -f "$rec" ] && ! [ "$rec" -ot "$o/$id/summary.json" ] && failed "$rec"
	elif [ -f "$o/$id/error.txt" ]; then
		if [ -f "$rec" ] && ! [ "$rec" -ot "$o/$id/error.txt" ]; then failed "$rec"; else failed "$o/$id/error.txt"; fi
	elif [ -f "$o/$id/summary.json" ]; then
		[ -f "$rec" ] && ! [ "$rec" -ot "$o/$id/command/summary.json" ] && failed "$rec"
	elif [ -f "$rec" ]; then
		failed "$rec"
	fi
done <"$o/.runja/runs"

# the page as Chromium builds it, its script run
chrome --dump-dom --virtual-time-budget=5000 "$(fileurl "$page")" >"$tmp/dom.html"
dom=$tmp/dom.html
same dom-rows "$(grep -o '<tr id="r[0-9]*"' "$dom" | wc -l)" "$nruns"
same dom-failed-rows "$(grep -o '<tr id="r[0-9]*" class="failed[ a-z]*"' "$dom" | wc -l)" "$nfailed"
missing=
while IFS= read -r e; do
	grep -qF -- "$e" "$dom" || missing="$missing [$e]"
done <"$errors"
same dom-errors-shown "$nfailed$missing" "$nfailed"
# the failed runs come first: no row of a run that is done before the last failed one
same dom-failed-first "$(grep -o '<tr id="r[0-9]*" class="[a-z]*' "$dom" | sed 's/.*class="//' | uniq | tr '\n' ' ' |
	sed 's/waiting /failed /g' | sed 's/^\(failed \)*//' | grep -c failed)" 0
same dom-controls "$(grep -o '<div class="controls" id="controls">' "$dom" | wc -l)|$(grep -o '<button type="button"[^>]*>All [0-9]*</button>' "$dom" | sed 's/.*>All //; s/<.*//')" "1|$nruns"

# the page with a check of its own at its end (a copy beside it: the same relative paths).
# It clicks each state's button, searches, sorts, and writes what the page showed.
cp "$page" "$o/.runja/check-$$.html"
sed -i 's|<base[^>]*>||' "$o/.runja/check-$$.html"
sed -i 's|<head>|<head><base href="../">|' "$o/.runja/check-$$.html"
cat >>"$o/.runja/check-$$.html" <<'EOF'
<pre id="check">pending</pre>
<script>
(function () {
  var out = [], d = document;
  function visible() {
    return [].filter.call(d.querySelectorAll("tr[id]"), function (tr) {
      for (var e = tr; e && e !== d.body; e = e.parentElement) if (e.classList.contains("hide")) return false;
      return true;
    });
  }
  var heads = [].map.call(d.querySelectorAll("table.head th"), function (th) { return th.textContent; });
  out.push("columns " + heads.join("|"));
  var empty = heads.filter(function (h, k) {
    return ![].some.call(d.querySelectorAll("table.runs tr[id]"), function (tr) {
      var td = tr.cells[k];
      return td && (td.textContent.trim() !== "" || td.children.length > 0 || td.hasAttribute("style"));
    });
  });
  out.push("empty " + empty.join("|"));
  var plots = [].filter.call(d.querySelectorAll("svg.plot"), function (s) {
    return s.querySelector("circle, path.line[d*='L'], path.dots[d*='M'], path.band[d*='L']");
  });
  out.push("plots " + plots.length);
  var buttons = d.querySelectorAll("#controls button"), bad = [];
  [].forEach.call(buttons, function (b) {
    b.click();
    var n = parseInt(b.textContent.replace(/^\D*/, ""), 10), v = visible();
    if (v.length !== n) bad.push(b.textContent + " shows " + v.length);
  });
  out.push("filter " + buttons.length + " buttons" + (bad.length ? ": " + bad.join(", ") : " ok"));
  buttons[0].click();
  var all = visible().length, input = d.querySelector("#controls input"), first = d.querySelector("tr[id] td.id a");
  var q = first.textContent;
  input.value = q;
  input.dispatchEvent(new Event("input"));
  var found = visible(), wrong = found.filter(function (tr) { return tr.cells[0].textContent.indexOf(q) < 0; });
  input.value = "no such run at all";
  input.dispatchEvent(new Event("input"));
  out.push("search " + all + " " + found.length + " " + wrong.length + " " + visible().length + " " +
           d.getElementById("nomatch").classList.contains("hide"));
  input.value = "";
  input.dispatchEvent(new Event("input"));
  var k = heads.indexOf("Frames"), rows = function () {
    var body = d.querySelector("table.runs tbody");
    return [].map.call(body.rows, function (tr) { return tr.cells[k] ? tr.cells[k].textContent : ""; }).join(",");
  };
  if (k >= 0) {
    var before = rows();
    d.querySelectorAll("table.head th")[k].click();
    var up = rows();
    d.querySelectorAll("table.head th")[k].click();
    var down = rows();
    var nums = function (s) { return s.split(",").filter(function (x) { return x; }).map(parseFloat); };
    var sorted = function (a, desc) { return a.every(function (x, i) { return !i || (desc ? a[i - 1] >= x : a[i - 1] <= x); }); };
    out.push("sort " + sorted(nums(up), false) + " " + sorted(nums(down), true) + " " + (location.hash.indexOf("sort=") >= 0) +
             " " + (before.split(",").length === up.split(",").length));
  }
  d.getElementById("check").textContent = out.join("\n");
})();
</script>
EOF
chrome --dump-dom --virtual-time-budget=8000 "$(fileurl "$o/.runja/check-$$.html")" >"$tmp/check.dom"
rm -f "$o/.runja/check-$$.html"
sed -n '/<pre id="check">/,/<\/pre>/p' "$tmp/check.dom" | sed 's/<pre id="check">//; s|</pre>.*||' >"$tmp/check.txt"
got() {
	sed -n "s/^$1 //p" "$tmp/check.txt"
}
[ -z "$columns" ] || same columns "$(got columns)" "$columns"
same no-empty-column "$(got empty)" ""
[ "$(got plots)" -ge 1 ] 2>/dev/null && pass svg-plot-with-data || fail svg-plot-with-data "$(got plots) plots"
same filter "$(got filter | sed 's/^[0-9]* buttons//')" " ok"
[ "$(got filter | cut -d' ' -f1)" -ge 2 ] 2>/dev/null && pass filter-buttons || fail filter-buttons "$(got filter)"
read -r all found wrong none hidden <<EOF
$(got search)
EOF
same search "$all|$([ "$found" -ge 1 ] && [ "$found" -lt "$all" ] && echo some)|$wrong|$none|$hidden" "$nruns|some|0|0|false"
if grep -q '^columns .*|Frames' "$tmp/check.txt"; then
	same sort "$(got sort)" "true true true true"
fi
same console-clean "$(grep -i 'uncaught\|error' "$tmp/console.log")" ""

# every thumbnail and row plot loads (in a style, or in data-i for the page's script to
# set): a page beside this one opens each with new Image()
grep -o -e '--i:url([^)]*)' -e 'data-i="[^"]*"' "$page" | sed 's/^--i:url(\(.*\))$/\1/; s/^data-i="\(.*\)"$/\1/' |
	sort -u >"$tmp/urls"
urls=$(sed 's/.*/"&",/' "$tmp/urls")
nurls=$(wc -l <"$tmp/urls")
cat >"$tmp/images.html" <<EOF
<!DOCTYPE html>
<meta charset="utf-8">
<base href="$(fileurl "$o")/">
<pre id="result">pending</pre>
<script>
var urls = [
$urls
], ok = 0, bad = [], left = urls.length;
function report() { document.getElementById("result").textContent = "loaded " + ok + " failed " + bad.length + (bad.length ? ": " + bad.join(" ") : ""); }
function done() { if (--left === 0) report(); }
if (left === 0) report();
urls.forEach(function (u) {
	var im = new Image();
	im.onload = function () { if (im.naturalWidth > 0) ok++; else bad.push(u); done(); };
	im.onerror = function () { bad.push(u); done(); };
	im.src = u;
});
</script>
EOF
chrome --dump-dom --virtual-time-budget=8000 "$(fileurl "$tmp/images.html")" >"$tmp/images.dom"
same images-loaded "$(sed -n 's/.*<pre id="result">\(.*\)<\/pre>.*/\1/p' "$tmp/images.dom")" "loaded $nurls failed 0"
[ "$nurls" -gt 0 ] || fail images-some "the page shows no thumbnail or plot"

# a run's page: the first run's renders, with its sections
id=$(head -n 1 "$o/.runja/runs")
chrome --dump-dom --virtual-time-budget=3000 "$(fileurl "$o/.runja/pages/$id.html")" >"$tmp/run.dom"
grep -q '<section class="card" id="run">' "$tmp/run.dom" && grep -q 'all runs</a>' "$tmp/run.dom" &&
	pass run-page || fail run-page "$o/.runja/pages/$id.html"

# the screenshot: 1200x1600, and not a blank page
shot=${2:-$tmp/report.png}
chrome --screenshot="$shot" --window-size=1200,1600 --virtual-time-budget=5000 "$(fileurl "$page")" >/dev/null
size=$(od -An -tu1 -j16 -N8 "$shot" 2>/dev/null | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 "x" $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
same screenshot-size "$size" 1200x1600
bytes=$(wc -c <"$shot" 2>/dev/null || echo 0)
[ "$bytes" -gt 30000 ] && pass screenshot-not-blank || fail screenshot-not-blank "$shot: $bytes bytes"

finish
