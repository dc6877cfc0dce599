"""The Binder build, replayed: what repo2docker reads, a fresh install, and the app under
``/user/test/`` as a Binder user's server serves it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from ..conftest import IN_CI, ROOT, free_port, wait_for_port
from .conftest import ConsoleErrors, VoilaServer, shot, start_voila, wait_for_app

BINDER = ROOT / "binder"


def binder_python() -> str:
    """The Python version binder/runtime.txt asks for, e.g. ``3.11``."""
    text = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", text)
    assert match, f"binder/runtime.txt should read python-3.X, not {text!r}"
    return match[1]


def pins() -> dict[str, str]:
    """binder/requirements.txt as {normalised name: version}."""
    out = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^\s;]+)", line)
        assert match, f"not an exact pin: {line!r}"
        out[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[3]
    return out


# -- the configuration repo2docker reads -------------------------------------------------------
def test_the_binder_folder_is_complete() -> None:
    version = binder_python()
    assert tuple(int(x) for x in version.split(".")) >= (3, 11)  # pandas 3 needs 3.11
    assert {"voila", "ipywidgets", "ipycytoscape", "pandas", "jupyterlab"} <= set(pins())
    post_build = (BINDER / "postBuild").read_text().splitlines()
    commands = [x for x in post_build if x.strip() and not x.lstrip().startswith("#")]
    assert commands[0] == "set -e"
    assert os.access(BINDER / "postBuild", os.X_OK)
    mode = subprocess.run(
        ["git", "ls-files", "-s", "binder/postBuild"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert mode.startswith("100755") or not mode, "commit binder/postBuild as executable"
    assert not (ROOT / "jupyter_config.json").exists()  # ignored at the root: use voila.json


def test_repo2docker_detects_python_requirements_and_post_build() -> None:
    r2d = shutil.which("jupyter-repo2docker") or str(Path(sys.executable).parent /
                                                     "jupyter-repo2docker")
    if not Path(r2d).exists():
        if IN_CI:
            pytest.fail("jupyter-repo2docker is missing: pip install -e '.[test]'")
        pytest.skip("jupyter-repo2docker is not installed")
    done = subprocess.run(
        [r2d, "--no-build", "--no-run", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-2000:]
    assert f"python={binder_python()}" in out  # runtime.txt, not the 3.10 default
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in out
    assert "./binder/postBuild" in out
    # with a binder/ folder the project itself is not installed by repo2docker: postBuild does it
    assert "pip install --no-cache-dir ." not in out


def test_voila_json_keeps_code_and_data_off_the_file_route() -> None:
    config = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"]
    assert config["show_tracebacks"] is False

    def served(path: str) -> bool:  # Voilà's AllowListFileHandler rule
        allowed = any(re.fullmatch(p, path, re.I) for p in config["file_allowlist"])
        denied = any(re.fullmatch(p, path, re.I) for p in config["file_denylist"])
        return allowed and not denied

    for path in ("notebooks/workshop.ipynb", "mentoring_mosaic/serve/room.py", "workbooks.sqlite3",
                 "data/x.db", "x.SQLITE3", "my-workbook.json", "binder/postBuild",
                 "mentoring_mosaic/widgets/style.css", ".git/config", "notebooks/x.py"):
        assert not served(path), path
    assert served("notebooks/images/mosaic.png")


def test_standalone_voila_at_the_repo_root_reads_voila_json() -> None:
    code = (
        "from voila.app import Voila; import json; app = Voila();"
        "app.initialize(['notebooks', '--no-browser']);"
        "print(json.dumps({'kernels': dict(app.config.MappingKernelManager),"
        " 'tracebacks': app.voila_configuration.show_tracebacks,"
        " 'deny': app.voila_configuration.file_denylist}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["tracebacks"] is False
    assert got["kernels"]["cull_connected"] is False
    assert 60 <= got["kernels"]["cull_idle_timeout"] <= 900
    assert got["deny"] == json.loads((ROOT / "voila.json").read_text())[
        "VoilaConfiguration"]["file_denylist"]


def test_the_server_refuses_notebooks_and_code(binder_like: VoilaServer) -> None:
    for path in ("notebooks/workshop.ipynb", "mentoring_mosaic/serve/room.py", "binder/postBuild",
                 "pyproject.toml"):
        response = requests.get(binder_like.url + "voila/files/" + path, timeout=30)
        assert response.status_code == 403, (path, response.status_code)


# -- a fresh environment, as Binder builds it ----------------------------------------------------
def project_copy(dest: Path) -> Path:
    """The files a clone would have (tracked and new, minus what git ignores)."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


@pytest.mark.slow
def test_a_fresh_environment_installs_the_pins_and_runs_post_build(tmp_path: Path) -> None:
    version = binder_python()
    python = shutil.which(f"python{version}")
    if python is None:
        if IN_CI:
            pytest.fail(f"python{version} (binder/runtime.txt) is not installed")
        pytest.skip(f"python{version} is not installed here")
    repo = project_copy(tmp_path / "repo")
    env_dir = tmp_path / "env"
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("MENTORING_MOSAIC", "JUPYTER", "VIRTUAL_ENV", "PYTHON"))
    }
    env.update(
        HOME=str(home),
        NB_PYTHON_PREFIX=str(env_dir),
        PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
        PIP_NO_CACHE_DIR="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        MENTORING_MOSAIC_HOME=str(home / "mm"),
    )

    def run(*cmd: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True,
                              timeout=timeout)
        assert done.returncode == 0, f"{' '.join(cmd)}:\n{(done.stdout + done.stderr)[-3000:]}"
        return done

    started = time.monotonic()
    run(python, "-m", "venv", str(env_dir))
    py = str(env_dir / "bin" / "python")
    run(py, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt")
    installed_at = time.monotonic()
    run("bash", "binder/postBuild")
    print(f"\nfresh install {installed_at - started:.0f} s, postBuild "
          f"{time.monotonic() - installed_at:.0f} s")

    # exactly the pinned versions, and nothing broken
    run(py, "-m", "pip", "check")
    got = json.loads(run(py, "-c", (
        "import json, importlib.metadata as m, re;"
        "print(json.dumps({re.sub(r'[-_.]+', '-', d.metadata['Name']).lower(): d.version"
        " for d in m.distributions()}))"
    )).stdout)
    wrong = {name: (want, got.get(name)) for name, want in pins().items() if got.get(name) != want}
    assert not wrong, f"installed versions differ from binder/requirements.txt: {wrong}"
    # the package is installed (not just importable from the checkout)
    code = "import mentoring_mosaic.widgets.app as a; print(a.__file__)"
    where = subprocess.run([py, "-c", code], cwd=home, env=env, capture_output=True, text=True)
    assert str(env_dir) in where.stdout, where.stdout + where.stderr

    # the settings postBuild wrote are the ones the server loads
    overrides = json.loads((env_dir / "share/jupyter/lab/settings/overrides.json").read_text())
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    shown = run(str(env_dir / "bin" / "jupyter"), "server", "--show-config", timeout=120).stdout
    assert str(env_dir / "etc/jupyter/jupyter_server_config.json") in shown
    assert re.search(r"cull_connected = False", shown)
    assert re.search(r"cull_idle_timeout = [1-9]\d\d\b", shown)  # a few minutes

    # and that server, under a Binder-style base URL, renders the app and Lab has saveState
    port = free_port()
    server = subprocess.Popen(
        [str(env_dir / "bin" / "jupyter"), "server", f"--port={port}", "--no-browser",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
         "--ServerApp.base_url=/user/test/", *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, proc=server)
        base = f"http://127.0.0.1:{port}/user/test/"
        page = requests.get(base + "voila/render/notebooks/workshop.ipynb", timeout=180)
        assert page.status_code == 200
        assert "application/vnd.jupyter.widget-view+json" in page.text
        assert "There was an error when executing cell" not in page.text
        settings = requests.get(
            base + "lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin", timeout=60
        ).json()
        assert settings["schema"]["properties"]["saveState"]["default"] is True
        lab = requests.get(base + "lab/tree/notebooks/workshop.ipynb", timeout=60)
        assert lab.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- the app under /user/test/ in Chromium ---------------------------------------------------------
@pytest.mark.browser
@pytest.mark.slow
def test_every_stage_renders_under_the_base_url_with_working_links(
    binder_like: VoilaServer, page: Page, console_errors: ConsoleErrors
) -> None:
    from mentoring_mosaic.widgets.pages import STAGES

    page.set_viewport_size({"width": 1280, "height": 800})
    prefix = "/user/test/voila/render/notebooks/"
    existing = [s for s in STAGES if (ROOT / "notebooks" / s.notebook).exists()]
    assert existing and existing[0].id == "welcome"
    page.goto(binder_like.url + "voila/render/notebooks/" + existing[0].notebook)
    for i, stage in enumerate(existing):
        wait_for_app(page)
        assert page.url.split("?")[0].endswith(prefix + stage.notebook), page.url
        expect(page.locator(".mm-header h1")).to_be_visible()
        expect(page.get_by_text("could not start")).to_have_count(0)
        nxt = page.locator('.mm-nav a[rel="next"]')
        if i + 1 == len(STAGES):
            expect(nxt).to_have_count(0)
            break
        following = STAGES[i + 1]
        expect(nxt).to_have_attribute("href", following.notebook)
        if i + 1 >= len(existing) or existing[i + 1].id != following.id:
            break  # the next stage's notebook is not written yet
        nxt.click()
        page.wait_for_url(f"**{prefix}{following.notebook}")
    shot(page, "binder-last-stage")
    # the back link of the last page leads to the one before
    if len(existing) > 1:
        back = page.locator('.mm-nav a[rel="prev"]')
        back.click()
        page.wait_for_url(f"**{prefix}{existing[-2].notebook}")
        wait_for_app(page)

    page.goto(binder_like.url + "voila/render/notebooks/workshop.ipynb")
    wait_for_app(page, ".mm-app")
    title = page.locator(".mm-app .mm-header h1")
    first = title.inner_text()
    page.get_by_role("button", name=re.compile(r"^Next")).first.click()
    expect(title).not_to_have_text(first, timeout=30_000)
    shot(page, "binder-workshop")


@pytest.mark.browser
def test_on_binder_the_app_says_the_copy_is_temporary(
    page: Page, tmp_path_factory: pytest.TempPathFactory, console_errors: ConsoleErrors
) -> None:
    """BinderHub sets BINDER_* in the container; the kernel inherits them from the server. The
    other servers in these tests have none, and their pages say "Keep a copy of your work"."""
    server = start_voila(
        tmp_path_factory.mktemp("binder-env-home"), mode="server", base_url="/user/test/",
        extra_env={"BINDER_LAUNCH_HOST": "https://mybinder.org/",
                   "BINDER_REPO_URL": "https://github.com/OWNER/REPO",
                   "BINDER_REQUEST": "v2/gh/OWNER/REPO/v0.1.0"},
    )
    try:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(server.url + "voila/render/notebooks/workshop.ipynb?stage=wrapup")
        wait_for_app(page, ".mm-app .mm-stage-wrapup")
        warning = page.get_by_text("This copy of the workshop is temporary.", exact=True)
        expect(warning).to_be_visible(timeout=30_000)
        text = page.locator(".mm-app").inner_text()
        # named once, with what it means for the participant
        assert "It runs on Binder, a free service that closes the page after about 10" in text
        assert text.count("Binder") == 1
        assert "send your workbook file to the facilitator" in text
        assert "Keep a copy of your work" not in text and "(0)" not in text
        shot(page, "binder-wrapup-warning")
    finally:
        server.stop()
