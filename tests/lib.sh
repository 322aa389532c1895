# Helpers for the end-to-end tests: sourced by each tests/e2e/*.sh, run from the top
# of the build tree. Each check prints "PASS name" or "FAIL name" (tests/run.sh counts).

top=$(pwd)
gen=$top/runja-gen
proc=$top/runja-process
runexec=$top/runja-exec
runreport=$top/runja-report
synth=$top/tests/synth
tmp=$(mktemp -d "${TMPDIR:-/tmp}/runja-e2e.XXXXXX") || exit 1
# KEEP=1 keeps the folder, to look at after a failure
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
failed=0
# token: a number of this script's own, put into the command lines of the processes it
# starts (sleep 30.1TOKEN), so that looking for them never finds another test's
token=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')

pass() { echo "PASS $1"; }
fail() {
	echo "FAIL $1"
	shift
	for line; do printf '  %s\n' "$line"; done
	failed=1
}

# same NAME ACTUAL EXPECTED: pass when equal
same() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got:      $2" "expected: $3"
	fi
}

# processed LOG: the run ids ninja processed, sorted, one line
processed() {
	sed -n 's/^\[[0-9]*\/[0-9]*\] PROCESS \(.*\) ([0-9]* frames)$/\1/p' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}

# snapshot OUT FILE: the inode of every run's summary.json (renamed in when a run is rewritten)
snapshot() {
	(cd "$1" && find . -name summary.json -path './*/*' -exec stat -c '%i %n' {} + | sort -k2) >"$2"
}

# rewritten BEFORE AFTER: the ids whose summary.json was replaced or appeared, sorted
rewritten() {
	join -1 2 -2 2 -a 2 -o 2.2,1.1,2.1 "$1" "$2" | awk '$2 != $3 { sub("^\\./", "", $1); sub("/summary.json$", "", $1); print $1 }' |
		sort | tr '\n' ' ' | sed 's/ $//'
}

# build DIR LOG: run ninja in DIR (-j2), output to LOG; returns ninja's status
build() {
	(cd "$1" && ninja -j2) >"$2" 2>&1
}

# reframe FRAME...: give each PNG frame new bytes of the same size (a new synthetic image),
# as a frame rewritten in place; a touch alone is no change (runja compares the bytes)
reframe() {
	for f; do
		reframes=$((${reframes:-0} + 1))
		wh=$(od -An -tu1 -j16 -N8 "$f" | awk '{ print ($1 * 16777216 + $2 * 65536 + $3 * 256 + $4) "x" ($5 * 16777216 + $6 * 65536 + $7 * 256 + $8) }')
		"$synth" --runs 1 --frames 1 --size "$wh" --seed $((reframes + 1000)) "$tmp/reframe.$reframes" >/dev/null &&
			cp "$tmp/reframe.$reframes/run_000/img_0.png" "$f" && rm -rf "$tmp/reframe.$reframes" || exit 1
	done
}

# settle: let the clock move past the file system's timestamp granularity
settle() {
	sleep 0.05
}

# ninjaof PID: the ninja that the background job PID started, as in
# `( (cd DIR && setsid ninja) >LOG 2>&1; ...) &`: PID itself or a descendant up to 3 levels
# down; nothing (status 1) when it is not running (any more). Looks at no other process.
ninjaof() {
	ninjakids=$1
	for ninjadepth in 0 1 2 3; do
		ninjanext=
		for ninjap in $ninjakids; do
			[ "$(cat "/proc/$ninjap/comm" 2>/dev/null)" = ninja ] && { echo "$ninjap"; return 0; }
			ninjanext="$ninjanext $(pgrep -P "$ninjap")"
		done
		ninjakids=$ninjanext
	done
	return 1
}

# copyprograms: copy the four programs, the templates and warm.py to $tmp/bin and use the
# copies, so a test can touch "the program" and a rebuild meanwhile changes nothing
copyprograms() {
	bin=$tmp/bin
	mkdir -p "$bin/exec"
	cp "$gen" "$proc" "$runexec" "$runreport" "$bin/" && cp -R "$top/templates" "$bin/" &&
		cp "$top/exec/warm.py" "$bin/exec/" || exit 1
	gen=$bin/runja-gen
	proc=$bin/runja-process
	runexec=$bin/runja-exec
	runreport=$bin/runja-report
}

# sanitized: true when the programs were built with ./configure --enable-sanitize
sanitized() {
	grep -q '^SANITIZE = -f' "$top/config.mk" 2>/dev/null
}

# memcap CMD...: run CMD with allocations capped near 1 GB: an address-space limit, or
# under AddressSanitizer (which reserves terabytes of address space) its own cap
memcap() {
	if sanitized; then
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}max_allocation_size_mb=1000:allocator_may_return_null=1" "$@"
	else
		(ulimit -v 1000000 && "$@")
	fi
}

# exact DIR: every path under DIR with its size, mtime and inode, then every file's
# md5sum, to tell "byte for byte as it was" (an entry added and removed changes a folder's mtime)
exact() {
	(cd "$1" && find . -printf '%p %s %T@ %i\n' | sort && find . -type f -exec md5sum {} + | sort)
}

# Raw data is never written to. rawsnap records a data tree; finish checks every recorded
# tree once more, so a test cannot forget it.
#
# rawsnap DIR [EXCLUDE...]: record DIR and everything under it, hidden entries too: each
#   one's path relative to DIR, type, size, mode, mtime (with nanoseconds), a link's
#   target and a file's md5sum (in $tmp/raw), and register DIR for the check at finish.
#   EXCLUDE: paths relative to DIR (find -path patterns, e.g. out or 'build.*') left out
#   with everything under them, for a build folder that is also the data root:
#   `rawsnap "$d" $rawbuild`. A folder holding an excluded path is recorded without its
#   size and mtime (they change when those files are written); its entries still are.
#   Calling rawsnap DIR again records DIR's present state (the same exclusions unless
#   others are given): a test that changes its data on purpose (adds, rewrites or removes
#   a frame or a run, touches or chmods one) calls `rawcheck DIR NAME` before the change
#   when something ran since the last record, and `rawsnap DIR` right after it.
# rawcheck DIR [NAME]: PASS raw-unchanged-NAME when DIR is as last recorded, else FAIL
#   and the diff (< recorded, > now). NAME defaults to DIR relative to $tmp.
# rawbuild: the files runja-gen, ninja and make write in a build folder, to exclude
rawbuild='runja.cfg build.ninja Makefile .runja .ninja_log .ninja_deps out'

# rawkey DIR: the name of DIR's record in $tmp/raw
rawkey() {
	printf '%s' "${1%/}" | md5sum | cut -c1-16
}

# rawlines: NUL-terminated records on stdin as lines, each \ and line break escaped
rawlines() {
	sed -z 's/\\/\\\\/g; s/\n/\\n/g' | tr '\0' '\n'
}

# rawlist DIR [EXCLUDE...]: the listing rawsnap records, sorted, on stdout
rawlist() {
	(
		cd "$1" || exit 1
		shift
		parents=
		n=$#
		for x; do
			set -- "$@" -o -path "./$x"
			parents="$parents$(dirname "./$x")
"
		done
		shift "$n"
		if [ $# -gt 0 ]; then
			shift
			set -- \( "$@" \) -prune -o
		fi
		# one line an entry: a backslash or line break in a name written as \\ or \n
		find . "$@" -type f -print0 | xargs -0r md5sum -z | rawlines >"$tmp/raw/md5"
		find . "$@" -printf '%p\t%y\t%s\t%m\t%T@\t%l\0' | rawlines |
			awk -F'\t' -v OFS='\t' -v parents="$parents" -v md5="$tmp/raw/md5" '
				BEGIN {
					n = split(parents, p, "\n")
					for (i = 1; i <= n; i++) if (p[i] != "") skip[p[i]] = 1
					while ((getline line <md5) > 0) sum[substr(line, 35)] = substr(line, 1, 32)
				}
				{
					if ($1 in skip) $3 = $5 = "-"
					$6 = $2 == "f" ? sum[$1] : $2 == "l" ? "-> " $6 : "-"
					print
				}' |
			LC_ALL=C sort
	)
}

# rawlisted DIR: rawlist DIR with the exclusions recorded for it
rawlisted() {
	(
		IFS='
'
		set -f
		rawlist "$1" $(cat "$tmp/raw/$(rawkey "$1").exclude")
	)
}

rawsnap() {
	mkdir -p "$tmp/raw"
	rawd=${1%/}
	rawk=$(rawkey "$rawd")
	shift
	grep -q "^$rawk	" "$tmp/raw/dirs" 2>/dev/null || printf '%s\t%s\n' "$rawk" "$rawd" >>"$tmp/raw/dirs"
	[ $# -eq 0 ] || printf '%s\n' "$@" >"$tmp/raw/$rawk.exclude"
	[ -e "$tmp/raw/$rawk.exclude" ] || : >"$tmp/raw/$rawk.exclude"
	rawlisted "$rawd" >"$tmp/raw/$rawk.list" || fail "rawsnap-${rawd#"$tmp"/}" "cannot list $rawd"
}

rawcheck() {
	rawk=$(rawkey "$1")
	rawn=${2:-${1#"$tmp"/}}
	rawn=${rawn%/}
	if [ ! -e "$tmp/raw/$rawk.list" ]; then
		fail "raw-unchanged-$rawn" "$1 was never recorded (rawsnap)"
	elif rawlisted "$1" >"$tmp/raw/$rawk.now" 2>&1 && diff "$tmp/raw/$rawk.list" "$tmp/raw/$rawk.now" >"$tmp/raw/$rawk.diff"; then
		pass "raw-unchanged-$rawn"
	else
		diff "$tmp/raw/$rawk.list" "$tmp/raw/$rawk.now" >"$tmp/raw/$rawk.diff"
		fail "raw-unchanged-$rawn" "${1%/} changed (< recorded, > now):"
		sed 's/^/    /' "$tmp/raw/$rawk.diff"
	fi
}

finish() {
	if [ -f "$tmp/raw/dirs" ]; then
		while IFS='	' read -r rawk rawd; do
			rawcheck "$rawd" </dev/null
		done <"$tmp/raw/dirs"
	fi
	exit "$failed"
}
