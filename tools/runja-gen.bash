# bash completion for runja-gen: its options (as its --help lists them), and after
# --retry and --rerun the run ids of the tree (as runja-gen --status --json lists them)

# _runja_gen_ids PROGRAM CONFIG: the run ids, one a line
_runja_gen_ids()
{
	local cfg=()
	[[ -n $2 ]] && cfg=(-c "$2")
	"$1" "${cfg[@]}" --status --json 2>/dev/null |
		sed -n 's/^ *"run": "\(.*\)",$/\1/p' | sed 's/\\"/"/g; s/\\\\/\\/g'
}

_runja_gen()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= prog=${COMP_WORDS[0]} cfg= i w id
	local -a words=("${COMP_WORDS[@]}")

	((COMP_CWORD > 0)) && prev=${words[COMP_CWORD - 1]}
	# --retry=RUN: bash splits it into --retry, =, RUN
	if [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${words[COMP_CWORD - 2]}
	elif [[ $cur == = ]]; then
		prev=${words[COMP_CWORD - 1]}
		cur=
	fi
	# the configuration given: -c FILE, -cFILE, --config FILE, --config=FILE
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${words[i]}
		case $w in
		-c | --config) [[ ${words[i + 1]} == = ]] && cfg=${words[i + 2]} || cfg=${words[i + 1]} ;;
		-c?*) cfg=${w#-c} ;;
		esac
	done
	cfg=${cfg/#\~/$HOME}
	COMPREPLY=()
	case $prev in
	-c | --config)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--templates | --init)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	--backend)
		mapfile -t COMPREPLY < <(compgen -W "ninja make" -- "$cur")
		return
		;;
	--retry | --rerun)
		while IFS= read -r id; do
			[[ $id == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$id")")
		done < <(_runja_gen_ids "$prog" "$cfg"; echo all)
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$prog" --help 2>/dev/null |
			sed -n 's/^ \{2,\}\(-[a-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p')" -- "$cur")
	fi
}
complete -F _runja_gen runja-gen
