# runja-exec, run directly on a small synthetic tree:
# what a good program leaves in CMDOUT, summary.json, runja.log, the depfile, the
# environment and placeholders it sees, the ledger; and every way an attempt fails
# (status, signal, time limit, leftovers of the program, nothing written, a reserved
# name, no such program, SIGINT to the wrapper, a wrapper killed outright), each
# leaving the previous results exactly as they were and no work folder; and results
# up to date (--stamp) left alone, after a touch too, until a frame's bytes change.
. tests/lib.sh

d=$tmp/b
"$synth" --runs 3 --frames 11 --size 8x6 "$d/data" >/dev/null || exit 1
"$synth" --runs 1 --frames 2 --size 8x6 --nested --first 4 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
mkdir -p "$d/prog"
state=out/.runja
ledger=$d/$state/ledger.tsv

# wrap ARG...: runja-exec --frames '*.png' --state out/.runja ARG... in $d;
# status in $st, stderr in $tmp/err
wrap() {
	(cd "$d" && "$runexec" --frames '*.png' --state "$state" "$@") >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# lastledger: run, status and error of the ledger's last line
lastledger() {
	tail -1 "$ledger" | awk -F'\t' '{ print $1 "|" $6 "|" $9 }'
}

# snap DIR: every file under DIR with its inode and content, to tell "untouched"
snap() {
	(cd "$1" && find . -type f | sort | while read -r f; do
		printf '%s %s ' "$(stat -c %i "$f")" "$f"
		md5sum <"$f"
	done)
}

# leftovers: what the attempts left in STATE/work
leftovers() {
	ls -A "$d/$state/work" 2>&1 | tr '\n' ' '
}

# gone PATTERN: no process whose command line holds PATTERN is left
gone() {
	! pgrep -f "$1" >/dev/null
}

# now: milliseconds
now() {
	echo $(($(date +%s%N) / 1000000))
}

cat >"$d/prog/good.sh" <<'SH'
echo to stdout
echo to stderr >&2
printf '%s\n' "$@" >"$RUNJA_OUT/args.txt"
env | grep '^RUNJA_' | sort >"$RUNJA_OUT/env.txt"
cp "$RUNJA_FRAMES" "$RUNJA_OUT/frames.txt"
cp "$RUNJA_PARAMS" "$RUNJA_OUT/params.json"
mkdir "$RUNJA_OUT/sub" && echo 1 >"$RUNJA_OUT/sub/img_10.csv" && echo 2 >"$RUNJA_OUT/sub/img_2.csv"
SH

# --- success
wrap --id run_000 --params '{"threshold": 0.1, "smooth": 3, "label": "a b", "sizes": [1, 2]}' \
	--depfile out/run_000/.runja.d data/run_000 out/run_000 -- \
	sh prog/good.sh {run} {out} {id} {frames} {params} 'x={{id}}' '--id={id}'
same ok-status "$st|$(cat "$tmp/err")" "0|"
same ok-files "$(cd "$d/out/run_000" && find . | sort | tr '\n' ' ')" \
	". ./.runja.d ./.runja.inputs ./args.txt ./env.txt ./frames.txt ./params.json ./runja.log ./sub ./sub/img_10.csv ./sub/img_2.csv ./summary.json "
same ok-placeholders "$(cat "$d/out/run_000/args.txt")" "data/run_000
out/.runja/work/run_000/out
run_000
out/.runja/work/run_000/frames.txt
out/.runja/work/run_000/params.json
x={id}
--id=run_000"
same ok-env "$(cat "$d/out/run_000/env.txt")" "RUNJA_FRAMES=out/.runja/work/run_000/frames.txt
RUNJA_ID=run_000
RUNJA_NFRAMES=11
RUNJA_OUT=out/.runja/work/run_000/out
RUNJA_PARAMS=out/.runja/work/run_000/params.json
RUNJA_PARAM_label=a b
RUNJA_PARAM_sizes=[1,2]
RUNJA_PARAM_smooth=3
RUNJA_PARAM_threshold=0.1
RUNJA_PROGRESS=out/.runja/progress/370cef011961c7ed.command
RUNJA_RUN=data/run_000"
frames=$(for i in 0 1 2 3 4 5 6 7 8 9 10; do echo "data/run_000/img_$i.png"; done)
same ok-frames-file "$(cat "$d/out/run_000/frames.txt")" "$frames"
same ok-params-file "$(cat "$d/out/run_000/params.json")" '{
  "label": "a b",
  "sizes": [
    1,
    2
  ],
  "smooth": 3,
  "threshold": 0.1
}'
same ok-log "$(cat "$d/out/run_000/runja.log")" "to stdout
to stderr"
# (its target: the run's outcome stamp, OUT/.runja/ended-command/ and the id's hash)
same ok-depfile "$(cat "$d/out/run_000/.runja.d")" "out/.runja/ended-command/370cef011961c7ed: \\
  data/run_000/img_0.png \\
  data/run_000/img_1.png \\
  data/run_000/img_2.png \\
  data/run_000/img_3.png \\
  data/run_000/img_4.png \\
  data/run_000/img_5.png \\
  data/run_000/img_6.png \\
  data/run_000/img_7.png \\
  data/run_000/img_8.png \\
  data/run_000/img_9.png \\
  data/run_000/img_10.png"
same ok-summary "$(cat "$d/out/run_000/summary.json")" '{
  "run": "run_000",
  "kind": "command",
  "command": [
    "sh",
    "prog/good.sh",
    "{run}",
    "{out}",
    "{id}",
    "{frames}",
    "{params}",
    "x={{id}}",
    "--id={id}"
  ],
  "params": {
    "label": "a b",
    "sizes": [
      1,
      2
    ],
    "smooth": 3,
    "threshold": 0.1
  },
  "frames": 11,
  "files": [
    "img_0.png",
    "img_1.png",
    "img_2.png",
    "img_3.png",
    "img_4.png",
    "img_5.png",
    "img_6.png",
    "img_7.png",
    "img_8.png",
    "img_9.png",
    "img_10.png"
  ],
  "skipped": [],
  "outputs": [
    "args.txt",
    "env.txt",
    "frames.txt",
    "params.json",
    "runja.log",
    "sub/img_2.csv",
    "sub/img_10.csv"
  ],
  "argv": [
    "--frames",
    "*.png",
    "--state",
    "out/.runja",
    "--id",
    "run_000",
    "--params",
    "{\"threshold\": 0.1, \"smooth\": 3, \"label\": \"a b\", \"sizes\": [1, 2]}",
    "--depfile",
    "out/run_000/.runja.d",
    "data/run_000",
    "out/run_000",
    "--",
    "sh",
    "prog/good.sh",
    "{run}",
    "{out}",
    "{id}",
    "{frames}",
    "{params}",
    "x={{id}}",
    "--id={id}"
  ]
}'
same ok-ledger "$(lastledger)" "run_000|0|"
same ok-ledger-fields "$(tail -1 "$ledger" | awk -F'\t' '{ print NF, ($3 >= 0 && $3 < 5), ($4 > 0), $7, $8,
	length($10) == 16 && $10 !~ /[^0-9a-f]/ }')" "10 1 1 0.1 - 1"
same ok-no-work-left "$(leftovers)" ""
same ok-no-failed "$(ls -A "$d/$state/failed" 2>&1 | wc -l)" 1

before=$(snap "$d/out/run_000")

# --- the program fails: exit status 3; CMDOUT untouched, the last 10 lines shown
cat >"$d/prog/fail.sh" <<'SH'
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "line $i"; done
echo half >"$RUNJA_OUT/partial.csv"
exit 3
SH
wrap --id run_000 data/run_000 out/run_000 -- sh prog/fail.sh
same exit3-status "$st" 1
same exit3-stderr "$(cat "$tmp/err")" "  | line 3
  | line 4
  | line 5
  | line 6
  | line 7
  | line 8
  | line 9
  | line 10
  | line 11
  | line 12
runja-exec: run_000: fail.sh exited with status 3"
same exit3-untouched "$(snap "$d/out/run_000")" "$before"
same exit3-error-txt "$(cat "$d/$state/failed/run_000/error.txt")" "run_000: fail.sh exited with status 3"
same exit3-error-txt-one-line "$(wc -l <"$d/$state/failed/run_000/error.txt")" 1
same exit3-failed-log "$(head -1 "$d/$state/failed/run_000/runja.log")|$(wc -l <"$d/$state/failed/run_000/runja.log")" "line 1|12"
same exit3-no-work-left "$(leftovers)" ""
same exit3-ledger "$(lastledger)" "run_000|3|run_000: fail.sh exited with status 3"

# --- killed by a signal: a passing cause (as if from outside); run by hand (no
# OUT/.runja/jobs) it is not tried again, and exits 75
wrap --id run_000 data/run_000 out/run_000 -- sh -c 'echo dying; kill -9 $$'
same sigkill "$st|$(cat "$tmp/err")" "75|  | dying
runja-exec: run_000: sh was killed by signal 9 (Killed)"
same sigkill-ledger "$(lastledger)" "run_000|SIGKILL|run_000: sh was killed by signal 9 (Killed)"
same sigkill-error-txt "$(cat "$d/$state/failed/run_000/error.txt")" "run_000: sh was killed by signal 9 (Killed)"
same sigkill-untouched "$(snap "$d/out/run_000")" "$before"

# --- the time limit
t0=$(now)
wrap --id run_000 --timeout 1 data/run_000 out/run_000 -- sh -c "echo waiting; sleep 30.1$token; echo never"
t1=$(now)
same timeout "$st|$(cat "$tmp/err")" "1|  | waiting
runja-exec: run_000: timed out after 1s"
same timeout-in-time "$((t1 - t0 >= 1000 && t1 - t0 < 3000))" 1
same timeout-ledger "$(lastledger)" "run_000|SIGKILL|run_000: timed out after 1s"
gone "sleep 30\.1$token" && pass timeout-group-killed || fail timeout-group-killed "$(pgrep -af "sleep 30\.1$token")"
same timeout-untouched "$(snap "$d/out/run_000")" "$before"
same timeout-no-work-left "$(leftovers)" ""

# --- the program leaves children behind: in its group, and in a session of its own
t0=$(now)
wrap --id run_001 data/run_001 out/run_001 -- sh -c '
	(sleep 30.2'"$token"'; touch "$RUNJA_OUT/late" '"$tmp"'/late) &
	setsid sleep 30.3'"$token"' &
	echo result >"$RUNJA_OUT/r.txt"; echo started'
t1=$(now)
same orphans-status "$st|$(cat "$tmp/err")" "0|"
same orphans-not-waited-for "$((t1 - t0 < 3000))" 1
gone "sleep 30\.2$token" && pass orphans-group-killed || fail orphans-group-killed "$(pgrep -af "sleep 30\.2$token")"
gone "sleep 30\.3$token" && pass orphans-own-session-killed || fail orphans-own-session-killed "$(pgrep -af "sleep 30\.3$token")"
same orphans-outputs "$(ls -A "$d/out/run_001" | tr '\n' ' ')" ".runja.inputs r.txt runja.log summary.json "
[ ! -e "$tmp/late" ] && pass orphans-late-file-never || fail orphans-late-file-never

# --- nothing written, a reserved name, no such program
wrap --id run_000 data/run_000 out/run_000 -- sh -c 'echo nothing to say; mkdir "$RUNJA_OUT/empty"'
same nothing "$st|$(cat "$tmp/err")" "1|  | nothing to say
runja-exec: run_000: sh exited 0 but wrote nothing in its output folder"
same nothing-ledger "$(lastledger)" "run_000|1|run_000: sh exited 0 but wrote nothing in its output folder"
wrap --id run_000 data/run_000 out/run_000 -- sh -c 'echo {{}} >"$RUNJA_OUT/summary.json"; echo x >"$RUNJA_OUT/a.txt"'
same summary-json "$st|$(cat "$tmp/err")" "1|runja-exec: run_000: sh wrote summary.json, a name runja keeps for its own record"
wrap --id run_000 data/run_000 out/run_000 -- sh -c 'echo log >"$RUNJA_OUT/runja.log"'
same runja-log "$st|$(cat "$tmp/err")" "1|runja-exec: run_000: sh wrote runja.log, a name runja keeps for its own record"
wrap --id run_000 data/run_000 out/run_000 -- no-such-program-runja {run}
same not-found "$st|$(cat "$tmp/err")" "1|runja-exec: run_000: cannot run no-such-program-runja: No such file or directory"
same not-found-ledger "$(lastledger)" "run_000|127|run_000: cannot run no-such-program-runja: No such file or directory"
same not-found-error-txt "$(cat "$d/$state/failed/run_000/error.txt")" "run_000: cannot run no-such-program-runja: No such file or directory"
same not-found-empty-log "$(wc -c <"$d/$state/failed/run_000/runja.log")" 0
wrap --id run_000 --frames '*.jpg' data/run_000 out/run_000 -- true
same no-frames "$st|$(cat "$tmp/err")" "1|runja-exec: run_000: no frames matching '*.jpg'"
same no-frames-no-stale-log "$(ls -A "$d/$state/failed/run_000")" "error.txt"
same failures-untouched "$(snap "$d/out/run_000")" "$before"
same failures-no-work-left "$(leftovers)" ""

# --- SIGINT to the wrapper: passed on to the program, then the wrapper dies of it
if env --default-signal=INT true 2>/dev/null; then
	# a background job of sh ignores SIGINT: env gives it back its default action
	(cd "$d" && exec env --default-signal=INT "$runexec" --id run_000 --frames '*.png' --state "$state" \
		data/run_000 out/run_000 -- sh -c "echo working; sleep 30.4$token") 2>"$tmp/err" &
	pid=$!
	i=0
	until grep -q working "$d/$state/work/run_000/runja.log" 2>/dev/null || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	t0=$(now)
	kill -INT $pid
	wait $pid
	st=$?
	t1=$(now)
	same sigint-status "$st" 130
	same sigint-quick "$((t1 - t0 < 1500))" 1
	same sigint-stderr "$(cat "$tmp/err")" "  | working
runja-exec: run_000: interrupted"
	same sigint-ledger "$(lastledger)" "run_000|SIGINT|run_000: interrupted"
	same sigint-error-txt "$(cat "$d/$state/failed/run_000/error.txt")" "run_000: interrupted"
	gone "sleep 30\.4$token" && pass sigint-program-gone || fail sigint-program-gone "$(pgrep -af "sleep 30\.4$token")"
	same sigint-untouched "$(snap "$d/out/run_000")" "$before"
	same sigint-no-work-left "$(leftovers)" ""
else
	echo "SKIP sigint: env --default-signal (coreutils 8.31) is missing"
fi

# --- a wrapper killed outright leaves STATE/work/ID; the next attempt records it as cut
# short (a ledger line and a line on stderr), removes it and starts afresh
(cd "$d" && exec "$runexec" --id run_000 --frames '*.png' --state "$state" data/run_000 out/run_000 -- \
	sh -c 'echo old >"$RUNJA_OUT/stale.txt"; exec sleep 30.5'"$token") 2>/dev/null &
pid=$!
i=0
until [ -e "$d/$state/work/run_000/out/stale.txt" ] || [ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -KILL $pid
wait $pid 2>/dev/null
same killed-wrapper-leaves-work "$(leftovers)" "run_000 "
i=0
while ! gone "sleep 30\.5$token" && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
gone "sleep 30\.5$token" && pass killed-wrapper-takes-program || fail killed-wrapper-takes-program "$(pgrep -af "sleep 30\.5$token")"
wrap --id run_000 data/run_000 out/run_000 -- sh -c 'ls -A "$RUNJA_OUT"; echo new >"$RUNJA_OUT/new.txt"'
same next-attempt "$st|$(cat "$tmp/err")|$(cat "$d/out/run_000/runja.log")" \
	"0|runja-exec: run_000: an attempt was cut short (its build was killed): its work folder was left, and removed|"
same next-attempt-ledger "$(tail -n 2 "$d/$state/ledger.tsv" | cut -f1,6,9)" "run_000	75	run_000: an attempt was cut short (its build was killed): its work folder was left, and removed
run_000	0	"
same next-attempt-no-work-left "$(leftovers)" ""

# --- that success replaced the old results as a whole and cleared the failure
same replaced "$(ls -A "$d/out/run_000" | tr '\n' ' ')" ".runja.inputs new.txt runja.log summary.json "
same failed-cleared "$(ls -A "$d/$state/failed")" ""

# --- bad usage: exit 2, nothing touched
lines=$(wc -l <"$ledger")
wrap --id run_000 data/run_000 out/run_000 -- sh -c 'echo {frame}'
same unknown-placeholder "$st|$(cat "$tmp/err")" "2|runja-exec: 'echo {frame}': unknown placeholder {frame} (known: {run} {out} {id} {frames} {params} {pipeline})"
wrap --id run_000 data/run_000 out/run_000 -- cat {pipeline}/mean.png
same pipeline-without-option "$st|$(cat "$tmp/err")" "2|runja-exec: '{pipeline}/mean.png': {pipeline} needs --pipeline (command.after_pipeline)"
wrap --id run_000 --params '{"a-b": 1}' data/run_000 out/run_000 -- true
same bad-param-name "$st|$(cat "$tmp/err")" "2|runja-exec: --params: 'a-b' cannot be a parameter name (letters, digits and _ only)"
wrap --id run_000 --timeout 1m data/run_000 out/run_000 -- true
same bad-timeout "$st|$(cat "$tmp/err")" "2|runja-exec: --timeout must be a whole number of seconds, at least 1, not '1m'"
wrap --id run_000 data/run_000 out/run_000 true
same no-dashes "$st|$(cat "$tmp/err")" "2|runja-exec: expected RUNDIR CMDOUT -- PROGRAM [ARG...] after the options"
(cd "$d" && "$runexec" --id run_000 data/run_000 out/run_000 -- true) 2>"$tmp/err"
same no-state "$?|$(cat "$tmp/err")" "2|runja-exec: --id, --frames and --state are needed"
same usage-no-ledger-line "$(wc -l <"$ledger")" "$lines"
same usage-no-failure-noted "$(ls -A "$d/$state/failed")" ""
same usage-results-kept "$(ls -A "$d/out/run_000" | tr '\n' ' ')" ".runja.inputs new.txt runja.log summary.json "

# --- CMDOUT, --state or another folder written to inside the run folder (not there yet,
# there, the run folder itself, through a link, through ".."), or holding it: exit 2,
# one line naming both, nothing written: the run folder byte for byte as it was, no
# ledger line, no failure noted, no work folder
rawcheck "$d/data" b-until-folder-made-in-run
mkdir "$d/data/run_002/existing"
ln -s data/run_002 "$d/runlink"
rawsnap "$d/data"
ln -s ../data "$d/out/datalink"
run=$(exact "$d/data/run_002")
outs=$(exact "$d/out")
lines=$(wc -l <"$ledger")
work=$(leftovers)
# refused NAME MESSAGE-TAIL ARG...: wrap ARG... (on run_002) is refused with "run_002: MESSAGE-TAIL"
refused() {
	name=$1 msg=$2
	shift 2
	wrap --id run_002 "$@" -- sh -c 'echo x >"$RUNJA_OUT/x.txt"'
	same "$name" "$st|$(cat "$tmp/err")" "2|runja-exec: run_002: $msg; raw data is never written to"
}
refused inside-cmdout-new "output folder 'data/run_002/cmd' lies inside the run folder 'data/run_002'" \
	data/run_002 data/run_002/cmd
refused inside-cmdout-new-deep "output folder 'data/run_002/a/b/' lies inside the run folder 'data/run_002/'" \
	data/run_002/ data/run_002/a/b/
refused inside-cmdout-existing "output folder 'data/run_002/existing' lies inside the run folder 'data/run_002'" \
	data/run_002 data/run_002/existing
refused inside-cmdout-is-run "output folder 'data/run_002' is the run folder 'data/run_002'" \
	data/run_002 data/run_002
refused inside-cmdout-link "output folder 'runlink/cmd' lies inside the run folder 'data/run_002'" \
	data/run_002 runlink/cmd
refused inside-cmdout-link-dotdot "output folder 'out/datalink/run_002/../run_002/cmd' lies inside the run folder 'data/run_002'" \
	data/run_002 out/datalink/run_002/../run_002/cmd
refused inside-cmdout-dotdot "output folder 'out/../data/run_002/x/../cmd' lies inside the run folder 'data/run_002'" \
	data/run_002 out/../data/run_002/x/../cmd
refused inside-cmdout-holds-run "output folder 'data' holds the run folder 'runlink'" \
	runlink data
refused inside-state "state folder 'data/run_002/.runja' lies inside the run folder 'data/run_002'" \
	--state data/run_002/.runja data/run_002 out/run_002
refused inside-state-link "state folder 'runlink/.runja' lies inside the run folder 'data/run_002'" \
	--state runlink/.runja data/run_002 out/run_002
refused inside-depfile "depfile 'data/run_002/.runja.d' lies inside the run folder 'data/run_002'" \
	--depfile data/run_002/.runja.d data/run_002 out/run_002
refused inside-stamp "stamp 'runlink/done' lies inside the run folder 'data/run_002'" \
	--stamp runlink/done data/run_002 out/run_002
# an id that would put the work folder (or the lock, a record) elsewhere: refused before any path is made of it
wrap --id ../../../data/run_002 data/run_002 out/run_002 -- true
same inside-work "$st|$(cat "$tmp/err")" \
	"2|runja-exec: --id '../../../data/run_002' is no run id: a path below the output folder, without '.', '..' or empty parts"
same inside-run-unchanged "$(exact "$d/data/run_002")" "$run"
same inside-out-unchanged "$(exact "$d/out")" "$outs"
same inside-no-ledger-line "$(wc -l <"$ledger")" "$lines"
same inside-no-failure-noted "$(ls -A "$d/$state/failed")" ""
same inside-no-work-left "$(leftovers)" "$work"
rawcheck "$d/data" b-until-folder-removed
rm "$d/runlink" "$d/out/datalink" && rmdir "$d/data/run_002/existing"
rawsnap "$d/data"

# --- after the pipeline: CMDOUT is OUT/ID/command, the built-in products beside it stay
echo products >"$d/out/run_001/mean.png"
pipe=$(snap "$d/out/run_001")
wrap --id run_001 --pipeline out/run_001 --depfile out/run_001/command/.runja.d --depfile-phony \
	data/run_001 out/run_001/command -- sh -c 'cp {pipeline}/mean.png "$RUNJA_OUT/copy.png"; echo "$RUNJA_PIPELINE"'
same pipeline-status "$st|$(cat "$tmp/err")" "0|"
same pipeline-folder "$(cat "$d/out/run_001/command/copy.png")|$(cat "$d/out/run_001/command/runja.log")" "products|out/run_001"
same pipeline-products-kept "$(snap "$d/out/run_001" | grep -v ' ./command/')" "$pipe"
same pipeline-argv-without-phony "$(grep -c depfile-phony "$d/out/run_001/command/summary.json")" 0
same pipeline-make-depfile "$(head -2 "$d/out/run_001/command/.runja.d"; tail -4 "$d/out/run_001/command/.runja.d")" \
	"out/.runja/ended-command/3b71866ec1241c30: \\
  data/run_001/img_0.png \\

data/run_001/img_9.png:

data/run_001/img_10.png:"

# --- a nested id, CMDOUT's parent missing; a frame name ninja cannot read, listed through a link
rawcheck "$d/data" b-until-frame-added
cp "$d/data/2026-03/run_004/img_1.png" "$d/data/2026-03/run_004/img_1&x.png"
rawsnap "$d/data"
wrap --id 2026-03/run_004 --depfile out/2026-03/run_004/.runja.d data/2026-03/run_004 out/2026-03/run_004 -- \
	sh -c 'wc -l <"$RUNJA_FRAMES" >"$RUNJA_OUT/n.txt"; echo "$RUNJA_ID"'
same nested "$st|$(cat "$tmp/err")|$(cat "$d/out/2026-03/run_004/n.txt")|$(cat "$d/out/2026-03/run_004/runja.log")" \
	"0||3|2026-03/run_004"
dep=$d/out/2026-03/run_004/.runja.d
alias=$(sed -n 's/^  \(out\/\.runja\/alias\/[0-9a-f]\{16\}\)\( \\\)\{0,1\}$/\1/p' "$dep")
same alias-listed "$(grep -c '^  ' "$dep") $(grep -c 'x.png' "$dep")" "3 0"
same alias-link "$(readlink "$d/$alias")" "$d/data/2026-03/run_004/img_1&x.png"
# (the empty folder STATE/work/2026-03 stays: another run of 2026-03 may be creating its own in it)
same nested-no-work-left "$(find "$d/$state/work" -mindepth 1 -not -path "$d/$state/work/2026-03" | wc -l)" 0

# --- a file system without RENAME_EXCHANGE (renameat2 refused by a preloaded shim): the
# old results are moved aside, then the new ones in
cat >"$tmp/noexchange.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int renameat2(int olddirfd, const char *old, int newdirfd, const char *new, unsigned int flags)
{
	if (flags & RENAME_EXCHANGE) {
		errno = EINVAL;
		return -1;
	}
	return (int)syscall(SYS_renameat2, olddirfd, old, newdirfd, new, flags);
}
C
if sanitized; then
	echo "SKIP no-exchange: a preloaded shim cannot come before AddressSanitizer's runtime"
elif ! ${CC:-cc} -shared -fPIC -o "$tmp/noexchange.so" "$tmp/noexchange.c" 2>"$tmp/cc.log"; then
	echo "SKIP no-exchange: cannot build the shim: $(head -1 "$tmp/cc.log")"
else
	before=$(snap "$d/out/run_000")
	LD_PRELOAD=$tmp/noexchange.so wrap --id run_000 data/run_000 out/run_000 -- sh -c 'exit 1'
	same no-exchange-failure "$st|$(snap "$d/out/run_000")" "1|$before"
	LD_PRELOAD=$tmp/noexchange.so wrap --id run_000 data/run_000 out/run_000 -- sh -c 'echo 2 >"$RUNJA_OUT/second.txt"'
	same no-exchange-status "$st|$(cat "$tmp/err")" "0|"
	same no-exchange-replaced "$(ls -A "$d/out/run_000" | tr '\n' ' ')" ".runja.inputs runja.log second.txt summary.json "
	same no-exchange-no-work-left "$(find "$d/$state/work" -mindepth 1 -not -path "$d/$state/work/2026-03" | wc -l)" 0
fi

# --- up to date: with --stamp, results made from the same frames (CMDOUT/.runja.inputs)
# are left as they are, and nothing is written but the lock; a touched frame is hashed
# (the same bytes: no change, its new time recorded); a frame with new bytes is processed
# again. (The frames dated an hour back: a time within 2 s of the record's is not trusted,
# so such a frame is hashed and the record written again.)
rawcheck "$d/data" b-until-frames-dated-back
touch -d '-1 hour' "$d"/data/run_002/*.png
rawsnap "$d/data"
uptodate() {
	wrap --id run_002 --stamp out/run_002/.runja.done --depfile out/run_002/.runja.d data/run_002 out/run_002 -- \
		sh -c 'date +%s%N >"$RUNJA_OUT/t.txt"'
}
uptodate
same uptodate-first "$st|$(cat "$tmp/err")|$(lastledger)" "0||run_002|0|"
lines=$(wc -l <"$ledger")
exact "$d/out" | grep -v '/\.runja/locks/' >"$tmp/out.before"
uptodate
same uptodate-nothing-written "$st|$(cat "$tmp/err")|$(wc -l <"$ledger")|$(exact "$d/out" | grep -v '/\.runja/locks/' | diff "$tmp/out.before" - && echo same)" "0||$lines|same"
results=$(snap "$d/out/run_002" | grep -v ' \./\.runja\.inputs ')
rawcheck "$d/data" b-until-frame-touched
touch "$d/data/run_002/img_3.png"
rawsnap "$d/data"
uptodate
same uptodate-touched "$st|$(cat "$tmp/err")|$(wc -l <"$ledger")|$(snap "$d/out/run_002" | grep -v ' \./\.runja\.inputs ')" "0||$lines|$results"
reframe "$d/data/run_002/img_3.png"
rawsnap "$d/data"
uptodate
same uptodate-new-bytes "$st|$(cat "$tmp/err")|$(($(wc -l <"$ledger") - lines))|$(lastledger)" "0||1|run_002|0|"
[ "$(snap "$d/out/run_002" | grep ' ./t.txt ')" != "$(printf '%s\n' "$results" | grep ' ./t.txt ')" ] &&
	pass uptodate-new-bytes-rewritten || fail uptodate-new-bytes-rewritten "t.txt as it was"

# --- the program's stdin is /dev/null, whatever the wrapper's is, and it runs in the folder
# runja-exec was started in (ninja's: runja.cfg's)
cat >"$d/prog/where.sh" <<'SH'
readlink /proc/self/fd/0 >"$RUNJA_OUT/where.txt"
cat >>"$RUNJA_OUT/where.txt"
pwd -P >>"$RUNJA_OUT/where.txt"
SH
wrap --id where data/run_001 out/where -- sh prog/where.sh <<'IN'
not for the program
IN
same stdin-and-folder "$st|$(cat "$d/out/where/where.txt")" "0|/dev/null
$(cd "$d" && pwd -P)"

# --- RUNJA_PROGRESS: what an earlier attempt left there (one killed outright) is gone
# before the program starts, and the file after it ends
cat >"$d/prog/progress.sh" <<'SH'
echo "$RUNJA_PROGRESS" >"$RUNJA_OUT/path.txt"
if [ -e "$RUNJA_PROGRESS" ]; then cat "$RUNJA_PROGRESS"; else echo "(none)"; fi >"$RUNJA_OUT/seen.txt"
echo "1 2" >>"$RUNJA_PROGRESS"
SH
wrap --id progress data/run_001 out/progress -- sh prog/progress.sh
p=$(cat "$d/out/progress/path.txt")
echo "7 9" >"$d/$p"
wrap --id progress data/run_001 out/progress -- sh prog/progress.sh
same progress-earlier-gone "$st|$(cat "$d/out/progress/seen.txt")|$([ -e "$d/$p" ] && echo left || echo removed)" "0|(none)|removed"

finish
