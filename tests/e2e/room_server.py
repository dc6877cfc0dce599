"""One real ``mentoring-mosaic room`` for a test module: started in its own process group with
its own data folder, the token and facilitator key passed as a room passes them (through the
environment), and stopped afterwards with everything it started."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from ..conftest import ROOT, free_port, wait_for_port

READY = "The room is ready: "
"""What the room's log says once every ready kernel it prepares has started."""


@dataclass
class RoomServer:
    url: str  # ends in "/"
    proc: subprocess.Popen
    home: Path
    token: str
    fkey: str

    @property
    def log_path(self) -> Path:
        return self.home / "room.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def link(self, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"token": self.token, **params}.items())
        return f"{self.url}?{query}"

    @property
    def store_url(self) -> str:
        return f"sqlite:///{self.home / 'workbooks.sqlite3'}"

    def _store(self) -> Any:
        from mentoring_mosaic.store import Store

        return Store(self.store_url)

    def new_key(self) -> str:
        """A participant as the room's start page makes one (stored, long random key)."""
        store = self._store()
        try:
            return store.create_participant()
        finally:
            store.dispose()

    def save(self, key: str, workbook: Any) -> None:
        """A participant's save, as another kernel of the room would make it."""
        store = self._store()
        try:
            store.save_workbook(key, workbook)
        finally:
            store.dispose()

    def kernel_alive(self, kernel_id: str) -> bool:
        url = self.url + f"api/kernels/{kernel_id}?token={self.token}"
        return requests.get(url, timeout=30, allow_redirects=False).status_code == 200

    def wait_kernel_gone(self, kernel_id: str, seconds: float) -> float:
        """Seconds until the kernel stopped; fails after ``seconds``."""
        start = time.monotonic()
        while self.kernel_alive(kernel_id):
            assert time.monotonic() - start < seconds, f"kernel {kernel_id} still running"
            time.sleep(0.5)
        return time.monotonic() - start

    def pooled(self, kernel_id: str) -> bool:
        return f"Using pre-heated kernel: {kernel_id}" in self.log()


@contextlib.contextmanager
def running_room(home: Path, *args: str, token: str, fkey: str) -> Iterator[RoomServer]:
    """The room command on a free loopback port, once its ready kernels are filled."""
    port = free_port()
    env = {
        **os.environ,
        "MENTORING_MOSAIC_HOME": str(home),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        # the secrets through the environment: a command line is in the process list
        "MENTORING_MOSAIC_ROOM_TOKEN": token,
        "MENTORING_MOSAIC_FACILITATOR_KEY": fkey,
    }
    for var in ("MENTORING_MOSAIC_DB", "QUERY_STRING", "VOILA_REQUEST_URL"):
        env.pop(var, None)
    with (home / "room.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mentoring_mosaic.serve.cli", "room", "--ip=127.0.0.1",
             f"--port={port}", *args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    room = RoomServer(f"http://127.0.0.1:{port}/", proc, home, token, fkey)
    try:
        try:
            wait_for_port(port, timeout=180)  # a shared 2-core machine can be slow
        except TimeoutError:
            raise RuntimeError(room.log()) from None
        deadline = time.monotonic() + 240  # the ready kernels fill in the background
        while READY not in room.log() and time.monotonic() < deadline:
            time.sleep(1)
        yield room
    finally:
        proc.terminate()  # the command stops Voilà, which stops its kernels
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # anything left in the group
