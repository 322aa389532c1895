# Awkward names, out-of-tree builds on a read-only data tree, refused outputs.
. tests/lib.sh

# --- runs and frames named with space, $, :, #, quotes, & and non-ASCII
d=$tmp/names
mkdir -p "$d/data"
for r in 'run one' 'price$5' 'a:b' '#hash' "it's" 'say "hi"' 'Größe' 'x&y;z'; do
	"$synth" --runs 1 --frames 3 --size 32x24 --frame-name "cam 1/f'%d.png" "$tmp/one" || exit 1
	mv "$tmp/one/run_000" "$d/data/$r"
	rmdir "$tmp/one"
done
mkdir "$d/data/run one/cam 1/dir.png"
ln -s nowhere.png "$d/data/run one/cam 1/broken.png"
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "*"; frames = "cam 1/*.png"; };
output = { dir = "out put"; };
products = { mean = true; stats = true; };
CFG
out=$(cd "$d" && "$gen" 2>&1)
same names-gen "$out" "runja-gen: 8 runs (8 new), wrote build.ninja"
build "$d" "$tmp/n1"
same names-build-status "$?" 0
same names-processed "$(grep -c '] PROCESS ' "$tmp/n1")" 8
same names-summary "$(cut -d, -f1-2 "$d/out put/summary.csv" | tr '\n' '|')" \
	"run,frames|#hash,3|Größe,3|a:b,3|it's,3|price\$5,3|run one,3|\"say \"\"hi\"\"\",3|x&y;z,3|"
same names-stats-file-column "$(cut -d, -f2 "$d/out put/it's/stats.csv" | tr '\n' '|')" "file|cam 1/f'0.png|cam 1/f'1.png|cam 1/f'2.png|"
same names-nonregular-warned "$(grep -c 'not a regular file, skipped' "$tmp/n1")" 2
build "$d" "$tmp/n2"
same names-no-work "$(cat "$tmp/n2")" "ninja: no work to do."
settle
rawcheck "$d/data" names-until-quote-frame-rewritten
cp "$d/data/it's/cam 1/f'0.png" "$d/data/it's/cam 1/f'2.png"
rawsnap "$d/data"
build "$d" "$tmp/n3"
same names-quote-frame-rewritten "$(processed "$tmp/n3")" "it's"
settle
rawcheck "$d/data" names-until-ampersand-frame-rewritten
cp "$d/data/x&y;z/cam 1/f'0.png" "$d/data/x&y;z/cam 1/f'1.png"
rawsnap "$d/data"
build "$d" "$tmp/n4"
same names-ampersand-frame-rewritten "$(processed "$tmp/n4")" "x&y;z"

rawcheck "$d/data" names-until-newline-folder
mkdir -p "$d/data/bad
name/cam 1"
rawsnap "$d/data"
# a folder whose name holds a newline cannot be named in a build file: it is left out,
# said each time, and every other run goes on
out=$(cd "$d" && "$gen" 2>&1)
same newline-skipped "$out|$?" "runja-gen: bad?name: a path holding a newline cannot be used ('?' here); skipped (rename it to process it)
runja-gen: 8 runs (0 new), unchanged build.ninja|0"
(cd "$d" && ninja -j2) >"$tmp/nl.log" 2>&1
same newline-others-go-on "$?|$(tail -1 "$tmp/nl.log")" "0|ninja: no work to do."
rawcheck "$d/data" names-newline-refused
rm -r "$d/data/bad
name"
rawsnap "$d/data"

# --- out of tree: the data tree read-only, runja.cfg and outputs in a scratch folder
a=$tmp/archive
s=$tmp/scratch
mkdir -p "$a" "$s"
"$synth" --runs 2 --frames 4 --size 32x24 --nested "$a" || exit 1
chmod -R a-w "$a"
rawsnap "$a"
listing() { (cd "$a" && find . -printf '%p %s %T@ %m\n' | sort); }
listing >"$tmp/before"
cat >"$s/runja.cfg" <<CFG
version = 1;
runs = { root = "$a"; match = "*/run_*"; };
products = { mean = true; };
CFG
(cd "$s" && "$gen" >/dev/null && ninja) >"$tmp/o1" 2>&1
same out-of-tree-status "$?" 0
same out-of-tree-processed "$(processed "$tmp/o1")" "2026-03/run_000 2026-04/run_001"
same out-of-tree-outputs "$(cd "$s/out" && ls -d */*/mean.png | tr '\n' ' ')" "2026-03/run_000/mean.png 2026-04/run_001/mean.png "
build "$s" "$tmp/o2"
same out-of-tree-no-work "$(cat "$tmp/o2")" "ninja: no work to do."
listing >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then pass data-tree-untouched; else fail data-tree-untouched "$(diff "$tmp/before" "$tmp/after")"; fi
rawcheck "$a" archive-until-writable
chmod -R u+w "$a"
rawsnap "$a"

# --- output.dir inside a run folder, or the root itself, is refused
cat >"$s/runja.cfg" <<CFG
version = 1;
runs = { root = "$a"; match = "*/run_*"; };
output = { dir = "$a/2026-03/run_000/out"; };
CFG
mkdir -p "$a/2026-03/run_000/out"
rawsnap "$a"
cp "$s/build.ninja" "$tmp/b.before"
out=$(cd "$s" && "$gen" 2>&1)
same output-in-run-refused "$out|$?" "runja-gen: runja.cfg: output.dir '$a/2026-03/run_000/out' lies inside the run folder $a/2026-03/run_000; raw data is never written to|2"
if cmp -s "$s/build.ninja" "$tmp/b.before"; then pass output-in-run-build-untouched; else fail output-in-run-build-untouched; fi
rawcheck "$a" archive-output-in-run-refused
rmdir "$a/2026-03/run_000/out"
rawsnap "$a"
printf 'version = 1;\nruns = { match = "run_*"; };\noutput = { dir = "."; };\n' >"$s/runja.cfg"
mkdir -p "$s/run_1" && cp "$a/2026-03/run_000/img_0.png" "$s/run_1/"
rawsnap "$s/run_1"
out=$(cd "$s" && "$gen" 2>&1)
same output-is-root-refused "$out|$?" "runja-gen: runja.cfg: output.dir '.' is the data tree's root '.'; choose a folder of its own|2"

finish
