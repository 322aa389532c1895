# runja on a real single-node SLURM (tests/slurm/start.sh): jobs.launcher makes every run
# a job step while ninja keeps scheduling and incrementality, the products equal a local
# build's, switching the launcher off and on reruns nothing, two builds at once process
# each run once, runja-gen --slurm-script | sbatch processes exactly the stale run, and
# ninja inside salloc runs each run as a step of that one job.
# Prints one line "SKIP slurm: why" when SLURM cannot run here.
. tests/lib.sh

PATH=$PATH:/usr/sbin:/sbin
skip() {
	echo "SKIP slurm: $1"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "not root (slurmd must run as root)"
for p in munged slurmctld slurmd srun sbatch salloc python3; do
	command -v $p >/dev/null 2>&1 || skip "no $p (apt-get install slurmctld slurmd slurm-client munge)"
done

# the traps first: a signal during start.sh is handled once it has printed the path
conf=
trap '[ -z "$conf" ] || sh "$top/tests/slurm/stop.sh" "$conf"; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
conf=$(RUNJA_SLURM_CPUS=4 sh "$top/tests/slurm/start.sh")
status=$?
same slurm-started "$status" 0
[ "$status" = 0 ] || finish
sdir=$(dirname "$conf")
pids=$(cat "$sdir"/pids/*.pid)
export SLURM_CONF="$conf"

# the programs are copied, so a rebuild of them during the test changes nothing here
copyprograms

# the same tree and settings in two folders; the second runs every run through srun
mkdir -p "$tmp/local" "$tmp/srun"
"$synth" --runs 6 --frames 8 --size 64x48 --kind mixed "$tmp/local/data" >/dev/null || exit 1
cp -R "$tmp/local/data" "$tmp/srun/data"
rawsnap "$tmp/local/data"
rawsnap "$tmp/srun/data"
cat >"$tmp/local/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["run_*"]; };
output = { npy = true; };
pipeline = ( { op = "blur"; sigma = 1.0; } );
products = { mean = true; std = true; max = true; stats = true; timestack = { row = 20; };
  front = { level = 0.5; from = "left"; }; };
CFG
cp "$tmp/local/runja.cfg" "$tmp/srun/runja.cfg"
echo 'jobs = { launcher = "srun --quiet -N1 -n1"; };' >>"$tmp/srun/runja.cfg"
all="run_000 run_001 run_002 run_003 run_004 run_005"

(cd "$tmp/local" && "$gen" >/dev/null && ninja -j4) >"$tmp/local.log" 2>&1
same local-build "$?|$(processed "$tmp/local.log")" "0|$all"
(cd "$tmp/srun" && "$gen" >/dev/null)

# the script's commands (its comment lines aside) for a folder with N stale runs
script() {
	printf '%s\n' "#!/bin/sh" "#SBATCH --job-name=runja" "#SBATCH --ntasks=$1" \
		"#SBATCH --chdir=\"$tmp/srun\"" "#SBATCH --output=\"out/.runja/slurm-%j.log\"" \
		"cd '$tmp/srun' || exit 1" "exec ninja -j \"\${SLURM_NTASKS:-$1}\""
}
# 6 runs, but the partition has 4 CPUs: 4 tasks, and a line says so; nothing written
treenow() {
	(cd "$tmp/srun" && find . -printf '%p %y %s %T@\n' | sort && find . -type f -exec md5sum {} + | sort -k2)
}
treenow >"$tmp/srun.before"
same slurm-script-all-stale "$(cd "$tmp/srun" && "$gen" --slurm-script 2>"$tmp/script.err" | grep -v '^# ')|$(cat "$tmp/script.err")" \
	"$(script 4)|runja-gen: --slurm-script: 6 runs to process; asking for 4 tasks, all partition test can give (4 CPUs, 1 per run): the runs wait their turn in ninja"
same slurm-script-writes-nothing "$(treenow | diff "$tmp/srun.before" - && echo same)" same

# ninja on the "login node", every run through srun
(cd "$tmp/srun" && ninja -j4) >"$tmp/srun.log" 2>&1
same srun-build "$?|$(processed "$tmp/srun.log")" "0|$all"
ledger=$tmp/srun/out/.runja/ledger.tsv
same srun-every-run-a-job-step "$(awk -F'\t' '$8 ~ /^[0-9]+\.0$/ { print $1 }' "$ledger" | sort | tr '\n' ' ')" "$all "
same srun-one-job-per-run "$(cut -f8 "$ledger" | sort -u | wc -l)" 6
same local-no-job "$(cut -f8 "$tmp/local/out/.runja/ledger.tsv" | sort -u)" "-"

# the products of both builds are the same bytes; summary.json differs at most in "argv"
files=$(cd "$tmp/local/out" && find . -path ./.runja -prune -o -type f \( -name '*.png' -o -name '*.npy' -o -name '*.csv' -o -name '*.json' \) -print | sort)
same same-files "$(cd "$tmp/srun/out" && find . -path ./.runja -prune -o -type f \( -name '*.png' -o -name '*.npy' -o -name '*.csv' -o -name '*.json' \) -print | sort)" "$files"
differ=
for f in $files; do
	case $f in
	*.json) python3 -c 'import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("argv", None), b.pop("argv", None)
sys.exit(a != b)' "$tmp/local/out/$f" "$tmp/srun/out/$f" ;;
	*) cmp -s "$tmp/local/out/$f" "$tmp/srun/out/$f" ;;
	esac || differ="$differ $f"
done
same products-identical "$(echo "$files" | wc -l) files differ:$differ" "$(echo "$files" | wc -l) files differ:"
(cd "$tmp/srun" && ninja -j4) >"$tmp/again.log" 2>&1
same srun-then-no-work "$(cat "$tmp/again.log")" "ninja: no work to do."

# how a run is run is not what it computes: the launcher switched off, then on again, each
# time ninja runs the regeneration alone (it writes OUT/.runja/jobs) and then has no work
for launcher in "" "srun --quiet -N1 -n1"; do
	name=launcher-srun
	[ -n "$launcher" ] || name=launcher-off
	sed "s/^jobs = .*/jobs = { launcher = \"$launcher\"; };/" "$tmp/srun/runja.cfg" >"$tmp/cfg" &&
		cat "$tmp/cfg" >"$tmp/srun/runja.cfg"
	(cd "$tmp/srun" && ninja -j4) >"$tmp/switch.log" 2>&1
	same "$name-regenerates-only" "$?|$(grep '^\[' "$tmp/switch.log")|$(grep '^launcher' "$tmp/srun/out/.runja/jobs")" \
		"0|[1/1] REGEN   build.ninja|launcher $launcher"
	same "$name-then-no-work" "$(cd "$tmp/srun" && ninja -n 2>&1)" "ninja: no work to do."
done
same launcher-switched-no-attempt "$(wc -l <"$ledger")" 6

# two builds at once in one tree, every run through srun, 3 times over from nothing: both
# succeed, each run has one successful attempt, a job step, and then there is no work
t=$tmp/twice
mkdir -p "$t"
cp -R "$tmp/local/data" "$t/data"
rawsnap "$t/data"
cp "$tmp/local/runja.cfg" "$t/runja.cfg"
echo 'jobs = { launcher = "srun --quiet -N1 -n1"; retry_pause = 0; };' >>"$t/runja.cfg"
(cd "$t" && "$gen" >/dev/null)
# oks LEDGER: per run, the number of attempts that succeeded, "ID:N" sorted, one line
oks() {
	awk -F'\t' '$6 == "0" { n[$1]++ } END { for (r in n) print r ":" n[r] }' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
bad=
for rep in 1 2 3; do
	rm -rf "$t/out" "$t/.runja"
	for k in 1 2; do
		(cd "$t" && ninja -j4 >"$tmp/twice.$k" 2>&1; echo $? >"$tmp/twice.$k.status") &
	done
	wait
	for k in 1 2; do
		[ "$(cat "$tmp/twice.$k.status")" = 0 ] || bad="$bad rep $rep build $k failed: $(tail -3 "$tmp/twice.$k");"
	done
	[ "$(oks "$t/out/.runja/ledger.tsv")" = "$(echo "$all" | sed 's/\(run_[0-9]*\)/\1:1/g')" ] ||
		bad="$bad rep $rep ledger: $(oks "$t/out/.runja/ledger.tsv");"
	[ -z "$(awk -F'\t' '$8 !~ /^[0-9]+\.[0-9]+$/' "$t/out/.runja/ledger.tsv")" ] || bad="$bad rep $rep: an attempt not a job step;"
	[ "$(cd "$t" && ninja -n 2>&1)" = "ninja: no work to do." ] || bad="$bad rep $rep: ninja -n has work;"
done
same two-builds-at-once "$bad" ""

# one frame changes: a batch job of one task processes exactly that run, as a step of it
settle
rawcheck "$tmp/srun/data" srun-until-frame-changed
reframe "$tmp/srun/data/run_003/img_2.png"
rawsnap "$tmp/srun/data"
(cd "$tmp/srun" && "$gen" --slurm-script) >"$tmp/batch.sh"
same slurm-script-one-stale "$(grep -v '^# ' "$tmp/batch.sh")" "$(script 1)"
job=$(cd "$tmp" && sbatch --parsable --wait <"$tmp/batch.sh")
same sbatch-status "$?" 0
same sbatch-processed "$(processed "$tmp/srun/out/.runja/slurm-$job.log")" "run_003"
same sbatch-ledger "$(tail -n +7 "$ledger" | cut -f1,8)" "run_003	$job.0"
(cd "$tmp/srun" && ninja -j4) >"$tmp/after.log" 2>&1
same sbatch-then-no-work "$(cat "$tmp/after.log")" "ninja: no work to do."

# inside an allocation with --exclusive (CPUs of its own per step): a frame of every run
# changed, so every run reruns, each as a step of the one job
sed 's/-n1"/-n1 --exclusive"/' "$tmp/srun/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$tmp/srun/runja.cfg"
rawcheck "$tmp/srun/data" srun-until-salloc
reframe "$tmp/srun/data"/run_*/img_1.png
rawsnap "$tmp/srun/data"
(cd "$tmp/srun" && salloc --quiet -n 2 ninja -j2) >"$tmp/salloc.log" 2>&1
same salloc-build "$?|$(processed "$tmp/salloc.log")" "0|$all"
same salloc-steps-of-one-job "$(tail -n +8 "$ledger" | cut -f8 | cut -d. -f1 | sort -u | wc -l) $(tail -n +8 "$ledger" | cut -f8 | sort -u | wc -l)" "1 6"

# a user's command per run, every run a SLURM job: the rerun table through srun and sbatch
c=$tmp/cmd
mkdir -p "$c/data"
"$synth" --runs 3 --frames 3 --size 16x12 "$c/data" >/dev/null || exit 1
rawsnap "$c/data"
cat >"$c/analyse.sh" <<'SH'
#!/bin/sh
[ -e "fail.$RUNJA_ID" ] && { echo "failing on purpose" >&2; exit 1; }
echo "$RUNJA_ID on job $SLURM_JOB_ID threshold=$RUNJA_PARAM_threshold" >"$2/result.txt"
SH
chmod +x "$c/analyse.sh"
cat >"$c/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; override = "run.cfg"; };
command = { run = ["./analyse.sh", "{run}", "{out}"]; params = { threshold = 1; }; };
jobs = { launcher = "srun --quiet -N1 -n1"; };
CFG
cmds() {
	sed -n 's/^\(\[[0-9]*\/[0-9]*\] \)\{0,1\}COMMAND \(.*\) ([0-9]* frames)$/\2/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
cled=$c/out/.runja/ledger.tsv
(cd "$c" && "$gen" >/dev/null && ninja -j3) >"$tmp/c1.log" 2>&1
same command-srun-build "$?|$(cmds "$tmp/c1.log")" "0|run_000 run_001 run_002"
same command-srun-job-steps "$(awk -F'\t' '$8 ~ /^[0-9]+\.0$/ { print $1 }' "$cled" | sort | tr '\n' ' ')" "run_000 run_001 run_002 "
same command-srun-result "$(cut -d' ' -f1,2,5 "$c/out/run_001/result.txt")" "run_001 on threshold=1"
settle
echo '# edited' >>"$c/analyse.sh"
(cd "$c" && ninja -j3) >"$tmp/c2.log" 2>&1
same command-srun-script-edited "$?|$(cmds "$tmp/c2.log")" "0|run_000 run_001 run_002"
settle
rawcheck "$c/data" cmd-until-run-cfg
echo 'command = { params = { threshold = 2; }; };' >"$c/data/run_002/run.cfg"
rawsnap "$c/data"
(cd "$c" && ninja -j3) >"$tmp/c3.log" 2>&1
same command-srun-run-cfg "$?|$(cmds "$tmp/c3.log")|$(cut -d' ' -f5 "$c/out/run_002/result.txt")" "0|run_002|threshold=2"
settle
rawcheck "$c/data" cmd-until-failing
touch "$c/fail.run_000"
reframe "$c/data/run_000/img_1.png"
rawsnap "$c/data"
good=$(cat "$c/out/run_000/result.txt")
(cd "$c" && ninja -j3) >"$tmp/c4.log" 2>&1
same command-srun-failed "$?|$(grep -E '^runja-(process|exec|report): ' "$tmp/c4.log")|$(cat "$c/out/run_000/result.txt")" \
	"1|runja-exec: run_000: analyse.sh exited with status 1
runja-report: 1 run failed: run_000; why: runja-gen --status|$good"
rm "$c/fail.run_000"
settle
rawcheck "$c/data" cmd-until-sbatch
reframe "$c/data/run_001/img_2.png"
rawsnap "$c/data"
job=$(cd "$c" && "$gen" --slurm-script | sbatch --parsable --wait)
same command-sbatch-status "$?" 0
same command-sbatch-processed "$(cmds "$c/out/.runja/slurm-$job.log")" "run_000 run_001"
same command-sbatch-steps-of-the-job "$(tail -n 2 "$cled" | cut -f8 | cut -d. -f1 | sort -u)" "$job"
(cd "$c" && ninja -j3) >"$tmp/c5.log" 2>&1
same command-srun-then-no-work "$(cat "$tmp/c5.log")" "ninja: no work to do."

# stopping leaves none of the daemons running and removes the cluster's folder
sh "$top/tests/slurm/stop.sh" "$sdir"
same slurm-stopped "$?" 0
left=
for p in $pids; do
	case $(cat "/proc/$p/comm" 2>/dev/null) in
	munged | slurmctld | slurmd) grep -qs '^[^)]*) [^ZX]' "/proc/$p/stat" && left="$left $p" ;;
	esac
done
same slurm-no-daemon-left "$left|$(ls -d "$sdir" 2>/dev/null)" "|"
conf=

finish
