# A run's heap in transparent huge pages (README "Cores and threads"): runja-process
# starts its attempt with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, added to what the
# variable already says, never over a glibc.malloc.hugetlb it names; through a
# launcher too; doing the work itself (by hand without OUT, or jobs.retries = 0) it
# starts itself again with it, once; a command's program (after the pipeline) gets
# nothing of it; the products are the same bytes either way. Where the kernel gives
# transparent huge pages (and no sanitizer's allocator replaces glibc's), the run's
# memory is in them. RUNJA_DEBUG=heap makes runja-process say what GLIBC_TUNABLES the
# process doing the work started with (/proc/self/environ) and how much it got.
. tests/lib.sh

unset GLIBC_TUNABLES
d=$tmp/heap
mkdir -p "$d/data"
"$synth" --runs 1 --frames 6 --size 1024x768 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
pipeline = ( { op = "crop"; x = 0; y = 200; width = 1024; height = 300; },
             { op = "background"; frames = 5; method = "median"; }, { op = "blur"; sigma = 2.0; } );
products = { mean = true; std = true; max = true; timestack = { row = 150; }; };
CFG
(cd "$d" && "$gen" >/dev/null) || exit 1

# heaprun NAME [VAR=VALUE]: process the run again (its results removed), with RUNJA_DEBUG=heap
# and the environment given, its log in $tmp/NAME; prints what it said of its heap
heaprun() {
	name=$1
	shift
	rm -rf "$d/out/run_000"
	(cd "$d" && env RUNJA_DEBUG=heap "$@" ninja -j1) >"$tmp/$name" 2>&1
	said "$tmp/$name" run_000
}
# said LOG ID: the GLIBC_TUNABLES the process that did run ID's work started with, as it said
said() {
	sed -n "s|^runja-process: $2: started with \(GLIBC_TUNABLES=.*\), [0-9-]* KiB in huge pages\$|\1|p" "$1"
}
# kib LOG [ID]: the KiB of its memory in huge pages, as it said
kib() {
	sed -n "s|^runja-process: ${2:-run_000}: started with GLIBC_TUNABLES=.*, \([0-9-]*\) KiB in huge pages\$|\1|p" "$tmp/$1"
}

same default "$(heaprun default)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
(cd "$d/out/run_000" && cat mean.npy std.npy max.npy timestack.npy mean.png std.png max.png timestack.png) >"$tmp/on.bytes"
same appended "$(heaprun appended GLIBC_TUNABLES=glibc.malloc.arena_max=8)" \
	"GLIBC_TUNABLES=glibc.malloc.arena_max=8:glibc.malloc.hugetlb=1"
same kept-off "$(heaprun off GLIBC_TUNABLES=glibc.malloc.hugetlb=0)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=0"
(cd "$d/out/run_000" && cat mean.npy std.npy max.npy timestack.npy mean.png std.png max.png timestack.png) >"$tmp/off.bytes"
if cmp -s "$tmp/on.bytes" "$tmp/off.bytes" && [ -s "$tmp/on.bytes" ]; then pass same-products; else fail same-products; fi
same kept-other "$(heaprun other GLIBC_TUNABLES=glibc.malloc.arena_max=8:glibc.malloc.hugetlb=0)" \
	"GLIBC_TUNABLES=glibc.malloc.arena_max=8:glibc.malloc.hugetlb=0"

# by hand, no OUT: the work in this process, so it starts again with the tunable (once)
rm -rf "$tmp/hand"
(cd "$d" && RUNJA_DEBUG=heap "$proc" --product mean --product std data/run_000 "$tmp/hand") >"$tmp/hand.log" 2>&1
same by-hand "$?|$(said "$tmp/hand.log" data/run_000)" "0|GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
rm -rf "$tmp/hand"
(cd "$d" && GLIBC_TUNABLES=glibc.malloc.hugetlb=0 RUNJA_DEBUG=heap "$proc" --product mean --product std data/run_000 "$tmp/hand") >"$tmp/hand0.log" 2>&1
same by-hand-kept-off "$?|$(said "$tmp/hand0.log" data/run_000)" "0|GLIBC_TUNABLES=glibc.malloc.hugetlb=0"
# no launcher and no retries: the step does the work itself, started again with it
printf 'jobs = { retries = 0; };\n' >>"$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null) || exit 1
same no-retries "$(heaprun noretries)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
sed -i '/^jobs = /d' "$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null) || exit 1
# OUT/.runja/jobs unreadable: no launcher, no retries, as it says once (not again once
# started again); the run's command as ninja has it, run by itself (ninja's regeneration
# would write the file anew)
cmd=$(cd "$d" && ninja -t commands | grep -e '--id run_000 ' | tail -1)
cp "$d/out/.runja/jobs" "$tmp/jobs.good"
echo 'not a jobs file' >"$d/out/.runja/jobs"
rm -rf "$d/out/run_000"
(cd "$d" && RUNJA_DEBUG=heap sh -c "$cmd") >"$tmp/badjobs" 2>&1
same bad-jobs "$?|$(said "$tmp/badjobs" run_000)" "0|GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
same bad-jobs-said-once "$(grep -c 'running the run without a launcher or retries$' "$tmp/badjobs")" 1
cp "$tmp/jobs.good" "$d/out/.runja/jobs"

# the pages themselves: 4 MiB and more of a run like this one's in huge pages
thp=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)
if sanitized; then
	echo "SKIP huge-pages: a sanitizer's allocator replaces glibc's (the plain build runs this check)"
elif ! echo "$thp" | grep -q -e '\[always\]' -e '\[madvise\]'; then
	echo "SKIP huge-pages: this kernel gives no transparent huge pages (transparent_hugepage/enabled: ${thp:-missing})"
else
	k=$(kib default)
	if [ -n "$k" ] && [ "$k" -ge 4096 ]; then pass huge-pages; else fail huge-pages "AnonHugePages: ${k:-none} KiB"; fi
	k=$(kib hand.log data/run_000)
	if [ -n "$k" ] && [ "$k" -ge 4096 ]; then pass huge-pages-by-hand; else fail huge-pages-by-hand "AnonHugePages: ${k:-none} KiB"; fi
fi

# through a launcher: it starts the attempt with the variable already set
cat >"$d/launch.sh" <<SH
#!/bin/sh
printf '%s\n' "\${GLIBC_TUNABLES-unset}" >>"$tmp/launched"
exec "\$@"
SH
printf 'jobs = { launcher = "sh %s"; };\n' "$d/launch.sh" >>"$d/runja.cfg"
heaprun launcher >/dev/null
same launcher "$(cat "$tmp/launched")" "glibc.malloc.hugetlb=1"

# a command after the pipeline: its program's environment is its own
cat >"$d/prog.sh" <<'SH'
#!/bin/sh
printf '%s\n' "${GLIBC_TUNABLES-unset}" >"$2/tunables.txt"
SH
chmod +x "$d/prog.sh"
sed -i '/^jobs = /d' "$d/runja.cfg"
printf 'command = { run = ["./prog.sh", "{pipeline}", "{out}"]; after_pipeline = true; };\n' >>"$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null) || exit 1
same command-pipeline "$(heaprun command)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
same command-own "$(cat "$d/out/run_000/command/tunables.txt" 2>&1)" "unset"

finish
