# A command's bad input at runja-gen time: one line naming runja.cfg and its line,
# exit status 2, nothing run and the build file left as it was.
. tests/lib.sh

d=$tmp/tank
mkdir -p "$d/data"
"$synth" --runs 2 --frames 2 --size 8x8 "$d/data" >/dev/null || exit 1
rawsnap "$d/data"
printf '#!/bin/sh\necho >"$2/x"\n' >"$d/analyse.sh"
chmod +x "$d/analyse.sh"
printf 'echo\n' >"$d/noexec.sh"
printf 'print(1)\n' >"$d/analyse.py"
# cfg COMMAND-BODY: a runja.cfg whose command group is BODY (the command on line 4)
cfg() {
	printf 'version = 1;\nruns = { root = "data"; match = "run_*"; override = "run.cfg"; };\ncommand = {\n%s\n};\n' "$1" >"$d/runja.cfg"
}
cfg '  run = ["./analyse.sh", "{run}", "{out}"];'
(cd "$d" && "$gen") >/dev/null 2>&1
same good-config "$?" 0
cp "$d/build.ninja" "$tmp/good.ninja"

# bad NAME BODY MESSAGE: runja-gen refuses with exactly MESSAGE, status 2, build.ninja untouched
bad() {
	cfg "$2"
	msg=$(cd "$d" && "$gen" 2>&1)
	same "$1" "$?|$msg" "2|runja-gen: $3"
	cmp -s "$d/build.ninja" "$tmp/good.ninja" && pass "$1-build-file-untouched" || fail "$1-build-file-untouched"
}
bad placeholder '  run = ["./analyse.sh", "{run}", "{outdir}"];' \
	"runja.cfg:4: unknown placeholder '{outdir}' in command.run (did you mean '{out}'?)"
bad key '  run = ["./analyse.sh"];
  timout = "1m";' \
	"runja.cfg:5: unknown key 'timout' in 'command' (did you mean 'timeout'?)"
bad not-in-path '  run = ["pyhton3", "analyse.py"];' \
	"runja.cfg:4: command.run: program 'pyhton3' not found in PATH"
bad not-found '  run = ["./analyze.sh", "{run}"];' \
	"runja.cfg:4: command.run: program './analyze.sh' not found"
bad not-executable '  run = ["./noexec.sh", "{run}"];' \
	"runja.cfg:4: command.run: program './noexec.sh' is not executable (chmod +x ./noexec.sh)"
bad script-not-found '  run = ["sh", "analyze.sh", "{run}"];' \
	"runja.cfg:4: command.run: script 'analyze.sh' not found"
bad pipeline-placeholder '  run = ["./analyse.sh", "{pipeline}"];' \
	"runja.cfg:4: placeholder '{pipeline}' in command.run needs command.after_pipeline = true"

# a run.cfg may set only the parameters, and only when there is a command: else that run
# fails alone (runja-gen warns, writes the build file; the run's edge fails with the line)
cfg '  run = ["./analyse.sh", "{run}", "{out}"];'
rawcheck "$d/data" tank-until-run-cfg
echo 'command = { run = ["./other.sh"]; };' >"$d/data/run_001/run.cfg"
rawsnap "$d/data"
same run-cfg-only-params "$(cd "$d" && "$gen" 2>&1)" \
	"runja-gen: run_001/run.cfg:1: unknown key 'run' in 'command' (a run.cfg sets only command.params)
runja-gen: 2 runs (0 new), wrote build.ninja"
printf 'version = 1;\nruns = { root = "data"; match = "run_*"; override = "run.cfg"; };\n' >"$d/runja.cfg"
rawcheck "$d/data" tank-until-run-cfg-edited
echo 'command = { params = { a = 1; }; };' >"$d/data/run_001/run.cfg"
rawsnap "$d/data"
same run-cfg-without-command "$(cd "$d" && "$gen" 2>&1)" \
	"runja-gen: run_001/run.cfg: command.params given, but runja.cfg has no command
runja-gen: 2 runs (0 new), wrote build.ninja"
rawcheck "$d/data" tank-until-run-cfg-removed
rm "$d/data/run_001/run.cfg"
rawsnap "$d/data"

# an input pattern that matches nothing is a warning: the build file is written
cfg '  run = ["./analyse.sh", "{run}", "{out}"];
  inputs = ["analyse.sh", "lib/*.py"];'
same input-matches-nothing "$(cd "$d" && "$gen" 2>&1)" "runja-gen: runja.cfg:5: command.inputs 'lib/*.py' matches no file
runja-gen: 2 runs (0 new), wrote build.ninja"

# a pipeline beside a command that replaces it is said to be unused
cfg '  run = ["./analyse.sh", "{run}", "{out}"];'
echo 'pipeline = ( { op = "invert"; } );' >>"$d/runja.cfg"
same unused-pipeline "$(cd "$d" && "$gen" 2>&1)" "runja-gen: runja.cfg: pipeline is not used: the command replaces it (command.after_pipeline = true runs both)
runja-gen: 2 runs (0 new), wrote build.ninja"

finish
