# A run's step killed after its attempt wrote results from new parameters, before the
# step itself ended: ninja records no success and keeps what it knew of the last one
# (its command), so when the parameters go back, the run must still be done again.
# runja-gen removes the outcome stamp of every step whose arguments changed
# (.runja/args beside build.ninja), and a missing stamp starts the step. The killing is
# the launcher's (not part of what a run computes): it runs the attempt, then SIGKILLs
# the step that started it. Once for the pipeline, once for a command.
. tests/lib.sh

"$synth" --runs 2 --frames 4 --size 48x32 "$tmp/data" >/dev/null || exit 1
rawsnap "$tmp/data"
cat >"$tmp/killer.sh" <<'SH'
"$@"
kill -KILL $PPID
SH

# config DIR KIND SIGMA LAUNCHER: DIR/runja.cfg, KIND pipeline or command
config() {
	case $2 in
	pipeline) work="pipeline = ( { op = \"blur\"; sigma = $3; } ); products = { mean = true; };" ;;
	command) work="command = { run = [\"sh\", \"cmd.sh\"]; params = { sigma = $3; }; };" ;;
	esac
	cat >"$1/runja.cfg" <<CFG
version = 1;
runs = { root = "../data"; match = "run_*"; };
$work
jobs = { launcher = "$4"; retries = 0; };
CFG
}

# scenario KIND RESULT LINE: RESULT the file a run's results are compared by, LINE the word of ninja's lines
scenario() {
	d=$tmp/$1
	mkdir -p "$d"
	echo 'cat "$RUNJA_PARAMS" >"$RUNJA_OUT/params.json"' >"$d/cmd.sh"
	config "$d" "$1" 1.0 ""
	(cd "$d" && "$gen" >/dev/null && ninja -j2 >"$tmp/$1-first.log" 2>&1) ||
		{ fail "$1-first-build" "$(cat "$tmp/$1-first.log")"; return; }
	cp "$d/out/run_000/$2" "$tmp/$1-before"
	config "$d" "$1" 2.0 "sh $tmp/killer.sh"
	(cd "$d" && ninja -j2 -k 0 >"$tmp/$1-killed.log" 2>&1)
	same "$1-steps-killed" "$(grep -c '^FAILED: ' "$tmp/$1-killed.log")" 2
	if cmp -s "$d/out/run_000/$2" "$tmp/$1-before"; then
		fail "$1-killed-attempt-wrote" "the attempt of sigma 2.0 left the results of sigma 1.0"
	else
		pass "$1-killed-attempt-wrote"
	fi
	config "$d" "$1" 1.0 ""
	build "$d" "$tmp/$1-back.log"
	same "$1-back-reruns" "$(sed -n "s/^\[[0-9]*\/[0-9]*\] $3 \(.*\) ([0-9]* frames)$/\1/p" "$tmp/$1-back.log" | sort | tr '\n' ' ')" \
		"run_000 run_001 "
	same "$1-back-results" "$(cmp "$d/out/run_000/$2" "$tmp/$1-before" && echo same)" same
	build "$d" "$tmp/$1-after.log"
	same "$1-then-no-work" "$(cat "$tmp/$1-after.log")" "ninja: no work to do."
}

scenario pipeline mean.npy PROCESS
scenario command params.json COMMAND
same command-params "$(tr -d ' \n' <"$tmp/command/out/run_000/params.json")" '{"sigma":1.0}'
finish
