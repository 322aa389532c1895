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
	[ "$(cd "$d" && ninja -n 2>&1)" = "ninja: no work to do." ] || bad="$bad rep $rep: ninja -n has work;"
	sums "$d" | cmp -s - "$tmp/ref.sums" || bad="$bad rep $rep: outputs differ;"
done
same overlapping-builds-process-each-run-once "$bad" ""

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
flock -x "$d/out/.runja/locks/run_003" sleep 1.5 &
sleep 0.3
(cd "$d" && ninja -j1 >"$tmp/wait" 2>&1; echo $? >"$tmp/wait.status")
wait
same locked-run-waits "$(grep -c 'run_003: another build is processing it; waiting for it' "$tmp/wait")|$(cat "$tmp/wait.status")" "1|0"

finish
