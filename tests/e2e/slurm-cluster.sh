# runja on a real single-node SLURM (tests/slurm/start.sh) as a cluster runs it, with
# jobs.launcher = "slurm": every run's job asks for the partition, account, time and
# memory of jobs.slurm, or, per run, what the ledger measured of it; switching the
# launcher reruns nothing; Ctrl-C, SIGHUP and SIGKILL of ninja lose nothing and the next
# build retries exactly the interrupted runs; --slurm-script caps its tasks by the
# partition and warns of what no node can give; --slurm-submit, and --array: 40 runs as
# one job array within MaxArraySize.
# Prints one line "SKIP slurm-cluster: why" when SLURM cannot run here.
. tests/lib.sh

PATH=$PATH:/usr/sbin:/sbin
skip() {
	echo "SKIP slurm-cluster: $1"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "not root (slurmd must run as root)"
for p in munged slurmctld slurmd srun sbatch scontrol sinfo squeue python3; do
	command -v $p >/dev/null 2>&1 || skip "no $p (apt-get install slurmctld slurmd slurm-client munge)"
done

# the traps first: a signal during start.sh is handled once it has printed the path
conf=
trap '[ -z "$conf" ] || sh "$top/tests/slurm/stop.sh" "$conf"; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
# 4 CPUs; a second partition "small" on the same node; job arrays of 8 tasks at most
conf=$(RUNJA_SLURM_CPUS=4 RUNJA_SLURM_CONF='MaxArraySize=8
PartitionName=small Nodes=ALL MaxTime=60 State=UP' sh "$top/tests/slurm/start.sh")
status=$?
same cluster-started "$status" 0
[ "$status" = 0 ] || finish
export SLURM_CONF="$conf"
copyprograms

# job FIELD JOBID: FIELD of scontrol show job (Partition, Account, TimeLimit, MinMemoryNode, Comment)
job() {
	scontrol show job "$2" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}
# asked LEDGER: per attempt "RUN partition account time memory", from each job in the ledger
asked() {
	awk -F'\t' '$8 != "-" { split($8, j, "."); print $1, j[1] }' "$1" | while read -r id jid; do
		echo "$id $(job Partition "$jid") $(job Account "$jid") $(job TimeLimit "$jid") $(job MinMemoryNode "$jid")"
	done
}
# cmds LOG: the runs whose command ninja ran, sorted, one line
cmds() {
	sed -n 's/^\(\[[0-9]*\/[0-9]*\] \)\{0,1\}COMMAND \(.*\) ([0-9]* frames)$/\2/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
# waitjobs: until the cluster has no job (60 s at most)
waitjobs() {
	i=0
	while [ -n "$(squeue -h -o %i)" ] && [ $i -lt 600 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

# tree DIR RUNS SIZE: a folder with a synthetic data tree of RUNS runs of frames of SIZE
# and a pipeline config beside it (jobs as given on stdin), the data recorded
tree() {
	mkdir -p "$1"
	"$synth" --runs "$2" --frames 2 --size "$3" "$1/data" >/dev/null || exit 1
	rawsnap "$1/data"
	{ printf '%s\n' "version = 1;" 'runs = { root = "data"; match = "run_*"; };'; cat; } >"$1/runja.cfg"
}

# 1. resources from jobs.slurm: every run's job in partition small, account lab7, 7
#    minutes, 300 MiB, with the extra option (its comment)
p=$tmp/pipe
tree "$p" 3 32x24 <<'CFG'
pipeline = ( { op = "blur"; sigma = 1.0; } );
jobs = { launcher = "slurm"; slurm = { partition = "small"; account = "lab7"; time = "7m"; memory = "300M";
  extra = ["--comment=runja-test"]; }; };
CFG
(cd "$p" && "$gen" >/dev/null && ninja -j3) >"$tmp/p1.log" 2>&1
same config-build "$?|$(processed "$tmp/p1.log")" "0|run_000 run_001 run_002"
same config-resources "$(asked "$p/out/.runja/ledger.tsv" | sort)" "run_000 small lab7 00:07:00 300M
run_001 small lab7 00:07:00 300M
run_002 small lab7 00:07:00 300M"
same config-extra "$(for j in $(cut -f8 "$p/out/.runja/ledger.tsv" | cut -d. -f1); do job Comment "$j"; done | sort -u)" "runja-test"

# 2. switching the launcher between local and slurm on the processed tree reruns nothing
for launcher in "" slurm; do
	sed "s/launcher = \"[a-z]*\"/launcher = \"$launcher\"/" "$p/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$p/runja.cfg"
	(cd "$p" && ninja -j3) >"$tmp/switch.log" 2>&1
	same "switch-to-${launcher:-local}" "$?|$(grep '^\[' "$tmp/switch.log")|$(cd "$p" && ninja -n 2>&1)" \
		"0|[1/1] REGEN   build.ninja|ninja: no work to do."
done
same switch-no-attempt "$(wc -l <"$p/out/.runja/ledger.tsv")" 3

# 3. per run from what runja knows: command.memory and command.timeout at first, then
#    the ledger's peak RSS (+ 10 %) and time (x 1.5 + 2 min) of the same parameters
h=$tmp/hist
tree "$h" 2 16x12 <<'CFG'
command = { run = ["python3", "big.py", "{run}", "{out}"]; memory = "200M"; timeout = 600; };
jobs = { launcher = "slurm"; };
CFG
cat >"$h/big.py" <<'PY'
import sys, time
block = bytearray(120 * 1024 * 1024)
time.sleep(1)
open(sys.argv[2] + "/result.txt", "w").write("ok %d\n" % len(block))
PY
(cd "$h" && "$gen" >/dev/null && ninja -j2) >"$tmp/h1.log" 2>&1
same history-first-build "$?|$(cmds "$tmp/h1.log")" "0|run_000 run_001"
# command.memory, and command.timeout + 2 min
same history-first-asks "$(asked "$h/out/.runja/ledger.tsv" | cut -d' ' -f1,4,5 | sort)" "run_000 00:12:00 200M
run_001 00:12:00 200M"
(cd "$h" && "$gen" --rerun all >/dev/null && ninja -j2) >"$tmp/h2.log" 2>&1
same history-second-build "$?|$(cmds "$tmp/h2.log")" "0|run_000 run_001"
# what the first attempts measured, in whole minutes and MiB, rounded up
want=$(head -n 2 "$h/out/.runja/ledger.tsv" | awk -F'\t' '{ t = int($3 * 1.5) + 120; m = int($4 * 1024 * 1.1);
	printf "%s %02d:%02d:00 %dM\n", $1, int((t + 59) / 60 / 60), int((t + 59) / 60) % 60, int((m + 1048575) / 1048576) }' | sort)
same history-measured-asks "$(tail -n 2 "$h/out/.runja/ledger.tsv" | asked /dev/stdin | cut -d' ' -f1,4,5 | sort)" "$want"
case $want in *" 00:02:00 "* | *" 00:03:00 "*) pass history-measured-sane ;; *) fail history-measured-sane "$want" ;; esac

# 4. interrupts, with a run of 60 s in its srun step and a fast one beside it
c=$tmp/cmd
tree "$c" 2 16x12 <<CFG
command = { run = ["./slow.sh", "{run}", "{out}", "$token"]; };
jobs = { launcher = "slurm"; retry_pause = 0; };
CFG
cat >"$c/slow.sh" <<'SH'
#!/bin/sh
# held: it waits until the test removes gate/hold.RUN (a folder of its own: build.ninja
# depends on the times of this one)
while [ -e "gate/hold.$RUNJA_ID" ]; do sleep "1.$3"; done
if [ -e "finish.$RUNJA_ID" ]; then
	# told of an interrupt, it finishes: its result, then status 0
	trap 'echo finished >"$2/result.txt"; exit 0' INT
	sleep "60.$3" &
	wait
	exit 1
fi
[ -e "fast.$RUNJA_ID" ] || exec sleep "60.$3"
echo done >"$2/result.txt"
SH
chmod +x "$c/slow.sh"
mkdir "$c/gate"
(cd "$c" && "$gen" >/dev/null)
ledger=$c/out/.runja/ledger.tsv
# startbuild LOG SECONDS: ninja in $c in the background (its PID in pid), until run_000's
# program sleeps for SECONDS (1: held, or 60); a queue slow to start the job is waited
# for 2 min, and said
startbuild() {
	(cd "$c" && exec ninja -j2 >"$1" 2>&1) &
	pid=$!
	i=0
	until [ -d "$c/out/.runja/work/run_000/out" ] && pgrep -f "sleep $2.$token" >/dev/null; do
		i=$((i + 1))
		[ $i -lt 1200 ] || { echo "startbuild: run_000's program did not start in 2 min" >&2 && break; }
		sleep 0.1
	done
}
# slurmlog: what the cluster's slurmd said of steps, to explain a failure
slurmlog() {
	grep -i 'step\|kill\|task' "$(dirname "$conf")/log/slurmd.log" | tail -n 30 | sed 's/^/  slurmd: /'
}
# interrupt SIG: ninja started, run_001 done and run_000's step running, then SIG to
# ninja; prints the seconds ninja took to end
interrupt() {
	rm -f "$c/fast.run_000"
	touch "$c/fast.run_001"
	(cd "$c" && "$gen" --rerun all >/dev/null)
	n=$(cat "$ledger" 2>/dev/null | wc -l)
	startbuild "$tmp/int.log" 60
	# and run_001 recorded
	while [ "$(cat "$ledger" 2>/dev/null | wc -l)" -le "$n" ] && [ $i -lt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	sleep 0.5
	t0=$(date +%s.%N)
	kill -"$1" $pid
	{ wait $pid; } 2>/dev/null
	python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$(date +%s.%N)"
}
for sig in INT HUP TERM; do
	before=$(cat "$ledger" 2>/dev/null | wc -l)
	took=$(interrupt $sig)
	[ "$took" -le 5 ] && pass "$sig-ends-in-${took}s" || fail "$sig-ends-quickly" "took $took s"
	same "$sig-no-work-folder" "$(ls "$c/out/.runja/work" 2>/dev/null)" ""
	# the run's step is told SIGINT: the attempt, or its program first (a step's processes all get it), records it
	same "$sig-ledger" "$(tail -n +$((before + 1)) "$ledger" | cut -f1,6 | sort)" "run_000	SIGINT
run_001	0"
	touch "$c/fast.run_000"
	(cd "$c" && ninja -j2) >"$tmp/after.log" 2>&1
	same "$sig-next-build-retries-exactly-it" "$?|$(cmds "$tmp/after.log")|$(cat "$c/out/run_001/result.txt")" "0|run_000|done"
done

# a run whose program, told of the interrupt, finishes (status 0): its result is kept, and
# the next build does not run it again
touch "$c/finish.run_000"
n=$(wc -l <"$ledger")
interrupt INT >/dev/null
same finished-ledger "$(tail -n +$((n + 1)) "$ledger" | cut -f1,6 | sort | tr '\t\n' ': ')" "run_000:0 run_001:0 "
same finished-result-kept "$(cat "$c/out/run_000/result.txt")" finished
rm -f "$c/finish.run_000"
touch "$c/fast.run_000"
n=$(wc -l <"$ledger")
(cd "$c" && ninja -j2) >"$tmp/fin.after" 2>&1
same finished-not-run-again "$?|$(tail -n +$((n + 1)) "$ledger" | wc -l)|$(cat "$c/out/run_000/result.txt")" "0|0|finished"
same finished-then-no-work "$(cd "$c" && ninja -j2)" "ninja: no work to do."

# a pipeline's run (seconds of median filtering) interrupted in its step: recorded by its step
g=$tmp/median
tree "$g" 1 640x480 <<'CFG'
pipeline = ( { op = "median"; radius = 4; } );
jobs = { launcher = "slurm"; };
CFG
"$synth" --runs 1 --frames 30 --size 640x480 "$tmp/frames" >/dev/null && cp "$tmp"/frames/run_000/*.png "$g/data/run_000/" || exit 1
rawsnap "$g/data"
(cd "$g" && "$gen" >/dev/null && exec ninja >"$tmp/median.log" 2>&1) &
pid=$!
i=0
until pgrep -f "^$proc --attempt" >/dev/null || [ $i -ge 300 ]; do
	i=$((i + 1))
	sleep 0.1
done
sleep 1
t0=$(date +%s)
kill -INT $pid
{ wait $pid; } 2>/dev/null
[ $(($(date +%s) - t0)) -le 5 ] && pass median-interrupted-quickly || fail median-interrupted-quickly "$(($(date +%s) - t0)) s"
# ninja waits for the shell it started the step with, which may end first: the step then
# records the attempt right after
i=0
while pgrep -f "^$proc " >/dev/null && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
same median-ledger "$(cut -f1,9 "$g/out/.runja/ledger.tsv")" "run_000	run_000: an attempt was interrupted (the build was stopped)"
(cd "$g" && ninja) >"$tmp/median2.log" 2>&1
same median-next-build "$?|$(processed "$tmp/median2.log")|$(cut -f6 "$g/out/.runja/ledger.tsv" | tail -n 1)" "0|run_000|0"

# SIGKILL of ninja and of every process of the run's attempt, here and on the node: the
# next build records the attempt cut short, removes its work folder and retries exactly it
rm -f "$c/fast.run_000"
(cd "$c" && "$gen" --rerun run_000 >/dev/null)
startbuild "$tmp/kill.log" 60
victims="$pid $(pgrep -f "$token")"
kill -KILL $victims 2>/dev/null
{ wait $pid; } 2>/dev/null
same sigkill-left-work-folder "$(ls "$c/out/.runja/work")" "run_000"
# srun was killed: SLURM keeps such a job until its time limit; this cluster lets it go now
scancel --name=runja:run_000 2>/dev/null
waitjobs
before=$(wc -l <"$ledger")
touch "$c/fast.run_000"
(cd "$c" && ninja -j2) >"$tmp/afterkill.log" 2>&1
same sigkill-next-build "$?|$(cmds "$tmp/afterkill.log")|$(ls "$c/out/.runja/work")" "0|run_000|"
same sigkill-recorded "$(tail -n +$((before + 1)) "$ledger" | cut -f1,6,9)" "run_000	75	run_000: an attempt was cut short (its build was killed): its work folder was left, and removed
run_000	0	"

# SIGKILL of ninja and of the step's processes here only (the login node's), while the
# attempt still runs on its node: the next build waits for it and keeps what it made. The
# attempt is held by a file until the next build says it waits, so that no timing decides
touch "$c/gate/hold.run_000"
(cd "$c" && "$gen" --rerun run_000 >/dev/null)
startbuild "$tmp/kill2.log" 1
here=$(pgrep -f -- "--keep-going --id run_000 .*$token" | while read -r q; do
	grep -q -- --attempt "/proc/$q/cmdline" 2>/dev/null || echo "$q"
done)
# srun is two processes in a group of their own; SLURM cancels the job when the first dies
# without the second, so the group is killed at once, after the step (which would try again)
sruns=$(pgrep -f "^srun .*$token" | while read -r q; do ps -o pgid= -p "$q"; done | sort -u)
kill -KILL $pid $here 2>/dev/null
for g in $sruns; do kill -KILL -$g 2>/dev/null; done
{ wait $pid; } 2>/dev/null
before=$(wc -l <"$ledger")
(cd "$c" && exec ninja -j2 >"$tmp/afterkill2.log" 2>&1) &
pid=$!
waiting='run_000: an attempt of an earlier build still runs (its build was stopped); waiting for it'
i=0
until grep -q "$waiting" "$tmp/afterkill2.log" || [ $i -ge 600 ]; do
	i=$((i + 1))
	sleep 0.1
done
# the attempt may end
rm -f "$c/gate/hold.run_000"
wait $pid
same orphan-waited "$?|$(grep -c "$waiting" "$tmp/afterkill2.log")" "0|1"
same orphan-kept "$(tail -n +$((before + 1)) "$ledger" | cut -f1,6)|$(ls "$c/out/.runja/work")|$(cd "$c" && ninja -n 2>&1)" \
	"run_000	0||ninja: no work to do."
[ "$(grep -c "$waiting" "$tmp/afterkill2.log")" = 1 ] || { sed 's/^/  next build: /' "$tmp/afterkill2.log" && slurmlog; }
scancel --name=runja:run_000 2>/dev/null
waitjobs

# 5. --slurm-script on a partition smaller than the runs to process: capped, said, done
s=$tmp/small
tree "$s" 6 16x12 <<'CFG'
pipeline = ( { op = "blur"; sigma = 1.0; } );
jobs = { launcher = "slurm"; slurm = { time = "5m"; cpus = 1; account = "lab7"; mail = "ana@lab.org";
  extra = ["--comment=runja-test"]; }; };
CFG
(cd "$s" && "$gen" >/dev/null && "$gen" --slurm-script >"$tmp/batch.sh" 2>"$tmp/batch.err")
# 4 tasks; 6 runs of 5 minutes on 4 CPUs: 7.5 minutes, plus the longest run; each run's
# memory the estimate of its pipeline, at least 64 MiB
same script-capped "$(grep -e '^#SBATCH --[ntacme]' "$tmp/batch.sh" | grep -v -e '--chdir')" "#SBATCH --ntasks=4
#SBATCH --account=lab7
#SBATCH --time=13
#SBATCH --cpus-per-task=1
#SBATCH --mem-per-cpu=64M
#SBATCH --mail-type=END,FAIL
#SBATCH --mail-user=ana@lab.org
#SBATCH --comment=runja-test"
same script-says-so "$(cat "$tmp/batch.err")" "runja-gen: --slurm-script: 6 runs to process; asking for 4 tasks, all partition test can give (4 CPUs, 1 per run): the runs wait their turn in ninja"
jid=$(cd "$s" && sbatch --parsable --wait <"$tmp/batch.sh")
same script-runs-to-completion "$?|$(processed "$s/out/.runja/slurm-$jid.log")|$(cd "$s" && ninja -n 2>&1)" \
	"0|run_000 run_001 run_002 run_003 run_004 run_005|ninja: no work to do."
same script-job-asks "$(job TimeLimit "$jid") $(job Account "$jid") $(job Comment "$jid") $(job MinMemoryCPU "$jid")" \
	"00:13:00 lab7 runja-test 64M"

# jobs.slurm.max_tasks below what the partition can give: that many, said
rawcheck "$s/data" small-until-max-tasks
reframe "$s/data/run_000/img_0.png" "$s/data/run_001/img_0.png" "$s/data/run_002/img_0.png" "$s/data/run_003/img_0.png"
rawsnap "$s/data"
sed 's/cpus = 1;/cpus = 1; max_tasks = 3;/' "$s/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$s/runja.cfg"
(cd "$s" && "$gen" >/dev/null && "$gen" --slurm-script >"$tmp/batch3.sh" 2>"$tmp/batch3.err")
same script-max-tasks "$(grep '^#SBATCH --ntasks' "$tmp/batch3.sh")|$(cat "$tmp/batch3.err")" \
	"#SBATCH --ntasks=3|runja-gen: --slurm-script: 4 runs to process; asking for 3 tasks (jobs.slurm.max_tasks 3)"
sed 's/ max_tasks = 3;//' "$s/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$s/runja.cfg"
(cd "$s" && ninja) >/dev/null 2>&1

# an impossible request: a warning naming why
sed 's/cpus = 1;/memory = "64T"; cpus = 16;/' "$s/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$s/runja.cfg"
(cd "$s" && "$gen" >/dev/null && "$gen" --slurm-script >/dev/null 2>"$tmp/never.err")
same script-never-memory "$(grep -c "asks for 67108864 MiB of memory, more than any node of partition test has" "$tmp/never.err")" 1
same script-never-cpus "$(grep -c 'asks for 16 CPUs, more than any node of partition test has (4): its job would never start' "$tmp/never.err")" 1
sed 's/memory = "64T"; cpus = 16;/cpus = 1; partition = "small"; job_time = "2h";/' "$s/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$s/runja.cfg"
(cd "$s" && "$gen" >/dev/null && "$gen" --slurm-script >/dev/null 2>"$tmp/never.err")
same script-never-time "$(cat "$tmp/never.err")" "runja-gen: warning: the job asks for 120 minutes, more than partition small allows (60): it would never start (jobs.slurm.job_time, jobs.slurm.time)"
sed 's/ partition = "small"; job_time = "2h";//' "$s/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$s/runja.cfg"

# --slurm-submit: sbatch, the job id said
rawcheck "$s/data" small-until-submit
reframe "$s/data/run_002/img_1.png"
rawsnap "$s/data"
(cd "$s" && "$gen" >/dev/null && "$gen" --slurm-submit) >"$tmp/submit.out" 2>&1
jid=$(sed -n 's/^runja-gen: submitted batch job \([0-9]*\): 1 runs, 1 tasks .*/\1/p' "$tmp/submit.out")
[ -n "$jid" ] && pass submit-says-job || fail submit-says-job "$(cat "$tmp/submit.out")"
waitjobs
same submit-processed "$(processed "$s/out/.runja/slurm-$jid.log")" "run_002"

# 6. array mode: 40 runs as one job array of MaxArraySize (8) tasks, then the report
a=$tmp/array
tree "$a" 40 16x12 <<'CFG'
pipeline = ( { op = "blur"; sigma = 1.0; } );
jobs = { launcher = "slurm"; slurm = { time = "5m"; }; };
CFG
(cd "$a" && "$gen" >/dev/null && "$gen" --slurm-submit --array) >"$tmp/array.out" 2>&1
same array-submitted "$(sed 's/[0-9][0-9]*/N/g' "$tmp/array.out")" "runja-gen: --slurm-script: N runs to process; an array of N tasks (MaxArraySize N)
runja-gen: submitted job array N: N runs in N tasks (logs out/.runja/slurm-N_K.log); job N builds the report after it"
waitjobs
same array-every-run-once "$(cut -f1,6 "$a/out/.runja/ledger.tsv" | sort -u | wc -l) $(wc -l <"$a/out/.runja/ledger.tsv") $(cut -f6 "$a/out/.runja/ledger.tsv" | sort -u)" "40 40 0"
same array-eight-tasks "$(ls "$a/out/.runja" | grep -c '^slurm-[0-9]*_[0-7]\.log$')" 8
same array-report "$(test -s "$a/out/summary.csv" && wc -l <"$a/out/summary.csv")" 41
same array-then-no-work "$(cd "$a" && ninja -n 2>&1)" "ninja: no work to do."

rawcheck "$c/data" cmd
finish
