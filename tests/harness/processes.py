"""Starting and stopping the real servers the integration layers talk to over loopback."""
import os
import pathlib
import signal
import socket
import subprocess
import time

import httpx

ROOT = pathlib.Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
ARTIFACTS = VAR / "artifacts"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url, timeout=90.0, process=None):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError("%s exited with %s before answering" % (url, process.returncode))
        # Connecting fails fast while the server starts; once it accepts, wait for its answer:
        # the first page compiles the asset bundles, and a new request every two seconds
        # would start a new compilation each (on a loaded machine they never finish).
        remaining = max(2.0, deadline - time.monotonic())
        try:
            response = httpx.get(url, timeout=httpx.Timeout(remaining, connect=2.0))
            if response.status_code < 500:
                return response
        except httpx.HTTPError as err:
            last_error = err
        time.sleep(0.2)
    raise TimeoutError("%s did not answer within %ss (%s)" % (url, timeout, last_error))


class ManagedProcess:
    """A child process in its own process group, stopped with everything it spawned."""

    def __init__(self, name, argv, log_path, env=None):
        self.name = name
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.process = subprocess.Popen(
            argv, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})}, start_new_session=True)

    def stop(self, sig=signal.SIGTERM, timeout=20.0):
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
        self._log.close()

    def kill(self):
        self.stop(signal.SIGKILL)


class OdooServer(ManagedProcess):
    """The real Odoo 11 server of the devenv, bound to loopback, serving one database."""

    def __init__(self, database, workers=0, extra_args=()):
        self.database = database
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        argv = [
            str(ROOT / "devenv" / "odoo.sh"), "-d", database, "--db-filter", "^%s$" % database,
            "--http-port", str(self.port), "--longpolling-port", str(free_port()),
            "--workers", str(workers), "--max-cron-threads", "0", "--log-level", "info",
            *extra_args,
        ]
        log_path = VAR / "log" / ("odoo-%s-%d.log" % (database, self.port))
        self._log_start = log_path.stat().st_size if log_path.exists() else 0
        super().__init__("odoo", argv, log_path)

    def wait_ready(self, timeout=120.0):
        """Until the database's registry is loaded and the login page answers.

        Odoo 11 serves HTTP while it is still preloading the registry; a request in that window
        imports addons concurrently with the preload and can break both, so the first request
        waits for the log to say the modules are loaded."""
        deadline = time.monotonic() + timeout
        try:
            while b"Modules loaded." not in self.log_path.read_bytes()[self._log_start:]:
                if self.process.poll() is not None:
                    raise RuntimeError("odoo exited with %s while loading"
                                       % self.process.returncode)
                if time.monotonic() > deadline:
                    raise TimeoutError("odoo did not load %s within %ss"
                                       % (self.database, timeout))
                time.sleep(0.2)
            wait_http(self.url + "/web/login", max(1.0, deadline - time.monotonic()),
                      self.process)
        except Exception:
            self.stop()  # a server that never got ready is nobody's to stop later
            raise
        return self
