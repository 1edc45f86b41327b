"""The crashes the soak inflicts: an Odoo worker killed with SIGKILL (no cleanup, its open
transaction lost), and the PostgreSQL cluster restarted under the running server."""
import os
import pathlib
import signal
import subprocess
import time

from harness.processes import ROOT


def _children(pid):
    path = pathlib.Path("/proc/%d/task/%d/children" % (pid, pid))
    try:
        return [int(child) for child in path.read_text().split()]
    except OSError:
        return []


def http_workers(server):
    """The prefork HTTP workers of ``server``: children of its master, without the
    long-polling process (which runs the same program with the gevent argument)."""
    workers = []
    for pid in _children(server.process.pid):
        try:
            argv = pathlib.Path("/proc/%d/cmdline" % pid).read_bytes().split(b"\0")
        except OSError:
            continue
        if b"gevent" not in argv:
            workers.append(pid)
    return workers


def kill_worker(server, rng, expected, respawn_timeout=60.0):
    """SIGKILLs one HTTP worker; returns its pid once the master has ``expected`` workers again."""
    victim = rng.choice(http_workers(server))
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + respawn_timeout
    while time.monotonic() < deadline:
        workers = http_workers(server)
        if victim not in workers and len(workers) >= expected:
            return victim
        time.sleep(0.1)
    raise RuntimeError("odoo did not respawn worker %d within %ss" % (victim, respawn_timeout))


def restart_postgres():
    """A fast restart of the worktree's own cluster: every connection is cut, every open
    transaction rolled back; committed work survives (a clean shutdown writes the WAL out)."""
    started = time.monotonic()
    subprocess.run(["bash", str(ROOT / "devenv" / "postgres.sh"), "restart"], check=True,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started
