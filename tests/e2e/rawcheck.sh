# The raw data check of lib.sh (rawsnap, rawcheck, and finish's check of every recorded
# tree) can fail: each change to a recorded tree is reported with the entry that changed,
# an unchanged tree passes, and a build folder's own files (the exclusions) are ignored.
. tests/lib.sh

base=$tmp/base
"$synth" --runs 2 --frames 3 --size 16x12 --nested "$base/data" >/dev/null || exit 1
touch -d '@1700000000.100000000' "$base/data/2026-03/run_000/img_1.png"
echo hi >"$base/data/2026-04/run_001/.notes"
ln -s img_0.png "$base/data/2026-04/run_001/first.png"
mkdir -p "$base/out"
echo 'version = 1;' >"$base/runja.cfg"

n=0
# tree: a fresh copy of the base tree in $t
tree() {
	n=$((n + 1))
	t=$tmp/t$n
	cp -a "$base" "$t"
}

# caught NAME WHAT CHANGE: record a copy's data folder, run the shell command CHANGE in
# it, and expect rawcheck to fail naming WHAT (a path relative to the data folder)
caught() {
	tree
	rawsnap "$t/data"
	(cd "$t/data" && eval "$3")
	# in a subshell: this FAIL is expected, not one of the script's own
	out=$(rawcheck "$t/data" "$1")
	if [ "$(echo "$out" | head -n 1)" = "FAIL raw-unchanged-$1" ] && echo "$out" | grep -q "^    [<>] $2	"; then
		pass "caught-$1"
	else
		fail "caught-$1" "rawcheck said:" "$out"
	fi
	rawsnap "$t/data"  # the change was this test's own: finish checks the changed tree
}

# a recorded copy checked again passes
tree
rawsnap "$t/data"
same unchanged "$(rawcheck "$t/data" same)" "PASS raw-unchanged-same"
same unchanged-listing "$(cut -f1,2 "$tmp/raw/$(rawkey "$t/data").list" | tr '\t\n' ': ')" \
	".:d ./2026-03:d ./2026-03/run_000:d ./2026-03/run_000/img_0.png:f ./2026-03/run_000/img_1.png:f ./2026-03/run_000/img_2.png:f ./2026-04:d ./2026-04/run_001:d ./2026-04/run_001/.notes:f ./2026-04/run_001/first.png:l ./2026-04/run_001/img_0.png:f ./2026-04/run_001/img_1.png:f ./2026-04/run_001/img_2.png:f "
# reading every frame (as runja does) changes nothing that is recorded
cat "$t"/data/*/*/* >/dev/null
same unchanged-after-reading "$(rawcheck "$t/data" read)" "PASS raw-unchanged-read"

# a byte of a frame, its size and mtime kept: the md5sum tells
caught byte ./2026-03/run_000/img_1.png \
	'cp -p 2026-03/run_000/img_1.png ../ref && printf "\377" | dd of=2026-03/run_000/img_1.png bs=1 seek=60 conv=notrunc 2>/dev/null && touch -r ../ref 2026-03/run_000/img_1.png'
caught new-file-in-run ./2026-03/run_000/summary.json 'echo {} >2026-03/run_000/summary.json'
caught new-hidden-file ./2026-04/run_001/.mean.npy.tmp ': >2026-04/run_001/.mean.npy.tmp'
caught new-folder-in-run ./2026-04/run_001/out 'mkdir 2026-04/run_001/out'
caught new-run-folder ./2026-04/run_009 'mkdir 2026-04/run_009'
caught removed-frame ./2026-03/run_000/img_2.png 'rm 2026-03/run_000/img_2.png'
caught mtime ./2026-04/run_001/img_0.png 'touch 2026-04/run_001/img_0.png'
caught mtime-nanosecond ./2026-03/run_000/img_1.png "touch -d '@1700000000.100000001' 2026-03/run_000/img_1.png"
caught mode ./2026-04/run_001/img_2.png 'chmod 600 2026-04/run_001/img_2.png'
caught folder-mode ./2026-03/run_000 'chmod 700 2026-03/run_000'
caught hidden-file-rewritten ./2026-04/run_001/.notes 'echo ho >2026-04/run_001/.notes'
caught link-retargeted ./2026-04/run_001/first.png 'ln -sfn img_1.png 2026-04/run_001/first.png'
caught same-bytes-replaced ./2026-04/run_001/img_1.png \
	'cp 2026-04/run_001/img_1.png ../copy && mv ../copy 2026-04/run_001/img_1.png'

# a frame whose name holds a backslash and a line break, rewritten with its size and mtime kept
tree
odd="$t/data/2026-04/run_001/odd\\name
x.png"
printf a >"$odd" && touch -r "$t/data/2026-04/run_001/img_0.png" "$odd"
rawsnap "$t/data"
printf b >"$odd" && touch -r "$t/data/2026-04/run_001/img_0.png" "$odd"
out=$(rawcheck "$t/data" odd-name)
same caught-odd-name "$(echo "$out" | head -n 1)|$(printf '%s\n' "$out" | grep -c '^    > ./2026-04/run_001/odd\\\\name\\nx.png	f	1	')" "FAIL raw-unchanged-odd-name|1"
rawsnap "$t/data"

# a build folder that is the data root: runja.cfg, build.ninja and out/ are not raw data,
# a new file beside them is
tree
rawsnap "$t" $rawbuild
echo 'version = 2;' >"$t/runja.cfg"
echo 'rule x' >"$t/build.ninja"
mkdir -p "$t/out/run_000" && echo 1 >"$t/out/run_000/mean.npy"
same build-files-ignored "$(rawcheck "$t" root)" "PASS raw-unchanged-root"
echo x >"$t/runja.log"
out=$(rawcheck "$t" root-new)
same root-new-file-caught "$(echo "$out" | grep -c '^FAIL raw-unchanged-root-new$')|$(echo "$out" | grep -c '^    > ./runja.log	f	')" "1|1"
touch "$t/data/2026-03/run_000/img_0.png"
rawsnap "$t"  # again, keeping its exclusions: the changes above recorded as deliberate
echo 'rule y' >"$t/build.ninja"
same resnap-keeps-exclusions "$(rawcheck "$t" resnap)" "PASS raw-unchanged-resnap"

same never-recorded "$(rawcheck "$tmp/nowhere" nowhere | head -n 1)" "FAIL raw-unchanged-nowhere"

# finish checks every recorded tree by itself: a script that changes one and forgets fails
cat >"$tmp/forgets.sh" <<'SH'
. tests/lib.sh
"$synth" --runs 1 --frames 2 --size 8x8 "$tmp/data" >/dev/null || exit 1
rawsnap "$tmp/data"
echo x >"$tmp/data/run_000/written.txt"
finish
SH
out=$(sh "$tmp/forgets.sh" 2>&1)
same finish-checks "$?|$(echo "$out" | head -n 1)|$(echo "$out" | grep -c '^  .*/data changed (< recorded, > now):$')" \
	"1|FAIL raw-unchanged-data|1"
same finish-names-the-file "$(echo "$out" | grep -c '^    > ./run_000/written.txt	f	')" 1

finish
