# Faults with the real ninja, on 12 runs x 30 frames of 256x192 (issue 5):
#  (a) runja-process killed (SIGKILL) at random moments, 30 times or more (the run's
#      own process or the attempt it started; a killed attempt is tried again);
#  (b) ninja interrupted (SIGINT to its process group) mid-build;
#  (c) the output file system full (a small tmpfs when mounting works) and a file
#      size limit (ulimit -f, SIGXFSZ ignored: write() fails with EFBIG);
#  (d) an unreadable frame and an unreadable run folder, for an unprivileged user.
# After each: a plain ninja finishes the job, every output is byte-identical to a clean
# build, no temporary file is left, and at every moment in between a run that has its
# summary.json has all its products, complete and from one parameter set.
# Retries stay on (jobs.retries' default) with no pause between attempts.
# A read-only data tree is covered by names.sh (out of tree); bad frames by badinput.sh.
. tests/lib.sh

copyprograms
"$synth" --runs 12 --frames 30 --size 256x192 "$tmp/data" >/dev/null || exit 1
rawsnap "$tmp/data"

# injects: can strace inject faults into system calls here (-e inject, strace 4.16 or later)?
injects() { strace -f -o /dev/null -e inject=getpid:error=EIO:when=1 true 2>/dev/null; }

# config DIR SIGMA: a runja.cfg in DIR for the shared data tree ../data (same argv everywhere)
config() {
	mkdir -p "$1"
	cat >"$1/runja.cfg" <<CFG
version = 1;
runs = { root = "../data"; match = "run_*"; };
pipeline = ( { op = "background"; frames = 3; method = "median"; }, { op = "blur"; sigma = $2; } );
products = { mean = true; std = true; min = true; max = true; stats = true;
             timestack = { row = 100; }; front = { level = 0.02; from = "left"; }; };
jobs = { retry_pause = 0; };
CFG
}

# the clean builds every result is compared with, one per parameter set
for s in 1.5 2.0; do
	config "$tmp/ref$s" "$s"
	(cd "$tmp/ref$s" && "$gen" && ninja -j2) >"$tmp/ref$s.log" 2>&1 || { fail "reference-$s" "$(cat "$tmp/ref$s.log")"; finish; }
done

# tmpfiles DIR: the temporary files under DIR, one line
tmpfiles() {
	find "$1" -name '.*.tmp' | tr '\n' ' '
}

# the files a run writes (the report adds thumbnails beside them)
products="summary.json mean.png mean.npy std.png std.npy min.png min.npy max.png max.npy timestack.png timestack.npy stats.csv front.csv"

# consistent NAME DIR: every run of DIR/out with a summary.json has all its products,
# equal to those of the same run in one of the clean builds (either parameter set)
consistent() {
	bad=
	for r in "$1"/out/run_*; do
		[ -e "$r/summary.json" ] || continue
		id=${r##*/}
		ok=
		for s in 1.5 2.0; do
			for f in $products; do
				cmp -s "$r/$f" "$tmp/ref$s/out/$id/$f" || continue 2
			done
			ok=1
		done
		[ -n "$ok" ] || bad="$bad $id"
	done
	[ -z "$bad" ] || fail "$2" "runs with a summary.json that are not a complete result:$bad"
	[ -z "$bad" ]
}

# finished NAME DIR SIGMA: ninja until it succeeds (3 tries), then no work left,
# --check clean, outputs byte-identical to the clean build, no temporary file
finished() {
	tries=0
	# a Ctrl-C that lands just after runja-gen replaced build.ninja (ninja regenerating it)
	# leaves none: ninja removes what an interrupted step changed. runja-gen makes it again
	# (README), as each round above does
	[ -e "$2/build.ninja" ] || (cd "$2" && "$gen" >/dev/null)
	until (cd "$2" && ninja -j2) >"$tmp/$1.final" 2>&1; do
		tries=$((tries + 1))
		[ "$tries" -lt 3 ] || break
	done
	same "$1-ninja-succeeds" "$tries" 0
	build "$2" "$tmp/$1.again"
	same "$1-then-no-work" "$(cat "$tmp/$1.again")" "ninja: no work to do."
	same "$1-check-clean" "$(cd "$2" && "$gen" --check 2>&1; echo "status $?")" "status 0"
	# (.runja.inputs, what the results were made from, holds when the frames were looked at)
	if d=$(diff -rq -x .runja -x .runja.inputs "$tmp/ref$3/out" "$2/out" 2>&1); then
		pass "$1-identical-to-clean-build"
	else
		fail "$1-identical-to-clean-build" "$d"
	fi
	same "$1-no-tmp-files" "$(tmpfiles "$2")" ""
}

# random LO HI: a random integer in [LO, HI]
random() {
	shuf -i "$1-$2" -n 1
}

# --- (a) SIGKILL: rounds alternate sigma 1.5 / 2.0, so every round reruns every run;
# a random runja-process (a run, or the attempt it started) or runja-report (the report)
# is killed every 5-60 ms. A kill shows as ninja's FAILED (the run's process or the
# report) or as the run's line that an attempt was killed (then it is tried again).
a=$tmp/kill
mkdir -p "$a"
here=$(cd "$a" && pwd -P)
# mine PATTERN: the processes whose command line matches PATTERN that work in $a (this
# test's build: ninja runs its commands there), not another test's or build's
mine() {
	for p in $(pgrep -f "$1"); do
		[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$here" ] && echo "$p"
	done
}
kills=0
retried=0
attempts=0
rounds=0
sigma=2.0
while [ "$kills" -lt 30 ] || [ "$sigma" != 2.0 ]; do
	[ "$rounds" -lt 60 ] || break
	rounds=$((rounds + 1))
	if [ "$sigma" = 2.0 ]; then sigma=1.5; else sigma=2.0; fi
	config "$a" "$sigma"
	[ -e "$a/build.ninja" ] || (cd "$a" && "$gen" >/dev/null)
	rm -f "$tmp/k.rc"
	( (cd "$a" && ninja -j2 -k 0) >"$tmp/k.log" 2>&1; echo $? >"$tmp/k.rc") &
	while [ ! -e "$tmp/k.rc" ]; do
		sleep "0.0$(random 05 60)"
		pid=$(mine "^($proc|$runreport) " | shuf -n 1)
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null && attempts=$((attempts + 1))
	done
	wait
	n=$(grep -c '^runja-process: run_0[0-9]*: an attempt was killed by SIGKILL from outside$' "$tmp/k.log")
	retried=$((retried + n))
	kills=$((kills + n + $(grep -c '^FAILED: ' "$tmp/k.log")))
	consistent "$a" "kill-round-$rounds-consistent" || break
done
[ "$failed" = 0 ] && pass kill-every-round-consistent
echo "# (a) $kills runja-process killed mid-run, $retried of them attempts ($attempts kill -9 sent) in $rounds rounds"
[ "$kills" -ge 30 ] && pass kill-30-or-more || fail kill-30-or-more "only $kills kills hit a running process"
finished kill "$a" 2.0

# --- (a) the gap no random kill is sure to hit: a run failed (a frame cut short, its
# failure recorded); the frame whole again, the run's process is killed after its new
# results are in place and before it removes that record (strace kills it as it unlinks
# error.txt; with no retries the process does the work itself). The next build finds
# the results up to date and from these frames: the failure is past, the record goes,
# the report lists no failure.
if injects; then
	g=$tmp/gap/b
	"$synth" --runs 1 --frames 4 --size 256x192 "$tmp/gap/data" >/dev/null || exit 1
	frame=$(ls "$tmp/gap/data/run_000/"*.png | head -1)
	cp "$frame" "$tmp/gap/whole.png"
	head -c 100 "$tmp/gap/whole.png" >"$frame"
	config "$g" 2.0
	sed -i 's/^jobs = .*/jobs = { retries = 0; };/' "$g/runja.cfg"
	(cd "$g" && "$gen" >/dev/null && ninja) >"$tmp/gap.1" 2>&1
	st=$?
	cp "$tmp/gap/whole.png" "$frame"
	rawsnap "$tmp/gap/data"
	why=$(cat "$g/out/run_000/error.txt")
	same gap-failed "$st|$why|$([ -e "$g/out/run_000/summary.json" ] && echo summary)" "1|run_000/${frame##*/}: truncated|"
	step=$(cd "$g" && ninja -t commands | grep -e '--id run_000 ')
	(cd "$g" && strace -f -o /dev/null -P out/run_000/error.txt -e trace=unlink -e inject=unlink:signal=KILL:when=1 sh -c "$step") >"$tmp/gap.2" 2>&1
	same gap-killed-in-it "$?|$(cat "$g/out/run_000/error.txt")|$([ -e "$g/out/run_000/summary.json" ] && echo summary)" \
		"137|$why|summary"
	lines=$(wc -l <"$g/out/.runja/ledger.tsv")
	build "$g" "$tmp/gap.3"
	same gap-failure-past "$?|$(grep -c '^runja-' "$tmp/gap.3")|$([ -e "$g/out/run_000/error.txt" ] && echo error.txt)|$(wc -l <"$g/out/.runja/ledger.tsv")|$(cd "$g" && "$gen" --status | awk '{ print $1, $2 }')" \
		"0|0||$lines|run_000 done"
	build "$g" "$tmp/gap.4"
	same gap-then-no-work "$(cat "$tmp/gap.4")" "ninja: no work to do."
	rawcheck "$tmp/gap/data"
else
	fail gap-failure-past "strace with fault injection (-e inject, strace 4.16 or later) is not installed"
fi

# --- (b) SIGINT to ninja's process group (as Ctrl-C does) after 20-400 ms, 6 times
b=$tmp/int
ints=0
rounds=0
sigma=2.0
while [ "$ints" -lt 6 ] || [ "$sigma" != 2.0 ]; do
	[ "$rounds" -lt 30 ] || break
	rounds=$((rounds + 1))
	if [ "$sigma" = 2.0 ]; then sigma=1.5; else sigma=2.0; fi
	config "$b" "$sigma"
	[ -e "$b/build.ninja" ] || (cd "$b" && "$gen" >/dev/null)
	rm -f "$tmp/i.rc"
	( (cd "$b" && setsid ninja -j2) >"$tmp/i.log" 2>&1; echo $? >"$tmp/i.rc") &
	sub=$!
	sleep "0.$(random 020 300 | awk '{ printf "%03d", $1 }')"
	nj=$(ninjaof "$sub")
	# dash's kill cannot name a process group: the kill program can
	[ -n "$nj" ] && env kill -INT -- "-$nj" 2>/dev/null
	wait
	grep -q 'interrupted by user' "$tmp/i.log" && ints=$((ints + 1))
	consistent "$b" "interrupt-round-$rounds-consistent" || break
done
[ "$failed" = 0 ] && pass interrupt-every-round-consistent
echo "# (b) $ints builds interrupted in $rounds rounds"
[ "$ints" -ge 6 ] && pass interrupt-6-times || fail interrupt-6-times "only $ints interrupts hit a running build"
finished interrupt "$b" 2.0

# what such a Ctrl-C leaves, made on purpose: ninja's cleanup of the regeneration step
# (every output it had changed removed). ninja says build.ninja is missing; runja-gen
# makes it again, and the next build processes no run (README)
rm -f "$b/build.ninja" "$b/out/.runja/runs" "$b/out/.runja/waiting" "$b/out/.runja/report.json" "$b/out/.runja/jobs"
build "$b" "$tmp/nomanifest.log"
same no-manifest-ninja-says "$?|$(cat "$tmp/nomanifest.log")" "1|ninja: error: loading 'build.ninja': No such file or directory"
same no-manifest-regenerated "$(cd "$b" && "$gen" 2>&1)" "runja-gen: 12 runs (0 new), wrote build.ninja"
build "$b" "$tmp/nomanifest.log"
same no-manifest-then-no-run "$?|$(grep -c 'PROCESS' "$tmp/nomanifest.log")" "0|0"

# --- (b2) runja-report interrupted (SIGINT, as Ctrl-C reaches it) in the middle of
# writing a file (its Nth write, for N across all its writes): the temporary file goes
# with it, and the next report is the clean build's
if injects; then
	r=$tmp/reportint
	cp -r "$tmp/ref2.0" "$r"
	rm -rf "$r/out/.runja/thumbs"
	# (LeakSanitizer cannot run under a tracer: off there, in a sanitizer build)
	noleaks="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	writes=$(cd "$r" && env "$noleaks" strace -f -c -o "$tmp/writes" -e trace=write "$runreport" out >/dev/null 2>&1 &&
		awk '$NF == "write" { print $4 }' "$tmp/writes")
	left=
	for k in 1 2 3 $((writes / 4)) $((writes / 2)) $((writes * 3 / 4)) $((writes - 1)); do
		rm -rf "$r/out/.runja/thumbs"
		(cd "$r" && env "$noleaks" strace -f -o /dev/null -e inject=write:signal=INT:when="$k" "$runreport" out) >/dev/null 2>&1
		[ -z "$(tmpfiles "$r")" ] || left="$left $k: $(tmpfiles "$r")"
	done
	[ "${writes:-0}" -gt 8 ] && pass report-interrupted-writes || fail report-interrupted-writes "${writes:-none}"
	same report-interrupted-no-tmp-files "$left" ""
	(cd "$r" && "$runreport" out) >/dev/null 2>&1
	d=$(diff -r -x .runja -x .runja.inputs "$tmp/ref2.0/out" "$r/out" 2>&1) &&
		[ "$(ls "$r/out/.runja/thumbs" | wc -l)" = 12 ] && pass report-interrupted-then-clean ||
		fail report-interrupted-then-clean "$d" "$(ls "$r/out/.runja/thumbs")"
else
	fail report-interrupted "strace with fault injection (-e inject, strace 4.16 or later) is not installed"
fi

# full NAME DIR CAUSE TRIES: after a build that ran out of space: ninja failed, every
# attempt of a run that failed said why in one line, naming the file it could not write or
# (refused before writing: common/space.c) the room it needs; a run that failed was tried
# TRIES times (a passing cause is tried again, each time with a line saying so), one that
# finished after failed attempts was tried again after each; no temporary file is left
full() {
	same "$1-ninja-fails" "$(tail -1 "$tmp/$1.log" | cut -d: -f1-2)" "ninja: build stopped"
	nfailed=$(cd "$2/out" && for r in $(seq -f 'run_%03g' 0 11); do [ -e "$r/summary.json" ] || echo "$r"; done | grep -c .)
	[ "$nfailed" -gt 0 ] && pass "$1-some-runs-failed" || fail "$1-some-runs-failed" "$(cat "$tmp/$1.log")"
	bad=
	nlines=0
	for r in $(seq -f 'run_%03g' 0 11); do
		e=$(grep -cE "^runja-process: (out/$r/\.([a-z]+\.(png|npy|csv|json)\.tmp|\.runja\.(inputs|frames)\.tmp|runja\.d): write error: $3|$r: not enough space in out/$r/: needs [0-9.]+ [KMG]iB \(products [0-9.]+ [KMG]iB \+ 20 % margin\), [0-9.]+ [KMG]iB free)\$" "$tmp/$1.log")
		t=$(grep -c "^runja-process: $r: attempt [0-9] of $4 failed for a passing cause (see its error); trying again in 0 s\$" "$tmp/$1.log")
		nlines=$((nlines + e + t))
		if [ -e "$2/out/$r/summary.json" ]; then
			[ "$t" = "$e" ] && [ "$e" -lt "$4" ] || bad="$bad $r (finished after $e errors, $t tries again)"
		else
			[ "$e" = "$4" ] && [ "$t" = $(($4 - 1)) ] || bad="$bad $r (failed after $e errors, $t tries again)"
		fi
	done
	same "$1-one-line-per-failed-attempt" "$bad" ""
	nall=$(grep -c '^runja-process: ' "$tmp/$1.log")
	same "$1-no-other-line" "$nall" "$nlines"
	[ "$nall" = "$nlines" ] || grep '^runja-process: ' "$tmp/$1.log" | sed 's/^/  /'
	same "$1-no-tmp-files" "$(tmpfiles "$2")" ""
	consistent "$2" "$1-finished-runs-complete" && pass "$1-finished-runs-complete"
}

# --- (c) the output folder on a 4 MB tmpfs (the runs need 12 MB), then room again
c=$tmp/full
config "$c" 2.0
mkdir -p "$c/out"
if mount -t tmpfs -o size=4m runja-faults "$c/out" 2>/dev/null; then
	trap 'umount "$c/out"; rm -rf "$tmp"' EXIT
	(cd "$c" && "$gen" >/dev/null && ninja -j2 -k 0) >"$tmp/enospc.log" 2>&1
	# ENOSPC passes when room is made: retried
	full enospc "$c" "No space left on device" 3
	# once the room left is less than a run needs, the runs not started yet are refused before writing
	same enospc-refused-before-writing "$(grep -c ': not enough space in ' "$tmp/enospc.log" | awk '{ print ($1 > 0) }')" 1
	mount -o remount,size=64m "$c/out"
	finished enospc "$c" 2.0
	umount "$c/out"
	trap 'rm -rf "$tmp"' EXIT
else
	echo "# (c) cannot mount a tmpfs here: the full file system is tested with ulimit -f only"
fi

# --- (c') a file size limit of 64 KB (every .npy is 192 KB), then none
c=$tmp/limit
config "$c" 2.0
(cd "$c" && "$gen" >/dev/null && trap '' XFSZ && ulimit -f 128 && ninja -j2 -k 0) >"$tmp/efbig.log" 2>&1
# EFBIG does not pass by itself: not retried
full efbig "$c" "File too large" 1
same efbig-all-runs-failed "$(ls "$c"/out/run_*/summary.json 2>/dev/null | wc -l)" 0
finished efbig "$c" 2.0

# --- (e) every system call of one run, one at a time: strace kills runja-process at
# its Nth rename (each step of the commit), or makes its Nth write, read, openat, close
# or rename fail, for every N. The folder starts with the complete results of the other
# parameter set, so a stale summary.json would show. (Run by hand, with no OUT/.runja/jobs:
# one process, no retries.)
if sanitized; then
	# the sanitizers' runtime makes system calls of its own (it reads /proc at exit), so
	# failing the Nth call would test the runtime, not runja
	echo "SKIP syscall-faults: a sanitizer build's runtime makes system calls of its own (the plain build runs this part)"
elif injects; then
	x=$tmp/sys
	"$synth" --runs 1 --frames 4 --size 64x48 "$x/data" >/dev/null
	rawsnap "$x/data"
	args="--id run_000 --product mean --product std --product min --product max --product stats
	      --product timestack:row=10 --product front:level=0.02,from=left --depfile out/run_000/.runja.d"
	# runone DIR SIGMA [STRACE-ARGS]: process the run in DIR (argv as in every other DIR)
	# on one CPU: strace counts the calls of each thread apart, so the Nth call of a run on
	# several threads would fail once in each (tests/e2e/threads.sh tests the threads)
	cpu0=$(taskset -pc $$ | sed 's/.*: //; s/[^0-9].*//')
	runone() {
		w=$1 sg=$2
		shift 2
		(cd "$w" && taskset -c "$cpu0" ${1:+strace -f -o /dev/null} "$@" "$proc" $args --op background:frames=2,method=median \
			--op "blur:sigma=$sg" ../data/run_000 out/run_000)
	}
	for s in 1.5 2.0; do
		mkdir -p "$x/ref$s"
		runone "$x/ref$s" "$s" || fail "syscall-reference-$s"
	done
	points=0
	bad=
	for inj in rename:signal=KILL write:error=ENOSPC read:error=EIO openat:error=EACCES close:error=EIO rename:error=EIO fsync:error=EIO \
		sync_file_range:error=EIO; do
		call=${inj%%:*}
		rm -rf "$x/w" && cp -r "$x/ref1.5" "$x/w"
		runone "$x/w" 2.0 -o "$x/trace" -e trace="$call" >/dev/null 2>&1
		calls=$(grep -c "^[0-9]* *$call(" "$x/trace")
		n=0
		while [ "$n" -lt "$calls" ]; do
			n=$((n + 1))
			rm -rf "$x/w" && cp -r "$x/ref1.5" "$x/w"
			runone "$x/w" 2.0 -e trace="$call" -e inject="$inj:when=$n" >"$x/out" 2>"$x/err"
			st=$?
			o=$x/w/out/run_000
			# 127: the dynamic loader could not start the program (nothing ran)
			[ "$st" = 127 ] && continue
			points=$((points + 1))
			# a run with summary.json has every product, all from this run, or all from the
			# other parameter set, untouched: a run that cannot take its lock leaves them be
			from=
			if [ -e "$o/summary.json" ]; then
				for s in 2.0 1.5; do
					for f in $products; do
						cmp -s "$o/$f" "$x/ref$s/out/run_000/$f" || continue 2
					done
					from=$s
					break
				done
				[ -n "$from" ] || bad="$bad|$inj:$n: summary.json beside an old or partial product"
			fi
			case $st:$inj in
			0:*) ;;  # a failure the program rightly tolerates (e.g. closing a read-only file)
			137:*KILL) ;;
			*KILL) bad="$bad|$inj:$n: exit status $st" ;;
			*)
				[ "$from" != 2.0 ] || bad="$bad|$inj:$n: summary.json left by a failed run"
				[ "$from" != 1.5 ] || cmp -s "$o/.runja.inputs" "$x/ref1.5/out/run_000/.runja.inputs" ||
					bad="$bad|$inj:$n: the other parameter set's results touched by a failed run"
				[ "$(wc -l <"$x/err")" = 1 ] || bad="$bad|$inj:$n: stderr: $(cat "$x/err")"
				[ -z "$(tmpfiles "$x/w")" ] || bad="$bad|$inj:$n: left $(tmpfiles "$x/w")"
				;;
			esac
		done
		# then the next run finishes the job
		runone "$x/w" 2.0 >/dev/null 2>&1
		for f in $products; do
			cmp -s "$x/w/out/run_000/$f" "$x/ref2.0/out/run_000/$f" || bad="$bad|$inj: after a rerun, $f differs"
		done
		[ -z "$(tmpfiles "$x/w")" ] || bad="$bad|$inj: after a rerun, left $(tmpfiles "$x/w")"
		echo "# (e) $inj: $calls calls"
	done
	# power cut: every file is flushed before its rename, the folder before summary.json's;
	# then the report's thumbnails, a cache it checks by their headers (not flushed, as
	# the report's own are not); the depfile is renamed over whole, not flushed (ninja
	# runs a step whose depfile is missing or empty, which writes it again)
	rm -rf "$x/w" && mkdir -p "$x/w"
	runone "$x/w" 2.0 -y -o "$x/trace" -e trace=fsync,rename >/dev/null 2>&1
	sed -i 's/^[0-9]* *//' "$x/trace"
	same depfile-renamed "$(grep -c '^rename("out/run_000/\.\.runja\.d\.tmp", "out/run_000/\.runja\.d")' "$x/trace")" 1
	grep -v -e '^rename("out/.runja/thumbs/' -e '^rename("out/run_000/\.\.runja\.d\.tmp"' "$x/trace" >"$x/trace.results"
	order=$(awk '/^fsync\(/ { sub(/^fsync\([0-9]*</, ""); sub(/>.*/, ""); n = split($0, p, "/"); synced[p[n]] = 1; next }
	             /^rename\(/ { split($0, q, "\""); n = split(q[2], p, "/"); f = p[n]
	                          if (!synced[f]) print "renamed unflushed " f
	                          if (f == ".summary.json.tmp" && !synced["run_000"]) print "summary.json before its folder was flushed" }' "$x/trace.results")
	same commit-flushes-before-renames "$order" ""
	same commit-renames "$(grep -c '^rename(' "$x/trace.results")|$(grep '^rename(' "$x/trace.results" | tail -1 | cut -d'"' -f2)" "15|out/run_000/.summary.json.tmp"
	same commit-then-thumbnails "$(grep '^rename(' "$x/trace" | tail -5 | cut -d'"' -f2 | tr '\n' ' ')" \
		"out/.runja/thumbs/run_000/.mean.png.run.tmp out/.runja/thumbs/run_000/.std.png.run.tmp out/.runja/thumbs/run_000/.min.png.run.tmp out/.runja/thumbs/run_000/.max.png.run.tmp out/.runja/thumbs/run_000/.timestack.png.run.tmp "
	# each image product's writing to the disk starts once it is written, while the
	# next ones are made (the flushes before the renames then wait for less): before
	# stats.csv, written after the images, is opened
	rm -rf "$x/w" && mkdir -p "$x/w"
	runone "$x/w" 2.0 -y -o "$x/trace" -e trace=sync_file_range,openat >/dev/null 2>&1
	started=$(awk '/openat\(.*"out\/run_000\/\.stats\.csv\.tmp", O_WRONLY/ { exit }
	               /^[0-9]* *sync_file_range\(/ { sub(/^[^<]*</, ""); sub(/>.*/, ""); n = split($0, p, "/"); print p[n] }' "$x/trace" |
		sort -u | tr '\n' ' ')
	same writeback-started-as-written "$started" \
		".max.npy.tmp .max.png.tmp .mean.npy.tmp .mean.png.tmp .min.npy.tmp .min.png.tmp .std.npy.tmp .std.png.tmp .timestack.npy.tmp .timestack.png.tmp "
	echo "# (e) $points failure points"
	if [ -z "$bad" ]; then pass syscall-faults; else fail "syscall-faults" "$(echo "$bad" | tr '|' '\n')"; fi
else
	fail syscall-faults "strace with fault injection (-e inject, strace 4.16 or later) is not installed"
fi

# --- (d) an unreadable frame and an unreadable run folder, for an unprivileged user
if [ "$(id -u)" = 0 ] && setpriv --version >/dev/null 2>&1; then
	asuser() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
else
	asuser() { "$@"; }
fi
if [ "$(id -u)" != 0 ] || setpriv --version >/dev/null 2>&1; then
	u=$tmp/perm
	mkdir -p "$u"
	"$synth" --runs 3 --frames 4 --size 256x192 "$u/data" >/dev/null
	config "$u/a" 2.0
	chmod 711 "$tmp"
	[ "$(id -u)" = 0 ] && chown -R nobody "$u"
	chmod 000 "$u/data/run_001/img_2.png"
	rawsnap "$u/data"
	(cd "$u/a" && asuser "$gen" && asuser ninja -k 0) >"$tmp/perm.log" 2>&1
	same unreadable-frame-status "$?" 1
	same unreadable-frame-message "$(grep -E '^runja-(process|exec|report):' "$tmp/perm.log")" \
		"runja-process: run_001/img_2.png: cannot open: Permission denied
runja-report: 1 run failed: run_001; why: runja-gen --status"
	same unreadable-frame-no-summary "$(ls "$u/a/out/run_001")" "error.txt"
	same unreadable-frame-others-done "$(ls "$u/a/out/run_000/summary.json" "$u/a/out/run_002/summary.json" 2>&1 | wc -l)" 2
	rawcheck "$u/data" perm-until-frame-readable
	chmod 644 "$u/data/run_001/img_2.png"
	rawsnap "$u/data"
	(cd "$u/a" && asuser ninja) >"$tmp/perm2.log" 2>&1
	same readable-again-processed "$(processed "$tmp/perm2.log")" "run_001"

	rawcheck "$u/data" perm-until-run-unreadable
	chmod 000 "$u/data/run_002"
	rawsnap "$u/data"
	settle
	touch "$u/a/runja.cfg"
	(cd "$u/a" && asuser ninja -k 0) >"$tmp/perm3.log" 2>&1
	same unreadable-run-folder-others-go-on "$?" 0
	same unreadable-run-folder-message "$(grep '^runja-gen: run_002' "$tmp/perm3.log" | sort -u)" \
		"runja-gen: run_002: waiting (cannot list the run folder: Permission denied)"
	same unreadable-run-folder-no-edge "$(sed -n 's|^build out/\.runja/ended/[0-9a-f]* out/\(run_0[0-9]*\)/summary\.json .*: process$|\1|p' "$u/a/build.ninja" | tr '\n' ' ')" "run_000 run_001 "
	same unreadable-run-folder-status "$(cd "$u/a" && asuser "$gen" --status | awk '$1 == "run_002" { print $2 }')" waiting
	rawcheck "$u/data" perm-until-run-readable
	chmod 755 "$u/data/run_002"
	rawsnap "$u/data"
	(cd "$u/a" && asuser ninja) >"$tmp/perm4.log" 2>&1
	same readable-run-folder-again "$?|$(grep -c '^runja-gen: 3 runs' "$tmp/perm4.log")" "0|1"
	same readable-run-folder-check "$(cd "$u/a" && asuser "$gen" --check 2>&1; echo "status $?")" "status 0"
	chmod 700 "$tmp"
else
	fail unreadable-as-unprivileged-user "running as root without setpriv: cannot test unreadable files"
fi

finish
