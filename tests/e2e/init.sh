# runja-gen --init on trees of several shapes: the message, the inferred patterns,
# and that the written runja.cfg builds as is.
. tests/lib.sh

# init NAME DIR [ARG]: runja-gen --init [ARG] in DIR, then runja-gen && ninja; $out holds --init's output
init() {
	name=$1 at=$2
	shift 2
	out=$(cd "$at" && "$gen" --init "$@" 2>&1)
	same "$name-init-status" "$?" 0
	(cd "$at" && "$gen" >/dev/null 2>&1 && ninja) >"$tmp/$name.log" 2>&1
	same "$name-builds-as-is" "$?" 0
}

# tree DIR: every path under DIR with its size and time, and every file's md5sum
tree() {
	find "$1" -printf '%p %s %T@\n' | sort
	find "$1" -type f -exec md5sum {} + | sort
}

d=$tmp/flat
"$synth" --runs 3 --frames 4 --size 40x30 "$d" || exit 1
# the runs lie in the build folder: its own files (and the test's analyse.py) are not raw data
rawsnap "$d" $rawbuild analyse.py
init flat "$d"
same flat-message "$out" "runja-gen: found 3 runs (run_*), 4 frames each, 40x30 8-bit gray
runja-gen: wrote runja.cfg; next: runja-gen && ninja"
same flat-match "$(grep '^  match' "$d/runja.cfg" | cut -d';' -f1)" '  match = ["run_*"]'
same flat-row "$(grep -o 'row = [0-9]*' "$d/runja.cfg")" "row = 15"
same flat-products "$(ls "$d/out/run_000" | tr '\n' ' ')" "mean.npy mean.png stats.csv std.npy std.png summary.json timestack.npy timestack.png "
same flat-all-runs "$(grep -c 'PROCESS' "$tmp/flat.log")" 3
# the commented command section works once uncommented (with its analyse.py there)
sed -e 's/^# command = {/command = {/' -e 's/^#   \(run\|inputs\|params\|after_pipeline\|timeout\|warm\) = /  \1 = /' \
	-e 's/^# };/};/' "$d/runja.cfg" >"$tmp/cmd.cfg"
same flat-command-uncommented "$(grep -c '^  run = \["python3", "analyse.py", "{run}", "{out}"\];' "$tmp/cmd.cfg")|$(grep -c '^  warm = "auto";' "$tmp/cmd.cfg")" "1|1"
cp "$tmp/cmd.cfg" "$d/runja.cfg"
printf 'import sys, pathlib\npathlib.Path(sys.argv[2], "n.txt").write_text("ok")\n' >"$d/analyse.py"
(cd "$d" && "$gen" >/dev/null 2>&1 && ninja) >"$tmp/flat-cmd.log" 2>&1
same flat-command-builds "$?|$(grep -c '^\[.*\] COMMAND run_' "$tmp/flat-cmd.log")|$(cat "$d/out/run_000/n.txt")" "0|3|ok"
# ... warm, as the template says: a server's log, and warm 1 for the runs
same flat-command-warm "$(grep '^warm ' "$d/out/.runja/jobs")|$(ls "$d/out/.runja/warm" | grep -c '\.log$')" "warm 1|1"

d=$tmp/dated
"$synth" --runs 4 --frames 5 --size 40x30 --nested --kind rgb16 "$d" || exit 1
"$synth" --runs 1 --frames 7 --size 40x30 --nested --first 4 --kind rgb16 "$d" || exit 1
rawsnap "$d" $rawbuild
init dated "$d"
same dated-message "$out" "runja-gen: found 5 runs ([0-9]*/run_*), 5-7 frames each, 40x30 16-bit RGB
runja-gen: wrote runja.cfg; next: runja-gen && ninja"
same dated-all-runs "$(grep -c 'PROCESS' "$tmp/dated.log")" 5
# next year's folder is matched too (not only 2026-*), and a plain ninja processes its run
settle
rawcheck "$d" dated-until-next-year
"$synth" --runs 1 --frames 5 --size 40x30 --first 5 --kind rgb16 "$d/2027-01" >/dev/null || exit 1
rawsnap "$d" $rawbuild
(cd "$d" && ninja) >"$tmp/dated-next.log" 2>&1
same dated-next-year "$?|$(processed "$tmp/dated-next.log")" "0|2027-01/run_005"

d=$tmp/cams
"$synth" --runs 3 --frames 4 --size 40x30 --frame-name 'cam1/f%04d.png' --prefix exp "$d" || exit 1
mkdir -p "$d/notes"
echo hi >"$d/notes/readme.txt"
rawsnap "$d" $rawbuild
init cams "$d"
same cams-message "$out" "runja-gen: found 3 runs (exp*), 4 frames each, 40x30 8-bit gray
runja-gen: wrote runja.cfg; next: runja-gen && ninja"
same cams-frames "$(grep '^  frames' "$d/runja.cfg" | cut -d';' -f1)" '  frames = "cam1/*.png"'
same cams-all-runs "$(grep -c 'PROCESS' "$tmp/cams.log")" 3

cp "$d/runja.cfg" "$tmp/cfg.before"
out=$(cd "$d" && "$gen" --init 2>&1)
same init-refuses-overwrite "$out|$?" "runja-gen: runja.cfg already exists; not overwritten|1"
if cmp -s "$d/runja.cfg" "$tmp/cfg.before"; then pass init-config-untouched; else fail init-config-untouched; fi

# runs.ready and runs.settle, commented out, work once uncommented
d=$tmp/ready
"$synth" --runs 3 --frames 4 --size 40x30 "$d" >/dev/null || exit 1
(cd "$d" && "$gen" --init >/dev/null 2>&1)
same ready-commented "$(grep -c '^  # ready = "DONE"; *# a run counts only once this file is in it: for runs still being acquired$' "$d/runja.cfg")" 1
same settle-commented "$(grep -c '^  # settle = 120; *# \.\.\. and only once nothing in it changed for this many seconds$' "$d/runja.cfg")" 1
sed -i -e 's/^  # ready = /  ready = /' -e 's/^  # settle = /  settle = /' "$d/runja.cfg"
touch "$d/run_000/DONE"
touch -d '1 hour ago' "$d/run_000"/* "$d/run_000"
out=$(cd "$d" && "$gen" 2>&1)
same ready-settle-accepted "$?|$(echo "$out" | grep ": waiting")" "0|runja-gen: run_001: waiting (no DONE yet)
runja-gen: run_002: waiting (no DONE yet)"
(cd "$d" && ninja) >"$tmp/ready.log" 2>&1
same ready-settle-builds "$?|$(processed "$tmp/ready.log")" "0|run_000"

# one dated folder: the pattern matches the next day's, which a plain ninja then processes
d=$tmp/daily
"$synth" --runs 3 --frames 4 --size 40x30 "$d/data/2026-11-30" >/dev/null || exit 1
init daily "$d"
same daily-message "$out" "runja-gen: found 3 runs (data/[0-9]*/run_*), 4 frames each, 40x30 8-bit gray
runja-gen: wrote runja.cfg; next: runja-gen && ninja"
same daily-match "$(grep '^  match' "$d/runja.cfg" | cut -d';' -f1)" '  match = ["data/[0-9]*/run_*"]'
same daily-all-runs "$(processed "$tmp/daily.log")" "data/2026-11-30/run_000 data/2026-11-30/run_001 data/2026-11-30/run_002"
settle
"$synth" --runs 1 --frames 4 --size 40x30 "$d/data/2026-12-01" >/dev/null || exit 1
(cd "$d" && ninja) >"$tmp/daily-next.log" 2>&1
same daily-next-day "$?|$(processed "$tmp/daily-next.log")" "0|data/2026-12-01/run_000"
if [ -f "$d/out/data/2026-12-01/run_000/summary.json" ]; then pass daily-next-day-summary; else fail daily-next-day-summary; fi

# --init DIR from another folder: the config and outputs here, root = DIR, DIR only read
d=$tmp/tank
"$synth" --runs 4 --frames 3 --size 40x30 --nested "$d" >/dev/null || exit 1
tree "$d" >"$tmp/tank.before"
mkdir -p "$tmp/analysis"
init dir "$tmp/analysis" "$d"
same dir-message "$out" "runja-gen: found 4 runs in $d ([0-9]*/run_*), 3 frames each, 40x30 8-bit gray
runja-gen: wrote runja.cfg; next: runja-gen && ninja"
same dir-root "$(grep '^  root' "$tmp/analysis/runja.cfg" | cut -d';' -f1)" "  root = \"$d\""
same dir-all-runs "$(processed "$tmp/dir.log")" "2026-03/run_000 2026-03/run_002 2026-04/run_001 2026-04/run_003"
same dir-outputs-here "$(ls "$tmp/analysis/out/2026-03/run_000/summary.json" 2>&1)" "$tmp/analysis/out/2026-03/run_000/summary.json"
tree "$d" >"$tmp/tank.after"
if cmp -s "$tmp/tank.before" "$tmp/tank.after"; then pass dir-tree-unchanged; else fail dir-tree-unchanged; fi

# a relative DIR is written relative to the config's folder (-c); two dated folders: [0-9]*
mkdir -p "$tmp/nightly"
out=$(cd "$tmp" && "$gen" -c nightly/runja.cfg --init daily/data 2>&1)
same dir-relative-message "$?|$out" "0|runja-gen: found 4 runs in ../daily/data ([0-9]*/run_*), 4 frames each, 40x30 8-bit gray
runja-gen: wrote runja.cfg; next: runja-gen && ninja"
same dir-relative-root "$(grep '^  root' "$tmp/nightly/runja.cfg" | cut -d';' -f1)" '  root = "../daily/data"'
(cd "$tmp/nightly" && "$gen" >/dev/null 2>&1 && ninja) >"$tmp/nightly.log" 2>&1
same dir-relative-builds "$?|$(grep -c '^\[.*\] PROCESS 2026-12-01/run_000 ' "$tmp/nightly.log")|$(processed "$tmp/nightly.log" | wc -w)" "0|1|4"

# DIR that is the config's folder: as without it
d=$tmp/here
"$synth" --runs 2 --frames 3 --size 40x30 "$d" >/dev/null || exit 1
out=$(cd "$d" && "$gen" --init "$d" 2>&1)
same dir-is-here "$?|$out|$(grep '^  root' "$d/runja.cfg" | cut -d';' -f1)" "0|runja-gen: found 2 runs (run_*), 3 frames each, 40x30 8-bit gray
runja-gen: wrote runja.cfg; next: runja-gen && ninja|  root = \".\""

# DIR missing, not a folder, or holding the config's folder in a run: nothing written
mkdir -p "$tmp/none"
out=$(cd "$tmp/none" && "$gen" --init "$tmp/nosuch" 2>&1)
same dir-missing "$out|$?|$(ls "$tmp/none")" "runja-gen: --init $tmp/nosuch: no such folder|2|"
out=$(cd "$tmp/none" && "$gen" --init "$tmp/tank.before" 2>&1)
same dir-not-folder "$out|$?|$(ls "$tmp/none")" "runja-gen: --init $tmp/tank.before: not a folder|2|"
out=$(cd "$tmp/tank/2026-03/run_000" && "$gen" --init ../.. 2>&1)
same dir-config-in-run "$out|$?" "runja-gen: runja.cfg and its output folder would lie inside the run folder 2026-03/run_000: run --init outside the runs|1"
tree "$tmp/tank" >"$tmp/tank.after"
if cmp -s "$tmp/tank.before" "$tmp/tank.after"; then pass dir-config-in-run-untouched; else fail dir-config-in-run-untouched; fi
out=$(cd "$tmp/none" && "$gen" --init "$tmp/tank/2026-03/run_000" 2>&1)
same dir-is-a-run "$out|$?" "runja-gen: no folders with PNG frames (*.png) under $tmp/tank/2026-03/run_000, only frames in it: give the folder that holds the runs|1"

mkdir -p "$tmp/empty"
rawsnap "$tmp/empty"
out=$(cd "$tmp/empty" && "$gen" --init 2>&1)
same init-nothing-found "$out|$?" "runja-gen: no folders with PNG frames (*.png) under this folder|1"

finish
