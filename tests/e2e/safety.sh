# Everyday safety, as a new user meets it: raw data never written to (the output folder
# inside a run, a date folder holding runs), a failed run never stops the batch, deleting
# outputs or runja's state is always safe, no run goes missing silently, quiet when nothing
# changed, per-run overrides outside the data and a bad one failing its run alone.
. tests/lib.sh

# listing DIR: every file and folder under DIR with size, mode and mtime, and the files' bytes
listing() {
	(cd "$1" && find . -printf '%p %y %s %m %T@\n' | sort && find . -type f -exec md5sum {} + | sort -k2)
}
# cfg DIR TEXT: write DIR/runja.cfg
cfg() {
	printf 'version = 1;\n%s\n' "$2" >"$1/runja.cfg"
}

# --- 1. the output folder inside a run, or holding runs: refused before anything is created
d=$tmp/outdir
"$synth" --runs 3 --frames 3 --size 32x24 "$d/data" >/dev/null || exit 1
"$synth" --runs 2 --frames 3 --size 32x24 --nested "$d/dated" >/dev/null || exit 1
mkdir -p "$d/data/run_000/existing"
ln -s data/run_002 "$d/link"
rawsnap "$d/data"
rawsnap "$d/dated"
listing "$d/data" >"$tmp/raw.before"
listing "$d/dated" >"$tmp/dated.before"
refused() {
	name=$1 root=$2 match=$3 dir=$4 want=$5
	cfg "$d" "runs = { root = \"$root\"; match = \"$match\"; };
output = { dir = \"$dir\"; };"
	out=$(cd "$d" && "$gen" 2>&1)
	same "outdir-$name" "$?|$out" "2|runja-gen: runja.cfg: output.dir '$dir' $want"
	same "outdir-$name-nothing-written" "$(ls -A "$d" | tr '\n' ' ')" "data dated link runja.cfg "
}
refused new-folder-in-run data 'run_*' data/run_000/analysis \
	"lies inside the run folder data/run_000; raw data is never written to"
refused existing-folder-in-run data 'run_*' data/run_000/existing \
	"lies inside the run folder data/run_000; raw data is never written to"
refused the-run-itself data 'run_*' data/run_001 \
	"lies inside the run folder data/run_001; raw data is never written to"
refused through-dotdot data 'run_*' data/run_000/../run_001/out \
	"lies inside the run folder data/run_001; raw data is never written to"
refused through-symlink data 'run_*' link/out \
	"lies inside the run folder data/run_002; raw data is never written to"
refused the-root data 'run_*' data \
	"is the data tree's root 'data'; choose a folder of its own"
refused above-the-root data 'run_*' . \
	"holds the data tree's root 'data'; choose a folder of its own"
refused date-folder-holding-runs dated '*/run_*' dated/2026-03 \
	"holds the run folder dated/2026-03/run_000; raw data is never written to"
listing "$d/data" >"$tmp/raw.after"
listing "$d/dated" >"$tmp/dated.after"
same outdir-raw-data-unchanged "$(diff "$tmp/raw.before" "$tmp/raw.after" && diff "$tmp/dated.before" "$tmp/dated.after" && echo same)" same

# runja.cfg in a run folder, or in a folder inside one: build.ninja and .runja/ would be
# written there, beside the frames; refused (--status too), nothing written
i=$tmp/inrun
"$synth" --runs 2 --frames 2 --size 8x8 "$i/data" >/dev/null || exit 1
mkdir "$i/data/run_000/notes"
printf 'version = 1;\nruns = { root = "..", match = "run_*"; };\noutput = { dir = "../../out"; };\n' >"$i/data/run_001/runja.cfg"
printf 'version = 1;\nruns = { root = "../..", match = "run_*"; };\noutput = { dir = "../../../out"; };\n' >"$i/data/run_000/notes/runja.cfg"
listing "$i" >"$tmp/inrun.before"
out=$(cd "$i/data/run_001" && "$gen" 2>&1; echo "rc $?")
same build-folder-is-run "$out" "runja-gen: runja.cfg: its folder, where build.ninja and .runja/ are written, is the run folder ../run_001; raw data is never written to (put runja.cfg beside the data tree)
rc 2"
out=$("$gen" -c "$i/data/run_000/notes/runja.cfg" --status 2>&1; echo "rc $?")
same build-folder-in-run "$out" "runja-gen: runja.cfg: its folder, where build.ninja and .runja/ are written, lies inside the run folder ../../run_000; raw data is never written to (put runja.cfg beside the data tree)
rc 2"
same build-folder-nothing-written "$(listing "$i" | diff "$tmp/inrun.before" - && echo same)" same

# two configurations, one output folder: the second is refused, naming the first, with
# nothing written; the first, moved with its outputs, stays the owner
w=$tmp/shared
for x in A B; do
	"$synth" --runs 2 --frames 2 --size 8x8 "$w/$x/data" >/dev/null || exit 1
	cfg "$w/$x" 'runs = { root = "data"; match = "run_*"; };
output = { dir = "../out"; };'
	rawsnap "$w/$x/data"
done
(cd "$w/A" && "$gen" >/dev/null && ninja) >"$tmp/shared-a.log" 2>&1
same shared-first "$?|$(cat "$w/out/.runja/owner")" "0|../A/runja.cfg"
listing "$w/out" >"$tmp/shared.before"
out=$(cd "$w/B" && "$gen" 2>&1)
same shared-second-refused "$?|$out" "2|runja-gen: runja.cfg: output.dir '../out' is the output folder of another configuration, $(cd "$w" && pwd -P)/A/runja.cfg (../out/.runja/owner says so): two writing one output folder overwrite each other's results; give this one its own output.dir, or remove ../out/.runja/owner if it replaces that one"
same shared-nothing-written "$(listing "$w/out" | diff "$tmp/shared.before" - && echo same)|$(ls "$w/B")" "same|data
runja.cfg"
mv "$w" "$tmp/shared-moved"
(cd "$tmp/shared-moved/A" && "$gen" >/dev/null && ninja) >"$tmp/shared-moved.log" 2>&1
same shared-moved-still-owner "$?|$(cat "$tmp/shared-moved/out/.runja/owner")" "0|../A/runja.cfg"
mv "$tmp/shared-moved" "$w"

# runja-process, given such a build line by hand, refuses it too (nothing written)
out=$(cd "$d" && "$proc" --id run_000 data/run_000 data/run_000/analysis 2>&1)
same outdir-process-refuses "$?|$(ls -A "$d/data/run_000" | tr '\n' ' ')" "2|existing img_0.png img_1.png img_2.png "

# --- 2. a bad frame among 12 runs: a plain ninja processes the 11 others, writes the report
# listing the failure, exits non-zero, and the next ninja retries exactly that run; failing
# the same way again from the same frames, it is quarantined (the report says so, the build
# passes) until a frame changes
d=$tmp/batch
"$synth" --runs 12 --frames 4 --size 48x32 --bad truncate:4:2 "$d/data" >/dev/null 2>&1 || exit 1
rawsnap "$d/data"
cfg "$d" 'runs = { root = "data"; match = "run_*"; };'
(cd "$d" && "$gen" >/dev/null && ninja -j2) >"$tmp/b1.log" 2>&1
same batch-status "$?" 1
same batch-processed "$(processed "$tmp/b1.log" | wc -w)" 12
same batch-done "$(ls "$d"/out/run_*/summary.json | wc -l)" 11
same batch-last-lines "$(tail -n 2 "$tmp/b1.log")" "runja-report: 1 run failed: run_004; why: runja-gen --status
ninja: build stopped: subcommand failed."
same batch-report-csv "$(grep -c '^run_' "$d/out/summary.csv")|$(grep '^run_004,' "$d/out/summary.csv")" "12|run_004,,,,,,,"
same batch-report-page "$(grep -o '[0-9]* runs: [0-9]* done, [0-9]* failed' "$d/out/index.html")" "12 runs: 11 done, 1 failed"
same batch-report-error "$(grep -c 'run_004/img_2.png: truncated' "$d/out/index.html")" 1
(cd "$d" && ninja -j2) >"$tmp/b2.log" 2>&1
same batch-retry-status "$?|$(processed "$tmp/b2.log")" "0|run_004"
same batch-quarantined "$(grep '^runja-report' "$tmp/b2.log")" "runja-report: 1 run quarantined: run_004; later builds leave them alone; why: runja-gen --status; to try again: runja-gen --retry RUN"
settle
rawcheck "$d/data" batch-until-frame-fixed
cp "$d/data/run_000/img_2.png" "$d/data/run_004/img_2.png"
rawsnap "$d/data"
(cd "$d" && ninja -j2) >"$tmp/b3.log" 2>&1
same batch-fixed "$?|$(processed "$tmp/b3.log")" "0|run_004"
same batch-report-fixed "$(grep -o '[0-9]* runs: [0-9]* done, [0-9]* failed' "$d/out/index.html")" "12 runs: 12 done, 0 failed"
# freed from quarantine, its edge is an ordinary one again: ninja looks at it once more,
# writing nothing (no ledger line), then has nothing to do
n0=$(wc -l <"$d/out/.runja/ledger.tsv")
same batch-freed-looked-at "$(cd "$d" && ninja | sed -n 's/^\[[0-9]*\/[0-9]*\] //p')|$(wc -l <"$d/out/.runja/ledger.tsv")" "PROCESS run_004 (4 frames)|$n0"
same batch-then-nothing "$(cd "$d" && ninja)" "ninja: no work to do."

# --- 3. deleting outputs is always safe: each deletion, then a plain ninja, ends with the
# files of a clean build (the ledger aside: it records when), rewriting only what is missing.
# A run's edge whose outcome stamp (OUT/.runja/ended/HASH) is gone is started again, and
# finds its results up to date.
c=$tmp/clean
mkdir -p "$c"
# times kept: the page plots each run against its frames' time (its acquisition)
cp -Rp "$d/data" "$c/data"
rawsnap "$c/data"
cfg "$c" 'runs = { root = "data"; match = "run_*"; };'
(cd "$c" && "$gen" >/dev/null && ninja -j2) >/dev/null 2>&1
# files OUT: every file under OUT but the ledger (it records when), the depfiles (ninja
# takes them in and deletes them, make keeps them), the inputs records (they hold when
# the frames were looked at) and the core tokens (made by the runs that process frames),
# with its bytes
files() {
	(cd "$1" && find . \( -path ./.runja/pages -o -path ./.runja/cores \) -prune -o -type f ! -name ledger.tsv ! -name .runja.d ! -name .runja.inputs \
		-exec md5sum {} + | sort -k2)
}
files "$c/out" >"$tmp/clean.files"
# snap OUT FILE: like snapshot, with the mtime too (a summary.json written after the old
# one was deleted may get its inode back)
snap() {
	(cd "$1" && find . -name summary.json -path './*/*' -exec stat -c '%i.%.9Y %n' {} + | sort -k2) >"$2"
}
# deleted NAME STARTED REWRITTEN PATH...: delete PATH..., then ninja starts the runs STARTED
# and rewrites the results of REWRITTEN
deleted() {
	name=$1 want=$2 rewrote=$3
	shift 3
	snap "$d/out" "$tmp/$name.before"
	(cd "$d" && rm -rf "$@" && ninja -j2) >"$tmp/$name.log" 2>&1
	same "delete-$name" "$?|$(processed "$tmp/$name.log")" "0|$want"
	snap "$d/out" "$tmp/$name.after"
	same "delete-$name-rewritten" "$(rewritten "$tmp/$name.before" "$tmp/$name.after")" "$rewrote"
	files "$d/out" >"$tmp/$name.files"
	same "delete-$name-same-files" "$(diff "$tmp/clean.files" "$tmp/$name.files" && echo same)" same
	same "delete-$name-then-nothing" "$(cd "$d" && ninja)" "ninja: no work to do."
}
all=$(seq -f 'run_%03g' 0 11 | sort | tr '\n' ' ' | sed 's/ $//')
deleted one-product run_003 run_003 out/run_003/std.npy
deleted one-run run_007 run_007 out/run_007
deleted state "$all" "" out/.runja
deleted everything "$all" "$all" out
deleted build-state "$all" "" .runja

# the output folder inside the data root, where its OUT/RUNID match runs.match too: with
# OUT/.runja deleted, they are still known for runja's results, not taken for runs
r=$tmp/inroot
"$synth" --runs 2 --frames 3 --size 32x24 "$r" >/dev/null || exit 1
"$synth" --runs 1 --frames 3 --size 32x24 --nested --first 2 "$r" >/dev/null || exit 1
rawsnap "$r" $rawbuild
cfg "$r" 'runs = { match = ["run_*", "*/run_*"]; };'
(cd "$r" && "$gen" >/dev/null && ninja -j2) >/dev/null 2>&1
rall="2026-03/run_002 run_000 run_001"
snap "$r/out" "$tmp/inroot.before"
(cd "$r" && rm -rf out/.runja && ninja -j2) >"$tmp/inroot.log" 2>&1
st=$?
snap "$r/out" "$tmp/inroot.after"
same delete-state-output-in-root "$st|$(processed "$tmp/inroot.log")|$(rewritten "$tmp/inroot.before" "$tmp/inroot.after")|$(grep '^runja-gen' "$tmp/inroot.log")" \
	"0|$rall||runja-gen: 3 runs (0 new), unchanged build.ninja"
(cd "$r" && rm -rf out/.runja out/run_001 && ninja -j2) >"$tmp/inroot2.log" 2>&1
st=$?
snap "$r/out" "$tmp/inroot2.after"
same delete-state-and-run-output-in-root "$st|$(processed "$tmp/inroot2.log")|$(rewritten "$tmp/inroot.after" "$tmp/inroot2.after")" "0|$rall|run_001"
same delete-state-output-in-root-then-nothing "$(cd "$r" && ninja)" "ninja: no work to do."

# a user's command: its results folder deleted reruns it; OUT/.runja deleted starts every
# run's edge (their outcome stamps are gone) and reruns nothing ($tmp/calls.txt: the runs
# the program ran for; outside the build folder, which the regeneration watches)
x=$tmp/cmd
"$synth" --runs 3 --frames 2 --size 16x12 "$x/data" >/dev/null || exit 1
rawsnap "$x/data"
printf '#!/bin/sh\necho "$RUNJA_ID" >>"%s/calls.txt"\nwc -l <"$RUNJA_FRAMES" >"$2/n.txt"\n' "$tmp" >"$x/count.sh"
chmod +x "$x/count.sh"
cfg "$x" 'runs = { root = "data"; match = "run_*"; };
command = { run = ["./count.sh", "{run}", "{out}"]; };'
(cd "$x" && "$gen" >/dev/null && ninja -j2) >/dev/null 2>&1
cmdran() {
	sed -n 's/^\[[0-9]*\/[0-9]*\] COMMAND \(.*\) ([0-9]* frames)$/\1/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
for what in out/run_001 out/.runja out; do
	rm -f "$tmp/calls.txt"
	(cd "$x" && rm -rf "$what" && ninja -j2) >"$tmp/cmd.log" 2>&1
	st=$?
	case $what in
	out/run_001) want=run_001 ran=run_001 ;;
	out/.runja) want="run_000 run_001 run_002" ran= ;;
	out) want="run_000 run_001 run_002" ran=$want ;;
	esac
	same "command-delete-$what" "$st|$(cmdran "$tmp/cmd.log")|$(sort "$tmp/calls.txt" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')|$(cat "$x"/out/run_00*/n.txt | tr '\n' ' ')" "0|$want|$ran|2 2 2 "
	same "command-delete-$what-then-nothing" "$(cd "$x" && ninja)" "ninja: no work to do."
done

# the same with GNU make
m=$tmp/make
mkdir -p "$m"
cp -Rp "$c/data" "$m/data"
rawsnap "$m/data"
cfg "$m" 'runs = { root = "data"; match = "run_*"; };'
(cd "$m" && "$gen" --backend make >/dev/null && make -j2) >/dev/null 2>&1
ran() {
	sed -n 's/^PROCESS \(.*\) ([0-9]* frames)$/\1/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
for what in out/run_003/std.npy out/run_007 out/.runja out; do
	(cd "$m" && rm -rf "$what" && make -j2) >"$tmp/mk.log" 2>&1
	same "make-delete-$what" "$?" 0
	same "make-delete-$what-same-files" "$(files "$m/out" | diff "$tmp/clean.files" - && echo same)" same
done
same make-then-nothing "$(cd "$m" && make -j2 2>&1 | grep -c '^PROCESS\|^REPORT')" 0

# --- 4. no run goes missing silently: zero runs is an error naming the pattern
z=$tmp/zero
"$synth" --runs 2 --frames 2 --size 16x12 "$z/data" >/dev/null || exit 1
echo notes >"$z/data/notes.txt"
rawsnap "$z/data"
cfg "$z" 'runs = { root = "data";
  match = "rn_*"; };'
out=$(cd "$z" && "$gen" 2>&1)
same zero-runs "$?|$out|$(ls "$z" | tr '\n' ' ')" "2|runja-gen: runja.cfg:3: runs.match 'rn_*' matches no run folder under 'data', which holds notes.txt, run_000/, run_001/|data runja.cfg "
mkdir "$z/data/run_empty"
rawsnap "$z/data"
cfg "$z" 'runs = { root = "data"; match = ["run_e*", "x/*"]; };'
out=$(cd "$z" && "$gen" 2>&1)
same zero-runs-no-frames "$?|$out" "2|runja-gen: runja.cfg:2: runs.frames '*.png' matches no file in the 1 folder runs.match found (run_empty)"
cfg "$z" 'runs = { root = "data"; match = "run_*"; };'
out=$(cd "$z" && "$gen" 2>&1)
same run-without-frames-warned "$?|$out" "0|runja-gen: run_empty: no frames matching '*.png', skipped
runja-gen: 2 runs (2 new), wrote build.ninja"

# --- 5. quiet when nothing changed: files beside runja.cfg (runs in a folder of their own),
# files in the output folder, a file that is no frame in a run
q=$tmp/quiet
"$synth" --runs 3 --frames 3 --size 32x24 --nested "$q/data" >/dev/null || exit 1
rawsnap "$q/data"
for match in 'root = "data"; match = "*/run_*";' 'match = "data/*/run_*";'; do
	rm -rf "$q/out" "$q/.runja" "$q/build.ninja" "$q"/*.log
	cfg "$q" "runs = { $match };"
	(cd "$q" && "$gen" >/dev/null && ninja -j2) >/dev/null 2>&1
	settle
	echo "cron ran" >"$q/cron.log"
	echo "a note" >"$q/out/notes.txt"
	same "quiet-$match" "$(cd "$q" && ninja)" "ninja: no work to do."
	settle
	echo "more" >>"$q/cron.log"
	mv "$q/cron.log" "$q/cron.1.log"
	same "quiet-again-$match" "$(cd "$q" && ninja)" "ninja: no work to do."
done
settle
rawcheck "$q/data" quiet-until-comment-added
echo "focus was off" >"$q/data/2026-03/run_000/comment.txt"
rawsnap "$q/data"
(cd "$q" && ninja) >"$tmp/q1.log" 2>&1
same non-frame-file-no-rerun "$?|$(processed "$tmp/q1.log")|$(grep -c REPORT "$tmp/q1.log")" "0||0"
same non-frame-file-then-nothing "$(cd "$q" && ninja)" "ninja: no work to do."
same non-frame-file-check "$(cd "$q" && "$gen" --check; echo $?)" "0"
settle
rawcheck "$q/data" quiet-until-frame-added
cp "$q/data/2026-03/run_000/img_0.png" "$q/data/2026-03/run_000/img_9.png"
rawsnap "$q/data"
(cd "$q" && "$gen" --check) >"$tmp/q2.check" 2>&1
# (the build file names each run's number of frames: it is remade too)
same frame-added-check "$(cat "$tmp/q2.check")" "data/2026-03/run_000: frames changed
build.ninja: out of date (a plain ninja regenerates it)"
(cd "$q" && ninja) >"$tmp/q2.log" 2>&1
same frame-added-reruns "$?|$(processed "$tmp/q2.log")" "0|data/2026-03/run_000"
settle
rawcheck "$q/data" quiet-until-frame-removed
rm "$q/data/2026-03/run_000/img_9.png"
rawsnap "$q/data"
(cd "$q" && ninja) >"$tmp/q3.log" 2>&1
same frame-removed-reruns "$?|$(processed "$tmp/q3.log")" "0|data/2026-03/run_000"
same frame-removed-then-nothing "$(cd "$q" && ninja)" "ninja: no work to do."

# --- 6. per-run overrides beside runja.cfg (the archive stays read-only); a bad one fails
# its run alone; a run with two fails naming both
o=$tmp/over
"$synth" --runs 4 --frames 3 --size 32x24 "$o/data" >/dev/null || exit 1
cfg "$o" 'runs = { root = "data"; match = "run_*"; override = "run.cfg"; overrides = "overrides"; };
products = { mean = true; };'
rawsnap "$o/data"
(cd "$o" && "$gen" >/dev/null && ninja -j2) >/dev/null 2>&1
mkdir -p "$o/overrides"
printf 'products = { mean = true; max = true; };\n' >"$o/overrides/run_001.cfg"
(cd "$o" && ninja -j2) >"$tmp/o1.log" 2>&1
same override-outside-reruns-its-run "$?|$(processed "$tmp/o1.log")|$(ls "$o/out/run_001" | grep -c '^max')" "0|run_001|2"
settle
printf 'products = { mean = true; max = true; min = true; };\n' >"$o/overrides/run_001.cfg"
(cd "$o" && ninja -j2) >"$tmp/o2.log" 2>&1
same override-edited-reruns-its-run "$?|$(processed "$tmp/o2.log")|$(ls "$o/out/run_001" | grep -c '^min')" "0|run_001|2"
settle
printf 'products = {\n  meen = true;\n};\n' >"$o/overrides/run_002.cfg"
(cd "$o" && ninja -j2) >"$tmp/o3.log" 2>&1
same override-bad-fails-its-run "$?|$(processed "$tmp/o3.log")|$(grep -E '^runja-(process|exec|report): ' "$tmp/o3.log")" \
	"1|run_002|runja-process: overrides/run_002.cfg:2: unknown key 'meen' in 'products' (did you mean 'mean'?)
runja-report: 1 run failed: run_002; why: runja-gen --status"
same override-bad-status "$(cd "$o" && "$gen" --status 2>/dev/null | awk '$1 == "run_002" { print $2 }')" failed
same override-bad-check "$(cd "$o" && "$gen" --check 2>/dev/null)" \
	"run_002: failed last time: overrides/run_002.cfg:2: unknown key 'meen' in 'products' (did you mean 'mean'?)"
same override-bad-report "$(grep -c "overrides/run_002.cfg:2: unknown key" "$o/out/index.html")" 1
settle
printf 'products = { max = true; };\n' >"$o/overrides/run_002.cfg"
(cd "$o" && ninja -j2) >"$tmp/o4.log" 2>&1
same override-fixed "$?|$(processed "$tmp/o4.log")" "0|run_002"
settle
rawcheck "$o/data" over-until-run-cfg-added
printf 'products = { std = true; };\n' >"$o/data/run_003/run.cfg"
printf 'products = { max = true; };\n' >"$o/overrides/run_003.cfg"
rawsnap "$o/data"
(cd "$o" && ninja -j2) >"$tmp/o5.log" 2>&1
same override-two-fail-the-run "$?|$(grep -E '^runja-(process|exec|report): ' "$tmp/o5.log")" \
	"1|runja-process: run_003: two overrides, run_003/run.cfg and overrides/run_003.cfg: keep one
runja-report: 1 run failed: run_003; why: runja-gen --status"

finish
