#!/bin/sh
# make demo: a synthetic data tree of 24 runs x 40 frames in demo/data, a runja.cfg
# for it, then runja-gen and ninja. Running it again processes nothing.
set -e
top=$(pwd)
mkdir -p demo
if [ ! -d demo/data ]; then
	echo "demo: writing a sample data tree (24 runs x 40 frames, 320x240) to demo/data"
	tests/synth --runs 24 --frames 40 --size 320x240 --nested --kind mixed demo/data
fi
if [ ! -f demo/runja.cfg ]; then
	cat >demo/runja.cfg <<'CFG'
# runja.cfg for the sample tree: a dark current advancing over a lit tank.
version = 1;
runs = {
  root = "data";                 # the data tree, relative to this file
  match = ["run_*", "*/run_*"];  # run folders, one glob per path component
  frames = "*.png";
};
output = { dir = "out"; npy = true; png_compression = 3; };
input = { channel = "luma"; on_bad_frame = "fail"; };
pipeline = (
  { op = "crop"; x = 0; y = 20; width = 320; height = 200; },
  { op = "background"; frames = 5; method = "median"; },  # the tank before the current
  { op = "scale"; gain = -1.0; },                         # the current becomes positive
  { op = "blur"; sigma = 2.0; }
);
products = {
  mean = true; std = true; max = true; stats = true;
  timestack = { row = 100; };
  front = { level = 0.2; from = "left"; };
};
CFG
fi
"$top/runja-gen" -c demo/runja.cfg
cd demo
ninja
cat <<MSG

Done. Results are in demo/out:
  demo/out/index.html                the report page: open it in a browser
  demo/out/summary.csv               one row per run
  demo/out/RUN/{mean,std,max,timestack}.png and .npy, stats.csv, front.csv, summary.json

Try next:
  ninja -C demo                       nothing changed: "ninja: no work to do."
  tests/synth --runs 1 --frames 40 --size 320x240 --first 24 demo/data
  ninja -C demo                       processes exactly the new run
  ./runja-gen --status -c demo/runja.cfg   what happened to each run
  ./runja-gen --help, ./runja-process --help
MSG
