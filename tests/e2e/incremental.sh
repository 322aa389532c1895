# End to end with the real ninja: which runs a plain `ninja` processes after each change.
. tests/lib.sh

d=$tmp/tank
mkdir -p "$d"
"$synth" --runs 3 --frames 6 --size 64x48 "$d" || exit 1
"$synth" --runs 2 --frames 6 --size 64x48 --nested --first 3 "$d" || exit 1
# the build folder is the data root: its own files are not raw data
rawsnap "$d" $rawbuild
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { match = ["run_*", "*/run_*"]; };
output = { dir = "out"; };
products = { mean = true; std = true; min = true; max = true; };
CFG

out=$("$gen" -c "$d/runja.cfg" 2>&1)
same gen-first-message "$out" "runja-gen: 5 runs (5 new), wrote build.ninja"
snapshot "$d/out" "$tmp/s0"
build "$d" "$tmp/log1"
same first-build-status "$?" 0
same first-build-processes-all "$(processed "$tmp/log1")" "2026-03/run_004 2026-04/run_003 run_000 run_001 run_002"
same first-build-summary "$(cut -d, -f1-5 "$d/out/summary.csv")" "run,frames,skipped,width,height
2026-03/run_004,6,0,64,48
2026-04/run_003,6,0,64,48
run_000,6,0,64,48
run_001,6,0,64,48
run_002,6,0,64,48"
same first-build-products "$(cd "$d/out/run_000" && ls)" "max.npy
max.png
mean.npy
mean.png
min.npy
min.png
std.npy
std.png
summary.json"

snapshot "$d/out" "$tmp/s1"
build "$d" "$tmp/log2"
same second-build-no-work "$(cat "$tmp/log2")" "ninja: no work to do."
snapshot "$d/out" "$tmp/s2"
same second-build-rewrites-nothing "$(rewritten "$tmp/s1" "$tmp/s2")" ""

settle
rawcheck "$d" tank-until-new-runs
"$synth" --runs 1 --frames 4 --size 64x48 --first 5 "$d"
"$synth" --runs 1 --frames 4 --size 64x48 --nested --first 7 "$d"
rawsnap "$d"
build "$d" "$tmp/log3"
same two-new-runs-processed "$(processed "$tmp/log3")" "2026-04/run_007 run_005"
same two-new-runs-regenerated "$(grep -c 'REGEN   build.ninja' "$tmp/log3")" 1
same two-new-runs-gen-message "$(grep '^runja-gen:' "$tmp/log3")" "runja-gen: 7 runs (2 new), wrote build.ninja"
same two-new-runs-report "$(grep -c 'REPORT  7 runs' "$tmp/log3")" 1
snapshot "$d/out" "$tmp/s3"
same two-new-runs-rewritten "$(rewritten "$tmp/s2" "$tmp/s3")" "2026-04/run_007 run_005"
build "$d" "$tmp/log4"
same after-new-runs-no-work "$(cat "$tmp/log4")" "ninja: no work to do."

settle
rawcheck "$d" tank-until-frame-rewritten
cp "$d/run_001/img_0.png" "$d/run_001/img_3.png"
rawsnap "$d"
build "$d" "$tmp/log5"
same frame-rewritten-processed "$(processed "$tmp/log5")" "run_001"
same frame-rewritten-no-regen "$(grep -c 'REGEN' "$tmp/log5")" 0
snapshot "$d/out" "$tmp/s5"
same frame-rewritten-rewritten "$(rewritten "$tmp/s3" "$tmp/s5")" "run_001"

settle
rawcheck "$d" tank-until-frame-added
cp "$d/run_000/img_1.png" "$d/run_000/img_6.png"
rawsnap "$d"
build "$d" "$tmp/log5b"
same frame-added-processed "$(processed "$tmp/log5b")" "run_000"
same frame-added-count "$(grep '^run_000,' "$d/out/summary.csv" | cut -d, -f2)" 7

settle
rawcheck "$d" tank-until-frame-removed
rm "$d/run_002/img_5.png"
rawsnap "$d"
build "$d" "$tmp/log6"
same frame-removed-processed "$(processed "$tmp/log6")" "run_002"
same frame-removed-count "$(grep '^run_002,' "$d/out/summary.csv" | cut -d, -f2)" 5

settle
rawcheck "$d" tank-until-run-removed
rm -r "$d/2026-03/run_004"
rawsnap "$d"
build "$d" "$tmp/log7"
same run-removed-processed "$(processed "$tmp/log7")" ""
same run-removed-regenerated "$(grep '^runja-gen:' "$tmp/log7")" "runja-gen: 6 runs (0 new), wrote build.ninja"
same run-removed-summary "$(cut -d, -f1 "$d/out/summary.csv" | tr '\n' ' ')" "run 2026-04/run_003 2026-04/run_007 run_000 run_001 run_002 run_005 "
build "$d" "$tmp/log8"
same after-removal-no-work "$(cat "$tmp/log8")" "ninja: no work to do."
same removed-outputs-kept "$(ls "$d/out/2026-03/run_004" | wc -l)" 9
(cd "$d" && ninja -t cleandead) >/dev/null
same cleandead-removes-them "$(ls "$d/out/2026-03/run_004" 2>/dev/null | wc -l)" 0
same cleandead-keeps-others "$(ls "$d/out/run_000" | wc -l)" 9

settle
cp "$d/build.ninja" "$tmp/build.before"
printf '# a comment\n' >>"$d/runja.cfg"
build "$d" "$tmp/log9"
same comment-processes-nothing "$(processed "$tmp/log9")" ""
build "$d" "$tmp/log10"
same after-comment-no-work "$(cat "$tmp/log10")" "ninja: no work to do."

settle
sed 's/min = true/min = false/' "$d/runja.cfg" >"$tmp/cfg" && cat "$tmp/cfg" >"$d/runja.cfg"
build "$d" "$tmp/log11"
same product-change-processes-all "$(processed "$tmp/log11")" "2026-04/run_003 2026-04/run_007 run_000 run_001 run_002 run_005"

settle
cp "$d/build.ninja" "$tmp/build.before"
cp "$d/runja.cfg" "$tmp/cfg.good"
printf 'version = 1;\nruns = { match = ["run_*"]; fram = "*.png"; };\n' >"$d/runja.cfg"
out=$("$gen" -c "$d/runja.cfg" 2>&1)
same config-error-status "$?" 2
same config-error-message "$out" "runja-gen: runja.cfg:2: unknown key 'fram' in 'runs' (did you mean 'frames'?)"
if cmp -s "$d/build.ninja" "$tmp/build.before"; then pass config-error-build-untouched; else fail config-error-build-untouched; fi
build "$d" "$tmp/log12"
same config-error-ninja-fails "$?" 1
same config-error-ninja-message "$(grep 'runja.cfg:2' "$tmp/log12")" "runja-gen: runja.cfg:2: unknown key 'fram' in 'runs' (did you mean 'frames'?)"
cat "$tmp/cfg.good" >"$d/runja.cfg"
build "$d" "$tmp/log13"
same config-fixed-processes-nothing "$(processed "$tmp/log13")" ""

finish
