# One program per job, and none of them an input of a build edge: what a run computes is
# on its command line (--results: the versions of what computes it), how it is run in
# OUT/.runja/jobs. After a build, each program is replaced by a copy that differs (a new
# build of the same source, as a package upgrade installs), and `ninja -n` / `make -n`
# must plan nothing (a new runja-gen: the regeneration alone). Then a runja whose blur
# has a new version is built and installed: exactly the runs that use blur rerun.
. tests/lib.sh

copyprograms
# three trees: the pipeline alone, a command alone, a command after the pipeline
for kind in pipeline command after; do
	d=$tmp/$kind
	"$synth" --runs 2 --frames 2 --size 16x12 "$d/data" >/dev/null || exit 1
	rawsnap "$d/data"
	printf '#!/bin/sh\necho done >"$2/result.txt"\n' >"$d/analyse.sh"
	chmod +x "$d/analyse.sh"
	case $kind in
	pipeline) cmd= ;;
	command) cmd='command = { run = ["./analyse.sh", "{run}", "{out}"]; };' ;;
	after) cmd='command = { run = ["./analyse.sh", "{pipeline}", "{out}"]; after_pipeline = true; };' ;;
	esac
	printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\nproducts = { mean = true; };\n%s\n' "$cmd" >"$d/runja.cfg"
	for b in ninja make; do
		mkdir -p "$d/$b"
		cp "$d/runja.cfg" "$d/analyse.sh" "$d/$b/"
		sed -i 's|root = "data"|root = "../data"|' "$d/$b/runja.cfg"
		(cd "$d/$b" && "$gen" --backend "$b" >/dev/null && if [ "$b" = ninja ]; then ninja -j2; else make -j2; fi) >"$tmp/$kind-$b.log" 2>&1
		same "$kind-$b-built" "$?" 0
	done
done

# planned DIR BACKEND: the steps a build would take, as KIND:ID words, sorted: ninja -n's
# plan; for make, the steps a real make takes (make -n does not carry a target it would
# remake on into what depends on it), after a make -n that plans the same first steps
planned() {
	if [ "$2" = ninja ]; then
		(cd "$1" && ninja -n) | sed -n 's/^\[[0-9]*\/[0-9]*\] \([A-Z]*\) *\([^ ]*\).*/\1:\2/p'
	else
		(cd "$1" && make -n) | sed -n "s/^echo '\([A-Z]*\) \([^ ]*\).*/\1:\2/p" >"$tmp/dry"
		(cd "$1" && make -j2 2>&1) | sed -n 's/^\([A-Z]*\) \([^ ]*\).*/\1:\2/p' >"$tmp/real"
		# a step make -n planned that the real make did not take
		grep -qvxF -f "$tmp/real" "$tmp/dry" && echo "DRY-RUN-DIFFERS"
		cat "$tmp/real"
	fi | sed 's/:[0-9]*$/:/' | sort | tr '\n' ' ' | sed 's/ $//'
}

# newbuild PROGRAM: replace $bin/PROGRAM by a copy that differs in one trailing byte (it
# still runs: the ELF loader ignores what follows the image) and is newer
newbuild() {
	settle
	cp "$bin/$1" "$bin/$1.new" && printf 'x' >>"$bin/$1.new" && mv "$bin/$1.new" "$bin/$1"
}

# expect PROGRAM NINJA MAKE: after a new build of PROGRAM, the steps every tree plans with
# ninja, and with make; then every tree is brought up to date again
expect() {
	newbuild "$1"
	for kind in pipeline command after; do
		same "${1#runja-}-ninja-$kind" "$(planned "$tmp/$kind/ninja" ninja)" "$2"
		same "${1#runja-}-make-$kind" "$(planned "$tmp/$kind/make" make)" "$3"
	done
	for kind in pipeline command after; do
		(cd "$tmp/$kind/ninja" && ninja -j2 && cd ../make && make -j2) >/dev/null 2>&1
	done
}
expect runja-process "" ""
expect runja-exec "" ""
expect runja-report "" ""
# (make remakes its Makefile even under -n, before the steps planned() looks at)
expect runja-gen "REGEN:build.ninja" ""
for kind in pipeline command after; do
	same "then-nothing-$kind" "$(cd "$tmp/$kind/ninja" && ninja)" "ninja: no work to do."
done

# A runja whose blur computes something new, its version bumped: the same source but for
# that, built beside this checkout from its objects, and installed over the programs.
# Two trees, one with blur and one without: only the first one's runs rerun.
for kind in blur noblur; do
	d=$tmp/$kind
	"$synth" --runs 2 --frames 2 --size 16x12 "$d/data" >/dev/null || exit 1
	rawsnap "$d/data"
	ops=
	[ "$kind" = blur ] && ops='pipeline = ( { op = "blur"; sigma = 1.5; } );'
	printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\n%s\n' "$ops" >"$d/runja.cfg"
	(cd "$d" && "$gen" >/dev/null && ninja -j2) >"$tmp/$kind.log" 2>&1
	same "$kind-built" "$?" 0
done
src=$tmp/src
mkdir -p "$src"
(cd "$top" && tar --exclude=./.git --exclude=./tests/fuzz/bin -cf - .) | (cd "$src" && tar -xf -)
grep -q '^	.name = "blur", .*\.version = 1,' "$src/process/ops/blur.c" || fail blur-version-found
sed -i '/^	.name = "blur",/s/\.version = 1,/.version = 2,/' "$src/process/ops/blur.c"
settle
make -C "$src" runja-gen runja-process >"$tmp/src.log" 2>&1 || fail bumped-build "$(tail -5 "$tmp/src.log")"
cp "$src/runja-gen" "$src/runja-process" "$bin/"
same bumped-blur-reruns "$(planned "$tmp/blur" ninja)" "REGEN:build.ninja"
(cd "$tmp/blur" && ninja -j2) >"$tmp/blur2.log" 2>&1
same bumped-blur-reran "$(sed -n 's/^\[[0-9]*\/[0-9]*\] PROCESS \([^ ]*\).*/\1/p' "$tmp/blur2.log" | sort | tr '\n' ' ')" "run_000 run_001 "
same bumped-blur-token "$(grep -o 'results d[^ ]*' "$tmp/blur/build.ninja" | sort -u)" "results d1.blur2.png1.npy1.mean1.std1.sum1"
(cd "$tmp/noblur" && ninja -j2) >"$tmp/noblur2.log" 2>&1
same bumped-noblur-nothing "$(grep -c 'PROCESS\|REPORT' "$tmp/noblur2.log")|$(cd "$tmp/noblur" && ninja 2>&1)" "0|ninja: no work to do."
same bumped-blur-then-nothing "$(cd "$tmp/blur" && ninja 2>&1)" "ninja: no work to do."

finish
