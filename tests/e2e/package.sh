# The Debian package: tools/build-deb builds runja_VERSION_ARCH.deb (dpkg-buildpackage
# -us -uc -b on a copy of the tree) with no lintian error, holding the programs, templates,
# manual pages and completion at their places, and leaves the tree as it was.
# Prints one line "SKIP package: no TOOL" when a tool it needs is missing.
. tests/lib.sh

before=$(git status --porcelain --untracked-files=all 2>&1)
sh tools/build-deb "$tmp/debs" >"$tmp/deb.out" 2>"$tmp/deb.err"
status=$?
if [ "$status" = 77 ]; then
	sed 's/^SKIP build-deb/SKIP package/' "$tmp/deb.out"
	exit 0
fi
v=$(sed -n 's/^#define RUNJA_VERSION "\(.*\)"$/\1/p' common/util.h)
arch=$(dpkg --print-architecture)
same package-built "$status|$(ls "$tmp/debs")" "0|runja_${v}_$arch.deb"
[ "$status" = 0 ] || { sed 's/^/  | /' "$tmp/deb.err"; finish; }
deb=$tmp/debs/runja_${v}_$arch.deb
same package-no-lintian-error "$(grep -c '^E: ' "$tmp/deb.err")" 0
same package-version "$(dpkg-deb -f "$deb" Package Version Architecture | tr '\n' ' ')" "Package: runja Version: $v Architecture: $arch "
case $(dpkg-deb -f "$deb" Depends) in
*ninja-build*) pass package-depends-ninja ;;
*) fail package-depends-ninja "$(dpkg-deb -f "$deb" Depends)" ;;
esac
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$tmp/files"
want="./usr/bin/runja-exec ./usr/bin/runja-gen ./usr/bin/runja-process ./usr/bin/runja-report
./usr/share/bash-completion/completions/runja-gen ./usr/share/man/man1/runja-exec.1.gz
./usr/share/man/man1/runja-gen.1.gz ./usr/share/man/man1/runja-process.1.gz
./usr/share/man/man1/runja-report.1.gz ./usr/share/man/man5/runja.cfg.5.gz
./usr/share/runja/templates/ninja/head.ninja ./usr/share/runja/templates/report/page.html ./usr/share/runja/warm.py"
missing=$(for f in $want; do grep -qxF "$f" "$tmp/files" || echo "$f"; done)
same package-files "$missing" ""
same package-no-install-list "$(grep -c installed-dirs "$tmp/files")" 0
same package-tree-unchanged "$(git status --porcelain --untracked-files=all 2>&1)" "$before"
finish
