"""``mentoring-mosaic start`` and ``room`` stop cleanly: SIGTERM or SIGINT (Ctrl+C) stops Voilà
and every kernel it started, and frees the port. Real servers and a real page (so a kernel is
running), then the signal, then a look at the process table and the port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from ..conftest import ROOT, free_port, wait_for_port

pytestmark = pytest.mark.slow

TOKEN = "clean-stop-token-0123456789"


def launch(command: str, port: int, home: Path, log: Path) -> subprocess.Popen:
    """The real command, as a facilitator would start it (its own session, like a terminal)."""
    env = {
        **os.environ,
        "MENTORING_MOSAIC_HOME": str(home),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    env.pop("MENTORING_MOSAIC_DB", None)
    args = ["--ip=127.0.0.1", f"--port={port}"]
    if command == "room":
        env["MENTORING_MOSAIC_ROOM_TOKEN"] = TOKEN
        args += ["--cull-seconds=60", "--expect=5", "--ready=1"]  # a ready kernel: stops too
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "mentoring_mosaic.serve.cli", command, *args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )


def page_url(command: str, port: int) -> str:
    if command == "room":
        # a private link (here one the room never issued: a refusal) runs in a kernel; the
        # start page is the server's own
        return f"http://127.0.0.1:{port}/?token={TOKEN}&key=not-issued-by-this-room"
    return f"http://127.0.0.1:{port}/voila/render/00_welcome.ipynb"


def kernels(family: list[psutil.Process]) -> list[psutil.Process]:
    found = []
    for proc in family:
        try:
            if "ipykernel" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            pass
    return found


def port_is_free(port: int) -> bool:
    """A new server can listen there (as Voilà does: SO_REUSEADDR, so the closed connections
    of the page just served, in TIME_WAIT, do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
    return True


@pytest.mark.parametrize(
    ("command", "sig"),
    [("start", signal.SIGTERM), ("start", signal.SIGINT),
     ("room", signal.SIGTERM), ("room", signal.SIGINT)],
    ids=["start-SIGTERM", "start-SIGINT", "room-SIGTERM", "room-SIGINT"],
)
def test_a_signal_stops_voila_and_every_kernel_and_frees_the_port(
    command: str, sig: signal.Signals, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    proc = launch(command, port, tmp_path / "home", log)
    try:
        wait_for_port(port, timeout=90)
        response = requests.get(page_url(command, port), timeout=120)  # runs the page's kernel
        assert response.status_code == 200, log.read_text(errors="replace")[-2000:]
        root = psutil.Process(proc.pid)
        family = [root, *root.children(recursive=True)]
        assert kernels(family), f"no kernel is running: {[p.cmdline() for p in family]}"
        if command == "room":  # the token is in no process's command line
            for p in family:
                assert TOKEN not in " ".join(p.cmdline()), p.cmdline()
        else:  # a second copy on the same port is refused with a clear message
            second = subprocess.run(
                [sys.executable, "-m", "mentoring_mosaic.serve.cli", "start", "--ip=127.0.0.1",
                 f"--port={port}"], cwd=ROOT, capture_output=True, text=True, timeout=60,
            )
            assert second.returncode == 2 and "already in use" in second.stderr, second
        started = time.monotonic()
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == 0, log.read_text(errors="replace")[-2000:]
        took = time.monotonic() - started
        gone, alive = psutil.wait_procs(family, timeout=5)
        assert not alive, f"left running: {[(p.pid, p.cmdline()) for p in alive]}"
        assert port_is_free(port), f"port {port} is still taken"
        print(f"{command} {sig.name}: stopped {len(gone)} processes in {took:.1f} s")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
