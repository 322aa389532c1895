# runja-process and runja-gen under valgrind (memcheck): no invalid read or write, no use
# of uninitialised memory, no definite leak, on every PNG kind (12 runs of
# tests/synth --kind mixed), a failing run, the report, runja-gen, --check and a bad config.
# valgrind is the launcher (jobs.launcher, no retries): it runs each run's attempt; the
# run's own process (its lock, its up-to-date check, the attempt it starts) is run by hand
# under valgrind too, once processing a run and once finding it up to date.
. tests/lib.sh

if sanitized; then
	echo "SKIP valgrind: this build uses AddressSanitizer, which valgrind cannot run (the plain build runs this test)"
	finish
fi
if ! valgrind --version >/dev/null 2>&1; then
	fail valgrind "valgrind is not installed (apt-get install valgrind): nothing was checked"
	finish
fi

v=$tmp/vg
mkdir -p "$v"
# libconfig 1.5 leaks a string token when its parser stops at a syntax error (not runja's)
cat >"$tmp/libconfig.supp" <<'SUPP'
{
   libconfig-syntax-error-token
   Memcheck:Leak
   match-leak-kinds: definite
   ...
   obj:*/libconfig.so*
}
SUPP
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$tmp/libconfig.supp --log-file=$v/%p.log"

d=$tmp/tree
"$synth" --runs 12 --frames 3 --size 24x16 --kind mixed "$d/data" >/dev/null || exit 1
"$synth" --runs 1 --frames 3 --size 24x16 --first 12 --bad truncate:12:1 "$d/data" >/dev/null 2>&1
rawsnap "$d/data"
cat >"$d/runja.cfg" <<CFG
version = 1;
runs = { root = "data"; match = "run_*"; };
pipeline = ( { op = "crop"; x = 1; y = 1; width = 20; height = 12; },
             { op = "background"; frames = 2; method = "median"; }, { op = "blur"; sigma = 1.0; },
             { op = "median"; radius = 1; }, { op = "downsample"; factor = 2; } );
products = { mean = true; std = true; min = true; max = true; stats = true;
             timestack = { row = 3; }; front = { level = 0.01; from = "left"; }; };
jobs = { launcher = "$vg"; retries = 0; };
CFG

out=$(cd "$d" && $vg "$gen" 2>&1)
same gen "$?|$out" "0|runja-gen: 13 runs (13 new), wrote build.ninja"
(cd "$d" && ninja -k 0 -j2) >"$tmp/build.log" 2>&1
same build-fails-one-run "$?|$(grep -E '^runja-(process|exec|report):' "$tmp/build.log")" "1|runja-process: run_012/img_1.png: truncated
runja-report: 1 run failed: run_012; why: runja-gen --status"
same build-processed "$(grep -c '] PROCESS ' "$tmp/build.log")" 13
same runs-done "$(ls "$d"/out/run_0*/summary.json | wc -l)" 12
rawcheck "$d/data" tree-until-run-removed
rm -r "$d/data/run_012"
rawsnap "$d/data"
(cd "$d" && ninja -j2) >"$tmp/build2.log" 2>&1
same build-with-report "$?" 0
rawcheck "$d/data" tree-until-frame-changed
reframe "$d/data/run_003/img_1.png"
rawsnap "$d/data"
cmd=$(cd "$d" && ninja -t commands | grep -- ' --id run_003 ')
n0=$(wc -l <"$d/out/.runja/ledger.tsv")
out=$(cd "$d" && sh -c "exec $vg $cmd" 2>&1)
same process-by-hand "$?|$out|$(tail -n +$((n0 + 1)) "$d/out/.runja/ledger.tsv" | cut -f1,6)" "0||run_003	0"
out=$(cd "$d" && sh -c "exec $vg $cmd" 2>&1)
same process-by-hand-up-to-date "$?|$out|$(tail -n +$((n0 + 2)) "$d/out/.runja/ledger.tsv" | cut -f1,6)" "0||"
(cd "$d" && $vg "$runreport" out) >"$tmp/report.log" 2>&1
same report "$?" 0
out=$(cd "$d" && $vg "$gen" --check 2>&1)
same check "$?|$out" "0|"
printf 'version = 1;\nruns = { match = "run_*"; };\npipeline = ( { op = "blur"; sigmaa = 2.0; } );\n' >"$d/bad.cfg"
out=$(cd "$d" && $vg "$gen" -c bad.cfg 2>&1)
same bad-config "$?|$out" "2|runja-gen: bad.cfg:3: unknown key 'sigmaa' in op 'blur' (did you mean 'sigma'?)"
# a stray string: libconfig's own leak, suppressed above
printf 'version = 1;\nruns = { match = "run_*"; };\n"x"\n' >"$d/syntax.cfg"
out=$(cd "$d" && $vg "$gen" -c syntax.cfg 2>&1)
same syntax-error "$?|$out" "2|runja-gen: syntax.cfg:3: syntax error"

# every program valgrind watched (runja-gen 4 times, 13 attempts, runja-process twice by
# hand and its one attempt, the report) left an empty log: -q prints errors only
nlogs=$(ls "$v" | wc -l)
[ "$nlogs" -ge 21 ] && pass "valgrind-ran-$nlogs-times" || fail valgrind-ran "only $nlogs logs"
errs=$(cat "$v"/*.log)
same no-valgrind-errors "$errs" ""

finish
