# written by runja-gen from runja.cfg: edit runja.cfg instead, this file is remade
#
# Build: make [-j N] [all | runs | report]    Which runs are stale: runja-gen --backend make --check
ifeq ($(filter grouped-target,$(.FEATURES)),)
$(error this Makefile needs GNU make 4.3 or later (grouped targets); or use runja-gen --backend ninja)
endif
MAKEFLAGS += -r
.SUFFIXES:
.DELETE_ON_ERROR:
.PHONY: all runs report

# the programs, as prerequisites (runja-gen's alone) and as commands
gen := @TOP@/runja-gen
process := @TOP@/runja-process
exec := @TOP@/runja-exec
report := @TOP@/runja-report
gen_cmd := @TOP@/runja-gen
process_cmd := @TOP@/runja-process
exec_cmd := @TOP@/runja-exec
report_cmd := @TOP@/runja-report

all: runs report

# One rule per run. Its parameters and the names of its frames are in the stamp
# .runja/params/RUNID, rewritten by runja-gen only when they change; the frames it
# read are in its depfile. No rule depends on a program's bytes: what a run
# computes is on its command line, how it is run in OUT/.runja/jobs. A failed run
# does not stop make: runja-process --keep-going records the failure and exits 0
# with the run's targets absent, so the next make retries it; the report then lists
# it and exits 1 (its files are kept).

out/.runja/ended/c7d1b591c7960bc2 out/run_1/summary.json out/run_1/max.png &: .runja/params/run_1
	@echo 'PROCESS run_1 (2 frames)'
	@$(process_cmd) --keep-going --depfile-phony --id run_1 --frames 'cam/*.png' --frame-set 2f823057019d3415 --channel luma --max-pixels 100000000 --on-bad-frame fail --png-compression 3 --no-npy --op blur:sigma=2 --product max --results d1.blur1.png1.max1.sum1 --depfile out/run_1/.runja.d run_1 out/run_1
-include out/run_1/.runja.d

out/.runja/ended/c91f9e8204eb540e out/define/run_2/summary.json out/define/run_2/mean.png out/define/run_2/timestack.png &: .runja/params/define/run_2
	@echo 'PROCESS define/run_2 (1 frames)'
	@$(process_cmd) --keep-going --depfile-phony --id define/run_2 --frames 'cam/*.png' --frame-set 770c064753fcca9e --channel luma --max-pixels 100000000 --on-bad-frame fail --png-compression 3 --no-npy --op blur:sigma=2 --product mean --product timestack:row=3 --results d1.blur1.png1.mean1.timestack1.sum1 --depfile out/define/run_2/.runja.d define/run_2 out/define/run_2
-include out/define/run_2/.runja.d

out/.runja/ended/87b1e6822f37d3c3 out/runs/run_3/summary.json out/runs/run_3/mean.png out/runs/run_3/timestack.png &: .runja/params/runs/run_3
	@echo 'PROCESS runs/run_3 (1 frames)'
	@$(process_cmd) --keep-going --depfile-phony --id runs/run_3 --frames 'cam/*.png' --frame-set 34962c8dcc34ade9 --channel luma --max-pixels 100000000 --on-bad-frame fail --png-compression 3 --no-npy --op blur:sigma=2 --product mean --product timestack:row=3 --results d1.blur1.png1.mean1.timestack1.sum1 --depfile out/runs/run_3/.runja.d runs/run_3 out/runs/run_3
-include out/runs/run_3/.runja.d

runs: \
    out/.runja/ended/c7d1b591c7960bc2 \
    out/.runja/ended/c91f9e8204eb540e \
    out/.runja/ended/87b1e6822f37d3c3 \
    out/run_1/summary.json \
    out/run_1/max.png \
    out/define/run_2/summary.json \
    out/define/run_2/mean.png \
    out/define/run_2/timestack.png \
    out/runs/run_3/summary.json \
    out/runs/run_3/mean.png \
    out/runs/run_3/timestack.png

report: out/summary.csv

# The report waits for every run's outcome stamp and every file of its results: make
# looks at each target of a grouped rule on its own, so a run remade for a missing
# product would otherwise race the report.
out/summary.csv out/index.html &: \
    out/.runja/ended/c7d1b591c7960bc2 \
    out/.runja/ended/c91f9e8204eb540e \
    out/.runja/ended/87b1e6822f37d3c3 \
    out/run_1/summary.json \
    out/run_1/max.png \
    out/define/run_2/summary.json \
    out/define/run_2/mean.png \
    out/define/run_2/timestack.png \
    out/runs/run_3/summary.json \
    out/runs/run_3/mean.png \
    out/runs/run_3/timestack.png out/.runja/runs out/.runja/waiting out/.runja/report.json
	@echo 'REPORT 3 runs'
	@$(report_cmd) out -- $(gen_cmd) --backend make --config runja.cfg
.PRECIOUS: out/summary.csv out/index.html

# The lists of runs the report reads, what it shows of a command's results
# (OUT/.runja/report.json) and how runs are run (OUT/.runja/jobs), written by
# runja-gen: deleted, they are remade.
out/.runja/runs out/.runja/waiting out/.runja/report.json out/.runja/jobs &:
	@$(gen_cmd) --backend make --config runja.cfg

# The Makefile remakes itself (and make restarts) when runja.cfg, runja-gen, the
# templates or a folder whose listing decides the runs change.
Makefile: runja.cfg $(gen) \
    @TOP@/templates/make/head.mk \
    @TOP@/templates/make/pool.mk \
    @TOP@/templates/make/run.mk \
    @TOP@/templates/make/phony.mk \
    @TOP@/templates/make/tail.mk \
    . \
    define/. \
    define/run_2 \
    define/run_2/cam \
    run_1 \
    run_1/cam \
    run_4 \
    runs/. \
    runs/run_3 \
    runs/run_3/cam \
    run_1/run.cfg
	@echo 'REGEN Makefile'
	@$(gen_cmd) --backend make --config runja.cfg

# A run waiting for runs.settle keeps the Makefile due, once per make.
ifeq ($(MAKE_RESTARTS),)
Makefile:
endif

# What the regeneration watches may vanish (a run removed): an empty rule lets make
# remake the Makefile instead of stopping on a missing prerequisite. (The space before
# ':' keeps a name ending in '&' from reading as '&:'.)
. :
define/. :
define/run_2 :
define/run_2/cam :
run_1 :
run_1/cam :
run_4 :
runs/. :
runs/run_3 :
runs/run_3/cam :
run_1/run.cfg :

