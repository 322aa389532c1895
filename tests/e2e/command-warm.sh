# A Python script's runs are forked from a warm fork server (exec/warm.py) by default
# (command.warm unset, "auto"), through the real ninja. Its runs are children of one
# server, each in a process group of its own, give the same results as cold runs
# (warm = false, whose runs are children of runja-exec), see a module edited in place
# (the running server is then replaced), and fail as cold runs do: exit status, an
# exception, SIGKILL (tried again, a passing cause), the timeout, a forked child that
# outlives it, SIGINT to ninja. No server outlives its idle time. The server starts with
# glibc.malloc.hugetlb=1 in GLIBC_TUNABLES; a run's environment is the one it would have had.
. tests/lib.sh

py=$(command -v python3) || { echo "SKIP command-warm: no python3"; exit 0; }
unset GLIBC_TUNABLES
copyprograms
export RUNJA_WARM_IDLE=2
d=$tmp/tank
mkdir -p "$d/data"
"$synth" --runs 3 --frames 3 --size 16x12 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
cat >"$d/analyse.py" <<'PY'
import os
import sys
import time

import helper

mode = open("mode." + os.environ["RUNJA_ID"]).read().strip() if os.path.exists("mode." + os.environ["RUNJA_ID"]) else ""
print("analysing", os.environ["RUNJA_ID"], mode)
if mode == "exit":
    sys.exit(3)
if mode == "raise":
    raise ValueError("no front in " + os.environ["RUNJA_ID"])
if mode == "kill":
    os.kill(os.getpid(), 9)
if mode == "sleep":
    time.sleep(30)
if mode == "fork" and os.fork() == 0:
    time.sleep(2.5)
    open("late." + os.environ["RUNJA_ID"], "w").write("x")
    os._exit(0)
with open(os.path.join(sys.argv[2], "result.txt"), "w") as f:
    nframes = len(open(os.environ["RUNJA_FRAMES"]).read().split())
    f.write("%s frames=%d helper=%s name=%s\n" % (os.environ["RUNJA_ID"], nframes, helper.VERSION, __name__))
with open(os.path.join(sys.argv[2], "parent.txt"), "w") as f:
    f.write("%d\n" % os.getppid())
with open(os.path.join(sys.argv[2], "group.txt"), "w") as f:
    f.write("own-group=%s progress=%s\n" % (os.getpgid(0) == os.getpid(), "RUNJA_PROGRESS" in os.environ))
with open(os.path.join(sys.argv[2], "tunables.txt"), "w") as f:
    f.write("%s\n" % os.environ.get("GLIBC_TUNABLES", "unset"))
PY
echo 'VERSION = 1' >"$d/helper.py"
cat >"$d/runja.cfg" <<CFG
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["$py", "analyse.py", "{run}", "{out}"]; inputs = ["*.py"]; timeout = "3s"; };
jobs = { retry_pause = 0; };
CFG
cmds() {
	sed -n 's/^\[[0-9]*\/[0-9]*\] COMMAND \(.*\) ([0-9]* frames)$/\1/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
# serverpids: the processes of this tree's warm servers still running, with their runs (all
# are warm.py); level N: those N deep, 0 the servers (the processes that listen), 1 their
# forkers, 2 the runs (the forkers' children); servers, runs: how many of each
serverpids() {
	pgrep -f "exec/warm.py out/.runja/warm/" | while read -r p; do
		[ "$(readlink "/proc/$p/cwd")" = "$d" ] && echo "$p"
	done
}
level() {
	all=$(serverpids) cur=
	for p in $all; do
		pp=$(ps -o ppid= -p "$p" | tr -d ' ') && [ -n "$pp" ] || continue  # it has just ended
		echo "$all" | grep -qx "$pp" || cur="$cur $p"
	done
	i=0
	while [ $i -lt "$1" ]; do
		cur=$(for p in $cur; do pgrep -P "$p"; done)
		i=$((i + 1))
	done
	echo $cur
}
servers() { level 0 | wc -w; }
runs() { level 2 | wc -w; }
# up PID: "up" while the process runs (not when it has ended, reaped or not)
up() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat")" != Z ] && echo up; }
(cd "$d" && "$gen" >/dev/null && ninja -j2) >"$tmp/first.log" 2>&1
same first "$?|$(cmds "$tmp/first.log")" "0|run_000 run_001 run_002"
same first-result "$(cat "$d/out/run_001/result.txt")" "run_001 frames=3 helper=1 name=__main__"
same first-log "$(cat "$d/out/run_001/runja.log")" "analysing run_001 "
same one-server-for-all "$(cat "$d"/out/run_*/parent.txt | sort -u | wc -l)|$(servers)" "1|1"
srv=$(cat "$d/out/run_000/parent.txt")
same server-is-warm-py "$(tr '\0' ' ' </proc/"$srv"/cmdline | cut -d' ' -f2 | sed 's|.*/||')" "warm.py"
# the runs' parent is the forker, the only child of the process that listens
same forker-of-server "$(level 1)|$(pgrep -P "$(level 0)")" "$srv|$srv"
same own-group "$(cat "$d"/out/run_*/group.txt | sort -u)" "own-group=True progress=True"
# the server's heap in transparent huge pages; a run's environment is the one it would have had
same server-huge-heap "$(tr '\0' '\n' </proc/"$srv"/environ | grep '^GLIBC_TUNABLES=')" "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
same run-own-environment "$(cat "$d"/out/run_*/tunables.txt | sort -u)" "unset"

# the same results as the same command run cold
mkdir -p "$tmp/cold"
cp -R "$d/data" "$d/analyse.py" "$d/helper.py" "$tmp/cold/"
rawsnap "$tmp/cold/data"
sed 's/ timeout = / warm = false; timeout = /' "$d/runja.cfg" >"$tmp/cold/runja.cfg"
(cd "$tmp/cold" && "$gen" >/dev/null && ninja -j2) >"$tmp/cold.log" 2>&1
same cold-same-results "$(cat "$tmp/cold"/out/run_*/result.txt)" "$(cat "$d"/out/run_*/result.txt)"
same cold-same-log "$(cat "$tmp/cold/out/run_002/runja.log")" "$(cat "$d/out/run_002/runja.log")"
# (warm or cold is how a run is run, in OUT/.runja/jobs, not on its command line or in its record)
same cold-same-record "$(cat "$d/out/run_000/summary.json")" "$(cat "$tmp/cold/out/run_000/summary.json")"
same warm-in-jobs "$(grep '^warm ' "$d/out/.runja/jobs")|$(grep '^warm ' "$tmp/cold/out/.runja/jobs")" "warm 1|warm 0"
# cold: each run a child of its own runja-exec, no server
same cold-parent "$(for p in $(cat "$tmp/cold"/out/run_*/parent.txt); do echo "$p"; done | sort -u | wc -l)|$(ls -A "$tmp/cold/out/.runja/warm" 2>/dev/null | wc -l)" "3|0"
same cold-own-group "$(cat "$tmp/cold"/out/run_*/group.txt | sort -u)" "own-group=True progress=True"

# a module edited in place while its server runs: every run reruns with it (command.inputs
# lists it), on a new server (the running one answers "stale" and ends)
RUNJA_WARM_IDLE=60
reframe "$d/data/run_000/img_0.png"
rawsnap "$d/data"
(cd "$d" && ninja -j2) >"$tmp/again.log" 2>&1
srv=$(cat "$d/out/run_000/parent.txt")
settle
alive=$(up "$srv")
echo 'VERSION = 2' >"$d/helper.py"
(cd "$d" && ninja -j2) >"$tmp/edited.log" 2>&1
same module-edited "$alive|$?|$(cmds "$tmp/edited.log")|$(cut -d' ' -f3 "$d"/out/run_*/result.txt | sort -u)" "up|0|run_000 run_001 run_002|helper=2"
same module-edited-new-server "$( [ "$(cat "$d/out/run_000/parent.txt")" != "$srv" ] && echo new)|$(up "$srv")" "new|"
# a module the runs import but command.inputs does not list: no rerun for it (as cold),
# but a run that reruns for another cause is never served by a server that imported
# the old one
sed -i 's/inputs = \["\*\.py"\]/inputs = ["analyse.py"]/' "$d/runja.cfg"
(cd "$d" && ninja -j2) >"$tmp/unlisted0.log" 2>&1
srv=$(cat "$d/out/run_001/parent.txt")
settle
echo 'VERSION = 3' >"$d/helper.py"
(cd "$d" && ninja -j2) >"$tmp/unlisted1.log" 2>&1
same unlisted-module-no-rerun "$?|$(cmds "$tmp/unlisted1.log")" "0|"
reframe "$d/data/run_001/img_0.png"
rawsnap "$d/data"
alive=$(up "$srv")
(cd "$d" && ninja -j2) >"$tmp/unlisted2.log" 2>&1
same unlisted-module-fresh "$alive|$?|$(cmds "$tmp/unlisted2.log")|$(cut -d' ' -f3 "$d/out/run_001/result.txt")" "up|0|run_001|helper=3"
same unlisted-module-new-server "$( [ "$(cat "$d/out/run_001/parent.txt")" != "$srv" ] && echo new)" new

# a module that changes while a new server imports it (here: the import itself rewrites
# it, once) is not served as the version it replaced: the server notes each source as
# the import looks at it
sed -i 's/inputs = \["analyse.py"\]/inputs = ["*.py"]/' "$d/runja.cfg"
settle
touch "$d/rewrite-on-import"
cat >"$d/helper.py" <<'PYMOD'
import os
VERSION = 4
if os.path.exists("rewrite-on-import"):
    os.unlink("rewrite-on-import")
    with open(__file__) as f:
        text = f.read()
    with open(__file__, "w") as f:
        f.write(text.replace("VERSION = 4", "VERSION = 5"))
PYMOD
(cd "$d" && ninja -j2) >"$tmp/race.log" 2>&1
same rewritten-while-imported "$?|$(cmds "$tmp/race.log")|$(cut -d' ' -f3 "$d"/out/run_*/result.txt | sort -u)|$(grep -c 'running it cold' "$tmp/race.log")|$(ls "$d" | grep -c rewrite)" \
	"0|run_000 run_001 run_002|helper=5|0|0"
# the servers of idle 60 go; from here on they idle out after 2 s
for p in $(serverpids); do kill "$p"; done
RUNJA_WARM_IDLE=2

# failures: the same words as cold, the previous results kept, no work folder left;
# failcase NAME ID MODE ERROR [TRIES]: a passing cause (SIGKILL) is tried TRIES times
state() { echo "$(cat "$d/out/$1/result.txt")|$(stat -c %i "$d/out/$1/summary.json")"; }
failcase() {
	good=$(state "$2")
	echo "$3" >"$d/mode.$2"
	settle
	rawcheck "$d/data" "tank-until-$1"
	reframe "$d/data/$2/img_0.png"
	rawsnap "$d/data"
	(cd "$d" && ninja -j2) >"$tmp/$1.log" 2>&1
	st=$? said= k=1
	while [ "$k" -lt "${5:-1}" ]; do
		said="${said}runja-exec: $4
runja-exec: $2: attempt $k of $5 failed for a passing cause (see its error); trying again in 0 s
"
		k=$((k + 1))
	done
	same "$1" "$st|$(grep -E '^runja-(process|exec|report): ' "$tmp/$1.log")" "1|${said}runja-exec: $4
runja-report: 1 run failed: $2; why: runja-gen --status"
	same "$1-kept" "$(state "$2")|$(ls -A "$d/out/.runja/work")" "$good|"
	rm "$d/mode.$2"
}
failcase exit run_000 exit "run_000: analyse.py exited with status 3"
failcase raise run_001 raise "run_001: analyse.py exited with status 1"
same raise-traceback "$(grep -c '^  | ValueError: no front in run_001$' "$tmp/raise.log")" 1
failcase kill run_002 kill "run_002: analyse.py was killed by signal 9 (Killed)" 3
failcase timeout run_000 sleep "run_000: timed out after 3s"
(cd "$d" && ninja -j2) >"$tmp/fixed.log" 2>&1
same fixed "$?|$(cmds "$tmp/fixed.log")" "0|run_000"  # the others reran, fixed, in the step after their failure

echo fork >"$d/mode.run_001"
settle
rawcheck "$d/data" tank-until-fork
reframe "$d/data/run_001/img_0.png"
rawsnap "$d/data"
(cd "$d" && ninja -j2) >"$tmp/fork.log" 2>&1
same fork "$?|$(cmds "$tmp/fork.log")" "0|run_001"
sleep 3
same fork-child-killed "$(ls "$d" | grep -c '^late\.')" 0
rm "$d/mode.run_001"

# SIGINT to ninja while two runs sleep
echo sleep >"$d/mode.run_000"
echo sleep >"$d/mode.run_002"
g0=$(state run_000) g2=$(state run_002)
settle
rawcheck "$d/data" tank-until-interrupt
reframe "$d/data/run_000/img_0.png" "$d/data/run_002/img_0.png"
rawsnap "$d/data"
(cd "$d" && exec setsid ninja -j2 >"$tmp/int.log" 2>&1) &
sub=$!
sleep 1.5
# this test's ninja: the background job itself (setsid execs it), or its child
nj=$(ninjaof "$sub")
[ -n "$nj" ] && env kill -INT -- "-$nj"
wait
same interrupt "$(grep -c 'interrupted by user' "$tmp/int.log")|$(state run_000)|$(state run_002)|$(ls -A "$d/out/.runja/work")" "1|$g0|$g2|"
same interrupt-no-run-left "$(runs)" 0
rm "$d/mode.run_000" "$d/mode.run_002"
(cd "$d" && ninja -j2) >"$tmp/int2.log" 2>&1
same interrupt-rerun "$?|$(cmds "$tmp/int2.log")" "0|run_000 run_002"

# sleeping NAME: a build in the background (its pid in sub, its output in $tmp/NAME.log)
# in which run_001 sleeps, once that run is up (r: the runs then)
sleeping() {
	echo sleep >"$d/mode.run_001"
	settle
	rawcheck "$d/data" "tank-until-$1"
	reframe "$d/data/run_001/img_0.png"
	rawsnap "$d/data"
	(cd "$d" && ninja -j2) >"$tmp/$1.log" 2>&1 &
	sub=$!
	k=0
	while [ "$(runs)" -eq 0 ] && [ $k -lt 100 ]; do sleep 0.1; k=$((k + 1)); done
	r=$(level 2)
}

# a server killed while a run sleeps (its forker, or the process that listens): that run
# fails at once, its results kept, nothing of it left running; the next build reruns it on
# a new server
for who in forker listener; do
	g1=$(state run_001)
	sleeping "$who"
	[ "$who" = forker ] && f=$(level 1) || f=$(level 0)
	[ -n "$f" ] && kill -9 $f
	wait "$sub"
	same "$who-killed" "$?|$(grep -E '^runja-(exec|report): ' "$tmp/$who.log")|$(state run_001)|$(echo $r | wc -w)|$(for p in $r; do up "$p"; done)" \
		"1|runja-exec: run_001: cannot run analyse.py: the warm Python server ended while the program ran
runja-report: 1 run failed: run_001; why: runja-gen --status|$g1|1|"
	rm "$d/mode.run_001"
	(cd "$d" && ninja -j2) >"$tmp/$who-after.log" 2>&1
	same "$who-killed-rerun" "$?|$(cmds "$tmp/$who-after.log")|$( [ "$(cat "$d/out/run_001/parent.txt")" != "$f" ] && echo new)" "0|run_001|new"
done

# a run's wrapper killed (kill -9) while the run sleeps: the server kills the run; the
# next build reruns it
sleeping wrapper
pkill -9 -f -- "runja-exec .*--id run_001 "
k=0
while [ -n "$(for p in $r; do up "$p"; done)" ] && [ $k -lt 30 ]; do sleep 0.1; k=$((k + 1)); done
same wrapper-killed-run-ends "$(echo $r | wc -w)|$(for p in $r; do up "$p"; done)" "1|"
wait "$sub"
rm "$d/mode.run_001"
(cd "$d" && ninja -j2) >"$tmp/wrapper-after.log" 2>&1
same wrapper-killed-rerun "$?|$(cmds "$tmp/wrapper-after.log")" "0|run_001"

# idle servers end by themselves (RUNJA_WARM_IDLE=2 here), and take their socket along
sleep 3
same servers-idle-out "$(servers)|$(ls "$d/out/.runja/warm" | grep -c '\.sock$')" "0|0"

# with jobs.launcher each run is a job of its own: no server; said so when warm = true asks for one
sed -i 's/^jobs = { retry_pause = 0; };/jobs = { retry_pause = 0; launcher = "env"; };/' "$d/runja.cfg"
same launcher-default "$(cd "$d" && "$gen" 2>&1 | grep -c warm)|$(grep '^warm ' "$d/out/.runja/jobs")" "0|warm 0"
sed -i 's/ timeout = "3s";/ warm = true; timeout = "3s";/' "$d/runja.cfg"
same launcher-warns "$(cd "$d" && "$gen" 2>&1 | head -1)" "runja-gen: runja.cfg: command.warm is not used with jobs.launcher (each run is a job of its own)"
same launcher-no-warm "$(grep -c -- '--warm' "$d/build.ninja")|$(grep '^warm ' "$d/out/.runja/jobs")" "0|warm 0"

# a program that is not a Python script runs as before: a child of runja-exec, no server
s=$tmp/shell
mkdir -p "$s"
"$synth" --runs 2 --frames 2 --size 8x8 "$s/data" >/dev/null || exit 1
rawsnap "$s/data"
cat >"$s/analyse.sh" <<'SH'
#!/bin/sh
echo "$PPID $(cat /proc/$PPID/comm)" >"$2/parent.txt"
SH
chmod +x "$s/analyse.sh"
printf '%s\n' 'version = 1;' 'runs = { root = "data"; match = "run_*"; };' \
	'command = { run = ["./analyse.sh", "{run}", "{out}"]; };' >"$s/runja.cfg"
(cd "$s" && "$gen" >/dev/null && ninja -j2) >"$tmp/shell.log" 2>&1
same shell-cold "$?|$(cut -d' ' -f2 "$s"/out/run_*/parent.txt | sort -u)|$(grep '^warm ' "$s/out/.runja/jobs")|$(ls -A "$s/out/.runja/warm" 2>/dev/null | wc -l)" \
	"0|runja-exec|warm 0|0"
rawcheck "$s/data" shell

finish
