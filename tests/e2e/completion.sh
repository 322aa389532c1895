# The bash completion of runja-gen (tools/runja-gen.bash, installed to
# DATADIR/bash-completion/completions/runja-gen): its options, as --help lists them, and
# the tree's run ids after --retry and --rerun, driven as bash drives it.
. tests/lib.sh

command -v bash >/dev/null 2>&1 || { echo "SKIP completion: no bash"; exit 0; }
d=$tmp/tree
"$synth" --runs 3 --frames 2 --size 16x12 --nested "$d/data" >/dev/null || exit 1
# a run whose id needs quoting on a command line
cp -R "$d/data/2026-04/run_001" "$d/data/2026-04/run_0 b"
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["*/run_*"]; };
CFG
rawsnap "$d/data"
(cd "$d" && "$gen" >/dev/null) || exit 1

# complete DIR WORD...: the completions when the cursor is at the end of the last WORD,
# in DIR, sorted, one line
complete1() {
	dir=$1
	shift
	(cd "$dir" && bash -c '
		. "$0"
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_runja_gen
		printf "%s\n" "${COMPREPLY[@]}"' "$top/tools/runja-gen.bash" "$@") | LC_ALL=C sort | tr '\n' ' '
}

same complete-registered "$(bash -c '. tools/runja-gen.bash; complete -p runja-gen')" "complete -F _runja_gen runja-gen"
same options-re "$(complete1 "$d" "$gen" --re)" "--rerun --retry "
# every long option of --help, and nothing else
same options-all "$(complete1 "$d" "$gen" --)" \
	"$("$gen" --help | grep -o -- '^ *\(-[a-z], \)\{0,1\}--[a-z-]*' | sed "s/.*--/--/" | LC_ALL=C sort | tr '\n' ' ')"
same backend "$(complete1 "$d" "$gen" --backend m)" "make "
same retry-ids "$(complete1 "$d" "$gen" --retry '')" '2026-03/run_000 2026-03/run_002 2026-04/run_001 2026-04/run_0\ b all '
same rerun-prefix "$(complete1 "$d" "$gen" --rerun 2026-04/)" '2026-04/run_001 2026-04/run_0\ b '
same retry-equals "$(complete1 "$d" "$gen" --retry = 2026-03)" "2026-03/run_000 2026-03/run_002 "
# from elsewhere, the runs of the configuration -c names
same retry-config "$(complete1 "$tmp" "$gen" -c tree/runja.cfg --rerun 2026-03/run_00)" "2026-03/run_000 2026-03/run_002 "
same retry-config-equals "$(complete1 "$tmp" "$gen" --config = tree/runja.cfg --retry a)" "all "
# no configuration there: only "all", and no message
same retry-no-config "$(complete1 "$tmp" "$gen" --retry '' 2>&1)" "all "

finish
