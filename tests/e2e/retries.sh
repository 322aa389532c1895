# Retries and quarantine with the real ninja: a run that fails for a passing cause (its
# program killed from outside, the launcher's node failure, an I/O error) is tried again
# within the build; one that fails the same way twice from the same inputs is left alone
# until its frames, parameters or program change, or runja-gen --retry.
. tests/lib.sh

# statuses LEDGER ID: the status column of run ID's attempts, in order, one line
statuses() {
	awk -F'\t' -v id="$2" '$1 == id { printf "%s%s", sep, $6; sep = " " }' "$1"
}
# since LEDGER N ID: the status column of run ID's attempts after the ledger's first N lines
since() {
	tail -n +"$(($2 + 1))" "$1" | awk -F'\t' -v id="$3" '$1 == id { printf "%s%s", sep, $6; sep = " " }'
}
# started LOG: the runs ninja started (PROCESS or COMMAND), sorted, one line
started() {
	sed -n 's/^\[[0-9]*\/[0-9]*\] \(PROCESS\|COMMAND\) \([^ ]*\) .*/\2/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}

# --- a user's program: killed from outside once, then fine; a node failure of the launcher
c=$tmp/cmd
mkdir -p "$c"
"$synth" --runs 3 --frames 3 --size 16x12 "$c/data" >/dev/null || exit 1
rawsnap "$c/data"
# what the program does is set per run by mode.RUNID (not an input); count.RUNID counts its starts
cat >"$c/prog.sh" <<'SH'
#!/bin/sh
n=$(cat "count.$RUNJA_ID" 2>/dev/null || echo 0)
echo $((n + 1)) >"count.$RUNJA_ID"
case $(cat "mode.$RUNJA_ID" 2>/dev/null) in
killonce) [ "$n" = 0 ] && kill -KILL $$ ;;
fail) echo "bad thing" >&2; exit 3 ;;
slow) sleep 30 ;;
esac
echo "ok $RUNJA_ID" >"$2/result.txt"
SH
sed -i "s/sleep 30 ;;/sleep 30.$token ;;/" "$c/prog.sh"
chmod +x "$c/prog.sh"
cat >"$c/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["./prog.sh", "{run}", "{out}"]; timeout = "2s"; };
jobs = { retry_pause = 0; };
CFG
echo killonce >"$c/mode.run_001"
(cd "$c" && "$gen" >/dev/null && ninja -j2) >"$tmp/kill.log" 2>&1
same killed-retried-build "$?" 0
same killed-retried-ledger "$(statuses "$c/out/.runja/ledger.tsv" run_001)" "SIGKILL 0"
same killed-retried-said "$(grep -c 'run_001: attempt 1 of 3 failed for a passing cause (see its error); trying again in 0 s' "$tmp/kill.log")" 1
same killed-retried-result "$(cat "$c/out/run_001/result.txt")" "ok run_001"
same others-once "$(statuses "$c/out/.runja/ledger.tsv" run_000)|$(statuses "$c/out/.runja/ledger.tsv" run_002)" "0|0"

# the launcher fails as srun does when a node dies, the first time it is called
rm -rf "$c/out" "$c/.runja" "$c"/count.* "$c/mode.run_001"
cat >"$c/fakesrun.sh" <<SH
#!/bin/sh
if mkdir "$tmp/nodefail" 2>/dev/null; then
	echo "srun: error: Node failure on node7" >&2
	echo "srun: error: Job step aborted" >&2
	exit 1
fi
exec "\$@"
SH
sed -i "s|^jobs = .*|jobs = { retry_pause = 0; launcher = \"sh $c/fakesrun.sh\"; };|" "$c/runja.cfg"
(cd "$c" && "$gen" >/dev/null && ninja -j1) >"$tmp/node.log" 2>&1
same node-failure-build "$?" 0
same node-failure-once "$(grep -c 'srun: error: Node failure on node7' "$tmp/node.log")" 1
same node-failure-retried "$(grep -c 'attempt 1 of 3 ended: the launcher exited with status 1 before the run started; trying again' "$tmp/node.log")" 1
same node-failure-ledger "$(cut -f6 "$c/out/.runja/ledger.tsv" | sort | tr '\n' ' ')" "0 0 0 1 "
same node-failure-results "$(cat "$c"/out/run_*/result.txt | tr '\n' ' ')" "ok run_000 ok run_001 ok run_002 "

# deterministic failures are not retried: the program's own exit status, a timeout
sed -i "s|^jobs = .*|jobs = { retry_pause = 0; };|" "$c/runja.cfg"
echo fail >"$c/mode.run_000"
echo slow >"$c/mode.run_002"
reframe "$c/data/run_000/img_0.png" "$c/data/run_002/img_0.png"
rawsnap "$c/data"
n0=$(wc -l <"$c/out/.runja/ledger.tsv")
(cd "$c" && ninja -j2) >"$tmp/det.log" 2>&1
same deterministic-build-fails "$?" 1
same exit-not-retried "$(since "$c/out/.runja/ledger.tsv" "$n0" run_000)" "3"
same timeout-not-retried "$(since "$c/out/.runja/ledger.tsv" "$n0" run_002)" "SIGKILL"
same deterministic-said "$(grep -c 'trying again' "$tmp/det.log")" 0

# the same failure again from the same inputs: quarantined, then left alone
(cd "$c" && ninja -j2) >"$tmp/q2.log" 2>&1
same quarantine-build-passes "$?" 0
same quarantine-said "$(grep -c 'quarantined: it failed twice the same way' "$tmp/q2.log")" 2
same quarantine-report-line "$(grep '^runja-report' "$tmp/q2.log")" "runja-report: 2 runs quarantined: run_000, run_002; later builds leave them alone; why: runja-gen --status; to try again: runja-gen --retry RUN"
n0=$(wc -l <"$c/out/.runja/ledger.tsv")
(cd "$c" && ninja -j2) >"$tmp/q3.log" 2>&1
same quarantine-not-started "$(since "$c/out/.runja/ledger.tsv" "$n0" run_000)|$(grep -c 'bad thing' "$tmp/q3.log")" "|0"
same quarantine-then-nothing "$(cd "$c" && ninja 2>&1)" "ninja: no work to do."
out=$(cd "$c" && "$gen" --check 2>&1; echo "status $?")
same quarantine-check "$out" "run_000: failed (quarantined): run_000: prog.sh exited with status 3; runja-gen --retry run_000 tries it again
run_002: failed (quarantined): run_002: timed out after 2s; runja-gen --retry run_002 tries it again
status 1"
same quarantine-status "$(cd "$c" && "$gen" --status | awk '$1 == "run_000" { print $2 }')|$(cd "$c" && "$gen" --status --json | grep -c '"quarantined": true')" "failed|2"
grep -q 'quarantined (failed twice the same way; runja-gen --retry run_000 tries it again)' "$c/out/index.html" &&
	pass quarantine-report-page || fail quarantine-report-page

# nothing but a change of what it is made from lifts it: not a touch, a comment, the launcher
touch "$c/data/run_000/img_0.png"
rawsnap "$c/data"
echo "# a comment" >>"$c/runja.cfg"
sed -i "s|^jobs = .*|jobs = { retry_pause = 0; launcher = \"env\"; };|" "$c/runja.cfg"
n0=$(wc -l <"$c/out/.runja/ledger.tsv")
(cd "$c" && ninja -j2; ninja -j2) >"$tmp/q4.log" 2>&1
same not-lifted "$(since "$c/out/.runja/ledger.tsv" "$n0" run_000)|$(cd "$c" && ninja 2>&1)" "|ninja: no work to do."
# a new program lifts both
printf '# edited\n' >>"$c/prog.sh"
rm -f "$c/mode.run_000" "$c/mode.run_002"
(cd "$c" && ninja -j2) >"$tmp/q5.log" 2>&1
same new-program-lifts "$(started "$tmp/q5.log")|$(cat "$c/out/run_000/result.txt")|$(ls "$c/out/.runja/quarantine")" "run_000 run_001 run_002|ok run_000|"
# --retry lifts one, and only that one
echo fail >"$c/mode.run_001"
reframe "$c/data/run_001/img_1.png"
rawsnap "$c/data"
(cd "$c" && ninja -j2; ninja -j2; ninja -j2) >"$tmp/q6.log" 2>&1
same quarantined-again "$(ls "$c/out/.runja/quarantine" | grep -v '\.d$')" run_001
rm -f "$c/mode.run_001"
out=$(cd "$c" && "$gen" --retry run_001 2>&1)
same retry-said "$(echo "$out" | head -1)" "runja-gen: run_001: quarantine lifted; the next build tries it again"
(cd "$c" && ninja -j2) >"$tmp/q7.log" 2>&1
same retry-lifts "$(started "$tmp/q7.log")|$(cat "$c/out/run_001/result.txt")" "run_001|ok run_001"
same retry-unknown "$(cd "$c" && "$gen" --retry run_9 2>&1; echo "status $?")" "runja-gen: --retry run_9: no run is named so (runja-gen --status lists them)
status 2"
# --rerun: a run up to date is processed again by the next build, and only it
n0=$(wc -l <"$c/out/.runja/ledger.tsv")
same rerun-said "$(cd "$c" && "$gen" --rerun run_002 2>&1 | head -1)" "runja-gen: run_002 processed again by the next build"
(cd "$c" && ninja -j2) >"$tmp/rr.log" 2>&1
same rerun-one "$(started "$tmp/rr.log")|$(since "$c/out/.runja/ledger.tsv" "$n0" run_002)|$(since "$c/out/.runja/ledger.tsv" "$n0" run_000)" "run_002|0|"

# --- the built-in pipeline: a bad frame, quarantined; lifted by a fixed frame or a changed parameter
p=$tmp/pipe
mkdir -p "$p"
"$synth" --runs 3 --frames 3 --size 16x12 "$p/data" >/dev/null || exit 1
cp "$p/data/run_001/img_1.png" "$tmp/good.png"
printf 'not a png' >"$p/data/run_001/img_1.png"
rawsnap "$p/data"
cat >"$p/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
jobs = { retry_pause = 0; };
CFG
(cd "$p" && "$gen" >/dev/null && ninja -j2; ninja -j2) >"$tmp/p1.log" 2>&1
same bad-frame-not-retried "$(statuses "$p/out/.runja/ledger.tsv" run_001)" "1 1"
same bad-frame-quarantined "$(ls "$p/out/.runja/quarantine" | grep -v '\.d$')" run_001
(cd "$p" && ninja -j2) >/dev/null 2>&1
same bad-frame-then-nothing "$(cd "$p" && ninja 2>&1)" "ninja: no work to do."
cp "$tmp/good.png" "$p/data/run_001/img_1.png"
rawsnap "$p/data"
(cd "$p" && ninja -j2) >"$tmp/p2.log" 2>&1
same fixed-frame-lifts "$(started "$tmp/p2.log")|$(statuses "$p/out/.runja/ledger.tsv" run_001)|$(ls "$p/out/.runja/quarantine")" "run_001|1 1 0|"
printf 'not a png' >"$p/data/run_002/img_0.png"
rawsnap "$p/data"
(cd "$p" && ninja -j2; ninja -j2) >/dev/null 2>&1
same quarantined-pipeline "$(ls "$p/out/.runja/quarantine" | grep -v '\.d$')" run_002
echo 'products = { mean = true; max = true; };' >>"$p/runja.cfg"
(cd "$p" && ninja -j2) >"$tmp/p3.log" 2>&1
same parameter-lifts "$(started "$tmp/p3.log")|$(statuses "$p/out/.runja/ledger.tsv" run_002)" "run_000 run_001 run_002|0 1 1 1"
# failing twice again under the new parameters, it is quarantined again; --retry all lifts every quarantine
(cd "$p" && ninja -j2) >/dev/null 2>&1
same quarantined-again-pipeline "$(ls "$p/out/.runja/quarantine" | grep -v '\.d$')" run_002
out=$(cd "$p" && "$gen" --retry all 2>&1)
same retry-all "$(echo "$out" | grep -c 'quarantine lifted$')|$(echo "$out" | grep 'quarantined run')|$(ls "$p/out/.runja/quarantine")" \
	"1|runja-gen: 1 quarantined run lifted; the next build tries it again|"

# --- an I/O error reading a frame is retried (an LD_PRELOAD shim fails its first open)
if sanitized; then
	echo "SKIP eio-retried: the shim cannot be preloaded before AddressSanitizer's runtime"
else
	cc -shared -fPIC -o "$tmp/eio.so" "$top/tests/shim/eio.c" -ldl || fail eio-shim-built
	rm -rf "$p/out" "$p/.runja"
	(cd "$p" && "$gen" >/dev/null &&
		LD_PRELOAD=$tmp/eio.so RUNJA_TEST_EIO=run_001/img_2.png RUNJA_TEST_EIO_FLAG=$tmp/eio.flag ninja -j2) >"$tmp/eio.log" 2>&1
	same eio-build "$?" 1
	same eio-retried "$(statuses "$p/out/.runja/ledger.tsv" run_001)|$(grep -c 'run_001/img_2.png: .*Input/output error' "$tmp/eio.log")" "75 0|1"
fi

finish
