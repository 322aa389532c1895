# --backend make: the rerun table with the real GNU make (-j2), two makes at once, make's
# own quirks (awkward frame names in depfiles, make keywords as folder names), and what it
# refuses. (A new build of runja reruns nothing: programs.sh.)
. tests/lib.sh

if ! make --version 2>/dev/null | grep -q '^GNU Make \(4\.[3-9]\|[5-9]\)'; then
	echo "SKIP make.sh: needs GNU make 4.3 or later"
	exit 0
fi

# not the make running `make check`: its flags, jobserver and level would show here
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
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

# mk DIR LOG [ARGS]: run make -j2 in DIR, output to LOG; returns make's status
mk() {
	dir=$1 log=$2
	shift 2
	(cd "$dir" && make -j2 "$@") >"$log" 2>&1
}

# ran LOG: the run ids the Makefile's recipes processed, sorted, one line
ran() {
	sed -n 's/^PROCESS \(.*\) ([0-9]* frames)$/\1/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}

# snap OUT FILE: like snapshot, with the mtime too (runja-process unlinks the old summary.json
# first, so a rewritten one may get its inode back)
snap() {
	(cd "$1" && find . -name summary.json -path './*/*' -exec stat -c '%i.%.9Y %n' {} + | sort -k2) >"$2"
}

# step NAME IDS: make, compare the runs that ran (by the log and by the summary.json
# files replaced) with IDS, then --check and a second make must find nothing to do
step() {
	snap "$d/out" "$tmp/$1.before"
	mk "$d" "$tmp/$1.log"
	same "$1-status" "$?" 0
	same "$1" "$(ran "$tmp/$1.log")" "$2"
	snap "$d/out" "$tmp/$1.after"
	same "$1-rewritten" "$(rewritten "$tmp/$1.before" "$tmp/$1.after")" "$2"
	chk=$(cd "$d" && "$gen" --backend make --check 2>&1)
	same "$1-check-after" "$chk" ""
	mk "$d" "$tmp/$1.again"
	same "$1-then-nothing" "$(cat "$tmp/$1.again")" "make: Nothing to be done for 'all'."
	rawcheck "$d/data" "tank-$1"
	settle
}

# ids OUT: the runs in OUT/summary.csv
ids() {
	cut -d, -f1 "$1/summary.csv" | tr '\n' ' '
}

out=$(cd "$d" && "$gen" --backend make 2>&1)
same gen "$out" "runja-gen: 4 runs (4 new), wrote Makefile"
same first-line "$(head -1 "$d/Makefile")" \
	"# written by runja-gen from runja.cfg: edit runja.cfg instead, this file is remade"
same stamp "$(tr '\n' ' ' <"$d/.runja/params/run_000")" \
	"--id run_000 --frames *.png --frame-set b7bae25974b41ad5 --channel luma --max-pixels 100000000 --on-bad-frame fail --png-compression 3 --npy --op blur:sigma=1 --product mean --product max --results d1.blur1.png1.npy1.mean1.max1.sum1 --depfile out/run_000/.runja.d data/run_000 out/run_000 "
step initial "2026-04/run_003 run_000 run_001 run_002"
same initial-report "$(ids "$d/out")" "run 2026-04/run_003 run_000 run_001 run_002 "
same initial-depfile-phony "$(grep -c '^data/run_000/img_[0-9].png:$' "$d/out/run_000/.runja.d")" 5

"$synth" --runs 1 --frames 5 --size 48x32 --nested --first 4 "$d/data"
rawsnap "$d/data"
step new-nested "2026-03/run_004"
"$synth" --runs 1 --frames 5 --size 48x32 --first 5 "$d/data"
rawsnap "$d/data"
step new-top "run_005"
same new-top-report "$(ids "$d/out")" "run 2026-03/run_004 2026-04/run_003 run_000 run_001 run_002 run_005 "

rm -r "$d/data/run_002"
rawsnap "$d/data"
step removed ""
same removed-summary "$(ids "$d/out")" "run 2026-03/run_004 2026-04/run_003 run_000 run_001 run_005 "
same removed-no-error "$(grep -c 'No rule\|Error' "$tmp/removed.log")" 0

mv "$d/data/run_001" "$d/data/run_011"
rawsnap "$d/data"
step renamed "run_011"
same renamed-summary "$(ids "$d/out")" "run 2026-03/run_004 2026-04/run_003 run_000 run_005 run_011 "

cp "$d/data/run_000/img_0.png" "$d/data/run_000/img_9.png"
rawsnap "$d/data"
step frame-added "run_000"
rm "$d/data/run_011/img_4.png"
rawsnap "$d/data"
step frame-removed "run_011"
cp "$d/data/run_000/img_1.png" "$d/data/2026-04/run_003/img_2.png"
rawsnap "$d/data"
step frame-rewritten "2026-04/run_003"

# frame names make cannot read in a depfile as they are (':' '%' '(' ...) are linked; spaces escaped
cp "$d/data/run_000/img_0.png" "$d/data/run_005/odd:name%(1).png"
cp "$d/data/run_000/img_0.png" "$d/data/run_005/with space#.png"
rawsnap "$d/data"
step odd-frames-added "run_005"
cp "$d/data/run_000/img_1.png" "$d/data/run_005/odd:name%(1).png"
rawsnap "$d/data"
step odd-frame-rewritten "run_005"
cp "$d/data/run_000/img_1.png" "$d/data/run_005/with space#.png"
rawsnap "$d/data"
step space-frame-rewritten "run_005"
rm "$d/data/run_005/odd:name%(1).png" "$d/data/run_005/with space#.png"
rawsnap "$d/data"
step odd-frames-removed "run_005"

sed 's/sigma = 1.0/sigma = 1.5/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
step pipeline-changed "2026-03/run_004 2026-04/run_003 run_000 run_005 run_011"
sed 's/max = true/max = false; min = true/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
step product-changed "2026-03/run_004 2026-04/run_003 run_000 run_005 run_011"
same product-changed-min "$(ls "$d/out/run_000" | grep -c '^min\.')" 2

printf 'products = { mean = true; std = true; };\n' >"$d/data/run_000/run.cfg"
rawsnap "$d/data"
step override-added "run_000"
printf 'products = { mean = true; std = false; };\n' >"$d/data/run_000/run.cfg"
rawsnap "$d/data"
step override-changed "run_000"
rm "$d/data/run_000/run.cfg"
rawsnap "$d/data"
step override-removed "run_000"

cat >"$d/runja.cfg" <<'CFG'
# the same settings: comments, spacing and key order changed
version = 1;
products = { min = true;   mean = true; max = false; };   # reordered
runs = { match = ["run_*", "*/run_*"]; root = "data"; override = "run.cfg"; };
pipeline = (
  { sigma = 1.5; op = "blur"; }
);
CFG
step comment-order-whitespace ""
same comment-regenerated "$(grep -c '^REGEN Makefile$' "$tmp/comment-order-whitespace.log")" 1

"$synth" --runs 1 --frames 5 --size 48x32 --first 12 --bad truncate:12:2 "$d/data" 2>/dev/null
rawsnap "$d/data"
# a plain make (no -k) processes every run it can, rewrites the report, and ends saying
# how many runs failed (the report's recipe exits 1: make's own last line follows)
mk "$d" "$tmp/fail1.log"
same failed-run-status "$?" 2
same failed-run-message "$(grep -E '^runja-(process|exec|report):' "$tmp/fail1.log")" "runja-process: run_012/img_2.png: truncated
runja-report: 1 run failed: run_012; why: runja-gen --status"
same failed-run-last-line "$(tail -n 1 "$tmp/fail1.log" | sed 's/:[0-9]*:/:N:/')" "make: *** [Makefile:N: out/summary.csv] Error 1"
same failed-run-only "$(ran "$tmp/fail1.log")" "run_012"
same failed-run-report-lists-it "$(grep -c '^run_012,,' "$d/out/summary.csv")" 1
# failing the same way again from the same frames: quarantined
mk "$d" "$tmp/fail2.log"
same failed-run-again "$(ran "$tmp/fail2.log")" "run_012"
same failed-run-quarantined "$(grep -c '^runja-process: run_012: quarantined: it failed twice the same way' "$tmp/fail2.log")" 1
same failed-run-no-summary "$(ls -A "$d/out/run_012" | grep -c 'summary.json\|tmp')" 0
settle
rawcheck "$d/data" tank-until-failed-run-fixed
cp "$d/data/run_000/img_2.png" "$d/data/run_012/img_2.png"
rawsnap "$d/data"
step failed-run-fixed "run_012"

# the goals runs and report; a launcher (in OUT/.runja/jobs, not in the recipes; its $HOME
# is expanded by the shell that starts each attempt) runs each run's attempt, and changing
# it reruns nothing
cat >"$tmp/launch.sh" <<SH
#!/bin/sh
echo "\$RUNJA_TEST \$*" >>"$tmp/launched"
exec "\$@"
SH
sed "s|^version = 1;\$|version = 1; jobs = { launcher = \"env RUNJA_TEST=\$HOME sh $tmp/launch.sh\"; };|" "$d/runja.cfg" >"$tmp/cfg" &&
	cat "$tmp/cfg" >"$d/runja.cfg"
mk "$d" "$tmp/launcher.log" runs
same launcher-runs-goal "$(ran "$tmp/launcher.log")|$(grep -c '^REPORT' "$tmp/launcher.log")" "|0"
same launcher-not-in-recipes "$(grep -c 'launch\.sh\|RUNJA_TEST' "$d/Makefile")" 0
same launcher-jobs "$(grep '^launcher ' "$d/out/.runja/jobs")" "launcher env RUNJA_TEST=\$HOME sh $tmp/launch.sh"
rawcheck "$d/data" tank-until-launcher-reframe
reframe "$d/data/run_000/img_1.png"
rawsnap "$d/data"
mk "$d" "$tmp/launcher2.log" runs
same launcher-runs-the-attempt "$(ran "$tmp/launcher2.log")|$(cut -d' ' -f1,2 "$tmp/launched")|$(grep -c ' --id run_000 ' "$tmp/launched")" \
	"run_000|$HOME $proc|1"
rm "$d/out/summary.csv"
mk "$d" "$tmp/report.log" report
same report-goal "$(grep -c '^REPORT 6 runs$' "$tmp/report.log")|$(ran "$tmp/report.log")" "1|"

# two makes at once in a fresh tree, 5 times over: both succeed, each run is processed
# once (one attempt in the ledger, successful), and a make after has nothing to do
t=$tmp/twice
mkdir -p "$t"
"$synth" --runs 8 --frames 4 --size 48x32 "$t/data" >/dev/null || exit 1
rawsnap "$t/data"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\nproducts = { mean = true; max = true; };\njobs = { retry_pause = 0; };\n' >"$t/runja.cfg"
# attempts LEDGER: per run, its attempts' statuses, "ID:STATUS..." sorted, one line
attempts() {
	awk -F'\t' '{ s[$1] = s[$1] ":" $6 } END { for (r in s) print r s[r] }' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
once=$(seq -f 'run_%03g:0' 0 7 | tr '\n' ' ' | sed 's/ $//')
bad=
for rep in 1 2 3 4 5; do
	rm -rf "$t/out" "$t/.runja" "$t/Makefile"
	(cd "$t" && "$gen" --backend make >/dev/null) || bad="$bad rep $rep: runja-gen failed;"
	for k in 1 2; do
		(cd "$t" && make -j2 >"$tmp/twice.$k" 2>&1; echo $? >"$tmp/twice.$k.status") &
	done
	wait
	for k in 1 2; do
		[ "$(cat "$tmp/twice.$k.status")" = 0 ] || bad="$bad rep $rep make $k: status $(cat "$tmp/twice.$k.status"): $(tail -3 "$tmp/twice.$k");"
	done
	[ "$(attempts "$t/out/.runja/ledger.tsv")" = "$once" ] || bad="$bad rep $rep ledger: $(attempts "$t/out/.runja/ledger.tsv");"
	mk "$t" "$tmp/twice.after"
	[ "$(cat "$tmp/twice.after")" = "make: Nothing to be done for 'all'." ] || bad="$bad rep $rep then: $(cat "$tmp/twice.after");"
done
same two-makes-at-once "$bad" ""

# --- make keywords and the Makefile's targets as folder names
k=$tmp/keywords
mkdir -p "$k"
for r in define/run_1 include/run_2 runs/run_3 export; do
	"$synth" --runs 1 --frames 3 --size 32x24 "$tmp/one" >/dev/null || exit 1
	mkdir -p "$k/$(dirname "$r")"
	mv "$tmp/one/run_000" "$k/$r"
	rmdir "$tmp/one"
done
# the build folder is the data root: its own files are not raw data
rawsnap "$k" $rawbuild
printf 'version = 1;\nruns = { match = ["export", "*/run_*"]; };\nproducts = { mean = true; };\n' >"$k/runja.cfg"
(cd "$k" && "$gen" --backend make >/dev/null)
mk "$k" "$tmp/k1.log"
same keywords-build "$?|$(ran "$tmp/k1.log")" "0|define/run_1 export include/run_2 runs/run_3"
mk "$k" "$tmp/k2.log"
same keywords-nothing "$(cat "$tmp/k2.log")" "make: Nothing to be done for 'all'."
settle
rawcheck "$k" keywords-until-removed
rm -r "$k/include" "$k/export"
rawsnap "$k"
mk "$k" "$tmp/k3.log"
same keywords-removed "$?|$(ran "$tmp/k3.log")|$(ids "$k/out")" "0||run define/run_1 runs/run_3 "

# --- what make cannot express: one line, exit 2, nothing written
r=$tmp/refused
mkdir -p "$r/data"
"$synth" --runs 1 --frames 3 --size 32x24 "$r/data" >/dev/null || exit 1
mv "$r/data/run_000" "$r/data/run one"
rawsnap "$r/data"
printf 'version = 1;\nruns = { root = "data"; match = "run*"; };\n' >"$r/runja.cfg"
out=$(cd "$r" && "$gen" --backend make 2>&1)
same refused-space "$out|$?" \
	"runja-gen: run 'run one': a space cannot be used in a path with --backend make (use the ninja backend)|2"
same refused-space-nothing-written "$(ls -A "$r")" "data
runja.cfg"
rawcheck "$r/data" refused-until-colon
mv "$r/data/run one" "$r/data/run:1"
rawsnap "$r/data"
out=$(cd "$r" && "$gen" --backend make 2>&1)
same refused-colon "$out|$?" \
	"runja-gen: run 'run:1': ':' cannot be used in a path with --backend make (use the ninja backend)|2"
rawcheck "$r/data" refused-until-renamed-back
mv "$r/data/run:1" "$r/data/run_1"
rawsnap "$r/data"
printf 'version = 1;\nruns = { root = "data"; match = "run*"; };\noutput = { dir = "out#1"; };\n' >"$r/runja.cfg"
out=$(cd "$r" && "$gen" --backend make 2>&1)
same refused-outdir "$out|$?" \
	"runja-gen: output.dir 'out#1': '#' cannot be used in a path with --backend make (use the ninja backend)|2"
printf 'version = 1;\nruns = { root = "data"; match = "run*"; };\njobs = { pool = 2; };\n' >"$r/runja.cfg"
out=$(cd "$r" && "$gen" --backend make 2>&1)
same refused-pool "$out|$?" "runja-gen: jobs.pool is not supported with --backend make; use make -jN|2"
same refused-nothing-written "$(ls -A "$r")" "data
runja.cfg"

finish
