#!/bin/sh
# Run each libFuzzer harness for SECONDS seconds: make fuzz [FUZZ_SECONDS=N].
# usage: tests/fuzz/run.sh SECONDS BIN...   (BIN is tests/fuzz/bin/fuzz_NAME)
# Each harness starts from a scratch copy of tests/fuzz/corpus/NAME (the committed
# corpus is never grown) with tests/fuzz/NAME.dict, first re-runs the crashers kept in
# tests/regress/NAME/, and stops at its first finding: the input is saved as
# tests/fuzz/bin/NAME-crash-... (keep it in tests/regress/NAME/ once fixed).
# Prints libFuzzer's final stats per harness; exits 1 when any harness found something.
secs=${1:?usage: run.sh SECONDS BIN...}
shift
status=0
# LSan: ignore a leak inside libconfig itself (see lsan.supp)
LSAN_OPTIONS=suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
export LSAN_OPTIONS
for bin; do
	name=${bin##*/fuzz_}
	dir=$(dirname "$0")
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/runja-fuzz-$name.XXXXXX") || exit 1
	cp "$dir/corpus/$name"/* "$scratch/"
	log=$dir/bin/$name.log
	if [ -d "$dir/../regress/$name" ] && ! "$bin" "$dir/../regress/$name"/* >"$log" 2>&1; then
		echo "fuzz $name: a kept crasher fails again (tests/regress/$name): see $log"
		status=1
	fi
	t0=$(date +%s)
	# leaks are looked for after the run, over the corpus it grew: a leak check after
	# each input (libconfig leaks on syntax errors, suppressed) would slow it 100-fold
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -detect_leaks=0 \
		-dict="$dir/$name.dict" -artifact_prefix="$dir/bin/$name-" "$scratch" >"$log" 2>&1
	rc=$?
	t1=$(date +%s)
	if [ "$rc" -eq 0 ] && ! "$bin" -runs=1 -artifact_prefix="$dir/bin/$name-" "$scratch"/* >"$log.leaks" 2>&1; then
		cat "$log.leaks" >>"$log"
		rc=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep '^#[0-9]*.*cov:' "$log" | tail -1 | sed 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*\(corp: [^ ]*\).*/\1 \2 \3/')
	echo "fuzz $name: $((t1 - t0)) s, ${execs:-?} executions, $cov, exit $rc"
	if [ "$rc" -ne 0 ]; then
		grep -m3 'ERROR\|SUMMARY\|==ERROR\|deadly signal\|Test unit written' "$log"
		status=1
	fi
	rm -rf "$scratch"
done
exit "$status"
