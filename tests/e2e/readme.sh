# The commented runja.cfg the README shows is valid: runja-gen accepts it as is.
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

finish
