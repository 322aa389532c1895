#!/bin/sh
# Run every test program and script given; each prints "PASS name" / "FAIL name" lines.
# A program that exits non-zero without printing a FAIL line counts as one failure.
# Ends with one line "N passed, N failed" and exits 1 on any failure.
pass=0
fail=0
log=${TMPDIR:-/tmp}/runja-test.$$
for t; do
	case $t in
	*.sh) sh "$t" >"$log" 2>&1 ;;
	*) "./$t" >"$log" 2>&1 ;;
	esac
	status=$?
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $t (exit status $status)" >>"$log"
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		echo "== $t"
		grep -v '^PASS ' "$log"
	fi
	echo "$t: $p passed, $f failed" | sed 's/^/# /'
	pass=$((pass + p))
	fail=$((fail + f))
done
rm -f "$log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
