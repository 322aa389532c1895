# Golden files: for each tests/gen/NAME.cfg, make the tree listed in NAME.tree (one
# file a line; "name -> content" writes content), run runja-gen and compare the
# build file with NAME.ninja (paths of this checkout replaced by @TOP@). A NAME.cfg
# whose first line is "# backend: make" is generated with --backend make and compared
# with NAME.mk.
# UPDATE=1 rewrites the golden files instead.
. tests/lib.sh

for cfg in tests/gen/*.cfg; do
	name=$(basename "$cfg" .cfg)
	d=$tmp/$name
	mkdir -p "$d"
	while IFS= read -r line; do
		case $line in
		'') continue ;;
		*' -> '*) f=${line%% -> *}; content=${line#* -> } ;;
		*) f=$line; content= ;;
		esac
		mkdir -p "$d/$(dirname "$f")"
		printf '%s\n' "$content" >"$d/$f"
	done <"tests/gen/$name.tree"
	# the build folder is the tree's root: its own files (output.dir too) are not raw data
	outdir=$(sed -n 's/^output = {.* dir = "\([^"]*\)".*/\1/p' "$cfg")
	rawsnap "$d" $rawbuild "${outdir:-out}"
	cp "$cfg" "$d/runja.cfg"
	backend=ninja file=build.ninja ext=ninja
	if [ "$(head -n 1 "$cfg")" = "# backend: make" ]; then
		backend=make file=Makefile ext=mk
	fi
	(cd "$d" && "$gen" --backend "$backend") >"$tmp/$name.out" 2>&1
	status=$?
	sed "s|$top|@TOP@|g" "$d/$file" >"$tmp/$name.$ext" 2>/dev/null
	if [ -n "$UPDATE" ]; then
		cp "$tmp/$name.$ext" "tests/gen/$name.$ext"
	fi
	if [ "$status" -eq 0 ] && diff -u "tests/gen/$name.$ext" "$tmp/$name.$ext" >"$tmp/$name.diff"; then
		pass "golden-$name"
	else
		fail "golden-$name" "runja-gen exit status $status: $(cat "$tmp/$name.out")"
		cat "$tmp/$name.diff"
	fi
done

finish
