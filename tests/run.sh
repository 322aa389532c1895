#!/bin/sh
# Run every test program and script given; each prints "PASS name" / "FAIL name" lines,
# or "SKIP name: why" when it cannot run here (never counted as passed).
# A program that exits non-zero without printing a FAIL line counts as one failure.
# Ends with one line "N passed, N failed" (", N skipped" when any) and exits 1 on any failure.
pass=0
fail=0
skip=0
# under LeakSanitizer (./configure --enable-sanitize): leaks inside libconfig are not runja's
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}
export LSAN_OPTIONS
log=${TMPDIR:-/tmp}/runja-test.$$
for t; do
	case $t in
	*.sh) sh "$t" >"$log" 2>&1 ;;
	*) "./$t" >"$log" 2>&1 ;;
	esac
	status=$?
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	s=$(grep -c '^SKIP ' "$log")
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $t (exit status $status)" >>"$log"
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		echo "== $t"
		grep -v '^PASS ' "$log"
	fi
	grep '^SKIP ' "$log"
	echo "# $t: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
done
rm -f "$log"
if [ "$skip" -ne 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
