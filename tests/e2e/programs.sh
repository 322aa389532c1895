# One program per job: runja-process (the pixels), runja-exec (a user's program) and
# runja-report are each an input of the build edges that run them and of no other. After
# a build, each is replaced by a copy that differs (a new build of the same program), and
# `ninja -n` / `make -n` must plan exactly the edges that run it.
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

P="PROCESS:run_000 PROCESS:run_001"
C="COMMAND:run_000 COMMAND:run_001"
R="REPORT:"
# expect PROGRAM PIPELINE COMMAND AFTER: after a new build of PROGRAM, the steps each tree
# plans, with both backends; then every tree is brought up to date again
expect() {
	newbuild "$1"
	for b in ninja make; do
		same "${1#runja-}-$b-pipeline" "$(planned "$tmp/pipeline/$b" $b)" "$2"
		same "${1#runja-}-$b-command" "$(planned "$tmp/command/$b" $b)" "$3"
		same "${1#runja-}-$b-after" "$(planned "$tmp/after/$b" $b)" "$4"
	done
	for kind in pipeline command after; do
		(cd "$tmp/$kind/ninja" && ninja -j2 && cd ../make && make -j2) >/dev/null 2>&1
	done
}
expect runja-process "$P $R" "" "$C $P $R"
expect runja-exec "" "$C $R" "$C $R"
expect runja-report "$R" "$R" "$R"
for kind in pipeline command after; do
	same "then-nothing-$kind" "$(cd "$tmp/$kind/ninja" && ninja)" "ninja: no work to do."
done

finish
