# The report's thumbnails of a run's image products are made by runja-process as it
# writes the products (README "The report"): in OUT/.runja/thumbs/ID/, newer than the
# products, the very bytes the report makes from the products' files; the report then
# takes them as they are. A failed run leaves none; a run written elsewhere than
# OUT/ID writes none. Both PNG writers: runja's own (compression 3) and libpng's (6).
. tests/lib.sh

d=$tmp/t
"$synth" --runs 2 --frames 6 --size 400x100 "$d/data" >/dev/null || exit 1
"$synth" --runs 1 --frames 6 --size 400x100 --first 2 --bad truncate:2:1 "$d/data" >/dev/null 2>&1 || exit 1
rawsnap "$d/data"
t=$d/out/.runja/thumbs

for level in 3 6; do
	rm -rf "$d/out" "$d/build.ninja" "$d/.runja"
	cat >"$d/runja.cfg" <<CFG
version = 1;
runs = { root = "data"; match = "run_*"; };
output = { png_compression = $level; };
pipeline = ( { op = "background"; frames = 3; method = "median"; }, { op = "blur"; sigma = 1.0; } );
products = { mean = true; std = true; max = true; timestack = { row = 30; }; stats = true; };
CFG
	(cd "$d" && "$gen" >/dev/null) || exit 1
	# run_000's step by hand, as its edge runs it: no report yet
	cmd=$(cd "$d" && ninja -t commands | grep -e '--id run_000 ')
	(cd "$d" && sh -c "$cmd") >"$tmp/step.log" 2>&1
	same "l$level-step" "$?|$(cat "$tmp/step.log")" "0|"
	same "l$level-made" "$(ls "$t/run_000" | tr '\n' ' ')" "max.png mean.png std.png timestack.png "
	same "l$level-newer" "$(for p in max mean std timestack; do
		[ "$t/run_000/$p.png" -nt "$d/out/run_000/$p.png" ] && echo "$p"; done | tr '\n' ' ')" "max mean std timestack "
	# the report's sizes: 400x100 to 160x48 (the height raised to 48), the timestack of 6 rows to 160x48
	same "l$level-sizes" "$(for p in mean timestack; do od -An -tu1 -j16 -N8 "$t/run_000/$p.png" | tr -s ' '; done | tr '\n' '|')" \
		" 0 0 0 160 0 0 0 48| 0 0 0 160 0 0 0 48|"
	cp -r "$t/run_000" "$tmp/byproc"
	ls -i "$t/run_000"/*.png >"$tmp/inodes"

	# the build: the other runs (run_002 fails), then the report, which keeps them as they are
	(cd "$d" && ninja -k 0) >"$tmp/build.log" 2>&1
	same "l$level-build" "$?|$(grep -c 'run_002/img_1.png: truncated' "$tmp/build.log")" "1|1"
	same "l$level-kept" "$(ls -i "$t/run_000"/*.png)" "$(cat "$tmp/inodes")"
	same "l$level-run1" "$(ls "$t/run_001" | grep -c '\.png$')" 4
	same "l$level-failed-none" "$(ls "$t/run_002" 2>/dev/null | grep -c '\.png$')" 0
	# the same bytes as the report makes from the products' files
	rm -r "$t/run_000" "$t/run_001"
	(cd "$d" && "$runreport" out) >/dev/null 2>&1
	same "l$level-report-bytes" "$(diff -r "$tmp/byproc" "$t/run_000" | grep -v '\.svg' && echo differ)" ""
	rm -rf "$tmp/byproc"
done

# a temporary thumbnail left by an attempt killed after its results were in place: the
# run's next step, finding it up to date, removes it; the report's temporary names are
# not runja-process's to remove
touch "$t/run_000/.mean.png.run.tmp" "$t/run_000/.std.png.tmp"
cmd=$(cd "$d" && ninja -t commands | grep -e '--id run_000 ')
(cd "$d" && sh -c "$cmd") >"$tmp/step.log" 2>&1
same leftover-removed "$?|$(cat "$tmp/step.log")|$(ls -A "$t/run_000" | grep '\.tmp$')" "0||.std.png.tmp"

# a run processed into a folder that is not OUT/ID: its products, but no thumbnail and
# no state, neither beside them nor in OUT
rm -rf "$t/run_001"
cmd=$(cd "$d" && ninja -t commands | grep -e '--id run_001 ' | sed "s|out/run_001\$|$tmp/elsewhere|")
(cd "$d" && sh -c "$cmd") >"$tmp/step.log" 2>&1
same elsewhere "$?|$(find "$tmp/elsewhere" -name '*.png' | wc -l)|$(find "$tmp" -path '*elsewhere*' -name .runja | wc -l)|$(ls "$t/run_001" 2>&1 | grep -c 'No such')" "0|4|0|1"
rawcheck "$d/data" thumbs-raw-untouched
finish
