#!/bin/sh
# runja-gen at scale (SPEC section 7: 10,000 runs x 100 frames in <= 1 s wall and
# <= 200 MB), and the cost of ninja's regeneration check on that tree.
# usage: sh bench/scale.sh [RUNS [FRAMES [REPEAT]]]   (from the top of the build tree)
set -e
runs=${1:-10000}
frames=${2:-100}
repeat=${3:-5}
top=$(pwd)
d=$top/bench/tmp/scale-$runs-$frames
py=$(command -v /usr/bin/python3 || command -v python3)

if [ ! -d "$d/data" ]; then
	echo "scale: writing $runs runs x $frames empty frames to $d/data"
	"$py" bench/mktree.py "$d/data" "$runs" "$frames"
fi
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "*/run_*"; };
products = { mean = true; std = true; };
CFG
rm -f "$d/build.ninja"
"$top/runja-gen" -c "$d/runja.cfg" >/dev/null

# median VALUES...
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

walls=
rsss=
i=0
while [ "$i" -lt "$repeat" ]; do
	rm -f "$d/build.ninja"   # a full generation every time, not the "unchanged" shortcut
	out=$( { /usr/bin/time -f '%e %M' "$top/runja-gen" -c "$d/runja.cfg" >/dev/null; } 2>&1 | tail -1)
	walls="$walls ${out% *}"
	rsss="$rsss ${out#* }"
	i=$((i + 1))
done
checks=
i=0
while [ "$i" -lt "$repeat" ]; do
	out=$( { /usr/bin/time -f '%e' ninja -C "$d" build.ninja >/dev/null; } 2>&1 | tail -1)
	checks="$checks $out"
	i=$((i + 1))
done
echo "runja-gen, $runs runs x $frames frames: median wall $(median $walls) s, median peak RSS $(median $rsss) KB (of $repeat)"
echo "  walls:$walls"
echo "ninja's regeneration check (ninja build.ninja, nothing changed): median $(median $checks) s (of $repeat)"
echo "  walls:$checks"
echo "build.ninja: $(wc -c <"$d/build.ninja") bytes"
