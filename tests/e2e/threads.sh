# One run on every free core (issue 18): a lone run's frames on more than one thread when
# the tokens of OUT/.runja/cores are free, on one when they are taken, when another run
# waits for one, with jobs.threads = 1 or one CPU in its set; jobs.threads reruns
# nothing; bad frames skipped or failing the run word for word as on one thread.
# RUNJA_DEBUG=threads makes runja-process say how many threads its frames had.
. tests/lib.sh

cpus=$(/usr/bin/python3 -c 'import os; print(" ".join(map(str, sorted(os.sched_getaffinity(0)))))')
ncpu=$(echo $cpus | wc -w)
host=$(uname -n)

# used LOG: how many threads the run's frames had, as it said
used() {
	sed -n 's/^runja-process: run_000: frames on up to \([0-9]*\) threads$/\1/p' "$1" | tr '\n' ' ' | sed 's/ $//'
}

# again NAME: process the run once more (its results removed) with RUNJA_DEBUG=threads, log in $tmp/NAME
again() {
	rm -rf "$d/out/run_000"
	(cd "$d" && RUNJA_DEBUG=threads ninja -j1) >"$tmp/$1" 2>&1
}

# hold MODE FILE...: take the lock of each FILE (MODE x: exclusive, as a run holding a
# token; s: shared, as a run waiting for one) in one background process, until release
holder=
hold() {
	mode=$1
	shift
	/usr/bin/python3 -c '
import fcntl, sys, time
fs = [open(f, "a") for f in sys.argv[2:]]
for f in fs:
	fcntl.flock(f, fcntl.LOCK_EX if sys.argv[1] == "x" else fcntl.LOCK_SH)
time.sleep(300)' "$mode" "$@" &
	holder=$!
	for f; do
		i=0
		until [ -f "$f" ] && ! flock -n -x "$f" true; do
			i=$((i + 1))
			[ $i -lt 1000 ] || { fail "hold-$f"; break; }
			sleep 0.01
		done
	done
}
release() {
	kill "$holder" && wait "$holder" 2>/dev/null
}

# waitfree OP N: poll the tokens (5 s at most) until how many are free, $free, is OP N (-eq 0).
# Which are held is read from /proc/locks (the inodes of the files flock'ed): taking a token
# to see would make the run that waits for it to stay free a moment wait again
waitfree() {
	inodes=$(stat -c %i $tokens)
	for i in $(seq 500); do
		free=0
		held=$(awk '$2 == "FLOCK" { n = split($6, f, ":"); print f[n] }' /proc/locks)
		for k in $inodes; do echo "$held" | grep -qx "$k" || free=$((free + 1)); done
		[ "$free" "$1" "$2" ] && return
		sleep 0.01
	done
}

d=$tmp/thr
"$synth" --runs 1 --frames 40 --size 256x192 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
pipeline = ( { op = "crop"; x = 0; y = 20; width = 256; height = 150; },
             { op = "background"; frames = 3; method = "median"; }, { op = "blur"; sigma = 1.5; } );
products = { mean = true; std = true; max = true; stats = true; timestack = { row = 40; }; front = { level = 0.1; from = "left"; }; };
CFG
(cd "$d" && "$gen" >/dev/null && RUNJA_DEBUG=threads ninja -j1) >"$tmp/free" 2>&1
same jobs-threads-auto "$(grep '^threads ' "$d/out/.runja/jobs")" "threads 0"
if [ "$ncpu" -ge 2 ]; then
	n=$(used "$tmp/free")
	[ -n "$n" ] && [ "$n" -ge 2 ] && [ "$n" -le "$ncpu" ] && pass lone-run-takes-free-cores ||
		fail lone-run-takes-free-cores "threads: '$n', CPUs: $ncpu" "$(cat "$tmp/free")"
else
	echo "SKIP lone-run-takes-free-cores: this process may run on one CPU only"
fi
same token-files "$(ls "$d/out/.runja/cores/$host" | sort | tr '\n' ' ')" "$(printf '%s\n' $cpus want | sort | tr '\n' ' ')"

# every token taken (the other runs of the tree hold them): the run's own thread alone
hold x $(printf "$d/out/.runja/cores/$host/%s " $cpus)
again taken
release
same all-tokens-taken-one-thread "$(used "$tmp/taken")" 1

# another run waits for a token: no extra threads while it does
hold s "$d/out/.runja/cores/$host/want"
again waited
release
same no-extra-while-a-run-waits "$(used "$tmp/waited")" 1

# one CPU in the run's set (taskset, a SLURM step): one thread
first=${cpus%% *}
rm -rf "$d/out/run_000"
(cd "$d" && RUNJA_DEBUG=threads taskset -c "$first" ninja -j1) >"$tmp/one" 2>&1
same one-cpu-one-thread "$(used "$tmp/one")" 1

# jobs.threads = 1: one thread; changing jobs.threads reruns nothing
(cd "$d" && ninja -j1 >/dev/null 2>&1)
echo 'jobs = { threads = 1; };' >>"$d/runja.cfg"
(cd "$d" && ninja -j1 >"$tmp/how" 2>&1)
same threads-change-reruns-nothing "$(grep -c 'PROCESS' "$tmp/how")|$(cd "$d" && ninja -n 2>&1)|$(grep '^threads ' "$d/out/.runja/jobs")" \
	"0|ninja: no work to do.|threads 1"
again capped
same jobs-threads-1-one-thread "$(used "$tmp/capped")" 1
sed -i 's/^jobs = .*/jobs = { threads = 0; };/' "$d/runja.cfg"
same threads-zero-refused "$(cd "$d" && "$gen" 2>&1)" \
	"runja-gen: runja.cfg:6: 'jobs.threads' must be an integer from 1 to 1024 or \"auto\""
sed -i 's/^jobs = .*/jobs = { threads = "all"; };/' "$d/runja.cfg"
same threads-word-refused "$(cd "$d" && "$gen" 2>&1)" \
	"runja-gen: runja.cfg:6: 'jobs.threads' must be an integer from 1 to 1024 or \"auto\""

# a long run started with every token taken takes the cores freed while it runs; then,
# holding both, it hands one back while another run waits for one. It must outlast the
# checks (a token is taken once free for 50 ms, the holders are Python processes): 400
# frames, each blurred with a radius of 30 (about 0.7 s on one core of a 2-core VM)
l=$tmp/long
"$synth" --runs 1 --frames 400 --size 512x384 "$l/data" >/dev/null || exit 1
rawsnap "$l/data"
sed 's/^pipeline = .*/pipeline = ( { op = "blur"; sigma = 10.0; } );/; /^ *{ op = "background"/d' "$d/runja.cfg" | grep -v '^jobs' >"$l/runja.cfg"
(cd "$l" && "$gen" >/dev/null)
mkdir -p "$l/out/.runja/cores/$host"
tokens=$(printf "$l/out/.runja/cores/$host/%s " $cpus)
hold x $tokens
(cd "$l" && RUNJA_DEBUG=threads ninja -j1 >"$tmp/long.log" 2>&1) &
builder=$!
# the run is under way (its progress record), then the tokens are freed
i=0
until ls "$l/out/.runja/progress/" 2>/dev/null | grep -q . || [ $i -ge 1000 ]; do sleep 0.01; i=$((i + 1)); done
release
if [ "$ncpu" -ge 2 ]; then
	# it takes them all; then a run waits: one comes back (a token free again), within seconds
	waitfree -eq 0
	same freed-cores-taken-mid-run "$free" 0
	hold s "$l/out/.runja/cores/$host/want"
	waitfree -ge 1
	release
	same token-given-back-to-a-waiting-run "$([ "$free" -ge 1 ] && echo yes)" yes
fi
wait "$builder"
same long-run-done "$(used "$tmp/long.log")|$(grep -c PROCESS "$tmp/long.log")" "$ncpu|1"

# bad frames among those the background is made of and after: skipped with the same
# warnings in the same order, the same summary.json, on one thread and on every core
b=$tmp/bad
"$synth" --runs 1 --frames 30 --size 96x64 --bad notpng:0:1 --bad crc:0:3 --bad truncate:0:8 \
	--bad size:0:15 --bad zlib:0:29 "$b/data" >/dev/null 2>&1 || exit 1
rawsnap "$b/data"
for t in 1 auto; do
	mkdir -p "$b/$t"
	cat >"$b/$t/runja.cfg" <<CFG
version = 1;
runs = { root = "../data"; match = "run_*"; };
input = { on_bad_frame = "skip"; };
pipeline = ( { op = "background"; frames = 4; method = "median"; }, { op = "blur"; sigma = 1.0; } );
products = { mean = true; std = true; min = true; max = true; stats = true; timestack = { row = 5; }; front = { level = 0.1; from = "left"; }; };
jobs = { threads = $( [ $t = auto ] && echo '"auto"' || echo $t ); };
CFG
	(cd "$b/$t" && "$gen" >/dev/null && RUNJA_DEBUG=threads ninja -j1 >"$tmp/skip.$t" 2>&1)
done
same skip-same-warnings "$(grep 'skipped' "$tmp/skip.auto")" "$(grep 'skipped' "$tmp/skip.1")"
same skip-warnings-listed "$(grep -c 'skipped' "$tmp/skip.1")" 5
diffs=
for f in $(cd "$b/1/out/run_000" && ls); do
	cmp -s "$b/1/out/run_000/$f" "$b/auto/out/run_000/$f" || diffs="$diffs $f"
done
same skip-same-results "$diffs" ""
[ "$ncpu" -ge 2 ] && same skip-ran-threaded "$(used "$tmp/skip.auto")" 2

# ... and failing the run at the first of them, with its one line, on every core
for t in 1 auto; do
	sed -i 's/on_bad_frame = "skip"/on_bad_frame = "fail"/' "$b/$t/runja.cfg"
	(cd "$b/$t" && ninja -j1 >"$tmp/fail.$t" 2>&1)
done
same fail-same-line "$(grep '^runja-process' "$tmp/fail.auto")|$(cat "$b/auto/out/run_000/error.txt")" \
	"$(grep '^runja-process' "$tmp/fail.1")|$(cat "$b/1/out/run_000/error.txt")"
same fail-line "$(grep '^runja-process' "$tmp/fail.1")" "runja-process: run_000/img_1.png: not a PNG file"

finish
