# examples/python-command end to end with the real ninja: the built-in pipeline, then
# analyse.py per run on its products; what it writes, a run.cfg's own params, and what
# reruns after the script is edited.
. tests/lib.sh

if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	echo "SKIP example: /usr/bin/python3 has no numpy (apt-get install python3-numpy)"
	exit 0
fi
# runja.cfg runs "python3": the one beside numpy's, as make demo-command does
PATH=/usr/bin:$PATH
export PATH

d=$tmp/example
mkdir -p "$d"
"$synth" --runs 3 --frames 12 --size 320x240 "$d/data" >/dev/null || exit 1
cp "$top/examples/python-command/runja.cfg" "$top/examples/python-command/analyse.py" "$d/" || exit 1
echo 'command = { params = { smooth = 7; }; };' >"$d/data/run_001/run.cfg"
rawsnap "$d/data"

# ran LOG WHAT: the run ids of ninja's WHAT lines (PROCESS or COMMAND), sorted, one line
ran() {
	sed -n "s/^\[[0-9]*\/[0-9]*\] $2 \(.*\) ([0-9]* frames)\$/\1/p" "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
# png FILE: "WIDTHxHEIGHT DEPTH COLOURTYPE" when FILE is a whole, valid PNG (signature,
# every chunk's CRC, IHDR first, IEND last, IDAT inflating to the right size), else why not
png() {
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
if b[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("no PNG signature")
i, chunks = 8, []
while i < len(b):
    n, = struct.unpack(">I", b[i:i + 4])
    kind, data = b[i + 4:i + 8], b[i + 8:i + 8 + n]
    if len(data) != n or struct.unpack(">I", b[i + 8 + n:i + 12 + n])[0] != zlib.crc32(kind + data):
        sys.exit("bad chunk " + repr(kind))
    chunks.append((kind, data))
    i += 12 + n
if chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
    sys.exit("IHDR not first or IEND not last")
w, h, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
raw = zlib.decompress(b"".join(d for k, d in chunks if k == b"IDAT"))
if len(raw) != h * (1 + w * 3 * depth // 8):
    sys.exit("IDAT inflates to %d bytes" % len(raw))
print("%dx%d %d %d" % (w, h, depth, colour))
PY
}

out=$(cd "$d" && "$gen" 2>&1)
same example-gen "$?|$out" "0|runja-gen: 3 runs (3 new), wrote build.ninja"
build "$d" "$tmp/log1"
same example-build-status "$?" 0
same example-build-pipeline "$(ran "$tmp/log1" PROCESS)" "run_000 run_001 run_002"
same example-build-command "$(ran "$tmp/log1" COMMAND)" "run_000 run_001 run_002"

c=$d/out/run_001/command
same example-files "$(ls "$c" | tr '\n' ' ')" "front.png profile.csv runja.log summary.json velocity.csv "
same example-builtin-untouched "$(ls "$d/out/run_001" | tr '\n' ' ')" \
	"command front.csv mean.npy mean.png summary.json "
same example-velocity-header "$(head -1 "$c/velocity.csv")" "index,file,position,velocity"
same example-velocity-rows "$(wc -l <"$c/velocity.csv")" 13
same example-velocity-files "$(sed -n '2p;13p' "$c/velocity.csv" | cut -d, -f1,2 | tr '\n' ' ')" \
	"0,img_0.png 11,img_11.png "
same example-velocity-numbers "$(awk -F, 'NR > 1 && $3 != "" && $4 != "" { n++ } END { print (n > 0) }' "$c/velocity.csv")" 1
same example-profile-header "$(head -1 "$c/profile.csv")" "column,mean"
same example-profile-rows "$(wc -l <"$c/profile.csv")" 321
same example-png "$(png "$c/front.png" 2>&1)" "480x270 8 2"
same example-log "$(sed 's/ front from .*(/ (/' "$c/runja.log")" "run_001: 12 frames, (smooth 7)"
same example-log-default "$(sed 's/ front from .*(/ (/' "$d/out/run_002/command/runja.log")" \
	"run_002: 12 frames, (smooth 3)"
same example-params "$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["params"])' "$c/summary.json")" \
	"{'plot_height': 270, 'plot_width': 480, 'smooth': 7}"
same example-report "$(sed -n '1p' "$d/out/summary.csv" | cut -d, -f1-3)" "run,frames,skipped"

build "$d" "$tmp/log2"
same example-second-build "$(cat "$tmp/log2")" "ninja: no work to do."

# the script edited: every command step reruns, the built-in products stay as they are
ino() { stat -c %i "$d/out/run_000/mean.npy" "$d/out/run_002/front.csv" | tr '\n' ' '; }
before=$(ino)
settle
echo "# edited" >>"$d/analyse.py"
build "$d" "$tmp/log3"
same example-edit-status "$?" 0
same example-edit-command "$(ran "$tmp/log3" COMMAND)" "run_000 run_001 run_002"
same example-edit-no-pipeline "$(ran "$tmp/log3" PROCESS)" ""
same example-edit-products-kept "$(ino)" "$before"

# one run's params, its run.cfg edited in place: only that run's command step
settle
rawcheck "$d/data" example-until-run-cfg-edited
echo 'command = { params = { smooth = 5; }; };' >"$d/data/run_001/run.cfg"
rawsnap "$d/data"
build "$d" "$tmp/log4"
same example-runcfg-command "$(ran "$tmp/log4" COMMAND)|$(ran "$tmp/log4" PROCESS)" "run_001|"
same example-runcfg-log "$(sed 's/ front from .*(/ (/' "$c/runja.log")" "run_001: 12 frames, (smooth 5)"
build "$d" "$tmp/log5"
same example-runcfg-then-no-work "$(cat "$tmp/log5")" "ninja: no work to do."

finish
