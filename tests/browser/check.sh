# The report in a real browser (headless Chromium): every run has its row, every done
# run with a front its plot, failed runs show their error, and every thumbnail loads
# at the size the page gives it (a command's images too: tests/e2e/report-command.sh
# runs this on its tree). Run from the top of the build tree:
#   sh tests/browser/check.sh              a 6-run tree with one failed run, built here
#   sh tests/browser/check.sh OUT [SHOT]   the report in OUT (e.g. demo/out); SHOT keeps the screenshot
. tests/lib.sh

browser=$(command -v chromium || command -v chromium-browser)
if [ -z "$browser" ]; then
	echo "FAIL browser: chromium not installed"
	exit 1
fi

# chrome ARGS...: headless Chromium with a fresh profile and nothing fetched from the network
chrome() {
	prof=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" "$@" 2>>"$tmp/chromium.log"
}

# fileurl PATH: the file:// URL of an absolute path
fileurl() {
	printf 'file://%s\n' "$1" | sed 's/%/%25/g; s/ /%20/g; s/#/%23/g; s/?/%3F/g'
}

if [ $# -ge 1 ]; then
	o=$(cd "$1" && pwd) || exit 1
else
	d=$tmp/tank
	mkdir -p "$d/data"
	"$synth" --runs 6 --frames 16 --size 160x96 --bad truncate:3:5 "$d/data" 2>/dev/null || exit 1
	rawsnap "$d/data"
	cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["run_*"]; };
pipeline = ( { op = "background"; frames = 3; method = "median"; }, { op = "scale"; gain = -1.0; },
             { op = "blur"; sigma = 1.0; } );
products = { mean = true; timestack = { row = 48; }; front = { level = 0.2; from = "left"; }; };
CFG
	# a plain ninja: the failed run does not stop the others, and the report is written
	(cd "$d" && "$gen" && ninja) >"$tmp/build.log" 2>&1
	same tree-one-run-failed "$?|$(grep -c '^runja-process: run_003/img_5.png: truncated$' "$tmp/build.log")" "1|1"
	o=$d/out
fi
page=$o/index.html
[ -f "$page" ] || { fail "report-exists" "$page: missing"; finish; }

# what the page must show, from the files the report was made from. A run of a user's
# command (summary.json of kind "command", or OUT/ID/command/ after the pipeline) failed
# when its failure record OUT/.runja/failed/ID/error.txt is not older than its summary.
nruns=$(grep -c . "$o/.runja/runs")
nfailed=0
ncmdfailed=0
ncmddone=0
nplots=0
errors=$tmp/errors
cmderrors=$tmp/cmderrors
: >"$errors"
: >"$cmderrors"
# escape: the text on stdin as Chromium's DOM dump writes a text node
escape() {
	sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g'
}
# command SUMMARY: count the command's run as done or failed (SUMMARY may be missing)
command() {
	if [ -f "$rec" ] && ! [ "$rec" -ot "$1" ]; then
		ncmdfailed=$((ncmdfailed + 1))
		head -n 1 "$rec" | escape >>"$cmderrors"
	elif [ -f "$1" ]; then
		ncmddone=$((ncmddone + 1))
	fi
}
while IFS= read -r id; do
	[ -n "$id" ] || continue
	rec=$o/.runja/failed/$id/error.txt
	if grep -qs '"kind": *"command"' "$o/$id/summary.json"; then
		command "$o/$id/summary.json"
	elif [ -f "$o/$id/error.txt" ]; then
		if [ -f "$rec" ] && ! [ "$rec" -ot "$o/$id/error.txt" ]; then
			command "$o/$id/summary.json"
		else
			nfailed=$((nfailed + 1))
			head -n 1 "$o/$id/error.txt" | escape >>"$errors"
		fi
	elif [ -f "$o/$id/summary.json" ]; then
		if [ -f "$o/$id/front.csv" ] && tail -n +2 "$o/$id/front.csv" | grep -q '[0-9]$'; then
			nplots=$((nplots + 1))
		fi
		[ -f "$rec" ] || [ -f "$o/$id/command/summary.json" ] && command "$o/$id/command/summary.json"
	else
		command "$o/$id/summary.json"
	fi
done <"$o/.runja/runs"

# the page as Chromium builds it
chrome --dump-dom --virtual-time-budget=5000 "$(fileurl "$page")" >"$tmp/dom.html"
dom=$tmp/dom.html
same dom-rows "$(grep -o '<tr id="r[0-9]*"' "$dom" | wc -l)" "$nruns"
same dom-failed-rows "$(grep -o '<tr id="r[0-9]*" class="failed"' "$dom" | wc -l)" "$nfailed"
same dom-run-plots "$(grep -o '<svg class="plot run"' "$dom" | wc -l)" "$nplots"
same dom-all-plot "$(grep -o '<svg class="plot all"' "$dom" | wc -l)" 1
missing=
while IFS= read -r e; do
	grep -qF "failed: $e</td>" "$dom" || missing="$missing [$e]"
done <"$errors"
same dom-errors-shown "$nfailed$missing" "$nfailed"
[ "$#" -ge 1 ] || same dom-test-tree-error "$(grep -c 'failed: run_003/img_5.png: truncated</td>' "$dom")" 1
same dom-command-rows "$(grep -o '<tr [^>]*class="command done"' "$dom" | wc -l)|$(grep -o '<tr [^>]*class="command failed"' "$dom" | wc -l)" \
	"$ncmddone|$ncmdfailed"
missing=
while IFS= read -r e; do
	grep -qF "failed: $e</span>" "$dom" || missing="$missing [$e]"
done <"$cmderrors"
same dom-command-errors-shown "$ncmdfailed$missing" "$ncmdfailed"

# every <img> loaded, at the size the page gives it: a page beside this one (the report
# itself holds no script) opens them with new Image() and writes what happened
imgs=$(grep -o '<img src="[^"]*" width="[0-9]*" height="[0-9]*"' "$page" |
	sed 's/<img src="\([^"]*\)" width="\([0-9]*\)" height="\([0-9]*\)"/["\1", \2, \3],/')
nimgs=$(grep -o '<img ' "$page" | wc -l)
cat >"$tmp/images.html" <<EOF
<!DOCTYPE html>
<meta charset="utf-8">
<base href="$(fileurl "$o")/">
<pre id="result">pending</pre>
<script>
var imgs = [
$imgs
], ok = 0, bad = [], left = imgs.length;
function report() { document.getElementById("result").textContent = "loaded " + ok + " failed " + bad.length + (bad.length ? ": " + bad.join(" ") : ""); }
function done() { if (--left === 0) report(); }
if (left === 0) report();
imgs.forEach(function (e) {
	var im = new Image();
	im.onload = function () {
		if (im.naturalWidth === e[1] && im.naturalHeight === e[2]) ok++;
		else bad.push(e[0] + " is " + im.naturalWidth + "x" + im.naturalHeight);
		done();
	};
	im.onerror = function () { bad.push(e[0]); done(); };
	im.src = e[0];
});
</script>
EOF
chrome --dump-dom --virtual-time-budget=5000 "$(fileurl "$tmp/images.html")" >"$tmp/images.dom"
same images-loaded "$(sed -n 's/.*<pre id="result">\(.*\)<\/pre>.*/\1/p' "$tmp/images.dom")" "loaded $nimgs failed 0"
[ "$nimgs" -gt 0 ] || fail images-some "the page shows no thumbnail"

# the screenshot: 1200x1600, and not a blank page
shot=${2:-$tmp/report.png}
chrome --screenshot="$shot" --window-size=1200,1600 --virtual-time-budget=5000 "$(fileurl "$page")" >/dev/null
size=$(od -An -tu1 -j16 -N8 "$shot" 2>/dev/null | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 "x" $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
same screenshot-size "$size" 1200x1600
bytes=$(wc -c <"$shot" 2>/dev/null || echo 0)
[ "$bytes" -gt 30000 ] && pass screenshot-not-blank || fail screenshot-not-blank "$shot: $bytes bytes"

finish
