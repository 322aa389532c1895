# What runja-exec spares itself on every run, through the real ninja, and that no
# guarantee goes with it: an attempt with no launcher is a fork of the wrapper (no second
# runja-exec started), killed from outside it is recorded and tried again; a depfile lost
# (ninja removes it from an edge it interrupted) or a results record that a crash lost
# or cut short (it is not flushed) only makes the run be looked at, or done, again,
# while what the record vouches for reaches the disk before it; the hashes of a
# command's own files are shared by the runs through OUT/.runja/programs, trusted as a
# run's own record is (same size and time, settled before it was written) and taken
# afresh otherwise.
. tests/lib.sh

c=$tmp/w
mkdir -p "$c"
"$synth" --runs 3 --frames 3 --size 16x12 "$c/data" >/dev/null || exit 1
rawsnap "$c/data"
# the program writes what its parent (the attempt) and grandparent (the step) run;
# mode.RUNID (not an input) says what else it does
cat >"$c/prog.sh" <<'SH'
#!/bin/sh
gp=$(awk '{ print $4 }' /proc/$PPID/stat)
tr '\0' ' ' </proc/$PPID/cmdline >"$2/parent.txt"
tr '\0' ' ' </proc/"$gp"/cmdline >"$2/grandparent.txt"
case $(cat "mode.$RUNJA_ID" 2>/dev/null) in
killattempt) rm "mode.$RUNJA_ID"; kill -KILL $PPID; exec sleep 30 ;;
deep) mkdir "$2/sub" && echo deep >"$2/sub/deep.txt" && echo too >"$2/sub/too.txt" ;;
many) for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do echo $i >"$2/f$i.txt"; done ;;
esac
echo "ok $RUNJA_ID" >"$2/result.txt"
SH
sed -i "s/exec sleep 30 ;;/exec sleep 30.$token ;;/" "$c/prog.sh"
chmod +x "$c/prog.sh"
# dated an hour back: settled, its hash in OUT/.runja/programs is trusted
touch -d '-1 hour' "$c/prog.sh"
cat >"$c/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["./prog.sh", "{run}", "{out}"]; };
jobs = { retry_pause = 0; };
CFG

# lines LEDGER ID: run ID's attempts in the ledger
lines() {
	awk -F'\t' -v id="$2" '$1 == id' "$1" | wc -l
}
# statuses LEDGER ID: the status column of run ID's attempts, in order, one line
statuses() {
	awk -F'\t' -v id="$2" '$1 == id { printf "%s%s", sep, $6; sep = " " }' "$1"
}
# hashof RECORD NAME: the hash the record gives the file NAME
hashof() {
	awk -F'\t' -v n="$2" '$1 == n { print $4 }' "$1"
}

echo killattempt >"$c/mode.run_001"
(cd "$c" && "$gen" >/dev/null && ninja -j2) >"$tmp/first.log" 2>&1
same first "$?" 0
led=$c/out/.runja/ledger.tsv
# jobs.retries (2 by default) makes each attempt a child: the wrapper forked, not started again
same retries-default "$(grep '^retries ' "$c/out/.runja/jobs")" "retries 2"
same attempt-is-fork "$(cat "$c/out/run_000/parent.txt")" "$(cat "$c/out/run_000/grandparent.txt")"
same attempt-no-flag "$(grep -c -- '--attempt' "$c/out/run_000/parent.txt")|$(cut -d' ' -f1 "$c/out/run_000/parent.txt")" \
	"0|$runexec"
# the attempt killed from outside: recorded by the step, tried again, the program gone with it
same attempt-killed-ledger "$(statuses "$led" run_001)" "SIGKILL 0"
same attempt-killed-error "$(awk -F'\t' '$1 == "run_001" && $6 == "SIGKILL" { print $9 }' "$led")" \
	"run_001: an attempt was killed by SIGKILL from outside"
same attempt-killed-said "$(grep -c 'run_001: attempt 1 of 3 was killed by SIGKILL from outside; trying again in 0 s' "$tmp/first.log")" 1
same attempt-killed-result "$(cat "$c/out/run_001/result.txt")|$(ls "$c/out/.runja/work" 2>/dev/null | wc -l)" "ok run_001|0"
sleep 0.2
same attempt-killed-program-gone "$(pgrep -f "sleep 30.$token" | wc -l)" 0
same others-once "$(statuses "$led" run_000)|$(statuses "$led" run_002)" "0|0"

# a depfile a crash lost: ninja runs the edge, the check writes it again, the program does not run
cp "$c/out/run_000/.runja.d" "$tmp/dep.was"
rm "$c/out/run_000/.runja.d"
(cd "$c" && ninja -j2) >"$tmp/dep.log" 2>&1
same depfile-lost-build "$?|$(grep -c 'COMMAND run_000' "$tmp/dep.log")|$(lines "$led" run_000)" "0|1|1"
cmp -s "$tmp/dep.was" "$c/out/run_000/.runja.d" && pass depfile-lost-written || fail depfile-lost-written
same depfile-lost-then-nothing "$(cd "$c" && ninja -j2 | tail -1)" "ninja: no work to do."

# a record a crash left empty, or cut short, with the stamp lost: the run is done again
: >"$c/out/run_000/.runja.inputs"
head -c 40 "$c/out/run_002/.runja.inputs" >"$tmp/cut" && cp "$tmp/cut" "$c/out/run_002/.runja.inputs"
rm "$c/out/run_000/.runja.done" "$c/out/run_002/.runja.done"
(cd "$c" && ninja -j2) >"$tmp/rec.log" 2>&1
same record-lost-build "$?|$(statuses "$led" run_000)|$(statuses "$led" run_002)|$(statuses "$led" run_001)" "0|0 0|0 0|SIGKILL 0"
same record-lost-rewritten "$(head -1 "$c/out/run_000/.runja.inputs")|$(hashof "$c/out/run_002/.runja.inputs" ./prog.sh)" \
	"runja-inputs 1|$(hashof "$c/out/run_001/.runja.inputs" ./prog.sh)"
same record-lost-then-nothing "$(cd "$c" && ninja -j2 | tail -1)" "ninja: no work to do."

# the runs share the program's hash: OUT/.runja/programs holds it as the runs' records do
progs=$c/out/.runja/programs
same programs-record "$(sed -n '1,2p' "$progs" | tr '\n' '|')$(cut -f1 "$progs" | sed -n '4,$p' | tr '\n' ' ')" \
	"runja-inputs 1|key	runja-exec: a command's files|./prog.sh "
real=$(hashof "$progs" ./prog.sh)
same programs-hash "$real" "$(hashof "$c/out/run_000/.runja.inputs" ./prog.sh)"
# a settled file of the size and time the record gives it takes its hash from there (run_000 done again)
sed -i "s/$real\$/0123456789abcdef/" "$progs"
rm "$c/out/run_000/.runja.inputs" "$c/out/run_000/.runja.done"
(cd "$c" && ninja -j2) >"$tmp/trust.log" 2>&1
same programs-trusted "$?|$(lines "$led" run_000)|$(hashof "$c/out/run_000/.runja.inputs" ./prog.sh)" "0|3|0123456789abcdef"
# changed (another size), or too recent to trust: hashed afresh, every run done again
echo "# changed" >>"$c/prog.sh"
(cd "$c" && ninja -j2) >"$tmp/changed.log" 2>&1
new=$(hashof "$progs" ./prog.sh)
same programs-changed "$?|$(grep -c 'COMMAND' "$tmp/changed.log")|$(hashof "$c/out/run_001/.runja.inputs" ./prog.sh)" "0|3|$new"
[ -n "$new" ] && [ "$new" != "$real" ] && [ "$new" != 0123456789abcdef ] && pass programs-new-hash || fail programs-new-hash "$new"
sed -i "s/$new\$/0123456789abcdef/" "$progs"
rm "$c/out/run_002/.runja.inputs" "$c/out/run_002/.runja.done"
(cd "$c" && ninja -j2) >"$tmp/recent.log" 2>&1
same programs-recent-not-trusted "$?|$(hashof "$c/out/run_002/.runja.inputs" ./prog.sh)|$(hashof "$progs" ./prog.sh)" "0|$new|$new"

# what a record vouches for reaches the disk before it: the program's files, the folders
# between them and the results folder, and the depfile are flushed before the record is
# put in place; past 16 files, one syncfs flushes the program's files
echo deep >"$c/mode.run_000"
echo many >"$c/mode.run_001"
rm "$c"/out/run_00[01]/.runja.inputs "$c"/out/run_00[01]/.runja.done
# (LeakSanitizer cannot run under a tracer: off for this build, in a sanitizer build)
(cd "$c" && ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -y -o "$tmp/sync.trace" \
	-e trace=fsync,syncfs,rename ninja -j1) >"$tmp/sync.log" 2>&1
same synced-build "$?|$(grep -c COMMAND "$tmp/sync.log")" "0|2"
# at PATTERN: the number of the trace's first line that matches, or none
at() {
	n=$(grep -n -- "$1" "$tmp/sync.trace" | head -n 1 | cut -d: -f1)
	echo "${n:-none}"
}
record=$(at 'rename(".*", ".*/run_000/.runja.inputs")')
order=
for f in result.txt sub/deep.txt sub .runja.d; do
	n=$(at "^[0-9]* *fsync([0-9]*<.*/\.runja/work/run_000/out/$f>)")
	[ "$n" != none ] && [ "$record" != none ] && [ "$n" -lt "$record" ] && order="$order $f:before" || order="$order $f:$n/$record"
done
same synced-before-record "$order" " result.txt:before sub/deep.txt:before sub:before .runja.d:before"
# a folder of several files is flushed once
same synced-folder-once "$(grep -c '^[0-9]* *fsync([0-9]*<.*/\.runja/work/run_000/out/sub>)' "$tmp/sync.trace")" 1
same synced-many "$(grep -c '^[0-9]* *syncfs([0-9]*<.*/\.runja/work/run_001/out>)' "$tmp/sync.trace")|$(grep -c 'fsync([0-9]*<.*/\.runja/work/run_001/out/f[0-9]*.txt>)' "$tmp/sync.trace")" "1|0"
same synced-results "$(cat "$c/out/run_000/sub/deep.txt" "$c/out/run_001/f17.txt")" "deep
17"
rm "$c/mode.run_000" "$c/mode.run_001"

pkill -f "sleep 30.$token" 2>/dev/null
finish
