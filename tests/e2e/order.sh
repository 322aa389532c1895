# The order runs start in: the runs with the most frames first, ties in the runs' own
# (natural) order, with ninja and with GNU make, so that a long run starts at once
# beside the short ones instead of last and alone (ninja and make start what they may
# run in the order of the build file). A command after the pipeline keeps its place
# after its run's pipeline step.
. tests/lib.sh

unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
d=$tmp/uneven
mkdir -p "$d/data"
"$synth" --runs 5 --frames 9 --size 16x12 "$d/data" >/dev/null || exit 1
# frames per run: run_000 3, run_001 6, run_002 3, run_003 9, run_004 1
rm "$d"/data/run_000/img_[3-8].png "$d"/data/run_001/img_[6-8].png "$d"/data/run_002/img_[3-8].png
rm "$d"/data/run_004/img_[1-8].png
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
pipeline = ( { op = "invert"; } );
products = { mean = true; };
CFG
# started LOG WORD: the runs in the order LOG shows them started (ninja's or make's
# description lines WORD run_X (N frames))
started() {
	sed -n "s/^\(\[[0-9]*\/[0-9]*\] \)\{0,1\}$2 *\(run_[0-9]*\) (\([0-9]*\) frames\{0,1\})\$/\2:\3/p" "$1" | tr '\n' ' ' |
		sed 's/ $//'
}
want="run_003:9 run_001:6 run_000:3 run_002:3 run_004:1"
(cd "$d" && "$gen" >/dev/null && ninja -j1) >"$tmp/ninja.log" 2>&1
same ninja-built "$?" 0
same ninja-longest-first "$(started "$tmp/ninja.log" PROCESS)" "$want"
same ninja-file-order "$(sed -n 's/^build .* out\/\(run_[0-9]*\)\/summary\.json .*: process.*/\1/p' "$d/build.ninja" | tr '\n' ' ')" \
	"run_003 run_001 run_000 run_002 run_004 "
# the report lists the runs in their own order all the same
same report-order "$(cut -d, -f1 "$d/out/summary.csv" | tail -n +2 | tr '\n' ' ')" "run_000 run_001 run_002 run_003 run_004 "

m=$tmp/make
mkdir -p "$m"
cp -r "$d/data" "$d/runja.cfg" "$m/"
rawsnap "$m/data"
if make --version 2>/dev/null | grep -q '^GNU Make \(4\.[3-9]\|[5-9]\)'; then
	(cd "$m" && "$gen" --backend make >/dev/null && make -j1) >"$tmp/make.log" 2>&1
	same make-built "$?" 0
	same make-longest-first "$(started "$tmp/make.log" PROCESS)" "$want"
else
	echo "SKIP make-longest-first: needs GNU make 4.3 or later"
fi

# a command after the pipeline: each run's command after its pipeline step, the runs
# longest first
c=$tmp/cmd
mkdir -p "$c"
cp -r "$d/data" "$d/runja.cfg" "$c/"
rawsnap "$c/data"
cat >>"$c/runja.cfg" <<'CFG'
command = { run = ["sh", "-c", "echo ok >\"$1/result.txt\"", "sh", "{out}"]; after_pipeline = true; };
CFG
(cd "$c" && "$gen" >/dev/null && ninja -j1) >"$tmp/cmd.log" 2>&1
same cmd-built "$?" 0
same cmd-order "$(sed -n 's/^\[[0-9]*\/[0-9]*\] \(PROCESS\|COMMAND\) *\(run_[0-9]*\) .*/\1 \2/p' "$tmp/cmd.log" | tr '\n' ' ')" \
	"PROCESS run_003 COMMAND run_003 PROCESS run_001 COMMAND run_001 PROCESS run_000 COMMAND run_000 PROCESS run_002 COMMAND run_002 PROCESS run_004 COMMAND run_004 "
finish
