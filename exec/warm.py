"""runja's warm Python (command.warm, on by default for a Python script): a fork server
for a user's Python script.

usage: python3 warm.py SOCKET SCRIPT IDLE

Started by runja-exec --warm, detached. It imports once what SCRIPT imports at its top
level, then serves on the Unix socket SOCKET: each request runs SCRIPT as
__main__ in a forked child, as `python3 SCRIPT ARG...` would, but with its modules
already loaded (what a multiprocessing.Pool worker has). It exits after IDLE seconds
without work, or as soon as a file of a module it loaded has changed since the import
looked at it (a request is then answered "stale" and the wrapper starts a new one), so a
child never runs old code.

A request: one JSON line {"argv": [...], "env": ["K=V", ...], "cwd": DIR} sent with two
file descriptors (SCM_RIGHTS): stdin, and the log for stdout and stderr. Answers, JSON
lines: {"pid": N} once the child runs (in a process group of its own, N), then
{"status": WAITSTATUS, "maxrss": KIB} when it has ended; or {"stale": true}; or
{"error": TEXT}. A client that goes away before its child ends gets the child's group
killed.

Two processes serve: this one (the sockets, the module check) and, forked from it once
warm, the forker, which forks the runs and reaps them (forker()). A fork leaves every page
of the forking process shared, and each page it writes afterwards costs it a copy: the
forker writes few, so a run costs the two about half of what it cost one process doing
both (bench/warmserve.py measures it).
"""
import ast
import gc
import importlib.machinery
import json
import os
import pkgutil  # noqa: F401 -- runpy.run_path imports it: once here, not again in each run
import runpy
import select
import signal
import socket
import sys
import traceback

# bytes of the block warmup() allocates and frees (glibc raises its mmap threshold to at most 32 MiB)
MALLOCBLOCK = 16 << 20
# the top bit of the 8 bytes the server sends its forker: a child to kill, not a request's length
KILL = 1 << 63


def preload(script):
    """Run the top-level imports of script (nothing else of it); failures are the run's to report."""
    try:
        with open(script, "rb") as f:
            tree = ast.parse(f.read(), script)
    except (OSError, SyntaxError, ValueError):
        return
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            try:
                exec(compile(ast.Module([node], []), script, "exec"), {"__name__": "__runja_preload__"})
            except BaseException:  # noqa: B036 -- an import that fails fails the run itself
                pass


def fingerprint(path):
    """(mtime, size, inode) of the file at path, or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def preloadnoting(script):
    """preload(script), noting each Python source's fingerprint as the import looks at it
    (before it reads the source or its cached bytecode): path -> fingerprint."""
    noted = {}
    loader = importlib.machinery.SourceFileLoader
    stats = loader.path_stats

    def path_stats(self, path):
        noted.setdefault(path, fingerprint(path))
        return stats(self, path)

    loader.path_stats = path_stats
    try:
        preload(script)
    finally:
        loader.path_stats = stats
    return noted


def modulefiles(noted):
    """path -> fingerprint of the file of every module loaded now: as noted when it was
    imported, else (extensions, modules loaded before) as it is now."""
    seen = {}
    for m in list(sys.modules.values()):
        path = getattr(m, "__file__", None)
        if path and path not in seen:
            seen[path] = noted[path] if path in noted else fingerprint(path)
    return seen


def changed(files):
    """Has any of the files changed since it was noted?"""
    for path, was in files.items():
        if fingerprint(path) != was:
            return True
    return False


def warmup():
    """Work every run would do first, done once here: what a Pool worker has done after its first task."""
    # a large block freed: glibc's malloc then serves blocks up to its size from the heap,
    # whose pages a run reuses, instead of mapping (and faulting in) each one anew
    block = bytearray(MALLOCBLOCK)
    del block
    image = sys.modules.get("PIL.Image")
    if image is not None and hasattr(image, "preinit"):
        try:
            image.preinit()  # imports the common image plugins, as the first Image.open would
        except BaseException:  # noqa: B036 -- then each run does it, as a cold run would
            pass


def child(req, fds, others):
    """In the forked child: become the program, run the script as __main__, never return."""
    code = 1
    try:
        os.setpgid(0, 0)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.set_wakeup_fd(-1)
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        os.dup2(fds[0], 0)
        os.dup2(fds[1], 1)
        os.dup2(fds[1], 2)
        for fd in fds:
            os.close(fd)
        for o in others:  # the server's sockets and its wakeup pipe
            o.close() if hasattr(o, "close") else os.close(o)
        os.chdir(req["cwd"])
        os.environ.clear()
        for kv in req["env"]:
            k, _, v = kv.partition("=")
            os.environ[k] = v
        sys.argv = list(req["argv"][1:])
        try:
            runpy.run_path(sys.argv[0], run_name="__main__")
            code = 0
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code & 0xFF
            else:
                print(e.code, file=sys.stderr)
                code = 1
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGINT)
        except BaseException:  # noqa: B036 -- as python3 SCRIPT would: the traceback, status 1
            traceback.print_exc()
            code = 1
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: B036
            pass
    finally:
        os._exit(code)


def answer(conn, obj):
    try:
        conn.sendall((json.dumps(obj) + "\n").encode())
    except OSError:
        pass


def forker(ch):
    """The process the runs are forked from, never returns: it takes each request from the
    server on ch (its length, 8 bytes, then the request, with its two descriptors), forks
    the child, and tells the server "p PID" (or "e ERROR" when it cannot fork), then
    "s PID STATUS MAXRSS" once that child has ended. 8 bytes with the top bit set (KILL)
    and a pid: the server's client for that child has gone, the child's group is killed
    (unless the child has been reaped: its pid may be another's by then). It does as
    little as it can between forks: a page it writes after a fork is copied (the child
    shares it), so the server's own work (its sockets, the module check) is done in the
    server, which forks only this."""
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    rd, wr = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wr)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    poller = select.poll()
    poller.register(ch, select.POLLIN)
    poller.register(rd, select.POLLIN)
    alive = set()  # the children not reaped yet
    try:
        while True:
            for fd, _ in poller.poll():
                if fd == rd:
                    try:
                        os.read(rd, 4096)
                    except BlockingIOError:
                        pass
                    continue
                head, fds, _, _ = socket.recv_fds(ch, 8, 2)
                if len(head) < 8:
                    os._exit(0)  # the server has gone; it waits for its runs, so none is left to report
                size = int.from_bytes(head, "little")
                if size & KILL:
                    if size & ~KILL in alive:
                        try:
                            os.killpg(size & ~KILL, signal.SIGKILL)
                        except OSError:
                            pass
                    continue
                data = b""
                while len(data) < size:
                    more = ch.recv(size - len(data))
                    if not more:
                        os._exit(0)
                    data += more
                try:
                    pid = os.fork()
                except OSError as e:
                    ch.sendall(b"e %s\n" % str(e).encode())
                    pid = -1
                if pid == 0:
                    child(json.loads(data), fds, [ch, rd, wr])
                for f in fds:
                    os.close(f)
                if pid > 0:
                    alive.add(pid)
                    try:
                        os.setpgid(pid, pid)
                    except OSError:
                        pass
                    ch.sendall(b"p %d\n" % pid)
            while True:
                try:
                    pid, status, ru = os.wait4(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                alive.discard(pid)
                ch.sendall(b"s %d %d %d\n" % (pid, status, ru.ru_maxrss))
    except OSError:
        pass
    os._exit(0)


def main():
    if sys.version_info < (3, 9):
        sys.exit("warm.py needs Python 3.9 or newer (socket.recv_fds)")  # the wrapper then runs it cold
    path, script, idle = sys.argv[1], sys.argv[2], float(sys.argv[3])
    sys.path[0] = os.path.dirname(os.path.abspath(script))  # as python3 SCRIPT has it, not warm.py's folder
    noted = preloadnoting(script)
    warmup()
    files = modulefiles(noted)  # the script itself is not among them: each run reads it again
    # what is loaded now stays as it is: a run's collector does not visit (and copy) it
    gc.collect()
    gc.freeze()

    ch, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    fpid = os.fork()
    if fpid == 0:
        ch.close()
        forker(theirs)
    theirs.close()
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    old = os.umask(0o077)  # only this user may connect: a request runs code as the server's user
    listener.bind(path)
    os.umask(old)
    listener.listen(64)
    ino = os.stat(path).st_ino
    conns = {}     # socket -> bytes received so far, until the request is complete
    waiting = []   # the clients whose requests went to the forker, in order, until it names their child
    running = {}   # pid -> socket of the client waiting for it
    said = b""     # what the forker said, up to the end of its last whole line
    stale = False

    def endserving():
        """New clients go to a new server from now on; this one ends with its runs."""
        nonlocal stale
        if stale:
            return
        stale = True
        try:
            if os.stat(path).st_ino == ino:
                os.unlink(path)
        except OSError:
            pass
        listener.close()

    while True:
        if not running and not conns and not waiting and stale:
            break
        watch = ([] if stale else [listener]) + ([ch] if ch else []) + list(conns)
        r, _, _ = select.select(watch + [c for c in running.values() if c], [], [], idle)
        if not r and not running and not conns and not waiting:
            break  # idle
        for s in r:
            if s is listener:
                if stale:
                    continue  # closed by a request handled just before in this round
                try:
                    c, _ = listener.accept()
                except OSError:
                    continue
                conns[c] = (b"", [])
            elif s is ch:
                try:
                    more = ch.recv(65536)
                except OSError:
                    more = b""
                if not more:
                    # the forker has gone (killed): its runs can no longer be followed, so their
                    # clients see this server end (a client still waiting for a child tries a new one)
                    ch.close()
                    ch = None
                    os.waitpid(fpid, 0)
                    endserving()
                    for c in waiting + [c for c in running.values() if c]:
                        c.close()
                    waiting, running = [], {}
                    continue
                said += more
                *lines, said = said.split(b"\n")
                for line in lines:
                    kind, _, rest = line.partition(b" ")
                    if kind == b"p":
                        c = waiting.pop(0)
                        running[int(rest)] = c
                        answer(c, {"pid": int(rest)})
                    elif kind == b"e":
                        c = waiting.pop(0)
                        answer(c, {"error": rest.decode(errors="replace")})
                        c.close()
                    elif kind == b"s":
                        pid, status, maxrss = (int(x) for x in rest.split())
                        c = running.pop(pid, None)
                        if c is not None:
                            answer(c, {"status": status, "maxrss": maxrss})
                            c.close()
            elif s in conns:
                data, fds = conns[s]
                try:
                    msg, anc, _, _ = socket.recv_fds(s, 65536, 4)
                except OSError:
                    msg, anc = b"", []
                fds = fds + list(anc)
                if not msg:
                    for fd in fds:
                        os.close(fd)
                    del conns[s]
                    s.close()
                    continue
                data += msg
                if not data.endswith(b"\n"):
                    conns[s] = (data, fds)
                    continue
                del conns[s]
                if stale or changed(files):
                    endserving()
                    answer(s, {"stale": True})
                    s.close()
                    for fd in fds:
                        os.close(fd)
                    continue
                try:
                    json.loads(data)  # the forker's child reads it again
                    if len(fds) != 2:
                        raise ValueError("expected 2 file descriptors, got %d" % len(fds))
                except ValueError as e:
                    answer(s, {"error": str(e)})
                    s.close()
                    for fd in fds:
                        os.close(fd)
                    continue
                try:
                    socket.send_fds(ch, [len(data).to_bytes(8, "little")], fds)
                    ch.sendall(data)
                except OSError:
                    s.close()  # the forker has gone: the client tries a new server
                    endserving()
                else:
                    waiting.append(s)
                for fd in fds:
                    os.close(fd)
            else:
                # a waiting client's socket is readable: it went away; its child goes too
                for pid, c in list(running.items()):
                    if c is s:
                        try:
                            ch.sendall((KILL | pid).to_bytes(8, "little"))
                        except OSError:
                            pass  # the forker has gone: its end is seen in this round or the next
                        running[pid] = None  # no one to tell when it has ended
                        s.close()
    endserving()  # its socket goes, if still this server's
    if ch:
        ch.close()  # the forker ends, its runs all reported
        os.waitpid(fpid, 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
