"""Committed fixtures for the tests that run real separate Odoo processes (crash, concurrency,
background): a sandbox hotel with its backend and rooms, set up by a worker process."""
import json
import subprocess
import sys
import uuid
from pathlib import Path

from harness.processes import ROOT, VAR
from harness.sandbox import shared_sandbox

WORKER = Path(__file__).with_name("pull_worker.py")


def worker_argv(database, *args):
    return [sys.executable, str(WORKER), str(VAR / "odoo.conf"), database, *args]


def run_worker(database, *args):
    """Runs pull_worker.py to the end; its one JSON line of outcome."""
    completed = subprocess.run(worker_argv(database, *args), cwd=ROOT, capture_output=True,
                               text=True, timeout=180)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def committed_hotel(database, prefix, rooms):
    """A new sandbox hotel with one room type of ``rooms`` rooms, and its backend committed in
    ``database`` (the worker maps the type with five front-desk rooms):
    ``(sandbox, hotel, room_type_code, backend_id)``."""
    sandbox = shared_sandbox()
    room = prefix + uuid.uuid4().hex[:6].upper()
    hotel = sandbox.new_hotel({room: rooms})
    backend_id = run_worker(database, "setup", hotel["code"], hotel["credentials"]["client_id"],
                            hotel["credentials"]["client_secret"], sandbox.url,
                            room)["backend_id"]
    return sandbox, hotel, room, backend_id
