# A user's own command per run (runja.cfg command): the rerun table with the real
# ninja and the real GNU make, runja-gen --check's reasons before each step, and the
# after_pipeline split (editing the script redoes no pixel work).
. tests/lib.sh

unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
copyprograms

# the program: records what it was given, so a test can see it ran with what
mkprog() {
	cat >"$1/analyse.sh" <<'SH'
#!/bin/sh
# analyse.sh RUN OUT: one line on what it was given
[ -e "fail.$RUNJA_ID" ] && { echo "cannot analyse $RUNJA_ID" >&2; exit 1; }
n=$(wc -l <"$RUNJA_FRAMES")
printf 'run=%s id=%s frames=%s threshold=%s smooth=%s\n' "$1" "$RUNJA_ID" "$n" \
	"$RUNJA_PARAM_threshold" "$RUNJA_PARAM_smooth" >"$2/result.txt"
echo "analysed $RUNJA_ID"
SH
	chmod +x "$1/analyse.sh"
	mkdir -p "$1/lib"
	echo 'x=1' >"$1/lib/util.sh"
	echo 'unrelated' >"$1/notes.txt"
}

# tree DIR: 3 runs of 4 frames and a runja.cfg with a command
tree() {
	mkdir -p "$1/data"
	"$synth" --runs 3 --frames 4 --size 24x16 "$1/data" >/dev/null || exit 1
	rawsnap "$1/data"
	mkprog "$1"
	cat >"$1/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; override = "run.cfg"; };
command = {
  run = ["./analyse.sh", "{run}", "{out}"];
  inputs = ["lib/*.sh"];
  params = { threshold = 0.1; smooth = 3; };
};
CFG
}

# ran LOG: the runs whose command ran (ninja's or make's lines), sorted, one line
ran() {
	sed -n 's/^\(\[[0-9]*\/[0-9]*\] \)\{0,1\}COMMAND \(.*\) ([0-9]* frames)$/\2/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
# pixelwork LOG: the runs whose built-in pipeline ran
pixelwork() {
	sed -n 's/^\(\[[0-9]*\/[0-9]*\] \)\{0,1\}PROCESS \(.*\) ([0-9]* frames)$/\2/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}

# run BACKEND DIR LOG: one build
run() {
	case $1 in
	ninja) (cd "$2" && ninja -j2) >"$3" 2>&1 ;;
	make) (cd "$2" && make -j2) >"$3" 2>&1 ;;
	esac
}
nowork() {
	case $1 in
	ninja) echo "ninja: no work to do." ;;
	make) echo "make: Nothing to be done for 'all'." ;;
	esac
}

# table BACKEND: the rerun table in a tree of its own
table() {
	b=$1 d=$tmp/$1 opt=
	[ "$b" = make ] && opt="--backend make"
	tree "$d"
	(cd "$d" && "$gen" $opt) >/dev/null || { fail "$b-gen"; return; }

	# checks NAME EXPECTED: --check before the step
	checks() {
		same "$b-$1-check" "$(cd "$d" && "$gen" $opt --check 2>&1)" "$2"
	}
	# step NAME IDS: build; which commands ran; --check after; a second build does nothing
	step() {
		run "$b" "$d" "$tmp/$b-$1.log"
		same "$b-$1-status" "$?" 0
		same "$b-$1" "$(ran "$tmp/$b-$1.log")" "$2"
		same "$b-$1-check-after" "$(cd "$d" && "$gen" $opt --check 2>&1)" ""
		run "$b" "$d" "$tmp/$b-$1.again"
		same "$b-$1-then-nothing" "$(cat "$tmp/$b-$1.again")" "$(nowork "$b")"
		rawcheck "$d/data" "$b-$1"
		settle
	}

	checks initial "run_000: new
run_001: new
run_002: new"
	step initial "run_000 run_001 run_002"
	same "$b-result" "$(cat "$d/out/run_001/result.txt")" \
		"run=data/run_001 id=run_001 frames=4 threshold=0.1 smooth=3"
	same "$b-log" "$(cat "$d/out/run_001/runja.log")" "analysed run_001"
	same "$b-report-rows" "$(cut -d, -f1,2 "$d/out/summary.csv" | tr '\n' ' ')" "run,frames run_000,4 run_001,4 run_002,4 "

	echo '# edited' >>"$d/analyse.sh"
	checks script-edited "run_000: program changed: ./analyse.sh
run_001: program changed: ./analyse.sh
run_002: program changed: ./analyse.sh"
	step script-edited "run_000 run_001 run_002"

	echo 'y=2' >>"$d/lib/util.sh"
	checks input-edited "run_000: program changed: lib/util.sh
run_001: program changed: lib/util.sh
run_002: program changed: lib/util.sh"
	step input-edited "run_000 run_001 run_002"

	echo 'more' >>"$d/notes.txt"
	checks unlisted-edited ""
	step unlisted-edited ""

	echo 'z=3' >"$d/lib/new.sh"
	step input-added "run_000 run_001 run_002"

	sed -i 's/threshold = 0.1/threshold = 0.2/' "$d/runja.cfg"
	checks param-changed "run_000: parameters changed
run_001: parameters changed
run_002: parameters changed
$( [ "$b" = make ] && echo Makefile || echo build.ninja ): out of date (a plain $b regenerates it)"
	step param-changed "run_000 run_001 run_002"
	same "$b-param-seen" "$(cut -d' ' -f4 "$d/out/run_002/result.txt")" "threshold=0.2"

	sed -i 's/^command = {/# a comment\ncommand = {  # and another/' "$d/runja.cfg"
	step comment-only ""

	echo 'command = { params = { threshold = 0.7; }; };' >"$d/data/run_001/run.cfg"
	rawsnap "$d/data"
	step run-cfg "run_001"
	same "$b-run-cfg-seen" "$(cut -d' ' -f4,5 "$d/out/run_001/result.txt")|$(cut -d' ' -f4,5 "$d/out/run_000/result.txt")" \
		"threshold=0.7 smooth=3|threshold=0.2 smooth=3"

	cp "$d/data/run_000/img_0.png" "$d/data/run_000/img_9.png"
	rawsnap "$d/data"
	checks frame-added "run_000: frames changed
$( [ "$b" = make ] && echo Makefile || echo build.ninja ): out of date (a plain $b regenerates it)"
	step frame-added "run_000"
	same "$b-frame-added-seen" "$(cut -d' ' -f3 "$d/out/run_000/result.txt")" "frames=5"

	cp "$d/data/run_000/img_1.png" "$d/data/run_002/img_2.png"
	rawsnap "$d/data"
	checks frame-rewritten "run_002: frames changed"
	step frame-rewritten "run_002"

	"$synth" --runs 1 --frames 4 --size 24x16 --first 3 "$d/data" >/dev/null
	rawsnap "$d/data"
	step run-added "run_003"

	rm "$d/out/run_001/result.txt"
	checks output-removed "run_001: outputs missing: result.txt"
	echo 'threshold=0.2' >"$d/out/run_001/result.txt"

	# a run that fails keeps its previous results, and only it reruns once fixed
	touch "$d/fail.run_002"
	rawcheck "$d/data" "$b-until-failed"
	cp "$d/data/run_000/img_1.png" "$d/data/run_002/img_1.png"
	rawsnap "$d/data"
	good=$(cat "$d/out/run_002/result.txt")
	run "$b" "$d" "$tmp/$b-failed.log"
	same "$b-failed-status" "$?|$(grep -E '^runja-(process|exec|report): ' "$tmp/$b-failed.log")" \
		"$( [ "$b" = make ] && echo 2 || echo 1 )|runja-exec: run_002: analyse.sh exited with status 1
runja-report: 1 run failed: run_002; why: runja-gen --status"
	same "$b-failed-kept" "$(cat "$d/out/run_002/result.txt")|$(ls -A "$d/out/.runja/work")" "$good|"
	checks failed "run_002: failed last time: run_002: analyse.sh exited with status 1"
	rm "$d/fail.run_002"
	step fixed "run_002"
}

table ninja
if make --version 2>/dev/null | grep -q '^GNU Make \(4\.[3-9]\|[5-9]\)'; then
	table make
else
	echo "SKIP command-make: needs GNU make 4.3 or later"
fi

# after_pipeline: two steps per run; the script edited reruns the command step only
d=$tmp/after
mkdir -p "$d/data"
"$synth" --runs 2 --frames 4 --size 24x16 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
cat >"$d/analyse.sh" <<'SH'
#!/bin/sh
# analyse.sh PIPELINE OUT: reads the built-in products
ls "$1" | grep -v '^\.' | sort | tr '\n' ' ' >"$2/seen.txt"
[ ! -e "$1/mean.npy" ] || cksum <"$1/mean.npy" >"$2/mean.sum"
SH
chmod +x "$d/analyse.sh"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
products = { mean = true; };
command = { run = ["./analyse.sh", "{pipeline}", "{out}"]; after_pipeline = true; };
CFG
inodes() {
	stat -c '%i' "$d/out/run_000/mean.npy" "$d/out/run_000/summary.json" "$d/out/run_001/mean.npy" | tr '\n' ' '
}
(cd "$d" && "$gen" >/dev/null && ninja -j2) >"$tmp/after-1.log" 2>&1
same after-first "$(pixelwork "$tmp/after-1.log")|$(ran "$tmp/after-1.log")" "run_000 run_001|run_000 run_001"
# (ninja makes the folder of the command's stamp, OUT/RUNID/command, before running it)
same after-seen "$(cat "$d/out/run_000/command/seen.txt")" "command mean.npy mean.png summary.json "
same after-layout "$(ls "$d/out/run_000/command" | tr '\n' ' ')" "mean.sum runja.log seen.txt summary.json "
before=$(inodes)
settle
echo '# edited' >>"$d/analyse.sh"
same after-edited-check "$(cd "$d" && "$gen" --check 2>&1)" "run_000: program changed: ./analyse.sh
run_001: program changed: ./analyse.sh"
(cd "$d" && ninja -j2) >"$tmp/after-2.log" 2>&1
same after-edited "$(pixelwork "$tmp/after-2.log")|$(ran "$tmp/after-2.log")" "|run_000 run_001"
same after-no-pixel-work "$(inodes)" "$before"
settle
rawcheck "$d/data" after-until-frame
cp "$d/data/run_000/img_1.png" "$d/data/run_000/img_2.png"
rawsnap "$d/data"
(cd "$d" && ninja -j2) >"$tmp/after-3.log" 2>&1
same after-frame "$(pixelwork "$tmp/after-3.log")|$(ran "$tmp/after-3.log")" "run_000|run_000"
(cd "$d" && ninja -j2) >"$tmp/after-4.log" 2>&1
same after-then-nothing "$(cat "$tmp/after-4.log")" "ninja: no work to do."
# the pipeline changed: both steps of every run, the program reading the new products
# (its record names the pipeline's summary.json: before, it kept what it had made from
# the old ones, and --check called it stale for ever)
echo 'pipeline = ( { op = "blur"; sigma = 2.0; } );' >>"$d/runja.cfg"
(cd "$d" && ninja -j2) >"$tmp/after-5.log" 2>&1
same after-pipeline "$(pixelwork "$tmp/after-5.log")|$(ran "$tmp/after-5.log")" "run_000 run_001|run_000 run_001"
same after-pipeline-read "$(cat "$d/out/run_000/command/mean.sum" "$d/out/run_001/command/mean.sum")" \
	"$(cksum <"$d/out/run_000/mean.npy" && cksum <"$d/out/run_001/mean.npy")"
same after-pipeline-done "$(cd "$d" && "$gen" --check 2>&1; echo "rc $?")|$(cd "$d" && ninja -j2)" "rc 0|ninja: no work to do."
# the products changed: the same
sed -i 's/^products = .*/products = { mean = true; max = true; };/' "$d/runja.cfg"
(cd "$d" && ninja -j2) >"$tmp/after-6.log" 2>&1
same after-products "$(pixelwork "$tmp/after-6.log")|$(ran "$tmp/after-6.log")|$(cat "$d/out/run_000/command/seen.txt")" \
	"run_000 run_001|run_000 run_001|command max.npy max.png mean.npy mean.png summary.json "
same after-products-done "$(cd "$d" && "$gen" --check 2>&1; echo "rc $?")" "rc 0"
# a product removed: the pipeline makes the same results again, so the program does not run
cmdinode=$(stat -c %i "$d/out/run_000/command/mean.sum")
rm "$d/out/run_000/mean.npy"
(cd "$d" && ninja -j2) >"$tmp/after-7.log" 2>&1
same after-same-results "$(pixelwork "$tmp/after-7.log")|$(stat -c %i "$d/out/run_000/command/mean.sum")|$(cd "$d" && "$gen" --check 2>&1; echo "rc $?")" \
	"run_000|$cmdinode|rc 0"
# records of an earlier runja-exec, without the pipeline's summary: run_000's made after
# it (up to date: the summary joins the record once its step starts, here for a touched
# frame), run_001's before it was made again (stale: the regeneration, which a new
# runja-gen runs, removes its stamp, and its program runs again)
sed -i '/out\/run_00[01]\/summary.json/d' "$d/out/run_000/command/.runja.inputs" "$d/out/run_001/command/.runja.inputs"
touch "$d/out/run_001/summary.json"
same after-old-records "$(cd "$d" && "$gen" --check 2>&1)" "run_001: pipeline products changed"
cmdinode=$(stat -c %i "$d/out/run_000/command/mean.sum")
(cd "$d" && "$gen" >/dev/null)
same after-old-record-stamp "$(for r in run_000 run_001; do [ -e "$d/out/$r/command/.runja.done" ] && echo "$r kept" || echo "$r removed"; done)" \
	"run_000 kept
run_001 removed"
settle
rawcheck "$d/data" after-until-touch
touch "$d/data/run_000/img_0.png"
rawsnap "$d/data"
before=$(wc -l <"$d/out/.runja/ledger.tsv")
(cd "$d" && ninja -j2) >"$tmp/after-8.log" 2>&1
same after-old-records-built "$?|$(tail -n +$((before + 1)) "$d/out/.runja/ledger.tsv" | cut -f1,6)|$(stat -c %i "$d/out/run_000/command/mean.sum")" \
	"0|run_001	0|$cmdinode"
same after-old-records-adopted "$(grep -c '^out/run_000/summary.json	' "$d/out/run_000/command/.runja.inputs")|$(cd "$d" && "$gen" --check 2>&1; echo "rc $?")" \
	"1|rc 0"
# the pipeline fails (a frame cut short): its command fails at once, saying so, its last
# results kept; once the frame is whole again, both steps run
settle
rawcheck "$d/data" after-until-cut
cp "$d/data/run_000/img_1.png" "$tmp/whole.png"
cp "$d/out/run_000/command/mean.sum" "$tmp/mean.sum"
head -c 100 "$tmp/whole.png" >"$d/data/run_000/img_1.png"
rawsnap "$d/data"
(cd "$d" && ninja -j2) >"$tmp/after-9.log" 2>&1
same after-pipeline-failed "$?|$(grep -c '^runja-exec: run_000: no pipeline results to run on (out/run_000/summary.json is missing: the pipeline failed or did not run)$' "$tmp/after-9.log")|$(cmp "$tmp/mean.sum" "$d/out/run_000/command/mean.sum" && echo kept)" \
	"1|1|kept"
same after-pipeline-failed-status "$(cd "$d" && "$gen" --status | awk '{ print $1, $2 }' | tr '\n' ' ')" "run_000 failed run_001 done "
# (the frame as it was: the same products, so the program need not run; its failure is past)
settle
rawcheck "$d/data" after-until-whole
cp "$tmp/whole.png" "$d/data/run_000/img_1.png"
rawsnap "$d/data"
before=$(wc -l <"$d/out/.runja/ledger.tsv")
(cd "$d" && ninja -j2) >"$tmp/after-10.log" 2>&1
same after-pipeline-whole "$?|$(pixelwork "$tmp/after-10.log")|$(tail -n +$((before + 1)) "$d/out/.runja/ledger.tsv" | wc -l)|$(cd "$d" && "$gen" --status | awk '{ print $1, $2 }' | tr '\n' ' ')" \
	"0|run_000|1|run_000 done run_001 done "
same after-pipeline-whole-done "$(cd "$d" && "$gen" --check 2>&1; echo "rc $?")|$(cd "$d" && ninja -j2)" "rc 0|ninja: no work to do."

# runs.ready: a run still being acquired gets no command until its DONE file is there
a=$tmp/ready
mkdir -p "$a/data"
"$synth" --runs 2 --frames 2 --size 8x8 "$a/data" >/dev/null || exit 1
mkprog "$a"
touch "$a/data/run_000/DONE"
rawsnap "$a/data"
cat >"$a/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; ready = "DONE"; };
command = { run = ["./analyse.sh", "{run}", "{out}"]; };
CFG
(cd "$a" && "$gen" >/dev/null && ninja -j2) >"$tmp/ready-1.log" 2>&1
same ready-waits "$?|$(ran "$tmp/ready-1.log")|$(cd "$a" && "$gen" --status | awk '{ print $1, $2 }' | tr '\n' ' ')" \
	"0|run_000|run_000 done run_001 waiting "
settle
rawcheck "$a/data" ready-until-sentinel
touch "$a/data/run_001/DONE"
rawsnap "$a/data"
(cd "$a" && ninja -j2) >"$tmp/ready-2.log" 2>&1
same ready-then-runs "$?|$(ran "$tmp/ready-2.log")" "0|run_001"

# jobs.pool = "auto": the command's declared memory stands in for the estimate
p=$tmp/pool
mkdir -p "$p/data"
"$synth" --runs 2 --frames 2 --size 8x8 "$p/data" >/dev/null || exit 1
rawsnap "$p/data"
cp "$d/analyse.sh" "$p/"
cat >"$p/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["./analyse.sh", "{pipeline}", "{out}"]; after_pipeline = true; memory = "2G"; };
jobs = { pool = "auto"; memory = "9G"; };
CFG
same pool-memory "$(cd "$p" && "$gen")" "runja-gen: jobs.pool auto: up to 2048.0 MiB per run (run_000, command.memory), \
9.0 GiB by jobs.memory: 4 at once; 0 runs from measured peak RSS, 0 estimated, 2 by command.memory
runja-gen: 2 runs (2 new), wrote build.ninja"
same pool-depth "$(grep -A1 '^pool runs' "$p/build.ninja" | tail -1)|$(grep -c '^  pool = runs' "$p/build.ninja")" "  depth = 4|4"
sed -i 's/ memory = "2G";//' "$p/runja.cfg"
sed -i 's/after_pipeline = true;//; s/{pipeline}/{run}/' "$p/runja.cfg"
same pool-undeclared "$(cd "$p" && "$gen")" "runja-gen: jobs.pool auto: the command declares no memory (command.memory = \"2G\"); no pool
runja-gen: 2 runs (0 new), wrote build.ninja"
# once built, each run's command has a measured figure (the ledger's peak RSS for the same
# program, arguments and parameters): the pool is sized from those
(cd "$p" && ninja) >"$tmp/pool.log" 2>&1
same pool-measured "$?|$(cd "$p" && "$gen" | head -1 | sed 's/ ([^)]*)/ (...)/; s/up to [0-9.]* MiB/up to X MiB/; s/: [0-9]* at once/: N at once/')" \
	"0|runja-gen: jobs.pool auto: up to X MiB per run (...), 9.0 GiB by jobs.memory: N at once; 2 runs from measured peak RSS, 0 estimated"

finish
