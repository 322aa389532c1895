# A user's command that fails, through the real ninja: exit status 3, killed by SIGKILL
# (a passing cause: tried again within the build), a timeout, a forked child that outlives
# it, no output at all, and SIGINT to ninja (not tried again). After each: OUT/RUNID holds
# the previous good results untouched, no temporary folder is left, --check says why, and
# the next ninja reruns exactly the failed runs.
. tests/lib.sh

copyprograms
d=$tmp/tank
mkdir -p "$d/data"
"$synth" --runs 3 --frames 3 --size 16x12 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
# what the program does is set per run by a file mode.RUNID, which is not an input
cat >"$d/analyse.sh" <<'SH'
#!/bin/sh
mode=$(cat "mode.$RUNJA_ID" 2>/dev/null)
echo "starting $RUNJA_ID ($mode)"
case $mode in
fail) echo "bad thing in $RUNJA_ID" >&2; exit 3 ;;
kill) kill -9 $$ ;;
sleep) sleep 30 ;;
fork) (sleep 2.7; echo late >"late.$RUNJA_ID") & ;;
finish) trap 'echo "good finished" >"$2/result.txt"; exit 0' INT; touch "started.$RUNJA_ID"; sleep 30 & wait; exit 1 ;;
empty) exit 0 ;;
esac
echo "good $(cat "gen.$RUNJA_ID" 2>/dev/null)" >"$2/result.txt"
SH
sed -i "s/sleep) sleep 30 ;;/sleep) sleep 30.$token ;;/; s/sleep 30 & wait/sleep 30.$token \& wait/" "$d/analyse.sh"
chmod +x "$d/analyse.sh"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["./analyse.sh", "{run}", "{out}"]; timeout = "3s"; };
jobs = { retry_pause = 0; };
CFG
(cd "$d" && "$gen" >/dev/null && ninja -j2) >"$tmp/first.log" 2>&1
same first "$?" 0

# state ID: what OUT/ID holds (result and summary.json's inode), for "untouched"; the
# stamp .runja.done and the depfile .runja.d are not results (a failed or interrupted
# attempt removes the stamp; ninja removes an interrupted edge's depfile)
state() {
	echo "$(cat "$d/out/$1/result.txt")|$(stat -c %i "$d/out/$1/summary.json")|$(ls -A "$d/out/$1" | grep -vx '\.runja\.done\|\.runja\.d' | tr '\n' ' ')"
}
# leftovers: temporary folders and files anywhere in OUT
leftovers() {
	(cd "$d/out" && { find .runja/work -mindepth 1 2>/dev/null; find . -name '*.tmp'; }) | sort | tr '\n' ' '
}
# the checks of the data before each dirty: tank-1-until-RUNID-reframed, ...
nraw=0
# dirty ID: make run ID stale by giving one of its frames new bytes (a touch alone is no change)
dirty() {
	settle
	nraw=$((nraw + 1))
	rawcheck "$d/data" "tank-$nraw-until-$1-reframed"
	reframe "$d/data/$1/img_0.png"
	rawsnap "$d/data"
}
# case NAME ID MODE ERROR [TRIES]: run ID fails in MODE with ERROR (TRIES times: a passing
# cause is tried again within the build, jobs.retries 2 by default); then it is fixed and
# rerun alone
failcase() {
	name=$1 id=$2 tries=${5:-1}
	good=$(state "$id")
	echo "$3" >"$d/mode.$id"
	dirty "$id"
	(cd "$d" && ninja -j2) >"$tmp/$name.log" 2>&1
	same "$name-ninja-fails" "$?" 1
	said=
	k=1
	while [ "$k" -lt "$tries" ]; do
		said="${said}runja-exec: $4
runja-exec: $id: attempt $k of $tries failed for a passing cause (see its error); trying again in 0 s
"
		k=$((k + 1))
	done
	same "$name-message" "$(grep -E '^runja-(process|exec|report): ' "$tmp/$name.log")" "${said}runja-exec: $4
runja-report: 1 run failed: $id; why: runja-gen --status"
	same "$name-previous-results-kept" "$(state "$id")" "$good"
	same "$name-not-marked-done" "$(ls -A "$d/out/$id" | grep -cx '\.runja\.done')" 0
	same "$name-no-leftovers" "$(leftovers)" ""
	same "$name-error-file" "$(cat "$d/out/.runja/failed/$id/error.txt")" "$4"
	same "$name-check" "$(cd "$d" && "$gen" --check 2>&1)" "$id: failed last time: $4"
	(cd "$d" && "$gen" --status) >"$tmp/$name.status" 2>&1
	same "$name-status" "$(awk -v id="$id" '$1 == id { print $2 }' "$tmp/$name.status")" "failed"
	rm -f "$d/mode.$id"
	echo "$name" >"$d/gen.$id"
	(cd "$d" && ninja -j2) >"$tmp/$name.rerun" 2>&1
	same "$name-rerun" "$(sed -n 's/^\[[0-9]*\/[0-9]*\] COMMAND \(.*\) ([0-9]* frames)$/\1/p' "$tmp/$name.rerun" | tr '\n' ' ')" "$id "
	same "$name-rerun-result" "$(cat "$d/out/$id/result.txt")" "good $name"
	same "$name-marked-done" "$(ls -A "$d/out/$id" | grep -cx '\.runja\.done')" 1
	same "$name-failure-record-gone" "$(ls -A "$d/out/.runja/failed")" ""
	same "$name-then-nothing" "$(cd "$d" && ninja -j2)" "ninja: no work to do."
}

failcase exit run_001 fail "run_001: analyse.sh exited with status 3"
same exit-log-shown "$(grep -c '^  | bad thing in run_001$' "$tmp/exit.log")" 1
same exit-status-log "$(grep '| ' "$tmp/exit.status")" "         | starting run_001 (fail)
         | bad thing in run_001"
# killed by SIGKILL: a passing cause (as if from outside), so tried 3 times, each a ledger line
failcase kill run_000 kill "run_000: analyse.sh was killed by signal 9 (Killed)" 3
same kill-ledger-status "$(awk -F'\t' '$1 == "run_000" && $6 == "SIGKILL" { n++ } END { print n }' "$d/out/.runja/ledger.tsv")" 3
failcase timeout run_002 sleep "run_002: timed out after 3s"
same timeout-no-sleep-left "$(pgrep -f "sleep 30\.$token" | wc -l)" 0
failcase empty run_001 empty "run_001: analyse.sh exited 0 but wrote nothing in its output folder"

# a child that outlives the program is killed with its process group
echo fork >"$d/mode.run_002"
dirty run_002
(cd "$d" && ninja -j2) >"$tmp/fork.log" 2>&1
same fork-succeeds "$?" 0
sleep 3.5
same fork-child-killed "$(ls "$d" | grep -c '^late\.')" 0
same fork-no-leftovers "$(leftovers)" ""
rm -f "$d/mode.run_002"

# SIGINT to ninja's process group (Ctrl-C) while two runs sleep
echo sleep >"$d/mode.run_000"
echo sleep >"$d/mode.run_001"
g0=$(state run_000) g1=$(state run_001)
dirty run_000
reframe "$d/data/run_001/img_0.png"
rawsnap "$d/data"
( (cd "$d" && setsid ninja -j2) >"$tmp/int.log" 2>&1; echo $? >"$tmp/int.rc") &
sub=$!
sleep 1
nj=$(ninjaof "$sub")
[ -n "$nj" ] && env kill -INT -- "-$nj"
wait
same interrupt-ninja-stopped "$(grep -c 'interrupted by user' "$tmp/int.log")" 1
# an interrupt is the user's: not tried again (one ledger line each)
same interrupt-not-retried "$(grep -c 'trying again' "$tmp/int.log")|$(awk -F'\t' '$6 == "SIGINT" { print $1 }' "$d/out/.runja/ledger.tsv" | sort | tr '\n' ' ')" "0|run_000 run_001 "
same interrupt-results-kept "$(state run_000)|$(state run_001)" "$g0|$g1"
same interrupt-no-leftovers "$(leftovers)" ""
same interrupt-no-sleep-left "$(pgrep -f "sleep 30\.$token" | wc -l)" 0
rm -f "$d/mode.run_000" "$d/mode.run_001"
(cd "$d" && ninja -j2) >"$tmp/int.rerun" 2>&1
same interrupt-rerun "$(sed -n 's/^\[[0-9]*\/[0-9]*\] COMMAND \(.*\) ([0-9]* frames)$/\1/p' "$tmp/int.rerun" | sort | tr '\n' ' ')" "run_000 run_001 "
same interrupt-then-nothing "$(cd "$d" && ninja -j2)" "ninja: no work to do."

# SIGINT while run_000's program is told of it and then finishes (ends with status 0): its
# results are kept and it is not run again; run_001, which dies of it, is
echo finish >"$d/mode.run_000"
echo sleep >"$d/mode.run_001"
g1=$(state run_001)
dirty run_000
reframe "$d/data/run_001/img_0.png"
rawsnap "$d/data"
rm -f "$d/started.run_000"
n=$(wc -l <"$d/out/.runja/ledger.tsv")
( (cd "$d" && setsid ninja -j2) >"$tmp/fin.log" 2>&1) &
sub=$!
i=0
until [ -e "$d/started.run_000" ] && [ "$(pgrep -f "sleep 30\.$token" | wc -l)" = 2 ] || [ $i -ge 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
nj=$(ninjaof "$sub")
[ -n "$nj" ] && env kill -INT -- "-$nj"
wait
same finished-ninja-stopped "$(grep -c 'interrupted by user' "$tmp/fin.log")" 1
same finished-ledger "$(tail -n +$((n + 1)) "$d/out/.runja/ledger.tsv" | cut -f1,6 | sort | tr '\t\n' ': ')" "run_000:0 run_001:SIGINT "
same finished-result-kept "$(cat "$d/out/run_000/result.txt")|$(state run_001)" "good finished|$g1"
same finished-no-leftovers "$(leftovers)" ""
rm -f "$d/mode.run_000" "$d/mode.run_001" "$d/started.run_000"
n=$(wc -l <"$d/out/.runja/ledger.tsv")
(cd "$d" && ninja -j2) >"$tmp/fin.rerun" 2>&1
same finished-only-other-rerun "$(tail -n +$((n + 1)) "$d/out/.runja/ledger.tsv" | cut -f1,6 | tr '\t\n' ': ')" "run_001:0 "
same finished-still-kept "$(cat "$d/out/run_000/result.txt")" "good finished"
same finished-then-nothing "$(cd "$d" && ninja -j2)" "ninja: no work to do."

finish
