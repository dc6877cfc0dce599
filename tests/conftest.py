"""Fixtures shared by every layer: an isolated data folder, a store, PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def mm_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder and the embedded SQLite default."""
    home = tmp_path / "mm-home"
    home.mkdir()
    monkeypatch.setenv("MENTORING_MOSAIC_HOME", str(home))
    for var in (
        "MENTORING_MOSAIC_DB",
        "MENTORING_MOSAIC_CONTENT",
        "MENTORING_MOSAIC_ROOM",
        "MENTORING_MOSAIC_PARTICIPANT",
        "QUERY_STRING",
    ):
        monkeypatch.delenv(var, raising=False)
    from mentoring_mosaic import session

    session._shared.clear()
    return home


@pytest.fixture
def store(mm_home: Path):
    """A fresh embedded store."""
    from mentoring_mosaic.store import Store

    s = Store()
    yield s
    s.dispose()


@pytest.fixture
def content():
    """The packaged content library."""
    from mentoring_mosaic.content import get_content

    return get_content()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Block until something listens on ``port`` (or fail with the process's output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"server exited early ({proc.returncode}):\n{out[-3000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server (or ``MENTORING_MOSAIC_TEST_PG``).

    Skipped locally when no server can be started; in CI a missing server is a failure.
    """
    given = os.environ.get("MENTORING_MOSAIC_TEST_PG")
    if given:
        yield given
        return
    bindir = _pg_bin()
    if bindir is None:
        if IN_CI:
            pytest.fail("PostgreSQL server binaries are missing in CI (apt-get install postgresql)")
        pytest.skip("no PostgreSQL server binaries on this machine")
    workdir = Path(tempfile.mkdtemp(prefix="mm-pg-"))
    data = workdir / "data"
    port = free_port()
    prefix: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(workdir, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(workdir / "log"),
                "-w",
                "-o",
                f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError, LookupError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        msg = f"could not start PostgreSQL: {exc} {detail.decode(errors='replace')[-500:]}"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    subprocess.run(
        [*prefix, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
         "mosaic"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/mosaic"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)
