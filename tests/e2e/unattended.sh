# Unattended operation with the real ninja: overlapping builds, clocks that disagree,
# frames touched or copied with the same bytes, and what a new build of runja reruns.
. tests/lib.sh

d=$tmp/tank
mkdir -p "$d"
"$synth" --runs 12 --frames 5 --size 48x32 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["run_*"]; };
output = { dir = "out"; };
products = { mean = true; std = true; max = true; stats = true; };
jobs = { retry_pause = 0; };
CFG

# sums DIR: the md5sum of every product and summary of a build, not runja's own records
sums() {
	(cd "$1/out" && find . -path ./.runja -prune -o -type f ! -name '.runja.*' ! -name index.html -print |
		LC_ALL=C sort | xargs md5sum)
}

# oks LEDGER: per run, the number of attempts that succeeded, "ID:N" sorted, one line
oks() {
	awk -F'\t' '$6 == "0" { n[$1]++ } END { for (r in n) print r ":" n[r] }' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}

allonce=$(for i in 000 001 002 003 004 005 006 007 008 009 010 011; do printf 'run_%s:1 ' "$i"; done | sed 's/ $//')

# a single build: what every overlapping one must equal
(cd "$d" && "$gen" >/dev/null && ninja -j2 >/dev/null 2>&1) || fail single-build
sums "$d" >"$tmp/ref.sums"
same single-build-ran-each-once "$(oks "$d/out/.runja/ledger.tsv")" "$allonce"

# 4 builds at once, 20 times over, each time from nothing
bad=
for rep in $(seq 1 20); do
	rm -rf "$d/out" "$d/.runja"
	for k in 1 2 3 4; do
		(cd "$d" && ninja -j2 >"$tmp/over.$k" 2>&1; echo $? >"$tmp/over.$k.status") &
	done
	wait
	for k in 1 2 3 4; do
		[ "$(cat "$tmp/over.$k.status")" = 0 ] || bad="$bad rep $rep build $k failed: $(tail -3 "$tmp/over.$k");"
		! grep -q 'premature end\|recovering' "$tmp/over.$k" || bad="$bad rep $rep build $k: ninja's log torn;"
	done
	[ "$(oks "$d/out/.runja/ledger.tsv")" = "$allonce" ] || bad="$bad rep $rep ledger: $(oks "$d/out/.runja/ledger.tsv");"
	[ "$(cd "$d" && ninja -n 2>&1)" = "ninja: no work to do." ] ||
		bad="$bad rep $rep: ninja -n has work: $(cd "$d" && ninja -n -d explain 2>&1 | head -4);"
	sums "$d" | cmp -s - "$tmp/ref.sums" || bad="$bad rep $rep: outputs differ;"
done
same overlapping-builds-process-each-run-once "$bad" ""
# why: a build that looks for what is dirty while another writes a run's depfile must
# never read a part of it (ninja takes an empty one for a step with no inputs, and
# records its time as 0): it is written under a name of its own and renamed over
rm -rf "$d/out/run_000"
(cd "$d" && ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -o "$tmp/dep.trace" -e trace=openat,rename ninja -j1) >/dev/null 2>&1
same depfile-renamed-whole "$(grep -c 'openat(.*"out/run_000/\.runja\.d", O_WRONLY' "$tmp/dep.trace")|$(grep -c 'rename("out/run_000/\.\.runja\.d\.tmp", "out/run_000/\.runja\.d")' "$tmp/dep.trace")" "0|1"

# two builds, one killed with SIGKILL midway (its whole group), then a third: the same results
bad=
for rep in 1 2 3 4 5; do
	rm -rf "$d/out" "$d/.runja"
	(cd "$d" && exec setsid ninja -j2 >"$tmp/k1" 2>&1) &
	p1=$!
	(cd "$d" && ninja -j2 >"$tmp/k2" 2>&1; echo $? >"$tmp/k2.status") &
	p2=$!
	sleep 0.0$rep
	kill -KILL -- "-$p1" 2>/dev/null
	wait "$p1" 2>/dev/null
	(cd "$d" && ninja -j2 >"$tmp/k3" 2>&1; echo $? >"$tmp/k3.status")
	wait "$p2"
	[ "$(cat "$tmp/k2.status")$(cat "$tmp/k3.status")" = 00 ] ||
		bad="$bad rep $rep: $(cat "$tmp/k2.status") $(cat "$tmp/k3.status") $(tail -2 "$tmp/k2" "$tmp/k3");"
	[ "$(cd "$d" && ninja -n 2>&1)" = "ninja: no work to do." ] || bad="$bad rep $rep: ninja -n has work;"
	sums "$d" | cmp -s - "$tmp/ref.sums" || bad="$bad rep $rep: outputs differ;"
	[ -z "$(find "$d/out" -name '*.tmp')" ] || bad="$bad rep $rep: temporary files left after the third build;"
done
same killed-build-leaves-nothing-to-unlock "$bad" ""

# a second build that finds a run locked waits with one line, then finds it done
rm -rf "$d/out" "$d/.runja"
(cd "$d" && "$gen" >/dev/null && ninja -j2 >/dev/null 2>&1)
touch -d '+1 second' "$d/data/run_003/img_0.png" 2>/dev/null
rawsnap "$d/data"
# another build's hold of the lock, for 1.5 s
flock -x "$(grep -lx run_003 "$d"/out/.runja/locks/*)" sleep 1.5 &
sleep 0.3
(cd "$d" && ninja -j1 >"$tmp/wait" 2>&1; echo $? >"$tmp/wait.status")
wait
same locked-run-waits "$(grep -c 'run_003: another build is processing it; waiting for it' "$tmp/wait")|$(cat "$tmp/wait.status")" "1|0"


# inodes DIR: every file of the runs' results with its inode: "rewritten" shows as a new inode
inodes() {
	(cd "$1/out" && find ./run_* -type f ! -name '.runja.inputs' -printf '%i %p\n' | LC_ALL=C sort -k2)
}

# processed LOG: the runs ninja started, sorted, one line
started() {
	sed -n 's/^\[[0-9]*\/[0-9]*\] PROCESS \([^ ]*\) .*/\1/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}

# Clocks. Frames 2 hours and a year ahead: one warning each, the run done once, then nothing to do.
rm -rf "$d/out" "$d/.runja"
(cd "$d" && ninja -j2 >/dev/null 2>&1)
touch -d '+2 hours' "$d/data/run_001/img_0.png"
touch -d '+1 year' "$d/data/run_002/img_1.png"
rawsnap "$d/data"
(cd "$d" && ninja -j2 >"$tmp/ahead" 2>&1)
same ahead-processed "$(started "$tmp/ahead")" "run_001 run_002"
same ahead-warned-once "$(grep -c 'run_001: frames are dated up to 1 h 59 min ahead of this machine.s clock' "$tmp/ahead")|$(grep -c 'run_002: frames are dated up to 36[45] days ahead' "$tmp/ahead")" "1|1"
same ahead-then-nothing "$(cd "$d" && ninja 2>&1)" "ninja: no work to do."
out=$(cd "$d" && "$gen" --check 2>&1; echo "status $?")
same ahead-check "$(printf '%s\n' "$out" | sed 's/36[45] days/N days/')" "runja-gen: run_001: frames are dated up to 1 h 59 min ahead of this machine's clock; its results are dated to match
runja-gen: run_002: frames are dated up to N days ahead of this machine's clock; its results are dated to match
status 0"
# a run folder dated ahead: the regeneration is not made again at every build
touch -d '+3 hours' "$d/data/run_004"
rawsnap "$d/data"
(cd "$d" && ninja >"$tmp/dirahead" 2>&1)
same folder-ahead-warned "$(grep -c "folder 'data/run_004' is dated 2 h 59 min ahead" "$tmp/dirahead")" 1
same folder-ahead-then-nothing "$(cd "$d" && ninja 2>&1)" "ninja: no work to do."
# the output folder's clock behind: results older than their frames (ninja's own log
# remembers when it made them, so it goes too, as in a tree copied without it)
touch -d '-1 day' "$d"/data/run_*/*.png "$d"/data/run_* "$d/data"
rawsnap "$d/data"
rm -rf "$d/out" "$d/.runja"
(cd "$d" && ninja -j2 >/dev/null 2>&1)
inodes "$d" >"$tmp/i0"
find "$d/out" -exec touch -h -d '-2 days' {} +
rm "$d/.runja/.ninja_log"
(cd "$d" && ninja -j2 >"$tmp/behind" 2>&1)
same behind-no-product-rewritten "$(inodes "$d" | diff "$tmp/i0" - && echo same)" same
same behind-warned "$(grep -c 'its results are dated before its frames (the output folder.s clock behind, or a copy?)' "$tmp/behind")" 12
same behind-then-nothing "$(cd "$d" && ninja 2>&1)" "ninja: no work to do."

# Touched, not changed: every frame touched, then the whole tree copied without its times.
rm -rf "$d/out" "$d/.runja"
touch "$d"/data/run_*/*.png "$d"/data/run_*
rawsnap "$d/data"
t0=$(date +%s.%N)
(cd "$d" && ninja -j2 >/dev/null 2>&1)
t1=$(date +%s.%N)
inodes "$d" >"$tmp/i0"
touch "$d"/data/run_*/*.png
rawsnap "$d/data"
t2=$(date +%s.%N)
(cd "$d" && ninja -j2 >"$tmp/touched" 2>&1)
t3=$(date +%s.%N)
same touched-checked-all "$(started "$tmp/touched" | wc -w)" 12
same touched-nothing-rewritten "$(inodes "$d" | diff "$tmp/i0" - && echo same)" same
same touched-report-not-rerun "$(grep -c REPORT "$tmp/touched")" 0
same touched-then-nothing "$(cd "$d" && ninja 2>&1)" "ninja: no work to do."
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" \
	'BEGIN { printf "# touched frames: the build took %.3f s against %.3f s for the full build\n", d - c, b - a }' 
cp -r "$d" "$tmp/copy"
inodes "$tmp/copy" >"$tmp/c0"
(cd "$tmp/copy" && ninja -j2 >"$tmp/copied" 2>&1)
same copy-nothing-rewritten "$(inodes "$tmp/copy" | diff "$tmp/c0" - && echo same)" same
same copy-then-nothing "$(cd "$tmp/copy" && ninja 2>&1)" "ninja: no work to do."
rm -rf "$tmp/copy"
# a frame with new bytes is processed again
"$synth" --runs 1 --frames 5 --size 48x32 --seed 7 "$tmp/other" >/dev/null
cp "$tmp/other/run_000/img_2.png" "$d/data/run_005/img_2.png"
rawsnap "$d/data"
(cd "$d" && ninja -j2 >"$tmp/newbytes" 2>&1)
same new-bytes-processed "$(started "$tmp/newbytes")" run_005
same new-bytes-rewritten "$(inodes "$d" | diff "$tmp/i0" - | sed -n 's/^> [0-9]* \.\/\([^/]*\)\/.*/\1/p' | sort -u | tr '\n' ' ')" "run_005 "

# How a run is run is not what it computes: launcher, retries, pool, pause rerun nothing.
for change in 'launcher = "env";' 'retries = 5;' 'retry_pause = "1m";' 'pool = 2;' 'pool = "auto";'; do
	sed "s/^jobs = { retry_pause = 0; };/jobs = { retry_pause = 0; $change };/; s/retry_pause = 0; retry_pause/retry_pause/" \
		"$d/runja.cfg" >"$tmp/cfg" && cp "$tmp/cfg" "$d/runja.cfg"
	(cd "$d" && ninja -j2 >"$tmp/how" 2>&1)
	same "how-$change-reruns-nothing" "$(grep -c 'PROCESS\|REPORT' "$tmp/how")|$(cd "$d" && ninja -n 2>&1)" "0|ninja: no work to do."
	sed 's/^jobs = .*/jobs = { retry_pause = 0; };/' "$d/runja.cfg" >"$tmp/cfg" && cp "$tmp/cfg" "$d/runja.cfg"
done
(cd "$d" && ninja >/dev/null 2>&1)

# ... nor a command's time limit or warm mode (a Python program, Debian's python3: warm by default)
c=$tmp/cmd
mkdir -p "$c"
"$synth" --runs 2 --frames 2 --size 16x12 "$c/data" >/dev/null || exit 1
rawsnap "$c/data"
cat >"$c/analyse.py" <<'PY'
import sys
open(sys.argv[2] + "/result.txt", "w").write("done\n")
PY
cat >"$c/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["/usr/bin/python3", "analyse.py", "{run}", "{out}"]; };
CFG
(cd "$c" && "$gen" >/dev/null && ninja -j2 >/dev/null 2>&1)
same command-built "$(cat "$c"/out/run_*/result.txt | tr '\n' ' ')" "done done "
for change in 'timeout = "1h";' 'warm = false;' 'warm = true;' 'timeout = "1h"; warm = false;'; do
	sed "s|\"{out}\"\]; };|\"{out}\"]; $change };|" "$c/runja.cfg" >"$tmp/cfg" && cp "$tmp/cfg" "$c/runja.cfg"
	(cd "$c" && ninja -j2 >"$tmp/how" 2>&1)
	same "how-$change-reruns-no-command" "$(grep -c 'COMMAND\|REPORT' "$tmp/how")|$(cd "$c" && ninja -n 2>&1)" "0|ninja: no work to do."
	# (as runja-exec's flags: a folder's name in the build file may hold the words)
	grep -qE -- "--(timeout|warm)( |$)" "$c/build.ninja" && fail "how-$change-not-in-build-file"
	sed "s|\"{out}\"\]; $change };|\"{out}\"]; };|" "$c/runja.cfg" >"$tmp/cfg" && cp "$tmp/cfg" "$c/runja.cfg"
done

finish
