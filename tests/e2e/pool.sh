# jobs.pool = "auto": runja-gen's estimate of a run's peak memory against the peak RSS
# runja-process really had (the ledger's getrusage figure), within 25 %, for several
# pipelines; the pool depth that jobs.memory gives; and a second generation taking the
# run's measured peak RSS (the ledger's, of the same parameters key) over the estimate.
. tests/lib.sh

if sanitized; then
	echo "SKIP pool: AddressSanitizer's shadow memory and quarantine change peak RSS (the plain build runs this test)"
	finish
fi

d=$tmp/pool
"$synth" --runs 1 --frames 12 --size 1024x768 "$d/data" || exit 1
rawsnap "$d/data"

# estimate NAME PIPELINE PRODUCTS: runja-gen, ninja, then compare
estimate() {
	cat >"$d/runja.cfg" <<CFG
version = 1;
runs = { root = "data"; match = "run_*"; };
pipeline = ( $2 );
products = { $3 };
jobs = { pool = "auto"; };
CFG
	msg=$(cd "$d" && "$gen" | head -1)
	est=$(echo "$msg" | sed -n 's/.*up to \([0-9.]*\) MiB per run.*/\1/p')
	# the ledger holds only other parameters' attempts: estimated
	same "estimate-$1-source" "${msg##*; }" "0 runs from measured peak RSS, 1 estimated"
	(cd "$d" && ninja) >/dev/null 2>&1
	got=$(tail -1 "$d/out/.runja/ledger.tsv" | awk -F'\t' '{ printf "%.1f", $4 / 1024 }')
	ok=$(awk -v e="$est" -v g="$got" 'BEGIN { r = (e - g) / g; if (r < 0) r = -r; print (r <= 0.25 && g > 0) ? "yes" : "no" }')
	if [ "$ok" = yes ]; then
		pass "estimate-$1"
		echo "# $1: estimated $est MiB, measured $got MiB"
	else
		fail "estimate-$1" "estimated $est MiB, measured $got MiB (more than 25 % apart)"
	fi
}

estimate plain '' 'mean = true; std = true;'
estimate background-blur '{ op = "background"; frames = 5; method = "median"; }, { op = "blur"; sigma = 2.0; }' \
	'mean = true; std = true; max = true; stats = true; timestack = { row = 100; };'
estimate crop-blur '{ op = "crop"; x = 0; y = 200; width = 1024; height = 300; }, { op = "blur"; sigma = 2.0; }' \
	'mean = true; std = true; max = true; stats = true; timestack = { row = 150; }; front = { level = 0.1; from = "left"; };'
estimate downsample-background '{ op = "downsample"; factor = 2; }, { op = "background"; frames = 10; method = "mean"; }' \
	'std = true; min = true;'
estimate all-products '{ op = "median"; radius = 1; }' \
	'mean = true; std = true; min = true; max = true; timestack = { column = 5; };'

# jobs.memory caps the pool: depth = memory / the largest figure, in build.ninja; after
# the build, the figure is the run's measured peak RSS + 10 %, no longer the estimate
ledger=$d/out/.runja/ledger.tsv
sed 's/pool = "auto";/pool = "auto"; memory = "1G";/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
rss=$(tail -1 "$ledger" | cut -f4)
key=$(tail -1 "$ledger" | cut -f10)
# measured KIB: the line runja-gen prints for a run measured at KIB
measured() {
	awk -v k="$1" 'BEGIN { m = k * 1.1 / 1024; printf "runja-gen: jobs.pool auto: up to %.1f MiB per run (run_000, measured peak RSS %.1f MiB + 10 %%), 1.0 GiB by jobs.memory: %d at once; 1 run from measured peak RSS, 0 estimated", m, k / 1024, 1024 / m }'
}
# attempt KIB STATUS [KEY]: append a crafted attempt of run_000 to the ledger (no KEY: a line written before keys)
attempt() {
	printf 'run_000\t2026-03-01T10:00:00Z\t1.000\t%s\thost\t%s\t0.1\t-\t' "$1" "$2" >>"$ledger"
	[ $# -lt 3 ] || printf '\t%s' "$3" >>"$ledger"
	echo >>"$ledger"
}
# depths LINE: the depth runja-gen's LINE says, and the depth build.ninja has
depths() {
	echo "$1" | sed 's/ at once.*//; s/.*: //'
	grep -A1 '^pool runs' "$d/build.ninja" | tail -1 | sed 's/  depth = //'
}
# generate: runja-gen's pool line
generate() {
	(cd "$d" && "$gen" | head -1)
}
out=$(generate)
same memory-measured-message "$out" "$(measured "$rss")"
want=$(measured "$rss" | sed 's/ at once.*//; s/.*: //')
same memory-pool-depth "$(depths "$out" | tr '\n' ' ')" "$want $want "
same memory-pool-used "$(grep -c '^  pool = runs' "$d/build.ninja")" 1
# an attempt of the same parameters that peaked at 300 MiB: the largest wins, 1024 / 330 = 3 at once
attempt 307200 0 "$key"
out=$(generate)
same crafted-measured-message "$out" "$(measured 307200)"
same crafted-pool-depth "$(depths "$out" | tr '\n' ' ')" "3 3 "
# what is no success of these parameters counts for nothing: a failed attempt, a killed
# one, another key, a line written before keys, a line cut short
attempt 921600 1 "$key"
attempt 921600 SIGKILL "$key"
attempt 921600 0 0123456789abcdef
attempt 921600 0
printf 'run_000\t2026-03-01T10:00:00Z\t1.000\t921600\thost\t0\t0.1\t-\t\t%s' "$key" >>"$ledger"
out=$(generate)
same crafted-others-ignored "$out|$(depths "$out" | tr '\n' ' ')" "$(measured 307200)|3 3 "
# five newer successes at 100 MiB: the 300 MiB one ages out, 1024 / 110 = 9 at once
echo >>"$ledger"
for i in 1 2 3 4 5; do attempt 102400 0 "$key"; done
out=$(generate)
same crafted-ages-out "$out|$(depths "$out" | tr '\n' ' ')" "$(measured 102400)|9 9 "
# other parameters: the estimate again
sed 's/radius = 1;/radius = 2;/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
out=$(generate)
same other-parameters-estimated "$(echo "$out" | sed 's/up to [0-9.]* MiB/up to X MiB/; s/: [0-9]* at once/: N at once/')" \
	"runja-gen: jobs.pool auto: up to X MiB per run (run_000, 1024x768 8-bit gray), 1.0 GiB by jobs.memory: N at once; 0 runs from measured peak RSS, 1 estimated"
est=$(echo "$out" | sed -n 's/.*up to \([0-9.]*\) MiB per run.*/\1/p')
same other-parameters-depth "$(depths "$out" | tr '\n' ' ')" "$(awk -v e="$est" 'BEGIN { d = int(1024 / e); printf "%d %d ", d, d }')"

finish
