"""A real JupyterHub for the tests: configurable-http-proxy, DummyAuthenticator, local spawner.

Each user gets their own single-user Jupyter server (``jupyterhub-singleuser``) whose
default URL is the Voilà app; every server stores workbooks in the same PostgreSQL database,
each user under their own key (``hub-<name>``), as docs/deploy.md sets it up on Kubernetes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import IN_CI, ROOT, free_port, wait_for_port

CHP_VERSION = "4.6.3"
TOOLS = ROOT / ".tools"  # project-local npm prefix (ignored by git)
PASSWORD = "mosaic-hub-test"


def configurable_http_proxy() -> str:
    """The proxy JupyterHub needs; installed with npm into .tools/ when missing."""
    local = TOOLS / "node_modules" / ".bin" / "configurable-http-proxy"
    for candidate in (shutil.which("configurable-http-proxy"), str(local)):
        if candidate and Path(candidate).exists():
            return candidate
    npm = shutil.which("npm")
    if npm:
        TOOLS.mkdir(exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund",
             "--loglevel=error", f"configurable-http-proxy@{CHP_VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode == 0 and local.exists():
            return str(local)
        reason = f"npm could not install configurable-http-proxy: {done.stderr[-800:]}"
    else:
        reason = "configurable-http-proxy is missing and there is no npm (apt-get install npm)"
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Hub:
    """A running JupyterHub."""

    url: str  # public URL, ending in "/"
    proc: subprocess.Popen
    workdir: Path
    db_url: str

    def log(self) -> str:
        path = self.workdir / "hub.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


CONFIG = """
import sys
c = get_config()  # noqa: F821

c.JupyterHub.bind_url = "http://127.0.0.1:{port}/"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.auth_token = "proxy-token-for-tests-only"
c.JupyterHub.db_url = "sqlite:///{workdir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{workdir}/cookie_secret"
c.JupyterHub.pid_file = "{workdir}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = {users!r}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{workdir}/home/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.notebook_dir = {root!r}
c.Spawner.default_url = "/voila/render/notebooks/workshop.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {{
    # every user's server stores workbooks in the one PostgreSQL database ...
    "MENTORING_MOSAIC_DB": {db_url!r},
    # ... each under their own key
    "MENTORING_MOSAIC_PARTICIPANT": lambda spawner: "hub-" + spawner.user.name,
    "MENTORING_MOSAIC_HOME": "{workdir}/mm-home",
    "PYTHONPATH": {root!r},
}}
"""


def start_hub(workdir: Path, db_url: str, users: set[str]) -> Hub:
    """Write a hub config and start ``jupyterhub`` with it."""
    chp = configurable_http_proxy()
    port, hub_port, api_port = free_port(), free_port(), free_port()
    bindir = Path(sys.executable).parent
    args = ["--allow-root"] if os.geteuid() == 0 else []
    config = CONFIG.format(
        port=port,
        hub_port=hub_port,
        api_port=api_port,
        chp=chp,
        workdir=workdir,
        password=PASSWORD,
        users=sorted(users),
        singleuser=str(bindir / "jupyterhub-singleuser"),
        args=args,
        root=str(ROOT),
        db_url=db_url,
    )
    (workdir / "jupyterhub_config.py").write_text(textwrap.dedent(config))
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MENTORING_MOSAIC_DB", None)
    log = (workdir / "hub.log").open("wb")
    proc = subprocess.Popen(
        [str(bindir / "jupyterhub"), "-f", str(workdir / "jupyterhub_config.py")],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    hub = Hub(f"http://127.0.0.1:{port}/", proc, workdir, db_url)
    try:
        wait_for_port(port, timeout=90, proc=proc)
        wait_for_port(hub_port, timeout=90, proc=proc)
    except (TimeoutError, RuntimeError):
        hub.stop()
        raise RuntimeError("JupyterHub did not start:\n" + hub.log()[-3000:]) from None
    return hub
