# Live progress: runja-gen --status (and --json) while runs are halfway, --watch with
# and without a terminal. Every run here waits on a gate the test opens, so what is
# seen halfway is always the same: a command counts 3 of 10 in RUNJA_PROGRESS and waits;
# the pipeline's stderr is a full pipe, so it stops at its first warning (a bad frame
# skipped), its count written after every frame (RUNJA_PROGRESS_EVERY=0).
. tests/lib.sh

gate=$tmp/gate
mkdir -p "$gate"
GATE=$gate
export GATE
unset RUNJA_PROGRESS_EVERY

# waitfor SECONDS CODE: true as soon as the shell code CODE succeeds (tried every 0.1 s), false after SECONDS
waitfor() {
	wf=$(($1 * 10))
	until eval "$2"; do
		wf=$((wf - 1))
		[ "$wf" -gt 0 ] || return 1
		sleep 0.1
	done
}

# gone PID: true when process PID has ended
gone() {
	! kill -0 "$1" 2>/dev/null
}

# status DIR [ARGS]: runja-gen --status in DIR
status() {
	sd=$1
	shift
	(cd "$sd" && "$gen" --status "$@")
}

# nrunning DIR PATTERN: the number of lines of --status that say running with PATTERN after
nrunning() {
	status "$1" | grep -c "^run_[0-9]*  running  [0-9T:-]*Z  *[0-9.]* s  $2"
}

# js DIR CODE: python code run on r, the --status --json object of run_000
js() {
	status "$1" --json | /usr/bin/python3 -c "
import json, socket, sys
r = [x for x in json.load(sys.stdin) if x['run'] == 'run_000'][0]
p = r.get('progress')
$2"
}

# lines PATTERN FILE: the number of lines of FILE with PATTERN (0 while FILE is not there)
lines() {
	if [ -e "$2" ]; then grep -c "$1" "$2"; else echo 0; fi
}

# plain FILE: FILE's bytes other than printable ones and line breaks (none: no control codes)
plain() {
	LC_ALL=C tr -d '\n[:print:]' <"$1" | od -An -c | tr -s ' '
}

# --- a command that counts for itself: 3 of 10, then it waits for its gate
d=$tmp/c
mkdir -p "$d"
"$synth" --runs 2 --frames 5 --size 24x16 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
cat >"$d/prog.sh" <<'SH'
#!/bin/sh
# prog.sh RUN OUT: says where it counts, counts 3 of 10 (unless told not to), waits for its gate (30 s at most)
echo "$RUNJA_PROGRESS" >"$GATE/path.$RUNJA_ID"
[ -e "$GATE/nocount" ] || echo "3 10" >>"$RUNJA_PROGRESS"
n=0
while [ ! -e "$GATE/go.$RUNJA_ID" ]; do
	n=$((n + 1))
	[ "$n" -lt 600 ] || exit 1
	sleep 0.05
done
echo ok >"$2/result.txt"
SH
chmod +x "$d/prog.sh"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["./prog.sh", "{run}", "{out}"]; };
CFG
(cd "$d" && "$gen" >/dev/null) || exit 1
(cd "$d" && ninja -j2 >"$tmp/c1.log" 2>&1) &
build=$!
if waitfor 60 '[ "$(nrunning "$d" "3/10 (30 %), ")" = 2 ]'; then
	pass command-halfway
else
	fail command-halfway "$(status "$d")"
fi
same command-line "$(status "$d" | grep -c '^run_000  running  20[0-9-]*T[0-9:]*Z  *[0-9]*\.[0-9][0-9] s  3/10 (30 %), \(about [0-9][0-9 minh]* s left\|almost done\)$')" 1
same command-json "$(js "$d" 'print(r["state"], p["what"], p["done"], p["total"], p["estimate"], p["usual"], p["host"] == socket.gethostname(),
      p["left"] >= 0, p["elapsed"] >= 0, len(p["started"]), r["when"], r["error"])')" \
	"running command 3 10 pace None True True True 20 None None"
same command-count-file "$(grep -c '^\(.*/\)\{0,1\}out/\.runja/progress/[0-9a-f]\{16\}\.command$' "$gate/path.run_000" "$gate/path.run_001" | sed 's/.*://' | tr '\n' ' ')" "1 1 "
same command-records "$(ls "$d/out/.runja/progress" | grep -c '^[0-9a-f]\{16\}$')" 2
# what a killed attempt would leave: this record, once no process holds the run's lock
stale=$(grep -l '^run run_000$' "$d/out/.runja/progress"/*)
cp "$stale" "$tmp/stale.record"

# --watch without a terminal: plain lines, one per run seen, one per run ended, the counts at the end
(cd "$d" && "$gen" --status --watch=0.2 >"$tmp/w.txt" 2>&1) &
watch=$!
waitfor 30 'grep -q "  run_001  3/10" "$tmp/w.txt"' || fail watch-plain-seen "$(cat "$tmp/w.txt")"
touch "$gate/go.run_000"
waitfor 30 'grep -q "  run_000  ended: done\$" "$tmp/w.txt"' || fail watch-plain-ended "$(cat "$tmp/w.txt")"
touch "$gate/go.run_001"
wait "$build"
same command-build "$?" 0
waitfor 30 'gone "$watch"' || { kill "$watch"; fail watch-plain-ends "$(cat "$tmp/w.txt")"; }
wait "$watch"
same watch-plain-status "$?" 0
same watch-plain-lines "$(sed -e 's/^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]  //' -e 's/ (30 %), .*/ (30 %)/' "$tmp/w.txt")" "run_000  3/10 (30 %)
run_001  3/10 (30 %)
run_000  ended: done
run_001  ended: done
nothing is running: 2 done"
same watch-plain-no-control "$(plain "$tmp/w.txt")" ""
same command-done "$(status "$d" | awk '{ print $1, $2 }')" "run_000 done
run_001 done"
same records-removed "$(ls -A "$d/out/.runja/progress")" ""
cp "$tmp/stale.record" "$stale"
same stale-record-ignored "$(status "$d" | awk '$1 == "run_000" { print $2 }')" done
same stale-record-json "$(js "$d" 'print(r["state"], "progress" in r)')" "done False"
rm -f "$d/out/.runja/progress"/*
# nothing under way: --watch says so at once
(cd "$d" && "$gen" --status --watch=0.2) >"$tmp/w0.txt" 2>&1
same watch-nothing "$?:$(sed 's/^[0-9:]*  //' "$tmp/w0.txt")" "0:nothing is running: 2 done"

# --- no count of its own: elapsed against the ledger's usual time for the same parameters
ledger=$d/out/.runja/ledger.tsv
key=$(awk -F'\t' '$1 == "run_000" { k = $10 } END { print k }' "$ledger")
for k in 1 2; do
	printf 'run_000\t2026-01-0%sT00:00:00Z\t100.000\t1000\th\t0\t0.1\t-\t\t%s\n' "$k" "$key" >>"$ledger"
done
touch "$gate/nocount"
rm -f "$gate/go.run_000"
(cd "$d" && "$gen" --rerun run_000 >/dev/null)
(cd "$d" && ninja -j2 >"$tmp/c2.log" 2>&1) &
build=$!
waitfor 60 '[ "$(nrunning "$d" "usually 1 min 40 s, ")" = 1 ]' || fail history-seen "$(status "$d")"
same history-line "$(status "$d" | grep -c '^run_000  running  .* s  usually 1 min 40 s, about 1 min\( [0-9]* s\)\{0,1\} left$')" 1
same history-json "$(js "$d" 'print(r["state"], p["done"], p["total"], p["estimate"], p["usual"], 0 < p["left"] <= 100, r["when"] is not None)')" \
	"running None None history 100.0 True True"
touch "$gate/go.run_000"
wait "$build"
same history-build "$?" 0
rm -f "$gate/nocount"

# --- --watch on a terminal (a pseudo-terminal): a bar per run, redrawn in place
if ! command -v script >/dev/null 2>&1; then
	echo "SKIP watch-terminal: no script(1) to give it a pseudo-terminal"
else
	rm -f "$gate"/go.*
	(cd "$d" && "$gen" --rerun all >/dev/null)
	(cd "$d" && ninja -j2 >"$tmp/c3.log" 2>&1) &
	build=$!
	waitfor 60 '[ "$(nrunning "$d" 3/10)" = 2 ]' || fail watch-terminal-halfway "$(status "$d")"
	(cd "$d" && script -qec "'$gen' --status --watch=0.2" /dev/null </dev/null >"$tmp/t.txt" 2>&1) &
	watch=$!
	# two looks at least, each drawing both bars
	waitfor 30 '[ "$(lines "run_001  \[######\.\.\.\.\.\.\.\.\.\.\.\.\.\.\]  3/10 (30 %)" "$tmp/t.txt")" -ge 2 ]' ||
		fail watch-terminal-bars "$(cat -v "$tmp/t.txt")"
	touch "$gate/go.run_000" "$gate/go.run_001"
	wait "$build"
	same watch-terminal-build "$?" 0
	waitfor 30 'gone "$watch"' || { kill "$watch"; fail watch-terminal-ends "$(cat -v "$tmp/t.txt")"; }
	wait "$watch"
	same watch-terminal-status "$?" 0
	esc=$(printf '\033')
	# each look: up over the lines drawn, each line erased to its end, what is below erased
	ups=$(grep -c "${esc}\[3A.*run_000  \[######" "$tmp/t.txt")
	erased=$(grep -c "2 running  (Ctrl-C stops watching)${esc}\[K" "$tmp/t.txt")
	same watch-terminal-redraw "$([ "$ups" -gt 0 ] && [ "$erased" -gt 0 ] && echo yes)" yes
	same watch-terminal-last "$(tr '\r' '\n' <"$tmp/t.txt" | sed "s/${esc}\[[0-9]*[A-Z]//g" | grep -v '^$' | tail -1)" \
		"nothing is running: 2 done"
fi

# --- the pipeline, halfway: 12 frames, its stderr a full pipe, the 7th frame bad (skipped: a warning)
p=$tmp/p
mkdir -p "$p"
"$synth" --runs 1 --frames 12 --size 24x16 --bad crc:0:6 "$p/data" >/dev/null || exit 1
rawsnap "$p/data"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\ninput = { on_bad_frame = "skip"; };\n' >"$p/runja.cfg"
(cd "$p" && "$gen" >/dev/null) || exit 1
cmd=$(cd "$p" && ninja -t commands | grep 'runja-process ')
(cd "$p" && RUNJA_PROGRESS_EVERY=0 /usr/bin/python3 -c '
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
flags = fcntl.fcntl(w, fcntl.F_GETFL)
fcntl.fcntl(w, fcntl.F_SETFL, flags | os.O_NONBLOCK)
for chunk in (4096, 1):
    try:
        while True:
            os.write(w, b"x" * chunk)
    except BlockingIOError:
        pass
fcntl.fcntl(w, fcntl.F_SETFL, flags)
child = subprocess.Popen(sys.argv[1], shell=True, stderr=w)
os.close(w)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
with open(sys.argv[3], "wb") as f:
    f.write(os.fdopen(r, "rb").read().lstrip(b"x"))
sys.exit(child.wait())
' "$cmd" "$gate/go.pipeline" "$tmp/p.stderr") &
pipe=$!
if waitfor 60 '[ "$(nrunning "$p" "6/12 (50 %), ")" = 1 ]'; then
	pass pipeline-halfway
else
	fail pipeline-halfway "$(status "$p")"
fi
same pipeline-json "$(js "$p" 'print(r["state"], p["what"], p["done"], p["total"], p["estimate"], p["left"] >= 0)')" \
	"running pipeline 6 12 pace True"
touch "$gate/go.pipeline"
wait "$pipe"
same pipeline-exit "$?" 0
same pipeline-warned "$(cat "$tmp/p.stderr")" "runja-process: run_000/img_6.png: IDAT: CRC error (skipped)"
same pipeline-done "$(status "$p" | awk '{ print $1, $2 }'):$(ls -A "$p/out/.runja/progress")" "run_000 done:"

finish
