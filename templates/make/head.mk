# {{generated}}
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
gen := {{gen}}
process := {{process}}
exec := {{exec}}
report := {{report}}
gen_cmd := {{gencmd}}
process_cmd := {{processcmd}}
exec_cmd := {{execcmd}}
report_cmd := {{reportcmd}}

all: runs report

# One rule per run. Its parameters and the names of its frames are in the stamp
# .runja/params/RUNID, rewritten by runja-gen only when they change; the frames it
# read are in its depfile. No rule depends on a program's bytes: what a run
# computes is on its command line, how it is run in OUT/.runja/jobs. A failed run
# does not stop make: runja-process --keep-going records the failure and exits 0
# with the run's targets absent, so the next make retries it; the report then lists
# it and exits 1 (its files are kept).
