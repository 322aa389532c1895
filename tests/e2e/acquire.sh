# Runs still being acquired: runs.ready (a sentinel file) and runs.settle (seconds
# without change). Waiting runs get no edge; a later plain ninja picks them up.
. tests/lib.sh

d=$tmp/ready
"$synth" --runs 2 --frames 3 --size 32x24 "$d/data" || exit 1
touch "$d/data/run_000/DONE"
rawsnap "$d/data"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; ready = "DONE"; };\n' >"$d/runja.cfg"
out=$(cd "$d" && "$gen" 2>&1)
same ready-gen "$out" "runja-gen: run_001: waiting (no DONE yet)
runja-gen: 1 run (1 new, 1 waiting), wrote build.ninja"
build "$d" "$tmp/r1"
same ready-first "$(processed "$tmp/r1")" "run_000"
same ready-status "$(cd "$d" && "$gen" --status | awk '{ print $1, $2 }')" "run_000 done
run_001 waiting"
same ready-report-row "$(grep -o 'run_001</a></td><td colspan="7" class="state">waiting: [^<]*' "$d/out/index.html")" \
	'run_001</a></td><td colspan="7" class="state">waiting: no DONE yet'
same ready-summary-row "$(cut -d, -f1-2 "$d/out/summary.csv" | tr '\n' ' ')" "run,frames run_000,3 run_001, "
build "$d" "$tmp/r2"
same ready-no-work "$(cat "$tmp/r2")" "ninja: no work to do."
settle
rawcheck "$d/data" ready-until-frames-arrive
cp "$d/data/run_001/img_0.png" "$d/data/run_001/img_7.png"
rawsnap "$d/data"
build "$d" "$tmp/r3"
same ready-frames-arrive "$(processed "$tmp/r3")" ""
same ready-still-waiting "$(grep -c 'run_001: waiting' "$tmp/r3")" 1
settle
rawcheck "$d/data" ready-until-sentinel
touch "$d/data/run_001/DONE"
rawsnap "$d/data"
build "$d" "$tmp/r4"
same ready-sentinel-appears "$(processed "$tmp/r4")" "run_001"
same ready-frames "$(grep '^run_001,' "$d/out/summary.csv" | cut -d, -f2)" 4
build "$d" "$tmp/r5"
same ready-then-no-work "$(cat "$tmp/r5")" "ninja: no work to do."

d=$tmp/settle
"$synth" --runs 1 --frames 3 --size 32x24 "$d/data" || exit 1
touch -d '1 hour ago' "$d/data/run_000" "$d/data/run_000"/*
rawsnap "$d/data"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; settle = 2; };\n' >"$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null)
build "$d" "$tmp/s1"
same settle-old-run "$(processed "$tmp/s1")" "run_000"
rawcheck "$d/data" settle-until-new-run
"$synth" --runs 1 --frames 3 --size 32x24 --first 1 "$d/data"
rawsnap "$d/data"
build "$d" "$tmp/s2"
same settle-fresh-run-waits "$(processed "$tmp/s2")" ""
same settle-fresh-run-listed "$(grep 'run_001: waiting (changed [0-9]* s ago, settle = 2 s)' "$tmp/s2" | sort -u | wc -l)" 1
sleep 2.2
build "$d" "$tmp/s3"
same settle-picked-up "$(processed "$tmp/s3")" "run_001"
build "$d" "$tmp/s4"
same settle-then-no-work "$(cat "$tmp/s4")" "ninja: no work to do."

finish
