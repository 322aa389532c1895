# jobs.pool = "auto": runja-gen's estimate of a run's peak memory against the peak RSS
# runja-process really had (the ledger's getrusage figure), within 25 %, for several
# pipelines; and the pool depth that jobs.memory gives.
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
	est=$(cd "$d" && "$gen" | sed -n 's/.*up to \([0-9.]*\) MiB per run.*/\1/p')
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

# jobs.memory caps the pool: depth = memory / the largest estimate, in build.ninja
sed 's/pool = "auto";/pool = "auto"; memory = "1G";/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
out=$(cd "$d" && "$gen" | head -1)
est=$(echo "$out" | sed -n 's/.*up to \([0-9.]*\) MiB per run.*/\1/p')
depth=$(awk -v e="$est" 'BEGIN { printf "%d", 1024 / e }')
same memory-message "$(echo "$out" | sed 's/up to [0-9.]* MiB/up to X MiB/')" \
	"runja-gen: jobs.pool auto: up to X MiB per run (run_000, 1024x768 8-bit gray), 1.0 GiB by jobs.memory: $depth at once"
same memory-pool-depth "$(grep -A1 '^pool runs' "$d/build.ninja" | tail -1)" "  depth = $depth"
same memory-pool-used "$(grep -c '^  pool = runs' "$d/build.ninja")" 1

finish
