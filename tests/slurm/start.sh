#!/bin/sh
# Start a throw-away single-node SLURM for the tests: munged, slurmctld and slurmd
# (Debian packages slurmctld slurmd slurm-client munge) on 127.0.0.1, without systemd,
# every file in a new temporary folder. Needs root.
#
#   conf=$(tests/slurm/start.sh) && export SLURM_CONF=$conf
#   ...                                   # srun, sbatch, salloc, ninja
#   tests/slurm/stop.sh "$conf"           # stops exactly these daemons, removes the folder
#
# Prints the path of the cluster's slurm.conf on stdout; the daemons' PIDs are in
# pids/ beside it. RUNJA_SLURM_CPUS sets the CPUs the node offers [nproc, at least 2];
# RUNJA_SLURM_CONF holds more lines for slurm.conf (MaxArraySize=8, a partition).
# On failure: the reason (and the daemons' logs) on stderr, nothing left running, exit 1.

here=$(cd "$(dirname "$0")" && pwd)
PATH=$PATH:/usr/sbin:/sbin

say() { echo "slurm/start.sh: $*" >&2; }

for p in munged munge slurmctld slurmd srun sinfo; do
	command -v "$p" >/dev/null 2>&1 || { say "$p not found (apt-get install slurmctld slurmd slurm-client munge)"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "must run as root (slurmd starts jobs as their user)"; exit 1; }

cpus=${RUNJA_SLURM_CPUS:-$(nproc)}
[ "$cpus" -ge 2 ] || cpus=2
# the node's memory in MiB, so that jobs asking for memory (--mem) can start
mem=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
[ "${mem:-0}" -ge 1 ] || mem=1

# give up: show the logs, stop what started, remove the folder
die() {
	say "$*"
	for f in "$dir"/log/*; do
		[ -s "$f" ] && { echo "== $f" && tail -n 20 "$f"; } >&2
	done
	if [ -f "$conf" ]; then
		sh "$here/stop.sh" "$dir" >&2
	elif [ -n "$dir" ]; then
		rm -rf "$dir"  # no daemon starts before slurm.conf is written
	fi
	exit 1
}
dir=
conf=
trap 'die "interrupted"' INT TERM HUP

dir=$(mktemp -d "${TMPDIR:-/tmp}/runja-slurm.XXXXXX") || exit 1
conf=$dir/slurm.conf
sock=$dir/munge/socket
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/pids" || die "cannot write in $dir"
# munged refuses a socket folder that others cannot enter
chmod 755 "$dir" "$dir/munge"

# alive PID NAME: PID runs the program NAME (not a zombie)
alive() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] &&
		! grep -q '^[^)]*) [ZX]' "/proc/$1/stat" 2>/dev/null
}

# daemon NAME CMD...: start CMD in the foreground of its own session, record its PID,
# and wait until it has become NAME (right after the fork it is still this shell)
daemon() {
	name=$1
	shift
	setsid "$@" </dev/null >"$dir/log/$name.out" 2>&1 &
	echo $! >"$dir/pids/$name.pid"
	i=0
	until alive $! "$name"; do
		i=$((i + 1))
		[ $i -lt 100 ] && [ -d "/proc/$!" ] && ! grep -q '^[^)]*) [ZX]' "/proc/$!/stat" ||
			die "$name did not start"
		sleep 0.05
	done
}

# a free TCP port, and the next one: neither listed in /proc/net/tcp{,6}
freeport() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
		used=$(awk -v a="$(printf ':%04X' $p)" -v b="$(printf ':%04X' $((p + 1)))" \
			'FNR > 1 && (substr($2, length($2) - 4) == a || substr($2, length($2) - 4) == b) { n++ } END { print n + 0 }' \
			/proc/net/tcp /proc/net/tcp6 2>/dev/null)
		[ "$used" = 0 ] && { echo $p; return 0; }
	done
	return 1
}
port=$(freeport) || die "no free TCP port"

dd if=/dev/urandom of="$dir/munge/key" bs=1024 count=1 2>/dev/null && chmod 400 "$dir/munge/key" ||
	die "cannot write the munge key"

cat >"$conf" <<EOF
# runja test cluster, written by tests/slurm/start.sh; removed by tests/slurm/stop.sh
ClusterName=runjatest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmdPidFile=$dir/spool/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MailProg=/bin/true
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# start a queued job as soon as another ends, not on the next periodic pass
Epilog=/bin/true
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
# the node may offer more CPUs than the machine has
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
${RUNJA_SLURM_CONF:-}
EOF

daemon munged munged --foreground --socket="$sock" --key-file="$dir/munge/key" \
	--pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed"
i=0
until munge -S "$sock" -n 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || die "munged does not answer on $sock"
	sleep 0.05
done
daemon slurmctld slurmctld -D -f "$conf"
daemon slurmd slurmd -D -f "$conf" -N localhost

export SLURM_CONF="$conf"
i=0
until [ "$(sinfo -h -n localhost -o %t 2>/dev/null)" = idle ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || die "the node did not come up"
	alive "$(cat "$dir/pids/slurmctld.pid")" slurmctld || die "slurmctld stopped"
	alive "$(cat "$dir/pids/slurmd.pid")" slurmd || die "slurmd stopped"
	sleep 0.1
done
timeout 30 srun --quiet -n1 true || die "srun -n1 true failed"
echo "$conf"
