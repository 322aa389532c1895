# Helpers for the end-to-end tests: sourced by each tests/e2e/*.sh, run from the top
# of the build tree. Each check prints "PASS name" or "FAIL name" (tests/run.sh counts).

top=$(pwd)
gen=$top/runja-gen
proc=$top/runja-process
synth=$top/tests/synth
tmp=$(mktemp -d "${TMPDIR:-/tmp}/runja-e2e.XXXXXX") || exit 1
# KEEP=1 keeps the folder, to look at after a failure
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
failed=0

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

# settle: let the clock move past the file system's timestamp granularity
settle() {
	sleep 0.05
}

# copyprograms: copy runja-gen, runja-process and the templates to $tmp/bin and use the
# copies, so a test can touch "the program" and a rebuild meanwhile changes nothing
copyprograms() {
	bin=$tmp/bin
	mkdir -p "$bin"
	cp "$gen" "$proc" "$bin/" && cp -R "$top/templates" "$bin/" || exit 1
	gen=$bin/runja-gen
	proc=$bin/runja-process
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

finish() {
	exit "$failed"
}
