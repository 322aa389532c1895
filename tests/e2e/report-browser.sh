# The report in headless Chromium (tests/browser/check.sh) on trees of other kinds than
# browser.sh's: a pipeline without a front, a tree set up by runja-gen --init, and a mixed
# tree (the pipeline then a command) with a bad frame, a failed command and a waiting run.
# Each page has the columns of what its runs hold and none empty, a plot with data, a
# filter and a search that work, no script error. (A command tree with images and a CSV:
# report-show.sh; the overview of failed runs: report.sh.)
. tests/lib.sh

# pipeline, no front: the overview is the mean intensity
d=$tmp/nofront
"$synth" --runs 5 --frames 6 --size 64x48 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\nproducts = { mean = true; std = true; stats = true; };\n' >"$d/runja.cfg"
(cd "$d" && "$gen" && ninja) >"$tmp/nofront.log" 2>&1
same nofront-build "$?" 0
same nofront-overview "$(grep -o '<h2>Mean intensity by run</h2>' "$d/out/index.html")" "<h2>Mean intensity by run</h2>"
same nofront-no-front "$(grep -c 'no front\|Front' "$d/out/index.html")" 0
sh tests/browser/check.sh "$d/out" "" "Run|Frames|Size (px)|Mean|Per frame|Mean|Std" | sed 's/^\(PASS\|FAIL\) /\1 nofront-/' || failed=1

# runja-gen --init on a nested tree, built as written
d=$tmp/init
"$synth" --runs 4 --frames 5 --size 64x48 --nested "$d" >/dev/null || exit 1
rawsnap "$d" $rawbuild
(cd "$d" && "$gen" --init && "$gen" && ninja) >"$tmp/init.log" 2>&1
same init-build "$?" 0
same init-groups "$(grep -o '<h3>[^<]*<span class="gcount">[^<]*</span></h3>' "$d/out/index.html" | sed 's/<[^>]*>//g' | tr '\n' '|')" \
	"2026-03 2 runs: 2 done|2026-04 2 runs: 2 done|"
sh tests/browser/check.sh "$d/out" "" "Run|Frames|Size (px)|Mean|Per frame|Mean|Std|Timestack" |
	sed 's/^\(PASS\|FAIL\) /\1 init-/' || failed=1

# mixed: the pipeline, then a command on its results; one bad frame, one command that fails, one run waiting
d=$tmp/mixed
"$synth" --runs 5 --frames 6 --size 64x48 --bad truncate:1:2 "$d/data" >/dev/null 2>&1 || exit 1
for r in 0 1 2 3; do touch "$d/data/run_00$r/DONE"; done
rawsnap "$d/data"
cat >"$d/prog.sh" <<'EOF'
[ "$2" != run_002 ] || { echo "no luck" >&2; exit 2; }
printf 'a,b\n0,1\n1,3\n' >"$1/profile.csv"
cp "$3/mean.png" "$1/copy.png"
EOF
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; ready = "DONE"; };
products = { mean = true; front = { level = 0.01; from = "left"; }; };
command = {
  run = ["sh", "prog.sh", "{out}", "{id}", "{pipeline}"];
  inputs = ["prog.sh"];
  after_pipeline = true;
  report = { plot = { file = "profile.csv"; x = "a"; y = "b"; }; };
};
CFG
(cd "$d" && "$gen" && ninja) >"$tmp/mixed.log" 2>&1
same mixed-build "$?|$(grep -o '^runja-report: [0-9] runs failed: [a-z_0-9, ]*' "$tmp/mixed.log")" "1|runja-report: 2 runs failed: run_001, run_002"
# (the command found no products of run_001's pipeline, which failed: its failure is the newer)
same mixed-attention "$(grep -o '^<tr id="r[0-9]*" class="[a-z]*">.*class="state">[a-z]*: [^<]*' "$d/out/index.html" | sed 's/.*>\([a-z]*: \)/\1/; s/ $//')" \
	"failed: run_001: no pipeline results to run on (out/run_001/summary.json is missing: the pipeline failed or did not run)
failed: run_002: prog.sh exited with status 2
waiting: no DONE yet"
sh tests/browser/check.sh "$d/out" "" "Run|Frames|Size (px)|Mean|Front speed|Per frame|Front position|b over a|Mean|Images|Time|Memory" |
	sed 's/^\(PASS\|FAIL\) /\1 mixed-/' || failed=1

finish
