#!/bin/sh
# make demo-command: examples/python-command on a synthetic tree of 8 runs x 40 frames
# in demo-command/: runja's built-in pipeline, then the example's analyse.py (numpy) per
# run on its products. Running it again processes nothing.
set -e
top=$(pwd)
d=demo-command
ex=examples/python-command
# runja.cfg runs "python3", the first on PATH: it needs numpy. When it has none and
# /usr/bin/python3 has (Debian's python3-numpy), put /usr/bin first, and say so.
pathnote=
if ! python3 -c 'import numpy' 2>/dev/null; then
	if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
		echo "demo-command: python3 on PATH has no numpy, /usr/bin/python3 has: PATH=/usr/bin:\$PATH"
		PATH=/usr/bin:$PATH
		export PATH
		pathnote='PATH=/usr/bin:$PATH '
	else
		echo "demo-command: needs python3 with numpy (apt-get install python3-numpy)" >&2
		exit 1
	fi
fi
mkdir -p "$d"
if [ ! -d "$d/data" ]; then
	echo "demo-command: writing a sample data tree (8 runs x 40 frames, 320x240) to $d/data"
	tests/synth --runs 8 --frames 40 --size 320x240 "$d/data"
	# one run with parameters of its own: only its command step sees smooth = 7
	echo 'command = { params = { smooth = 7; }; };' >"$d/data/run_003/run.cfg"
fi
for f in runja.cfg analyse.py; do
	[ -f "$d/$f" ] || cp "$ex/$f" "$d/$f"
done
"$top/runja-gen" -c "$d/runja.cfg"
cd "$d"
ninja
cat <<MSG

Done. Results are in $d/out:
  $d/out/index.html                  the report page: open it in a browser
  $d/out/RUN/mean.npy, front.csv     runja's built-in products (the pipeline step)
  $d/out/RUN/command/front.png       analyse.py's plot of the front position
  $d/out/RUN/command/velocity.csv    ... per-frame front velocity (run_003: smooth = 7)
  $d/out/RUN/command/profile.csv     ... the column profile of the mean image
  $d/out/RUN/command/runja.log       its stdout and stderr; summary.json: runja's record

Try next, in $d/ (./runja-gen is ../runja-gen):
  ${pathnote}ninja
      nothing changed: "ninja: no work to do."
  echo "# edited" >>analyse.py; ${pathnote}ninja
      every run's command step reruns, the built-in products are not remade
  echo 'command = { params = { smooth = 9; }; };' >data/run_003/run.cfg; ${pathnote}ninja
      only run_003's command step reruns, with its own smooth
  ../runja-gen --status
      what happened to each run; out/.runja/ledger.tsv has every attempt
MSG
