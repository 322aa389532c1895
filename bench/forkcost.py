#!/usr/bin/env python3
"""What a warm run (command.warm) costs against a Pool worker's run, without runja:
bench/perrun.py's process() on the same runs, in a child forked from a process that has
only imported it and done warm.py's warm-up (as warm.py forks a run), then, after that
process ran a first run itself, alternately in a child forked from it and in it (as a
Pool worker runs its second). Prints wall, user, sys and minor page faults of each.

usage: cd bench/tmp/command/long && /usr/bin/python3 ../../../forkcost.py   (after bench/command.sh;
       or in bench/tmp/command/short)
"""
import os
import resource
import sys
import time

sys.path.insert(0, ".")
sys.path.insert(1, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "exec"))
from perrun import process  # noqa: E402
from warm import warmup  # noqa: E402

OUT = "/tmp/runja-forkcost"


def inprocess(run):
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t = time.time()
    process("data/" + run, OUT)
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return time.time() - t, r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime, r1.ru_minflt - r0.ru_minflt


def forked(run):
    t = time.time()
    pid = os.fork()
    if pid == 0:
        process("data/" + run, OUT)
        os._exit(0)
    _, _, ru = os.wait4(pid, 0)
    return time.time() - t, ru.ru_utime, ru.ru_stime, ru.ru_minflt


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    warmup()
    for run in ["run_001", "run_002", "run_003"]:
        print("forked, imports only  %.3f s wall %.3f s user %.3f s sys %d faults" % forked(run))
    inprocess("run_000")
    for run in ["run_001", "run_002", "run_003"]:
        print("forked, after a run   %.3f s wall %.3f s user %.3f s sys %d faults" % forked(run))
        print("in-process            %.3f s wall %.3f s user %.3f s sys %d faults" % inprocess(run))
