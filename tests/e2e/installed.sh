# The installed package (tools/build-deb, then apt-get install ./runja_*.deb, as CI does):
# with nothing of the build tree on PATH, /usr/bin's programs process a tree with their
# installed templates, run a warm Python command through the installed warm.py, and the
# manual pages and the completion are where man and bash look.
# Prints "SKIP installed: why" when this tree's version of the package is not installed.
. tests/lib.sh

v=$(sed -n 's/^#define RUNJA_VERSION "\(.*\)"$/\1/p' common/util.h)
pv=$(dpkg-query -W -f '${Status} ${Version}' runja 2>/dev/null)
case $pv in
"install ok installed $v") ;;
"install ok installed "*) echo "SKIP installed: the runja package installed is ${pv##* }, not this tree's $v"; exit 0 ;;
*) echo "SKIP installed: the runja package is not installed (tools/build-deb DIR, then apt-get install DIR/runja_*.deb)"; exit 0 ;;
esac
PATH=/usr/bin:/bin
export PATH
same installed-on-path "$(command -v runja-gen)" /usr/bin/runja-gen
for p in gen process exec report; do
	same "installed-version-runja-$p" "$("runja-$p" --version)" "runja-$p $v"
done

d=$tmp/tank
"$synth" --runs 4 --frames 6 --size 96x64 --nested --kind mixed "$d/data" >/dev/null || exit 1
cat >"$d/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = ["run_*", "*/run_*"]; };
pipeline = ( { op = "crop"; x = 0; y = 8; width = 96; height = 48; }, { op = "blur"; sigma = 1.5; } );
products = { mean = true; std = true; stats = true; timestack = { row = 20; }; front = { level = 0.2; }; };
CFG
rawsnap "$d/data"
(cd "$d" && runja-gen && ninja) >"$tmp/build.log" 2>&1
same installed-build "$?|$(processed "$tmp/build.log" | wc -w)" "0|4"
same installed-build-programs "$(grep -c '/usr/bin/runja-process' "$d/build.ninja" | sed 's/^[1-9][0-9]*$/used/')" used
same installed-report "$(wc -l <"$d/out/summary.csv")|$(grep -c '<html' "$d/out/index.html")" "5|1"
same installed-then-nothing "$(cd "$d" && ninja)" "ninja: no work to do."

# a warm Python command: runja-exec finds /usr/share/runja/warm.py
if command -v python3 >/dev/null 2>&1; then
	c=$tmp/cmd
	"$synth" --runs 2 --frames 3 --size 32x24 "$c/data" >/dev/null || exit 1
	cat >"$c/one.py" <<'PY'
import os, sys
with open(os.path.join(sys.argv[2], "n.txt"), "w") as f:
    f.write(os.environ["RUNJA_NFRAMES"] + "\n")
PY
	cat >"$c/runja.cfg" <<'CFG'
version = 1;
runs = { root = "data"; match = "run_*"; };
command = { run = ["python3", "one.py", "{run}", "{out}"]; inputs = ["one.py"]; warm = true; };
CFG
	rawsnap "$c/data"
	(cd "$c" && runja-gen && ninja) >"$tmp/cmd.log" 2>&1
	same installed-warm-command "$?|$(cat "$c/out/run_000/n.txt" "$c/out/run_001/n.txt" | tr '\n' ' ')" "0|3 3 "
else
	echo "SKIP installed-warm-command: no python3"
fi

same installed-man-pages "$(ls /usr/share/man/man1/runja-*.1.gz /usr/share/man/man5/runja.cfg.5.gz | wc -l)" 5
same installed-completion "$(bash -c '. /usr/share/bash-completion/completions/runja-gen && complete -p runja-gen')" \
	"complete -F _runja_gen runja-gen"
[ "$failed" = 0 ] || sed 's/^/  | /' "$tmp/build.log" "$tmp/cmd.log" 2>/dev/null
finish
