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

# Runs processed by the user's own program (command in runja.cfg), through
# runja-process --exec: results appear in OUT/RUNID all at once, a failed run keeps
# the previous ones; each rule's target is a stamp beside them, .runja.done.

out/.runja/ended/c7d1b591c7960bc2 out/run_1/summary.json out/run_1/mean.png out/run_1/mean.npy &: .runja/params/run_1
	@echo 'PROCESS run_1 (1 frames)'
	@$(process_cmd) --keep-going --depfile-phony --id run_1 --frames '*.png' --frame-set 770c064753fcca9e --channel luma --max-pixels 100000000 --on-bad-frame fail --png-compression 3 --npy --product mean --results d1.png1.npy1.mean1.sum1 --depfile out/run_1/.runja.d run_1 out/run_1
-include out/run_1/.runja.d

out/.runja/ended-command/c7d1b591c7960bc2 out/run_1/command/.runja.done &: .runja/params-command/run_1 out/.runja/ended/c7d1b591c7960bc2 analyse.sh
	@echo 'COMMAND run_1 (1 frames)'
	@exec $(exec_cmd) --keep-going --depfile-phony --id run_1 --frames '*.png' --frame-set 770c064753fcca9e --state out/.runja --params '{"level":0.5}' --pipeline out/run_1 --input analyse.sh --stamp out/run_1/command/.runja.done --depfile out/run_1/command/.runja.d run_1 out/run_1/command -- sh analyse.sh '{pipeline}' '{out}' '{params}'
-include out/run_1/command/.runja.d

out/.runja/ended/e59e2e63a5268cd4 out/run_2/summary.json out/run_2/mean.png out/run_2/mean.npy &: .runja/params/run_2
	@echo 'PROCESS run_2 (1 frames)'
	@$(process_cmd) --keep-going --depfile-phony --id run_2 --frames '*.png' --frame-set 770c064753fcca9e --channel luma --max-pixels 100000000 --on-bad-frame fail --png-compression 3 --npy --product mean --results d1.png1.npy1.mean1.sum1 --depfile out/run_2/.runja.d run_2 out/run_2
-include out/run_2/.runja.d

out/.runja/ended-command/e59e2e63a5268cd4 out/run_2/command/.runja.done &: .runja/params-command/run_2 out/.runja/ended/e59e2e63a5268cd4 analyse.sh
	@echo 'COMMAND run_2 (1 frames)'
	@exec $(exec_cmd) --keep-going --depfile-phony --id run_2 --frames '*.png' --frame-set 770c064753fcca9e --state out/.runja --params '{"level":0.5}' --pipeline out/run_2 --input analyse.sh --stamp out/run_2/command/.runja.done --depfile out/run_2/command/.runja.d run_2 out/run_2/command -- sh analyse.sh '{pipeline}' '{out}' '{params}'
-include out/run_2/command/.runja.d

runs: \
    out/.runja/ended/c7d1b591c7960bc2 \
    out/.runja/ended-command/c7d1b591c7960bc2 \
    out/.runja/ended/e59e2e63a5268cd4 \
    out/.runja/ended-command/e59e2e63a5268cd4 \
    out/run_1/summary.json \
    out/run_1/mean.png \
    out/run_1/mean.npy \
    out/run_1/command/.runja.done \
    out/run_2/summary.json \
    out/run_2/mean.png \
    out/run_2/mean.npy \
    out/run_2/command/.runja.done

report: out/summary.csv

# The report waits for every run's outcome stamp and every file of its results: make
# looks at each target of a grouped rule on its own, so a run remade for a missing
# product would otherwise race the report.
out/summary.csv out/index.html &: \
    out/.runja/ended/c7d1b591c7960bc2 \
    out/.runja/ended-command/c7d1b591c7960bc2 \
    out/.runja/ended/e59e2e63a5268cd4 \
    out/.runja/ended-command/e59e2e63a5268cd4 \
    out/run_1/summary.json \
    out/run_1/mean.png \
    out/run_1/mean.npy \
    out/run_1/command/.runja.done \
    out/run_2/summary.json \
    out/run_2/mean.png \
    out/run_2/mean.npy \
    out/run_2/command/.runja.done out/.runja/runs out/.runja/waiting out/.runja/report.json
	@echo 'REPORT 2 runs'
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
    @TOP@/templates/make/execrule.mk \
    @TOP@/templates/make/exec.mk \
    . \
    run_1 \
    run_2
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
run_1 :
run_2 :

