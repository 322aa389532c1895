# Memory independent of the number of frames; outputs byte-identical at any -j, on any
# number of threads, on every rebuild and on every vector path (RUNJA_SIMD); an error in
# a run's run.cfg named with its run.
. tests/lib.sh

# --- peak RSS (the ledger's getrusage figure) of a run of 400 frames against one of 40
m=$tmp/mem
"$synth" --runs 1 --frames 40 --size 256x192 "$m/data" || exit 1
"$synth" --runs 1 --frames 400 --size 256x192 --first 1 "$m/data" || exit 1
rawsnap "$m/data"
cat >"$m/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
pipeline = ( { op = "background"; frames = 5; method = "median"; }, { op = "blur"; sigma = 2.0; } );
products = { mean = true; std = true; min = true; max = true; stats = true; front = { level = 0.1; from = "left"; }; };
CFG
# measured with the heap in pages of 4 KiB: in huge pages (what a run asks glibc for
# unless GLIBC_TUNABLES names glibc.malloc.hugetlb), peak RSS moves by up to 2 MiB
# between two runs of the same frames, by where the heap's top falls against them
(cd "$m" && "$gen" >/dev/null && GLIBC_TUNABLES=glibc.malloc.hugetlb=0 ninja -j1) >/dev/null 2>&1
rss40=$(awk -F'\t' '$1 == "run_000" { print $4 }' "$m/out/.runja/ledger.tsv")
rss400=$(awk -F'\t' '$1 == "run_001" { print $4 }' "$m/out/.runja/ledger.tsv")
echo "# peak RSS: 40 frames $rss40 KiB, 400 frames $rss400 KiB"
# the CSV text (stats, front) grows by a line a frame: allow 256 KiB for it; and the
# frames in flight on several threads (process/workers.c), at most 2 x threads + 1 frames
# of 192 KiB, may all be there in one run and not in the other
cpus=$(/usr/bin/python3 -c 'import os; print(len(os.sched_getaffinity(0)))')
slack=$((256 + (2 * cpus + 1) * 192))
if sanitized; then
	echo "SKIP memory-independent-of-frames: a sanitizer's runtime changes peak RSS (AddressSanitizer's quarantine, ThreadSanitizer's shadow memory; the plain build runs this check)"
elif [ -n "$rss40" ] && [ -n "$rss400" ] && [ "$rss400" -le $((rss40 + slack)) ]; then
	pass memory-independent-of-frames
else
	fail memory-independent-of-frames "40 frames: $rss40 KiB, 400 frames: $rss400 KiB"
fi

# --- the same tree built at -j1 and -j2, and rebuilt from nothing: byte-identical products
d=$tmp/det
"$synth" --runs 6 --frames 8 --size 64x48 --kind mixed "$d/data" || exit 1
rawsnap "$d/data"
for b in j1 j2 again; do
	mkdir -p "$d/$b"
	cat >"$d/$b/runja.cfg" <<'CFG'
version = 1;
runs = { root = "../data"; match = "run_*"; };
pipeline = ( { op = "crop"; x = 2; y = 2; width = 60; height = 40; }, { op = "background"; frames = 3; method = "mean"; }, { op = "blur"; sigma = 1.0; } );
products = { mean = true; std = true; min = true; max = true; stats = true; timestack = { row = 10; }; front = { level = 0.01; from = "left"; }; };
CFG
done
(cd "$d/j1" && "$gen" >/dev/null && ninja -j1) >/dev/null 2>&1
(cd "$d/j2" && "$gen" >/dev/null && ninja -j2) >/dev/null 2>&1
(cd "$d/again" && "$gen" >/dev/null && ninja -j2 && rm -r out/run_* && ninja -j2) >/dev/null 2>&1
# (runja's own records beside the results, .runja.inputs with the frames' times and
# the depfile .runja.d, are not outputs)
files=$(cd "$d/j1/out" && find . -path './.runja' -prune -o -type f ! -name '.runja.*' -print | sort)
same outputs-listed "$(echo "$files" | wc -l)" 80
diffs=
for f in $files; do
	cmp -s "$d/j1/out/$f" "$d/j2/out/$f" || diffs="$diffs j2:$f"
	cmp -s "$d/j1/out/$f" "$d/again/out/$f" || diffs="$diffs again:$f"
done
same outputs-identical-at-any-j-and-rebuild "$diffs" ""

# --- threads: the same tree with jobs.threads = 1, 2 and 4, at -j1 and -j2 (a lone run
# then takes the free cores, two at once share them; no more threads than CPUs, which
# tests/unit/workers_test.c does not need to be true): byte-identical products
t=$tmp/threads
"$synth" --runs 4 --frames 24 --size 128x96 --kind mixed "$t/data" || exit 1
rawsnap "$t/data"
for th in 1 2 4; do
	for j in 1 2; do
		mkdir -p "$t/t$th-j$j"
		cat >"$t/t$th-j$j/runja.cfg" <<CFG
version = 1;
runs = { root = "../data"; match = "run_*"; };
pipeline = ( { op = "crop"; x = 3; y = 5; width = 120; height = 80; }, { op = "background"; frames = 4; method = "median"; },
             { op = "blur"; sigma = 1.5; }, { op = "downsample"; factor = 2; } );
products = { mean = true; std = true; min = true; max = true; stats = true; timestack = { row = 10; }; front = { level = 0.01; from = "left"; }; };
jobs = { threads = $th; };
CFG
		(cd "$t/t$th-j$j" && "$gen" >/dev/null && ninja -j$j) >/dev/null 2>&1
	done
done
files=$(cd "$t/t1-j1/out" && find . -path './.runja' -prune -o -type f ! -name '.runja.*' -print | sort)
same threads-outputs-listed "$(echo "$files" | wc -l)" 54
diffs=
for b in t1-j2 t2-j1 t2-j2 t4-j1 t4-j2; do
	for f in $files; do
		cmp -s "$t/t1-j1/out/$f" "$t/$b/out/$f" || diffs="$diffs $b:$f"
	done
done
same outputs-identical-at-any-threads "$diffs" ""

# --- the products' pixels added by bands of pixels on several threads (process/workers.c):
# frames with fewer pixels than bands start apart (5x3), a size no multiple of 16; with a
# background (frames done before it is made are worked on again) and without one (every
# frame added by bands); jobs.threads = 1 against auto, a lone run at -j1 taking every
# CPU: byte-identical, and auto ran on more than one thread where there are 2 CPUs
bd=$tmp/bands
"$synth" --runs 2 --frames 30 --size 5x3 "$bd/data" >/dev/null || exit 1
"$synth" --runs 2 --frames 30 --size 83x45 --kind mixed --first 2 "$bd/data" >/dev/null || exit 1
rawsnap "$bd/data"
for th in 1 auto; do
	for ops in bg plain; do
		mkdir -p "$bd/$th-$ops"
		if [ $ops = bg ]; then
			pipe='{ op = "background"; frames = 4; method = "median"; }, { op = "blur"; sigma = 1.0; }'
		else
			pipe='{ op = "invert"; }, { op = "scale"; gain = 1.5; offset = -0.2; }'
		fi
		cat >"$bd/$th-$ops/runja.cfg" <<CFG
version = 1;
runs = { root = "../data"; match = "run_*"; };
pipeline = ( $pipe );
products = { mean = true; std = true; min = true; max = true; stats = true; timestack = { row = 1; }; front = { level = 0.3; from = "left"; }; };
jobs = { threads = $([ $th = auto ] && echo '"auto"' || echo 1); };
CFG
		(cd "$bd/$th-$ops" && "$gen" >/dev/null && RUNJA_DEBUG=threads ninja -j1) >"$bd/$th-$ops.log" 2>&1
	done
done
files=$(cd "$bd/1-bg/out" && find . -path './.runja' -prune -o -type f ! -name '.runja.*' -print | sort)
same bands-outputs-listed "$(echo "$files" | wc -l)" 54
diffs=
for ops in bg plain; do
	for f in $files; do
		cmp -s "$bd/1-$ops/out/$f" "$bd/auto-$ops/out/$f" || diffs="$diffs $ops:$f"
	done
done
same bands-outputs-identical-at-any-threads "$diffs" ""
most=$(sed -n 's/^runja-process: run_00[0-9]: frames on up to \([0-9]*\) threads$/\1/p' "$bd"/auto-*.log | sort -n | tail -1)
if [ "$(/usr/bin/python3 -c 'import os; print(len(os.sched_getaffinity(0)))')" -ge 2 ]; then
	[ -n "$most" ] && [ "$most" -ge 2 ] && pass bands-on-several-threads ||
		fail bands-on-several-threads "threads: '$most'" "$(cat "$bd"/auto-*.log)"
else
	echo "SKIP bands-on-several-threads: this process may run on one CPU only"
fi

# --- the vector paths (process/simd.h): the baseline and each wider one this CPU has write the same bytes
# the widest path this CPU has, from its flags (as process/simd.c decides)
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
has() { case " $flags " in *" $1 "*) return 0 ;; esac; return 1; }
wide=
if has avx2; then
	wide=avx2
	has avx512f && has avx512vl && has avx512bw && has avx512dq && wide=avx512
fi
paths=baseline
[ "$wide" = avx2 ] && paths="baseline avx2"
[ "$wide" = avx512 ] && paths="baseline avx2 avx512"
v=$tmp/simd
# every kind of frame (8/16-bit, gray, RGB, palette, interlaced), and frames whose pixels reach 0 and 1
"$synth" --runs 12 --frames 7 --size 83x45 --kind mixed "$v/data" >/dev/null || exit 1
"$synth" --runs 1 --frames 7 --size 83x45 --noise 0.6 --first 12 "$v/data" >/dev/null || exit 1
rawsnap "$v/data"
prods="--product mean --product std --product min --product max --product stats"
# simdrun PATH SET RUN: runja-process on RUN with op set SET, on the vector path PATH, into $v/PATH-SET-RUN/out
simdrun() {
	case $2 in
	1) set -- "$1" "$2" "$3" --op crop:x=3,y=2,width=77,height=40 --op invert --op scale:gain=1.5,offset=-0.2 \
		--op background:frames=5,method=median --op blur:sigma=2 $prods --product timestack:row=10 \
		--product front:level=0.01,from=left ;;
	2) set -- "$1" "$2" "$3" --op downsample:factor=2 --op background:frames=4,method=median \
		--op blur:sigma=3.5 --op median:radius=1 --op background:frames=2,method=mean $prods \
		--product timestack:column=7 --product front:level=0.0,from=bottom ;;
	3) set -- "$1" "$2" "$3" --op background:frames=6,method=median --op blur:sigma=0.7 --op threshold:level=0.01 \
		$prods --product front:level=0.5,from=right ;;
	# pixelwise ops with no blur after them, run together a strip at a time (process/pipeline.c)
	4) set -- "$1" "$2" "$3" --op invert --op scale:gain=0.8,offset=0.1 --op background:frames=3,method=mean \
		--op threshold:level=0.05 $prods ;;
	esac
	sd=$v/$1-$2-$3
	sp=$1
	shift 3
	mkdir -p "$sd" && (cd "$sd" && RUNJA_SIMD=$sp "$proc" "$@" "$v/data/$r" out)
}
diffs=
nfiles=0
for r in $(cd "$v/data" && ls); do
	for set in 1 2 3 4; do
		for p in $paths; do
			simdrun "$p" "$set" "$r" || diffs="$diffs $p-$set-$r:failed"
		done
		files=$(cd "$v/baseline-$set-$r/out" 2>/dev/null && ls)
		nfiles=$((nfiles + $(echo "$files" | wc -w)))
		for p in $paths; do
			for f in $files; do
				cmp -s "$v/baseline-$set-$r/out/$f" "$v/$p-$set-$r/out/$f" || diffs="$diffs $p:$set:$r/$f"
			done
		done
	done
done
rawcheck "$v/data" simd-paths
# 13 runs x 4 op sets: 13, 13, 11 and 10 files each
same simd-outputs-listed "$nfiles" $((13 * (13 + 13 + 11 + 10)))
if [ "$paths" = baseline ]; then
	echo "SKIP simd-paths-identical: this CPU has no AVX2, so only the baseline path runs here"
else
	same "simd-paths-identical ($paths)" "$diffs" ""
fi
# the path taken: the widest the CPU has, unless RUNJA_SIMD names a narrower one
shown() { (cd "$v" && RUNJA_SIMD=$1 RUNJA_SIMD_SHOW=1 "$proc" --product stats "$v/data/run_000" show 2>&1 >/dev/null) | grep 'vector path'; }
same simd-baseline-forced "$(shown baseline)" "runja-process: vector path baseline"
if [ -z "$wide" ]; then
	echo "SKIP simd-picks-wide-path: this CPU has no AVX2"
else
	same simd-picks-wide-path "$(shown '')" "runja-process: vector path $wide"
	same simd-unknown-path "$(cd "$v" && RUNJA_SIMD=sse9 "$proc" --product stats "$v/data/run_000" show 2>&1 >/dev/null)" \
		"runja-process: RUNJA_SIMD=sse9 is none of baseline, avx2, avx512: using $wide"
fi

# --- an error in one run's run.cfg fails that run alone, naming RUNID/run.cfg and the line
printf 'version = 1;\nruns = { root = "../data"; match = "run_*"; override = "run.cfg"; };\n' >"$d/j1/runja.cfg"
rawcheck "$d/data" det-until-run-cfg
printf 'products = {\n  mean = true;\n  meen = true;\n};\n' >"$d/data/run_003/run.cfg"
rawsnap "$d/data"
out=$(cd "$d/j1" && "$gen" 2>&1)
same override-error "$?|$out" "0|runja-gen: run_003/run.cfg:3: unknown key 'meen' in 'products' (did you mean 'mean'?)
runja-gen: 6 runs (0 new), wrote build.ninja"
(cd "$d/j1" && ninja) >"$tmp/o.log" 2>&1
same override-error-fails-its-run "$?|$(grep -E '^runja-(process|exec|report): ' "$tmp/o.log")" \
	"1|runja-process: run_003/run.cfg:3: unknown key 'meen' in 'products' (did you mean 'mean'?)
runja-report: 1 run failed: run_003; why: runja-gen --status"

finish
