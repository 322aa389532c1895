# Room on the output file system (common/space.c): with the output folder on a 1 MB tmpfs
# filled up, a run whose products do not fit fails at once, before writing, with one line
# naming the room it needs and the room there is, keeps its previous products byte for
# byte, writes its failure record and a ledger line of status 75 (a transient failure;
# runja-process and runja-exec exit 75 without --keep-going); once there is room again
# the next build processes it. The same for a command's run.
. tests/lib.sh

d=$tmp/space
mkdir -p "$d/out"
if ! mount -t tmpfs -o size=1m runja-space "$d/out" 2>"$tmp/mount.err"; then
	echo "SKIP space: cannot mount a tmpfs on the output folder ($(head -1 "$tmp/mount.err")); needs root"
	finish
fi
trap 'umount "$d/out" 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
"$synth" --runs 1 --frames 4 --size 64x48 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"

# fill DIR: a file DIR/filler that leaves 8 blocks (of 4 KiB) of DIR's file system free
fill() {
	dd if=/dev/zero of="$1/filler" bs=4096 count=$(($(stat -f -c '%a' "$1") - 8)) 2>/dev/null
	same "$2-filled" "$(stat -f -c '%a %S' "$1")" "8 4096"
}
# products DIR: every file in DIR but the records of an attempt (and of what the results
# were made from), with size, mtime, inode and md5sum
products() {
	(cd "$1" && find . -type f ! -name summary.json ! -name error.txt ! -name .runja.done ! -name .runja.inputs -printf '%p %s %T@ %i ' \
		-exec md5sum {} \; | sort)
}
# refused NAME LOG LINE [KIB]: LOG holds LINE, whose free figure F is within 8 KiB of KIB,
# what was free before the build (32: what fill leaves); the attempt may free summary.json first
refused() {
	msg=$(grep -F 'not enough space' "$2")
	same "$1-message" "$(echo "$msg" | sed 's/), [0-9.]* KiB free$/), F KiB free/')" "$3"
	same "$1-free-figure" "$(echo "$msg" | sed -n 's/.*), \([0-9.]*\) KiB free$/\1/p' |
		awk -v k="${4:-32}" '{ print ($1 >= k - 8 && $1 <= k + 8) }')" 1
}

# --- the pipeline: mean, std, max (PNG and .npy), a time stack, stats.csv
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
products = { mean = true; std = true; max = true; stats = true; timestack = { row = 10; }; };
jobs = { retries = 0; };  # a passing failure, not tried again here (tests/e2e/retries.sh)
CFG
(cd "$d" && "$gen" >/dev/null && ninja) >"$tmp/b1.log" 2>&1
same first-build "$?|$(processed "$tmp/b1.log")" "0|run_000"
products "$d/out/run_000" >"$tmp/before"
fill "$d/out" pipeline
# a parameter that does not change the products' size: the run reruns
sed -i 's/^products/output = { png_compression = 4; };\nproducts/' "$d/runja.cfg"
(cd "$d" && ninja) >"$tmp/b2.log" 2>&1
same full-build-fails "$?|$(processed "$tmp/b2.log")" "1|run_000"
# three images of 8 + 16 KiB (PNG, .npy), the time stack 4 + 4, stats.csv 4, summary.json 12, the depfile 4
refused refused "$tmp/b2.log" \
	"runja-process: run_000: not enough space in out/run_000/: needs 120 KiB (products 100 KiB + 20 % margin), F KiB free"
same refused-one-line "$(grep -c '^runja-process: ' "$tmp/b2.log")" 1
products "$d/out/run_000" >"$tmp/after"
# 9 products, the depfile (ninja reads it where it is) and the per-frame record .runja.frames
same refused-products-kept "$(diff "$tmp/before" "$tmp/after" && wc -l <"$tmp/after")" 11
same refused-no-summary-no-tmp "$(cd "$d/out/run_000" && ls -A summary.json ./*.tmp .*.tmp 2>/dev/null)" ""
same refused-failure-record "$(cat "$d/out/run_000/error.txt")" "$(echo "$msg" | sed 's/^runja-process: //')"
same refused-ledger "$(tail -1 "$d/out/.runja/ledger.tsv" | cut -f1,6,9)" "run_000	75	${msg#runja-process: }"
# by hand, without --keep-going: exit status 75, a transient failure
cmd=$(cd "$d" && ninja -t commands out/run_000/summary.json | tail -1 | sed 's/ --keep-going / /')
(cd "$d" && eval "$cmd") >"$tmp/hand.log" 2>&1
same refused-exit-75 "$?|$(grep -c 'not enough space' "$tmp/hand.log")" "75|1"
# room again: the next build processes the run
rm "$d/out/filler"
(cd "$d" && ninja) >"$tmp/b3.log" 2>&1
same room-build "$?|$(processed "$tmp/b3.log")" "0|run_000"
same room-results "$(ls "$d/out/run_000" | tr '\n' ' ')" \
	"max.npy max.png mean.npy mean.png stats.csv std.npy std.png summary.json timestack.npy timestack.png "
same room-ledger "$(tail -1 "$d/out/.runja/ledger.tsv" | cut -f1,6)" "run_000	0"

# --- a command: its estimate is the room its previous results take; with none yet,
# RUNJA_COMMAND_SPACE or 1 MiB
c=$d/out/cmd
cat >"$d/big.sh" <<'SH'
#!/bin/sh
head -c 204800 /dev/zero >"$1/result.bin"
SH
chmod +x "$d/big.sh"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
output = { dir = "out/cmd"; };
command = { run = ["./big.sh", "{out}"]; params = { x = 1; }; };
jobs = { retries = 0; };
CFG
(cd "$d" && "$gen" >/dev/null)
kib=$(($(stat -f -c '%a' "$d/out") * 4))
(cd "$d" && ninja) >"$tmp/c0.log" 2>&1
refused command-default "$tmp/c0.log" \
	"runja-exec: run_000: not enough space in out/cmd/run_000/: needs 1.2 MiB (products 1.0 MiB + 20 % margin), F KiB free" \
	"$kib"
(cd "$d" && RUNJA_COMMAND_SPACE=300K ninja) >"$tmp/c1.log" 2>&1
same command-first-build "$?|$(grep -c 'COMMAND run_000' "$tmp/c1.log")" "0|1"
products "$c/run_000" >"$tmp/before"
fill "$d/out" command
sed -i 's/x = 1;/x = 2;/' "$d/runja.cfg"
(cd "$d" && ninja) >"$tmp/c2.log" 2>&1
same command-full-build-fails "$?|$(grep -c 'COMMAND run_000' "$tmp/c2.log")" "1|1"
# result.bin's 200 KiB and a block each for summary.json, the depfile and .runja.inputs (runja.log is empty)
refused command-refused "$tmp/c2.log" \
	"runja-exec: run_000: not enough space in out/cmd/run_000/: needs 254 KiB (products 212 KiB + 20 % margin), F KiB free"
products "$c/run_000" >"$tmp/after"
same command-refused-results-kept "$(diff "$tmp/before" "$tmp/after" && grep -c result.bin "$tmp/after")" 1
same command-refused-failure-record "$(cat "$c/.runja/failed/run_000/error.txt")" "${msg#runja-exec: }"
same command-refused-ledger "$(tail -1 "$c/.runja/ledger.tsv" | cut -f1,6,9)" "run_000	75	${msg#runja-exec: }"
cmd=$(cd "$d" && ninja -t commands "$c/run_000/.runja.done" 2>/dev/null | tail -1)
[ -n "$cmd" ] || cmd=$(cd "$d" && ninja -t commands out/cmd/run_000/.runja.done | tail -1)
(cd "$d" && eval "$(echo "$cmd" | sed 's/ --keep-going / /')") >"$tmp/hand.log" 2>&1
same command-refused-exit-75 "$?|$(grep -c 'not enough space' "$tmp/hand.log")" "75|1"
rm "$d/out/filler"
(cd "$d" && ninja) >"$tmp/c3.log" 2>&1
same command-room-build "$?|$(grep -c 'COMMAND run_000' "$tmp/c3.log")|$(ls -A "$c/.runja/failed")" "0|1|"
same command-room-ledger "$(tail -1 "$c/.runja/ledger.tsv" | cut -f1,6)" "run_000	0"

umount "$d/out"
finish
