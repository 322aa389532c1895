# One version: the four programs' --version, RUNJA_VERSION (common/util.h, the one place
# it is set) and the Debian package's (debian/changelog) agree.
. tests/lib.sh

v=$(sed -n 's/^#define RUNJA_VERSION "\(.*\)"$/\1/p' common/util.h)
[ -n "$v" ] && pass version-defined || fail version-defined "no #define RUNJA_VERSION in common/util.h"
for p in gen process exec report; do
	out=$("$top/runja-$p" --version 2>&1)
	same "version-runja-$p" "$?|$out" "0|runja-$p $v"
done
# the package's version: the first line of debian/changelog, "runja (VERSION) ..."
same version-debian "$(sed -n '1s/^runja (\([^)]*\)).*/\1/p' debian/changelog)" "$v"
finish
