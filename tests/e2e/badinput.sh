# Bad input (issue 5): damaged frames, a frame header declaring 100000x100000 pixels,
# a palette frame with an index beyond its palette, frames of different sizes, a run with no frames, a symbolic link loop in the data tree,
# a config that is not libconfig text, a template naming an unknown variable, and the
# crashers the fuzzers found (tests/regress/). Each: its exact message and exit status,
# and no summary.json or product of a failed run.
. tests/lib.sh

d=$tmp/bad
mkdir -p "$d/data"

# addrun NAME SYNTH-ARGS...: one run of 4 frames 32x24, renamed run_NAME
addrun() {
	name=$1
	shift
	rm -rf "$tmp/one"
	"$synth" --runs 1 --frames 4 --size 32x24 "$@" "$tmp/one" >/dev/null 2>&1 || fail "synth-$name"
	mv "$tmp/one/run_000" "$d/data/run_$name"
}

# a PNG of one gray8 row whose header declares W x H pixels (valid CRCs), on stdout
bigheader() {
	python3 -c '
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
w, h = int(sys.argv[1]), int(sys.argv[2])
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(b"\0" * (w + 1))) + chunk(b"IEND", b""))' "$1" "$2"
}

# a 32x24 8-bit palette PNG of 16 entries whose pixel (5, 3) is index 200, on stdout
# (libpng reads such an index without a word, as black)
badpalette() {
	python3 -c '
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
rows = b"".join(b"\0" + bytes(200 if (x, y) == (5, 3) else (x + y) % 16 for x in range(32)) for y in range(24))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 24, 8, 3, 0, 0, 0))
                        + chunk(b"PLTE", bytes(range(48))) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))'
}

addrun ok
for kind in empty notpng truncate crc zlib size; do
	addrun "$kind" --bad "$kind:0:2"
done
addrun huge
bigheader 100000 100000 >"$d/data/run_huge/img_2.png"
addrun palette
badpalette >"$d/data/run_palette/img_2.png"
mkdir "$d/data/run_noframes"
rawsnap "$d/data"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\nproducts = { mean = true; stats = true; };\n' >"$d/runja.cfg"

out=$(cd "$d" && "$gen" 2>&1)
same gen-warns-run-without-frames "$out" "runja-gen: run_noframes: no frames matching '*.png', skipped
runja-gen: 9 runs (9 new), wrote build.ninja"
same gen-no-edge-for-run-without-frames "$(grep -c '^build out/run_noframes' "$d/build.ninja")" 0

# the whole batch, with a plain ninja: every bad run fails alone, the good one is done,
# and the build ends with the count of failed runs just before ninja's own last line
(cd "$d" && memcap ninja) >"$tmp/b1.log" 2>&1
same batch-status "$?" 1
same batch-last-lines "$(tail -n 2 "$tmp/b1.log")" "runja-report: 8 runs failed: run_crc, run_empty, run_huge, run_notpng, run_palette, ...; why: runja-gen --status
ninja: build stopped: subcommand failed."
same batch-messages "$(grep '^runja-process: run_' "$tmp/b1.log" | sort)" "runja-process: run_crc/img_2.png: IDAT: CRC error
runja-process: run_empty/img_2.png: empty file
runja-process: run_huge/img_2.png: 100000x100000 pixels is more than max_pixels (100000000)
runja-process: run_notpng/img_2.png: not a PNG file
runja-process: run_palette/img_2.png: palette index 200 beyond the palette's 16 entries (pixel x=5, y=3)
runja-process: run_size/img_2.png: frame is 40x24, earlier frames are 32x24
runja-process: run_truncate/img_2.png: truncated
runja-process: run_zlib/img_2.png: IDAT: invalid block type"
same batch-good-run-done "$(ls "$d/out/run_ok")" "mean.npy
mean.png
stats.csv
summary.json"
for kind in empty notpng truncate crc zlib size huge palette; do
	same "$kind-no-products" "$(ls "$d/out/run_$kind")" "error.txt"
	same "$kind-rerun-next-time" "$(cd "$d" && "$gen" --check 2>/dev/null | grep "^run_$kind:" | cut -d: -f1-2)" "run_$kind: failed last time"
done

# each bad run alone: exit status 1 and one line; the header of 100000x100000 pixels is
# refused before any allocation (1 GB of address space would not hold its pixels)
for kind in empty notpng truncate crc zlib size huge palette; do
	msg=$(cd "$d" && memcap "$proc" --id "run_$kind" "data/run_$kind" "$tmp/o/$kind" 2>&1)
	same "$kind-status-and-message" "$?|$msg" "1|$(grep "^runja-process: run_$kind/" "$tmp/b1.log")"
done

# on_bad_frame = "skip": the run succeeds, one warning line per bad frame, summary.json lists them
rawcheck "$d/data" bad-until-run-added
addrun skip --frames 9 --bad truncate:0:1 --bad crc:0:2 --bad zlib:0:3 --bad notpng:0:4 --bad empty:0:5 --bad size:0:6
badpalette >"$d/data/run_skip/img_7.png"
rawsnap "$d/data"
msg=$("$proc" --on-bad-frame skip --id run_skip "$d/data/run_skip" "$tmp/o/skip" 2>&1)
same skip-status "$?" 0
same skip-warnings "$msg" "runja-process: run_skip/img_1.png: truncated (skipped)
runja-process: run_skip/img_2.png: IDAT: CRC error (skipped)
runja-process: run_skip/img_3.png: IDAT: invalid block type (skipped)
runja-process: run_skip/img_4.png: not a PNG file (skipped)
runja-process: run_skip/img_5.png: empty file (skipped)
runja-process: run_skip/img_6.png: frame is 40x24, earlier frames are 32x24 (skipped)
runja-process: run_skip/img_7.png: palette index 200 beyond the palette's 16 entries (pixel x=5, y=3) (skipped)"
same skip-summary "$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(j["frames"], j["frames_found"])
for s in j["skipped"]: print(s["file"] + ": " + s["error"])' "$tmp/o/skip/summary.json")" "2 9
img_1.png: truncated
img_2.png: IDAT: CRC error
img_3.png: IDAT: invalid block type
img_4.png: not a PNG file
img_5.png: empty file
img_6.png: frame is 40x24, earlier frames are 32x24
img_7.png: palette index 200 beyond the palette's 16 entries (pixel x=5, y=3)"

# an output folder inside the run folder (not there yet, there, the run folder itself,
# through a link, through ".."), holding it, or whose OUT/.runja or depfile lies in it,
# whatever the command line says: exit status 2, one line naming both, nothing written
# (the run folder byte for byte as it was, no error.txt, no ledger line)
rawcheck "$d/data" bad-until-folders-made-in-run
mkdir "$d/data/run_ok/existing"
ln -s data/run_ok "$d/runlink"
ln -s ../../out/run_ok "$d/data/run_ok/run_ok"
rawsnap "$d/data"
run=$(exact "$d/data/run_ok")
outs=$(exact "$d/out")
# refused NAME MESSAGE-TAIL ARG...: runja-process --id run_ok ARG... in $d is refused with "run_ok: MESSAGE-TAIL"
refused() {
	name=$1 msg=$2
	shift 2
	out=$(cd "$d" && "$proc" --id run_ok "$@" 2>&1)
	same "$name" "$?|$out" "2|runja-process: run_ok: $msg; raw data is never written to"
}
refused inside-new "output folder 'data/run_ok/analysis' lies inside the run folder 'data/run_ok'" \
	data/run_ok data/run_ok/analysis
refused inside-new-deep "output folder 'data/run_ok/a/b/' lies inside the run folder 'data/run_ok/'" \
	data/run_ok/ data/run_ok/a/b/
refused inside-existing "output folder 'data/run_ok/existing' lies inside the run folder 'data/run_ok'" \
	data/run_ok data/run_ok/existing
refused inside-is-run "output folder 'data/run_ok' is the run folder 'data/run_ok'" \
	data/run_ok data/run_ok
refused inside-link "output folder 'runlink/analysis' lies inside the run folder 'data/run_ok'" \
	data/run_ok runlink/analysis
refused inside-dotdot "output folder 'out/../data/run_ok/x/../analysis' lies inside the run folder 'data/run_ok'" \
	data/run_ok out/../data/run_ok/x/../analysis
refused inside-dotdot-absolute "output folder '$d/out/../runlink/./' is the run folder 'data/run_ok'" \
	data/run_ok "$d/out/../runlink/./"
refused inside-holds-run "output folder 'data' holds the run folder 'runlink'" \
	runlink data
refused inside-state "state folder 'data/run_ok/.runja' lies inside the run folder 'data/run_ok'" \
	data/run_ok data/run_ok/run_ok
refused inside-depfile "depfile 'runlink/.runja.d' lies inside the run folder 'data/run_ok'" \
	--depfile runlink/.runja.d data/run_ok out/run_ok
refused inside-skip "output folder 'data/run_ok/analysis' lies inside the run folder 'data/run_ok'" \
	--on-bad-frame skip data/run_ok data/run_ok/analysis
same inside-run-unchanged "$(exact "$d/data/run_ok")" "$run"
same inside-out-unchanged "$(exact "$d/out")" "$outs"
rawcheck "$d/data" bad-until-folders-removed
rm "$d/runlink" "$d/data/run_ok/run_ok" && rmdir "$d/data/run_ok/existing"
rawsnap "$d/data"
# the same folders as seen from elsewhere, where nothing lies inside: processed
out=$(cd "$d" && "$proc" --id run_ok data/run_ok "$tmp/o/ok" 2>&1)
same outside-processed "$?|$out|$(ls "$tmp/o/ok" | tr '\n' ' ')" "0||mean.npy mean.png std.npy std.png summary.json "

# a symbolic link loop: a link back to a folder above is skipped with a warning (so no
# run appears twice), a link to itself is skipped
l=$tmp/loop
"$synth" --runs 2 --frames 2 --size 16x12 --nested "$l/data" >/dev/null
ln -s . "$l/data/loop"
ln -s self "$l/data/self"
rawsnap "$l/data"
printf 'version = 1;\nruns = { root = "data"; match = ["*/run_*", "*/*/run_*"]; };\n' >"$l/runja.cfg"
out=$(cd "$l" && timeout 20 "$gen" 2>&1)
same loop-gen "$?|$out" "0|runja-gen: data/loop: a link back to a folder above it, skipped
runja-gen: 2 runs (2 new), wrote build.ninja"
same loop-runs "$(cat "$l/out/.runja/runs" | tr '\n' ' ')" "2026-03/run_000 2026-04/run_001 "
(cd "$l" && timeout 20 ninja) >"$tmp/loop.log" 2>&1
same loop-ninja "$?|$(processed "$tmp/loop.log")" "0|2026-03/run_000 2026-04/run_001"

# a config that is not libconfig text: exit status 2, one line, build.ninja unchanged
cp "$d/build.ninja" "$tmp/build.before"
cp "$d/data/run_ok/img_0.png" "$d/frame.cfg"
out=$(cd "$d" && "$gen" -c frame.cfg 2>&1)
same config-png-refused "$?|$out" "2|runja-gen: frame.cfg:3: not a text file (it holds a NUL byte)"
printf 'version = 1;\n\000\001\002binary' >"$d/nul.cfg"
out=$(cd "$d" && "$gen" -c nul.cfg 2>&1)
same config-nul-refused "$?|$out" "2|runja-gen: nul.cfg:2: not a text file (it holds a NUL byte)"
head -c 3000 "$d/data/run_ok/img_1.png" | tr '\000' x >"$d/garbage.cfg"
out=$(cd "$d" && "$gen" -c garbage.cfg 2>&1)
same config-garbage-refused "$?|$(echo "$out" | wc -l)|$(echo "$out" | cut -d: -f1-3)" "2|1|runja-gen: garbage.cfg:1"
if cmp -s "$d/build.ninja" "$tmp/build.before"; then pass config-build-unchanged; else fail config-build-unchanged; fi

# the crashers the fuzzers found, kept in tests/regress/: a config whose value holds a line
# break (a multi-line message before the fix) must give exit status 2 and one line
out=$(cd "$d" && "$gen" -c "$top/tests/regress/conf/newline-in-value.cfg" 2>&1)
same regress-newline-in-value "$?|$out" "2|runja-gen: newline-in-value.cfg:1: 'runs.match' has an empty, '.' or '..' component in '?/'"
for f in "$top"/tests/regress/conf/*; do
	out=$(cd "$d" && "$gen" -c "$f" 2>&1)
	same "regress-conf-${f##*/}" "$?|$(echo "$out" | wc -l)" "2|1"
done
if cmp -s "$d/build.ninja" "$tmp/build.before"; then pass regress-build-unchanged; else fail regress-build-unchanged; fi

# a template naming an unknown variable: its file and line, exit status 2, build.ninja unchanged
cp -r "$top/templates" "$tmp/tpl"
sed 's/^  nframes = {{nframes}}$/  nframes = {{nframes}}\n  x = {{x}}/' "$top/templates/ninja/run.ninja" >"$tmp/tpl/ninja/run.ninja"
line=$(grep -n '{{x}}' "$tmp/tpl/ninja/run.ninja" | cut -d: -f1)
out=$(cd "$d" && "$gen" --templates "$tmp/tpl" 2>&1; echo "status $?")
same template-unknown-variable "$(echo "$out" | grep -v 'no frames matching')" \
	"runja-gen: $(cd "$tmp/tpl" && pwd -P)/ninja/run.ninja:$line: unknown variable 'x'
status 2"
if cmp -s "$d/build.ninja" "$tmp/build.before"; then pass template-build-unchanged; else fail template-build-unchanged; fi

# max_pixels raised above what memory holds: the frame is refused with one line naming it,
# not a crash (a 141421x141421 header; the allocation fails under a 1 GB cap)
h=$tmp/huge
mkdir -p "$h/data/run_big"
/usr/bin/python3 - "$h/data/run_big/img_0.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
ihdr = struct.pack('>IIBBBBB', 141421, 141421, 8, 0, 0, 0, 0)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b'\0' * 64)) + chunk(b'IEND', b''))
PY
rawsnap "$h/data"
# (AddressSanitizer, in the sanitizer build, warns on its own lines starting "==")
msg=$(cd "$h" && memcap "$proc" --id run_big --max-pixels 30000000000 data/run_big out/run_big 2>&1)
status=$?
msg=$(echo "$msg" | grep -v '^==')
same huge-frame-out-of-memory "$status|$msg|$(ls "$h/out/run_big")" \
	"1|runja-process: run_big/img_0.png: not enough memory for a 141421x141421 frame|error.txt"

finish
