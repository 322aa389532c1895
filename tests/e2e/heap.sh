# A run's heap in transparent huge pages (README "Cores and threads"): the process doing
# a run's work, an attempt forked from the run's process or that process itself (by hand
# without OUT, or jobs.retries = 0), grows its heap by what the run needs and advises it
# for huge pages itself (madvise), unless GLIBC_TUNABLES names glibc.malloc.hugetlb (left
# to glibc: =0 none, =1 glibc's own); an attempt a launcher starts gets
# GLIBC_TUNABLES=glibc.malloc.hugetlb=1, added to what the variable already says; a
# command's program (after the pipeline) gets nothing of it; the products are the same
# bytes either way. Where the kernel gives transparent huge pages (and no sanitizer's
# allocator replaces glibc's), the run's memory is in them. RUNJA_DEBUG=heap makes
# runja-process say what GLIBC_TUNABLES the process doing the work started with
# (/proc/self/environ), how much of its heap it advised and how much it got.
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
# said LOG ID: the GLIBC_TUNABLES the process that did run ID's work started with, as it
# said, and whether it advised its heap itself (advised) or not (none)
said() {
	sed -n "s|^runja-process: $2: started with \(GLIBC_TUNABLES=.*\), \([0-9]*\) MiB of heap advised, [0-9-]* KiB in huge pages\$|\1 \2|p" "$1" |
		awk '{ print $1 "|" ($2 > 0 ? "advised" : "none") }'
}
# kib LOG [ID]: the KiB of its memory in huge pages, as it said
kib() {
	sed -n "s|^runja-process: ${2:-run_000}: started with GLIBC_TUNABLES=.*, [0-9]* MiB of heap advised, \([0-9-]*\) KiB in huge pages\$|\1|p" "$tmp/$1"
}
# starts LOG: how many times runja-process was started (execve) in the strace -f log LOG
starts() {
	grep -c "^[0-9]* *execve(\"[^\"]*runja-process\", .* = 0\$" "$1"
}

# what the process doing the work says of its heap: advised, except where a sanitizer's
# allocator replaces glibc's (its blocks are no part of the heap that brk grows)
adv=advised
sanitized && adv=none
# through ninja (an attempt forked from the run's process): advised there, no second start
same default "$(heaprun default)" "GLIBC_TUNABLES=|$adv"
(cd "$d/out/run_000" && cat mean.npy std.npy max.npy timestack.npy mean.png std.png max.png timestack.png) >"$tmp/on.bytes"
rm -rf "$d/out/run_000"
# (LeakSanitizer cannot run under a tracer: off for this build, in a sanitizer build)
(cd "$d" && ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -o "$tmp/starts.trace" -e trace=execve ninja -j1) >/dev/null 2>&1
same one-start "$?|$(starts "$tmp/starts.trace")" "0|1"
same other-tunable "$(heaprun other GLIBC_TUNABLES=glibc.malloc.arena_max=8)" "GLIBC_TUNABLES=glibc.malloc.arena_max=8|$adv"
same kept-off "$(heaprun off GLIBC_TUNABLES=glibc.malloc.hugetlb=0)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=0|none"
(cd "$d/out/run_000" && cat mean.npy std.npy max.npy timestack.npy mean.png std.png max.png timestack.png) >"$tmp/off.bytes"
if cmp -s "$tmp/on.bytes" "$tmp/off.bytes" && [ -s "$tmp/on.bytes" ]; then pass same-products; else fail same-products; fi
same kept-off-other "$(heaprun offother GLIBC_TUNABLES=glibc.malloc.arena_max=8:glibc.malloc.hugetlb=0)" \
	"GLIBC_TUNABLES=glibc.malloc.arena_max=8:glibc.malloc.hugetlb=0|none"
same left-to-glibc "$(heaprun glibc GLIBC_TUNABLES=glibc.malloc.hugetlb=1)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=1|none"

# by hand, no OUT: the work in this process, advised there (started once)
rm -rf "$tmp/hand"
(cd "$d" && RUNJA_DEBUG=heap ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -o "$tmp/hand.trace" -e trace=execve \
	"$proc" --product mean --product std data/run_000 "$tmp/hand") >"$tmp/hand.log" 2>&1
same by-hand "$?|$(said "$tmp/hand.log" data/run_000)|$(starts "$tmp/hand.trace")" "0|GLIBC_TUNABLES=|$adv|1"
rm -rf "$tmp/hand"
(cd "$d" && GLIBC_TUNABLES=glibc.malloc.hugetlb=0 RUNJA_DEBUG=heap "$proc" --product mean --product std data/run_000 "$tmp/hand") >"$tmp/hand0.log" 2>&1
same by-hand-kept-off "$?|$(said "$tmp/hand0.log" data/run_000)" "0|GLIBC_TUNABLES=glibc.malloc.hugetlb=0|none"
# no launcher and no retries: the step does the work itself
printf 'jobs = { retries = 0; };\n' >>"$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null) || exit 1
same no-retries "$(heaprun noretries)" "GLIBC_TUNABLES=|$adv"
sed -i '/^jobs = /d' "$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null) || exit 1
# OUT/.runja/jobs unreadable: no launcher, no retries, as it says once; the run's command
# as ninja has it, run by itself (ninja's regeneration would write the file anew)
cmd=$(cd "$d" && ninja -t commands | grep -e '--id run_000 ' | tail -1)
cp "$d/out/.runja/jobs" "$tmp/jobs.good"
echo 'not a jobs file' >"$d/out/.runja/jobs"
rm -rf "$d/out/run_000"
(cd "$d" && RUNJA_DEBUG=heap sh -c "$cmd") >"$tmp/badjobs" 2>&1
same bad-jobs "$?|$(said "$tmp/badjobs" run_000)" "0|GLIBC_TUNABLES=|$adv"
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
same launcher-attempt "$(heaprun launcher)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=1|none"
same launcher-other "$(heaprun launcherother GLIBC_TUNABLES=glibc.malloc.arena_max=8)" \
	"GLIBC_TUNABLES=glibc.malloc.arena_max=8:glibc.malloc.hugetlb=1|none"
same launcher-kept-off "$(heaprun launcheroff GLIBC_TUNABLES=glibc.malloc.hugetlb=0)" "GLIBC_TUNABLES=glibc.malloc.hugetlb=0|none"
same launcher "$(cat "$tmp/launched")" "glibc.malloc.hugetlb=1
glibc.malloc.arena_max=8:glibc.malloc.hugetlb=1
glibc.malloc.hugetlb=0"

# a command after the pipeline: its program's environment is its own
cat >"$d/prog.sh" <<'SH'
#!/bin/sh
printf '%s\n' "${GLIBC_TUNABLES-unset}" >"$2/tunables.txt"
SH
chmod +x "$d/prog.sh"
sed -i '/^jobs = /d' "$d/runja.cfg"
printf 'command = { run = ["./prog.sh", "{pipeline}", "{out}"]; after_pipeline = true; };\n' >>"$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null) || exit 1
same command-pipeline "$(heaprun command)" "GLIBC_TUNABLES=|$adv"
same command-own "$(cat "$d/out/run_000/command/tunables.txt" 2>&1)" "unset"

finish
