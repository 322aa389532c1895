# make install and make uninstall, in a copy of the build tree (so that the programs the
# other tests run stay as built): DESTDIR, PREFIX, BINDIR, DATADIR and MANDIR given to
# make are honoured, uninstall removes every file and folder install made and nothing
# else, and the installed programs find their installed templates and warm.py.
. tests/lib.sh

src=$tmp/src
mkdir -p "$src"
# the sources and what the build made, times kept: make rebuilds only what holds the folders
(cd "$top" && tar cf - --exclude=./tests/tmp --exclude=./demo --exclude=./demo-command --exclude=./bench/tmp \
	--exclude=./tests/fuzz/bin --exclude=./.git .) | (cd "$src" && tar xf -) || exit 1
# the Makefile as ./configure writes it, should the tree's be older than Makefile.in
cp "$src/Makefile.in" "$src/Makefile"
mk() {
	make -C "$src" "$@" >>"$tmp/make.log" 2>&1
}
# listing DIR: every path under DIR, relative, sorted, one line
listing() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
}

files="./usr ./usr/bin ./usr/bin/runja-exec ./usr/bin/runja-gen ./usr/bin/runja-process ./usr/bin/runja-report ./usr/share ./usr/share/bash-completion ./usr/share/bash-completion/completions ./usr/share/bash-completion/completions/runja-gen ./usr/share/man ./usr/share/man/man1 ./usr/share/man/man1/runja-exec.1 ./usr/share/man/man1/runja-gen.1 ./usr/share/man/man1/runja-process.1 ./usr/share/man/man1/runja-report.1 ./usr/share/man/man5 ./usr/share/man/man5/runja.cfg.5 ./usr/share/runja ./usr/share/runja/installed-dirs"

# DESTDIR and PREFIX given to make
di=$tmp/di
mk install DESTDIR="$di" PREFIX=/usr
same install-destdir-prefix "$?|$(listing "$di" | sed 's| \./usr/share/runja/templates[^ ]*||g; s| ./usr/share/runja/warm.py||')" "0|$files "
same install-templates "$(cd "$di/usr/share/runja/templates" && ls -d */ | tr '\n' ' ')|$(ls "$di/usr/share/runja/warm.py")" \
	"init/ make/ ninja/ report/ slurm/ |$di/usr/share/runja/warm.py"
# the programs were rebuilt for that prefix: runja-gen names the templates it will read
case $("$di/usr/bin/runja-gen" --help) in
*" /usr/share/runja/templates]"*) pass install-programs-know-prefix ;;
*) fail install-programs-know-prefix "$("$di/usr/bin/runja-gen" --help | grep -A1 -- --templates)" ;;
esac
same install-versions "$("$di/usr/bin/runja-process" --version)" "runja-process $("$gen" --version | cut -d' ' -f2)"
mk uninstall DESTDIR="$di" PREFIX=/usr
same uninstall-empties-destdir "$?|$(listing "$di")" "0|"

# folders that were there before stay, and what else they hold
o=$tmp/other
mkdir -p "$o/usr/share/man/man1" "$o/usr/bin"
echo other >"$o/usr/share/man/man1/other.1"
mk install DESTDIR="$o" PREFIX=/usr && mk uninstall DESTDIR="$o" PREFIX=/usr
same uninstall-keeps-others "$?|$(listing "$o")" "0|./usr ./usr/bin ./usr/share ./usr/share/man ./usr/share/man/man1 ./usr/share/man/man1/other.1 "
# installing twice, then uninstalling once
mk install DESTDIR="$di" PREFIX=/usr && mk install DESTDIR="$di" PREFIX=/usr && mk uninstall DESTDIR="$di" PREFIX=/usr
same reinstall-uninstall-empties "$?|$(listing "$di")" "0|"

# BINDIR, DATADIR and MANDIR given to make
b=$tmp/dirs
mk install DESTDIR="$b" BINDIR=/opt/rj/bin DATADIR=/opt/rj/data MANDIR=/opt/rj/man
same install-dirs "$?|$(listing "$b" | tr ' ' '\n' | grep -c '^\./opt/rj/\(bin/runja-gen\|data/runja/templates/ninja/head.ninja\|man/man5/runja.cfg.5\|data/bash-completion/completions/runja-gen\)$')" "0|4"
mk uninstall DESTDIR="$b" BINDIR=/opt/rj/bin DATADIR=/opt/rj/data MANDIR=/opt/rj/man
same uninstall-dirs "$?|$(listing "$b")" "0|"

# PREFIX to configure, no DESTDIR: the installed programs build a tree with nothing of
# the build tree on PATH
p=$tmp/prefix
# configure as the tree was (a sanitizer build stays one), with the prefix
args=$(sed -n '1s/^# written by \.\/configure //p' "$src/config.mk")
# shellcheck disable=SC2086 # the words configure was given
(cd "$src" && ./configure $args --prefix="$p" >>"$tmp/make.log" 2>&1) && mk install
same install-configure-prefix "$?|$(ls "$p/bin" | tr '\n' ' ')" "0|runja-exec runja-gen runja-process runja-report "
d=$tmp/tree
"$synth" --runs 2 --frames 3 --size 32x24 "$d/data" >/dev/null || exit 1
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\n' >"$d/runja.cfg"
rawsnap "$d/data"
(cd "$d" && PATH="$p/bin:/usr/bin:/bin" && runja-gen && ninja) >"$tmp/installed.log" 2>&1
[ "$?" = 0 ] || sed 's/^/  | /' "$tmp/installed.log"
same installed-builds "$?|$(processed "$tmp/installed.log")|$(ls "$d/out" | tr '\n' ' ')" "0|run_000 run_001|index.html run_000 run_001 summary.csv "
same installed-programs-used "$(grep -c "$p/bin/runja-process" "$d/build.ninja" | sed 's/^[1-9][0-9]*$/yes/')" yes
mk uninstall
same uninstall-configure-prefix "$?|$([ -e "$p" ] && listing "$p")" "0|"
[ "$failed" = 0 ] || sed 's/^/  | /' "$tmp/make.log"
finish
