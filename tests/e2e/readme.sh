# The commented runja.cfg the README shows is valid: runja-gen accepts it as is. The
# quick start's commands are the ones CI runs, word for word, and tools/install-deps runs
# apt-get as root without sudo, through sudo otherwise, with the packages it names.
. tests/lib.sh

d=$tmp/readme
mkdir -p "$d"
/usr/bin/python3 - "$top/README.md" "$d/runja.cfg" <<'PY'
import sys
s = open(sys.argv[1]).read()
i = s.index('version = 1;\nruns = {')
open(sys.argv[2], 'w').write(s[i:s.index('```', i)])
PY
"$synth" --runs 1 --frames 6 --size 1100x600 "$d" >/dev/null || exit 1
# the README's runs.ready and runs.settle: the sentinel, and nothing new for an hour
touch "$d/run_000/DONE"
touch -d '1 hour ago' "$d/run_000"/* "$d/run_000"
rawsnap "$d" $rawbuild
out=$(cd "$d" && "$gen" 2>&1)
same readme-config-accepted "$?|$out" "0|runja-gen: 1 run (1 new), wrote build.ninja"
(cd "$d" && ninja) >"$tmp/b.log" 2>&1
same readme-config-builds "$?|$(processed "$tmp/b.log")" "0|run_000"
same readme-config-products "$(ls "$d/out/run_000" | tr '\n' ' ')" \
	"front.csv max.npy max.png mean.npy mean.png stats.csv std.npy std.png summary.json timestack.npy timestack.png "

# the quick start: the lines of its sh block
quick=$(awk '/^## Quick start/ { q = 1 } q && /^```sh$/ { b = 1; next } b && /^```$/ { exit } b' "$top/README.md")
same readme-quick-start "$quick" "tools/install-deps && ./configure && make demo
tools/install-deps --tests && ./configure && make check"
# .ci/run runs them as `quick 'LINE'`, in that order, and installs nothing else but the
# package, and clang for the fuzzers as its last step (after every test: none needs it)
same readme-ci-runs-quick-start "$(sed -n "s/^quick '\(.*\)'\$/\1/p" "$top/.ci/run")" "$quick"
same readme-ci-installs-only-the-package "$(grep 'install-deps\|apt-get' "$top/.ci/run" | grep -v '^ *#' | grep -v "^quick '")" \
	'	(cd "$debs" && apt-get install -y ./runja_*.deb)
apt-get install -y clang libclang-rt-14-dev'
same readme-ci-fuzz-last "$(sed -n '/apt-get install -y clang/,$p' "$top/.ci/run" | grep -c 'tests/run.sh\|make check\|quick ')" 0
# and runs each fuzzer as long as the README says
same readme-ci-fuzz-seconds "$(grep -c '^make -j2 fuzz FUZZ_SECONDS=15$' "$top/.ci/run")|$(grep -c 'each libFuzzer harness for 15 s' "$top/README.md")" "1|1"

# install-deps with a fake apt-get, sudo and id on PATH: the calls, as root and not
fake=$tmp/fake
mkdir -p "$fake"
for c in apt-get sudo; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n[ %s != sudo ] || exec "$@"\n' "$c" "$tmp" "$c" >"$fake/$c"
done
chmod +x "$fake"/*
build=$(sh "$top/tools/install-deps" --list | tr '\n' ' ' | sed 's/ $//')
tests=$(sh "$top/tools/install-deps" --tests --list | tr '\n' ' ' | sed 's/ $//')
# what the README says they are: a compiler, make, pkg-config, the -dev packages of the
# libraries and ninja-build; the tests add python3 and the packages the README lists
same install-deps-list "$build" "gcc make pkg-config libc6-dev libpng-dev libconfig-dev libjansson-dev libisal-dev zlib1g-dev ninja-build"
same install-deps-tests-list "$tests" "$build python3 python3-numpy python3-scipy python3-pil valgrind strace chromium \
slurmctld slurmd slurm-client munge mandoc lintian debhelper dpkg-dev fakeroot"
rm -f "$tmp/calls"
PATH="$fake:$PATH" sh "$top/tools/install-deps" >"$tmp/deps.out" 2>&1
if [ "$(id -u)" = 0 ]; then
	same install-deps-root-no-sudo "$?|$(cat "$tmp/calls")" "0|apt-get update
apt-get install -y --no-install-recommends $build"
else
	echo "SKIP install-deps-root-no-sudo: not root"
fi
# not root: a fake id says uid 1000
printf '#!/bin/sh\n[ "$1" = -u ] && echo 1000 || exec /usr/bin/id "$@"\n' >"$fake/id"
chmod +x "$fake/id"
rm -f "$tmp/calls"
PATH="$fake:$PATH" sh "$top/tools/install-deps" --tests >"$tmp/deps.out" 2>&1
same install-deps-user-sudo "$?|$(cat "$tmp/calls")" "0|sudo env DEBIAN_FRONTEND=noninteractive apt-get update
apt-get update
sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $tests
apt-get install -y --no-install-recommends $tests"
# the test packages come on top of the build's
case "$tests" in
"$build "*) pass install-deps-tests-add ;;
*) fail install-deps-tests-add "$tests" ;;
esac
# every package is one Debian knows (where apt has package lists)
if command -v apt-cache >/dev/null 2>&1 && [ -n "$(ls /var/lib/apt/lists/ 2>/dev/null | grep _Packages)" ]; then
	unknown=$(for p in $tests; do apt-cache show --no-all-versions "$p" >/dev/null 2>&1 || echo "$p"; done)
	same install-deps-packages-exist "$unknown" ""
else
	echo "SKIP install-deps-packages-exist: no apt package lists here"
fi
# the tools the tests and CI call come from packages it names (where they are installed)
if command -v dpkg >/dev/null 2>&1; then
	missing=
	for t in make ninja valgrind strace chromium mandoc lintian dpkg-buildpackage dh fakeroot slurmctld slurmd srun munged; do
		path=$(PATH=$PATH:/usr/sbin:/sbin command -v $t) || continue
		path=$(readlink -f "$path")
		pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
		[ -z "$pkg" ] || case " $tests " in *" $pkg "*) ;; *) missing="$missing $t($pkg)" ;; esac
	done
	same install-deps-names-test-tools "$missing" ""
fi

# make demo (tests/demo.sh) in a folder of its own: the results the README names, the
# report; run again, nothing is processed
m=$tmp/demo
mkdir -p "$m/tests"
ln -s "$top/runja-gen" "$m/runja-gen"
ln -s "$top/tests/synth" "$m/tests/synth"
(cd "$m" && sh "$top/tests/demo.sh") >"$tmp/demo1.log" 2>&1
same demo-builds "$?|$(processed "$tmp/demo1.log" | wc -w)|$(grep -c '^2026-0[34]/run_' "$m/demo/out/summary.csv")" "0|24|24"
same demo-products "$(cd "$m/demo/out" && ls index.html summary.csv 2026-03/run_000/mean.png 2026-03/run_000/timestack.png \
	2026-03/run_000/front.csv | tr '\n' ' ')" \
	"2026-03/run_000/front.csv 2026-03/run_000/mean.png 2026-03/run_000/timestack.png index.html summary.csv "
(cd "$m" && sh "$top/tests/demo.sh") >"$tmp/demo2.log" 2>&1
same demo-again-nothing "$?|$(grep -c 'PROCESS\|REPORT' "$tmp/demo2.log")|$(grep -c '^ninja: no work to do\.$' "$tmp/demo2.log")" "0|0|1"

finish
