# The ledger and runja-gen --status after a build with a failed run.
. tests/lib.sh

d=$tmp/s
"$synth" --runs 3 --frames 4 --size 40x30 "$d/data" || exit 1
"$synth" --runs 1 --frames 4 --size 40x30 --first 3 --bad crc:3:2 "$d/data" || exit 1
rawsnap "$d/data"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; };\n' >"$d/runja.cfg"
(cd "$d" && "$gen" >/dev/null)
st=$(cd "$d" && "$gen" --status | awk '{ print $1, $2 }')
same status-before "$st" "run_000 new
run_001 new
run_002 new
run_003 new"
(cd "$d" && ninja -k 0 -j2) >"$tmp/b.log" 2>&1
same build-fails "$?" 1
same ledger-lines "$(wc -l <"$d/out/.runja/ledger.tsv")" 4
same ledger-fields "$(awk -F'\t' '{ print NF }' "$d/out/.runja/ledger.tsv" | sort -u)" 10
# the parameters key: 16 hex digits, one for the four runs of the same parameters
same ledger-one-key "$(cut -f10 "$d/out/.runja/ledger.tsv" | sort -u | grep -c '^[0-9a-f]\{16\}$')" 1
same ledger-failed "$(awk -F'\t' '$1 == "run_003" { print $6, $9 }' "$d/out/.runja/ledger.tsv")" "1 run_003/img_2.png: IDAT: CRC error"
same ledger-done "$(awk -F'\t' '$1 != "run_003" { print $6 }' "$d/out/.runja/ledger.tsv" | sort -u)" 0
st=$(cd "$d" && "$gen" --status)
same status-states "$(echo "$st" | awk '{ print $1, $2 }')" "run_000 done
run_001 done
run_002 done
run_003 failed"
same status-error "$(echo "$st" | grep run_003 | sed 's/.*MiB  //')" "run_003/img_2.png: IDAT: CRC error"
same status-columns "$(echo "$st" | grep run_000 | awk '{ print NF, $5, $7 }')" "7 s MiB"
js=$(cd "$d" && "$gen" --status --json)
same status-json "$(printf '%s' "$js" | /usr/bin/python3 -c 'import json,sys; a=json.load(sys.stdin); print(" ".join(r["run"]+"="+r["state"] for r in a), a[3]["error"], a[0]["peak_kib"] > 0)')" \
	"run_000=done run_001=done run_002=done run_003=failed run_003/img_2.png: IDAT: CRC error True"
settle
rawcheck "$d/data" s-until-frame-rewritten
cp "$d/data/run_000/img_0.png" "$d/data/run_001/img_3.png"
rawsnap "$d/data"
st=$(cd "$d" && "$gen" --status | grep run_001)
same status-stale "$(echo "$st" | awk '{ print $2 }') $(echo "$st" | sed 's/.*(//')" "stale frames changed)"

finish
