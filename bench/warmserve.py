#!/usr/bin/env python3
"""What a warm run costs runja's warm Python server (exec/warm.py) and the run's own
process, whatever the run does: a server is started on SCRIPT (it imports what SCRIPT
imports), then sent N requests one after another, each to run PROGRAM [ARG...] in a
child forked from it, as runja-exec sends them. Prints, per request, the CPU time (user +
system) and minor page faults of the server's processes, and those of the runs they
forked; the wall time per request. With PROGRAM an empty script, what a run costs beyond
its own work.

usage: cd bench/tmp/command/short && /usr/bin/python3 ../../../warmserve.py [-n N] [--server WARM.PY] SCRIPT PROGRAM [ARG...]
       (after sh bench/command.sh short; e.g. SCRIPT perrun_cmd.py and PROGRAM an empty
       file, or PROGRAM perrun_cmd.py data/run_001 /tmp/out)
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HZ = os.sysconf("SC_CLK_TCK")


def processes(server, sock):
    """The pids of the server's processes (all run warm.py on sock)."""
    out = subprocess.run(["pgrep", "-f", server + " " + sock], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def usage(pid):
    """(own CPU s, own faults, reaped children's CPU s, their faults) of pid, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        v = f.read().rsplit(")", 1)[1].split()
    return ((int(v[11]) + int(v[12])) / HZ, int(v[7]), (int(v[13]) + int(v[14])) / HZ, int(v[8]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=40, help="requests (default 40)")
    ap.add_argument("--server", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "exec", "warm.py"))
    ap.add_argument("script")
    ap.add_argument("program", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    if not a.program:
        ap.error("no PROGRAM to run")
    server = os.path.abspath(a.server)
    tmp = tempfile.mkdtemp(prefix="runja-warmserve.")
    sock = os.path.join(tmp, "s.sock")
    srv = subprocess.Popen([sys.executable, server, sock, os.path.abspath(a.script), "60"])
    try:
        while not os.path.exists(sock):
            if srv.poll() is not None:
                sys.exit("warmserve: the server ended (status %d)" % srv.returncode)
            time.sleep(0.01)
        time.sleep(0.5)  # its forker (if it has one) is up too
        pids = processes(server, sock)
        before = [usage(p) for p in pids]
        log = os.open(os.path.join(tmp, "log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        null = os.open("/dev/null", os.O_RDONLY)
        req = json.dumps({"argv": [sys.executable] + a.program, "env": ["PATH=/usr/bin:/bin"], "cwd": os.getcwd()})
        t = time.monotonic()
        for _ in range(a.n):
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.connect(sock)
            socket.send_fds(c, [(req + "\n").encode()], [null, log])
            answer = {}  # none when the server closes without one
            for line in c.makefile():
                answer = json.loads(line)
                if "status" in answer or "error" in answer or "stale" in answer:
                    break
            c.close()
            if answer.get("status") != 0:
                sys.exit("warmserve: a run did not end with status 0: %s (its log: %s)" % (answer, os.path.join(tmp, "log")))
        wall = time.monotonic() - t
        after = [usage(p) for p in pids]
    finally:
        srv.terminate()
        srv.wait()
    shutil.rmtree(tmp)  # kept when a run failed: its log is there
    d = [sum(x[i] - y[i] for x, y in zip(after, before)) for i in range(4)]
    print("%d requests, %d server processes" % (a.n, len(pids)))
    print("  the server, per request:  %6.2f ms CPU  %5d faults" % (d[0] * 1000 / a.n, d[1] / a.n))
    print("  a run, per request:       %6.2f ms CPU  %5d faults" % (d[2] * 1000 / a.n, d[3] / a.n))
    print("  wall per request:         %6.1f ms" % (wall * 1000 / a.n))


if __name__ == "__main__":
    main()
