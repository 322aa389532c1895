# ./configure as README's "Building and installing" promises: it honours CC, CFLAGS,
# LDFLAGS and PKG_CONFIG, and a missing compiler, pkg-config or library stops it with
# one line naming the Debian package to install, writing no config.mk. Run in a folder
# of its own holding configure and Makefile.in (the build's config.mk stays as it is).
. tests/lib.sh

c=$tmp/conf
mkdir -p "$c/bin"
cp "$top/configure" "$top/Makefile.in" "$c/" || exit 1
# a pkg-config that knows every library at version 9.9, flags -DHAVE_NAME and -lNAME,
# except the one named in $c/missing
cat >"$c/bin/fake-pkg-config" <<'SH'
#!/bin/sh
lib=
for a; do case $a in -*) ;; *) lib=$a ;; esac; done
[ -n "$lib" ] && [ "$lib" = "$(cat "$(dirname "$0")/../missing" 2>/dev/null)" ] && exit 1
case $1 in
--modversion) echo 9.9 ;;
--cflags) echo "-DHAVE_$lib" ;;
--libs) echo "-l$lib" ;;
esac
SH
chmod +x "$c/bin/fake-pkg-config"

# conf VAR=VALUE...: ./configure in $c under that environment; its status, then its stderr
conf() {
	rm -f "$c/config.mk"
	(cd "$c" && env "$@" ./configure >"$tmp/stdout" 2>"$tmp/stderr")
	echo "$?|$(cat "$tmp/stderr")"
}

same no-compiler "$(conf CC=/nonexistent/cc)|$(ls "$c" | grep -c config.mk)" \
	"1|configure: error: no working C compiler '/nonexistent/cc' (Debian: apt-get install gcc)|0"
same no-pkg-config "$(conf PKG_CONFIG=/nonexistent/pkg-config)|$(ls "$c" | grep -c config.mk)" \
	"1|configure: error: '/nonexistent/pkg-config' not found (Debian: apt-get install pkg-config)|0"
for lib in libpng:1.6:libpng-dev libconfig:1.5:libconfig-dev jansson:2.7:libjansson-dev libisal:2.25:libisal-dev \
	zlib:1.2:zlib1g-dev; do
	IFS=: read -r name version package <<EOF
$lib
EOF
	echo "$name" >"$c/missing"
	same "no-$name" "$(conf PKG_CONFIG="$c/bin/fake-pkg-config")|$(ls "$c" | grep -c config.mk)" \
		"1|configure: error: $name >= $version not found (Debian: apt-get install $package)|0"
done
rm "$c/missing"

# what it was given is what config.mk says, every library's flags from PKG_CONFIG
out=$(conf CC=cc CFLAGS="-O1 -DGIVEN" LDFLAGS="-L/given" PKG_CONFIG="$c/bin/fake-pkg-config")
same honoured-status "${out%%|*}" 0
same honoured "$(grep -E '^(CC|CFLAGS|LDFLAGS|PNG_CFLAGS|CONFIG_LIBS|JSON_LIBS|ISAL_CFLAGS|ZLIB_LIBS) =' "$c/config.mk")" \
	"CC = cc
CFLAGS = -O1 -DGIVEN
LDFLAGS = -L/given
PNG_CFLAGS = -DHAVE_libpng
CONFIG_LIBS = -llibconfig
JSON_LIBS = -ljansson
ISAL_CFLAGS = -DHAVE_libisal
ZLIB_LIBS = -lzlib"
same honoured-makefile "$(cmp "$c/Makefile" "$c/Makefile.in" && echo same)" same

# --help lists the options and the environment it reads
same help "$(cd "$c" && ./configure --help | grep -c -e '--prefix=DIR' -e '--enable-sanitize' -e '--enable-tsan' \
	-e 'Environment: CC, CFLAGS, LDFLAGS, PKG_CONFIG.')" 4

finish
