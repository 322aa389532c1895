# The rerun table of issue 4 with the real ninja, and runja-gen --check after each step.
# (A new build of runja reruns nothing: programs.sh.)
. tests/lib.sh

d=$tmp/tank
mkdir -p "$d/data"
"$synth" --runs 3 --frames 5 --size 48x32 "$d/data" || exit 1
"$synth" --runs 1 --frames 5 --size 48x32 --nested --first 3 "$d/data" || exit 1
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["run_*", "*/run_*"]; override = "run.cfg"; };
pipeline = ( { op = "blur"; sigma = 1.0; } );
products = { mean = true; max = true; };
CFG

# step NAME: ninja, then compare which runs ran with $2 and --check's output afterwards with ""
step() {
	build "$d" "$tmp/$1.log"
	same "$1" "$(processed "$tmp/$1.log")" "$2"
	chk=$(cd "$d" && "$gen" --check 2>&1)
	same "$1-check-after" "$chk" ""
	build "$d" "$tmp/$1.again"
	same "$1-then-no-work" "$(cat "$tmp/$1.again")" "ninja: no work to do."
	rawcheck "$d/data" "tank-$1"
}

# tree: every file and folder of the tree, its size, time and bytes
tree() {
	(cd "$d" && find . -printf '%p %y %s %T@\n' | sort && find . -type f -exec md5sum {} + | sort -k2)
}
# checks NAME EXPECTED: runja-gen --check before building; it writes nothing
checks() {
	tree >"$tmp/check.before"
	chk=$(cd "$d" && "$gen" --check 2>&1)
	status=$?
	same "$1-check" "$chk" "$2"
	same "$1-check-status" "$status" 1
	same "$1-check-writes-nothing" "$(tree | diff "$tmp/check.before" - && echo same)" same
}

(cd "$d" && "$gen") >/dev/null
checks initial "2026-04/run_003: new
run_000: new
run_001: new
run_002: new"
step initial "2026-04/run_003 run_000 run_001 run_002"

settle
"$synth" --runs 1 --frames 5 --size 48x32 --nested --first 4 "$d/data"
rawsnap "$d/data"
checks new-nested "2026-03/run_004: new
build.ninja: out of date (a plain ninja regenerates it)"
step new-nested "2026-03/run_004"

settle
rm -r "$d/data/run_002"
rawsnap "$d/data"
checks removed "run_002: removed
build.ninja: out of date (a plain ninja regenerates it)"
step removed ""
same removed-summary "$(cut -d, -f1 "$d/out/summary.csv" | tr '\n' ' ')" "run 2026-03/run_004 2026-04/run_003 run_000 run_001 "

settle
mv "$d/data/run_001" "$d/data/run_011"
rawsnap "$d/data"
checks renamed "run_011: new
run_001: removed
build.ninja: out of date (a plain ninja regenerates it)"
step renamed "run_011"
same renamed-summary "$(cut -d, -f1 "$d/out/summary.csv" | tr '\n' ' ')" "run 2026-03/run_004 2026-04/run_003 run_000 run_011 "

settle
cp "$d/data/run_000/img_0.png" "$d/data/run_000/img_9.png"
rawsnap "$d/data"
checks frame-added "run_000: frames changed
build.ninja: out of date (a plain ninja regenerates it)"
step frame-added "run_000"

settle
rm "$d/data/run_011/img_4.png"
rawsnap "$d/data"
checks frame-removed "run_011: frames changed
build.ninja: out of date (a plain ninja regenerates it)"
step frame-removed "run_011"

settle
cp "$d/data/run_000/img_1.png" "$d/data/2026-04/run_003/img_2.png"
rawsnap "$d/data"
checks frame-rewritten "2026-04/run_003: frames changed"
step frame-rewritten "2026-04/run_003"

settle
sed 's/sigma = 1.0/sigma = 1.5/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
checks pipeline-changed "2026-03/run_004: parameters changed
2026-04/run_003: parameters changed
run_000: parameters changed
run_011: parameters changed
build.ninja: out of date (a plain ninja regenerates it)"
step pipeline-changed "2026-03/run_004 2026-04/run_003 run_000 run_011"

settle
sed 's/max = true/max = false; min = true/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
step product-changed "2026-03/run_004 2026-04/run_003 run_000 run_011"

settle
printf 'products = { mean = true; std = true; };\n' >"$d/data/run_000/run.cfg"
rawsnap "$d/data"
checks override-added "run_000: parameters changed
build.ninja: out of date (a plain ninja regenerates it)"
step override-added "run_000"
same override-products "$(ls "$d/out/run_000" | grep -c std)" 2
settle
printf 'products = { mean = true; std = false; };\n' >"$d/data/run_000/run.cfg"
rawsnap "$d/data"
step override-changed "run_000"

settle
cat >"$d/runja.cfg" <<'CFG'
# the same settings: comments, spacing and key order changed
version = 1;
products = { min = true;   mean = true; max = false; };   # reordered
runs = { match = ["run_*", "*/run_*"]; root = "data"; override = "run.cfg"; };
pipeline = (
  { sigma = 1.5; op = "blur"; }
);
CFG
chk=$(cd "$d" && "$gen" --check 2>&1)
same comment-check "$chk|$?" "|0"
step comment-order-whitespace ""

settle
"$synth" --runs 1 --frames 5 --size 48x32 --first 11 --bad truncate:11:2 "$d/data" 2>/dev/null
rawsnap "$d/data"
(cd "$d" && ninja) >"$tmp/fail1.log" 2>&1
same failed-run-status "$?" 1
same failed-run-message "$(grep -E '^runja-(process|exec|report):' "$tmp/fail1.log")" "runja-process: run_011/img_2.png: truncated
runja-report: 1 run failed: run_011; why: runja-gen --status"
checks failed-run "run_011: failed last time: run_011/img_2.png: truncated"
# the next build retries it; failing the same way from the same frames, it is quarantined
(cd "$d" && ninja) >"$tmp/fail2.log" 2>&1
same failed-run-again "$(processed "$tmp/fail2.log")" "run_011"
same failed-run-quarantined "$(grep -c '^runja-report: 1 run quarantined: run_011;' "$tmp/fail2.log")" 1
same failed-run-no-summary "$(ls "$d/out/run_011" | grep -c 'summary.json\|tmp')" 0
settle
rawcheck "$d/data" tank-until-failed-run-fixed
cp "$d/data/run_000/img_2.png" "$d/data/run_011/img_2.png"
rawsnap "$d/data"
build "$d" "$tmp/freed.log"
same failed-run-freed "$(processed "$tmp/freed.log")|$(cd "$d" && "$gen" --check 2>&1)" "run_011|"
# its edge is an ordinary one again: ninja looks at the run once more (its log knows the
# edge by other outputs), finds it up to date and writes nothing; then nothing to do
n0=$(wc -l <"$d/out/.runja/ledger.tsv")
step failed-run-fixed "run_011"
same failed-run-fixed-nothing-written "$(wc -l <"$d/out/.runja/ledger.tsv")" "$n0"

chk=$(cd "$d" && "$gen" --check 2>&1)
same final-check "$chk|$?" "|0"
printf 'version = 1;\nruns = { match = 7; };\n' >"$d/runja.cfg"
chk=$(cd "$d" && "$gen" --check 2>&1)
same check-config-error "$chk|$?" "runja-gen: runja.cfg:2: 'runs.match' must be a string or a list of strings|2"

finish
