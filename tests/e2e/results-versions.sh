# Results versions (specresults; common/versions.c, each op's in process/ops/NAME.c): a
# run's command line carries the versions of what computes its results, so one of them
# must change whenever the results do. Every op and every product, on every PNG kind
# tests/synth makes: the outputs of runja-process, each hashed, against the table
# tests/golden/results.tsv (token <TAB> case <TAB> sha256). An output that changed while
# the token of its run did not fails and says which version to bump; a token that
# changed (a version bumped) fails until the table is refreshed:
#   UPDATE=1 sh tests/e2e/results-versions.sh     the rows whose token changed, new cases
#   UPDATE=all sh tests/e2e/results-versions.sh   every row (the test's own inputs changed)
# A PNG is hashed by its chunks with the image data inflated, not by its compressed
# bytes (those are the linked zlib's); summary.json without its argv (the command line).
. tests/lib.sh

golden=$top/tests/golden/results.tsv
d=$tmp/rv
tab=$(printf '\t')

# one case per op (none: no op), at least one for each op of process/ops/
opcases='none
background:frames=3,method=median
background:frames=2,method=mean
background:file=bg.png
blur:sigma=1.5
crop:x=3,y=2,width=20,height=14
downsample:factor=3
invert
median:radius=1
scale:gain=1.7,offset=-0.2
threshold:level=0.5'
# every kind tests/synth makes; KIND-interlaced, KIND-channel-C (RGB read through channel C)
kinds='gray1 gray2 gray4 gray8 gray16 graya8 graya16 rgb8 rgb16 rgba8 rgba16 palette gray8-interlaced rgba16-interlaced rgb8-channel-b'
# every product, and .npy beside each image
prods='--npy --product mean --product std --product min --product max --product stats --product timestack:row=5 --product front:level=0.5,from=left'

missing=
for f in process/ops/*.c; do
	name=$(basename "$f" .c)
	printf '%s\n' "$opcases" | grep -q "^$name\(:\|$\)" || missing="$missing $name"
done
same results-every-op-has-a-case "${missing# }" ""

for k in $kinds; do
	set -- --kind "${k%%-*}"
	case $k in *-interlaced) set -- "$@" --interlace ;; esac
	"$synth" --runs 1 --frames 4 --size 32x24 "$@" "$d/data/$k" >/dev/null || exit 1
	cp "$d/data/$k/run_000/img_3.png" "$d/data/$k/run_000/bg.png"
done
rawsnap "$d/data"

# token ARGS...: the token of runja-process with these ops and products, from its refusal of another
token() {
	"$proc" --results '?' "$@" "$d/data/gray8/run_000" "$d/refused" 2>&1 |
		sed -n "s/^runja-process: --results '?' is not what this runja-process computes ('\(.*\)'); regenerate the build file with runja-gen$/\1/p"
}

# refused: exit status 2, one line naming both tokens, nothing written
out=$("$proc" --results d0.sum0 --op blur:sigma=1 "$d/data/gray8/run_000" "$d/refused" 2>&1)
same results-refused "$?|$out|$([ -e "$d/refused" ] && echo written)" \
	"2|runja-process: --results 'd0.sum0' is not what this runja-process computes ('$(token --op blur:sigma=1)'); regenerate the build file with runja-gen|"

: >"$d/files"
bad=
for op in $opcases; do
	if [ "$op" = none ]; then set --; else set -- --op "$op"; fi
	# shellcheck disable=SC2086
	tok=$(token $prods "$@")
	[ -n "$tok" ] || bad="$bad $op:no-token"
	for k in $kinds; do
		ch=
		case $k in *-channel-*) ch="--channel ${k##*-}" ;; esac
		o=$d/out/$op/$k
		# shellcheck disable=SC2086
		"$proc" --id run --frames 'img_*.png' --results "$tok" $ch $prods "$@" "$d/data/$k/run_000" "$o" \
			>"$d/log" 2>&1 || bad="$bad $op/$k:$(head -n 1 "$d/log")"
		for f in $(ls "$o"); do
			printf '%s\t%s %s %s\t%s\n' "$tok" "$op" "$k" "$f" "$o/$f" >>"$d/files"
		done
	done
done
same results-accepted-and-run "${bad# }" ""
same results-outputs "$(wc -l <"$d/files")" $(($(printf '%s\n' "$opcases" | wc -l) * $(echo $kinds | wc -w) * 13))

# token <TAB> case <TAB> sha256 of each output
python3 - "$d/files" >"$d/results.tsv" <<'PY'
import hashlib, re, struct, sys, zlib

def digest(path):
    b = open(path, 'rb').read()
    if path.endswith('.json'):
        b = re.sub(rb'\n  "argv": \[.*?\n  \]', b'', b, flags=re.S)
    elif path.endswith('.png'):
        # the chunks in order, IDAT's data inflated as one: what libpng and zlib compress is not runja's
        out, idat, i = [b[:8]], b'', 8
        while i < len(b):
            n, = struct.unpack('>I', b[i:i + 4])
            kind, data = b[i + 4:i + 8], b[i + 8:i + 8 + n]
            i += 12 + n
            if kind == b'IDAT':
                idat += data
                continue
            if idat:
                out.append(b'IDAT' + zlib.decompress(idat))
                idat = b''
            out.append(kind + data)
        b = b''.join(struct.pack('>I', len(c)) + c for c in out)
    return hashlib.sha256(b).hexdigest()

for line in open(sys.argv[1]):
    token, case, path = line.rstrip('\n').split('\t')
    print('%s\t%s\t%s' % (token, case, digest(path)))
PY

# compare with the table: a "bump" line for each output that changed under the same token
# (with what to bump, from what the changes have in common), a "refresh" line for the rest
g=$golden
[ -f "$g" ] || g=/dev/null
awk -F'\t' '
	FILENAME == ARGV[1] { gtok[$2] = $1; gsha[$2] = $3; next }
	{
		cur[$2] = 1
		if (!($2 in gtok)) { count("outputs the table does not hold"); next }
		if ($3 == gsha[$2] && $1 == gtok[$2]) next
		if ($1 != gtok[$2]) { count("outputs of " gtok[$2] " now of " $1); next }
		split($2, c, " ")
		u[++nu] = $2; uop[nu] = c[1]; ukind[nu] = c[2]; ufile[nu] = c[3]
		sub(/:.*/, "", uop[nu])
	}
	# count WHAT: one more of the rows to refresh, by what
	function count(what) { if (!(what in nrefresh)) refresh[++nr] = what; nrefresh[what]++ }
	function product(f) { sub(/\..*/, "", f); return f == "summary" ? "sum" : f }
	function all(a, v,   i) { for (i = 1; i <= nu; i++) if (a[i] != v) return 0; return 1 }
	# who to bump for the changes, and where: one op, one kind (the decoder), one product, one writer
	function who(   i, p, np, ext) {
		if (all(uop, uop[1]) && uop[1] != "none") { where = "process/ops/" uop[1] ".c"; return uop[1] "'"'"'s version" }
		if (all(ukind, ukind[1])) { where = "VDECODE in common/versions.c"; return "the decoder'"'"'s version" }
		for (i = 1; i <= nu; i++)
			if (ufile[i] != "summary.json" && !(product(ufile[i]) in seen)) { seen[product(ufile[i])] = 1; p = product(ufile[i]); np++ }
		if (np <= 1) {
			p = np ? p : "sum"
			where = "V" toupper(p == "sum" ? "summary" : p) " in common/versions.c"
			return (p == "sum" ? "summary.json" : p) "'"'"'s version"
		}
		for (i = 1; i <= nu; i++) ext[ufile[i] ~ /\.png$/ ? "png" : ufile[i] ~ /\.npy$/ ? "npy" : "other"] = 1
		if (("png" in ext) + ("npy" in ext) + ("other" in ext) == 1 && !("other" in ext)) {
			p = "png" in ext ? "png" : "npy"
			where = "V" toupper(p) " in common/versions.c"
			return "the " toupper(p) " writer'"'"'s version"
		}
		where = "the version of the code that changed: process/ops/NAME.c or common/versions.c"
		return "no version"
	}
	END {
		for (k in gtok) if (!(k in cur)) count("rows of outputs no case makes now")
		if (nu) w = who()
		for (i = 1; i <= nu && i <= 10; i++) {
			split(u[i], c, " ")
			printf "bump\t%s of %s on %s changed but %s did not: bump it (%s)\n", c[3], c[1], c[2], w, where
		}
		if (nu > 10) printf "bump\t... %d outputs in all\n", nu
		for (i = 1; i <= nr; i++) printf "refresh\t%d %s\n", nrefresh[refresh[i]], refresh[i]
	}' "$g" "$d/results.tsv" >"$d/diff"

bumps=$(sed -n "s/^bump$tab//p" "$d/diff")
refresh=$(sed -n "s/^refresh$tab//p" "$d/diff")
howto='refresh the table: UPDATE=1 sh tests/e2e/results-versions.sh'
if [ -n "$bumps" ]; then
	fail results-versions
	printf '%s\n' "$bumps" "then $howto (UPDATE=all when the test's own inputs changed: tests/synth)" | sed 's/^/  /'
else
	pass results-versions
fi
case $UPDATE in
all) cp "$d/results.tsv" "$golden" && pass results-table-updated ;;
'')
	if [ -n "$refresh" ]; then
		fail results-table-current
		printf '%s\n' "$refresh" "the table is not current: $howto" | sed 's/^/  /'
	else
		pass results-table-current
	fi
	;;
*) [ -n "$bumps" ] || { cp "$d/results.tsv" "$golden" && pass results-table-updated; } ;;
esac

finish
