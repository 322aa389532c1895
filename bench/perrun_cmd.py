#!/usr/bin/env python3
"""bench/perrun.py's process(run, out) as a runja command, for bench/command.sh:
command = { run = ["python3", "perrun_cmd.py", "{run}", "{out}"]; };

usage: perrun_cmd.py RUN OUT
"""
import sys

from perrun import process

if __name__ == "__main__":
    process(sys.argv[1], sys.argv[2])
