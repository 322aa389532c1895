# runja-gen --init on trees of several shapes: the message, the inferred patterns,
# and that the written runja.cfg builds as is.
. tests/lib.sh

# init NAME DIR: runja-gen --init in DIR, then runja-gen && ninja; $out holds --init's output
init() {
	out=$(cd "$2" && "$gen" --init 2>&1)
	same "$1-init-status" "$?" 0
	(cd "$2" && "$gen" >/dev/null 2>&1 && ninja) >"$tmp/$1.log" 2>&1
	same "$1-builds-as-is" "$?" 0
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
sed -e 's/^# command = {/command = {/' -e 's/^#   \(run\|inputs\|params\|after_pipeline\|timeout\) = /  \1 = /' \
	-e 's/^# };/};/' "$d/runja.cfg" >"$tmp/cmd.cfg"
same flat-command-uncommented "$(grep -c '^  run = \["python3", "analyse.py", "{run}", "{out}"\];' "$tmp/cmd.cfg")" 1
cp "$tmp/cmd.cfg" "$d/runja.cfg"
printf 'import sys, pathlib\npathlib.Path(sys.argv[2], "n.txt").write_text("ok")\n' >"$d/analyse.py"
(cd "$d" && "$gen" >/dev/null 2>&1 && ninja) >"$tmp/flat-cmd.log" 2>&1
same flat-command-builds "$?|$(grep -c '^\[.*\] COMMAND run_' "$tmp/flat-cmd.log")|$(cat "$d/out/run_000/n.txt")" "0|3|ok"

d=$tmp/dated
"$synth" --runs 4 --frames 5 --size 40x30 --nested --kind rgb16 "$d" || exit 1
"$synth" --runs 1 --frames 7 --size 40x30 --nested --first 4 --kind rgb16 "$d" || exit 1
rawsnap "$d" $rawbuild
init dated "$d"
same dated-message "$out" "runja-gen: found 5 runs (2026-*/run_*), 5-7 frames each, 40x30 16-bit RGB
runja-gen: wrote runja.cfg; next: runja-gen && ninja"
same dated-all-runs "$(grep -c 'PROCESS' "$tmp/dated.log")" 5

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

mkdir -p "$tmp/empty"
rawsnap "$tmp/empty"
out=$(cd "$tmp/empty" && "$gen" --init 2>&1)
same init-nothing-found "$out|$?" "runja-gen: no folders with PNG frames (*.png) under this folder|1"

finish
