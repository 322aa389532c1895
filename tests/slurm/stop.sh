#!/bin/sh
# Stop the test cluster that tests/slurm/start.sh started and remove its folder.
#
#   tests/slurm/stop.sh [-k] CONF_OR_FOLDER    -k: keep the folder (its logs)
#
# Cancels the cluster's jobs, then stops the daemons named by its pids/ files, and
# nothing else: a PID whose program is not the one recorded is left alone. Exits 1
# when one of them would not stop.

keep=
[ "$1" = -k ] && keep=1 && shift
dir=$1
[ -f "$dir" ] && dir=$(dirname "$dir")
say() { echo "slurm/stop.sh: $*" >&2; }
if [ -z "$dir" ] || ! head -n 1 "$dir/slurm.conf" 2>/dev/null | grep -q 'written by tests/slurm/start.sh'; then
	say "${dir:-(none given)}: not a folder made by tests/slurm/start.sh"
	exit 1
fi

# alive PID NAME: PID runs the program NAME (not a zombie)
alive() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] &&
		! grep -q '^[^)]*) [ZX]' "/proc/$1/stat" 2>/dev/null
}

# pidof NAME: the PID recorded for NAME, when it still runs NAME
pidof() {
	[ -s "$dir/pids/$1.pid" ] && p=$(cat "$dir/pids/$1.pid") && alive "$p" "$1" && echo "$p"
}

# jobs still queued or running would leave slurmstepd processes behind: cancel them
if pidof slurmctld >/dev/null; then
	export SLURM_CONF="$dir/slurm.conf"
	jobs=$(timeout 10 squeue -h -o %i 2>/dev/null)
	if [ -n "$jobs" ]; then
		timeout 10 scancel $jobs 2>/dev/null
		i=0
		while [ -n "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && [ $i -lt 100 ]; do
			i=$((i + 1))
			sleep 0.1
		done
	fi
fi

# slurmd first, munged last: the others talk to it while they stop
status=0
for name in slurmd slurmctld munged; do
	pid=$(pidof $name) || continue
	kill -TERM "$pid" 2>/dev/null
	i=0
	while alive "$pid" $name && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	if alive "$pid" $name; then
		kill -KILL "$pid" 2>/dev/null
		sleep 0.2
		alive "$pid" $name && say "$name (pid $pid) would not stop" && status=1
	fi
done

# a daemon that would not stop keeps its PID file, for the next try
if [ $status != 0 ]; then
	say "kept $dir"
elif [ -n "$keep" ]; then
	rm -f "$dir"/pids/*.pid
else
	rm -rf "$dir"
fi
exit $status
