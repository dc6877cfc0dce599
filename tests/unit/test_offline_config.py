"""Offline and private settings reach every way we run Voilà (start, room, Binder's server)."""

from __future__ import annotations

import os
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from traitlets.config import Config

from mentoring_mosaic.serve import voila_launch
from mentoring_mosaic.serve.cli import voila_command
from mentoring_mosaic.serve.room import room_command
from mentoring_mosaic.serve.voila_launch import DATA_DIR, SECURITY_HEADERS, TEMPLATE, configure

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = DATA_DIR / "voila" / "templates" / TEMPLATE


@pytest.fixture
def clean_jupyter_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", "/somewhere/else")


def test_configure_selects_our_template_headers_and_no_tracebacks(clean_jupyter_path) -> None:
    c = Config()
    configure(c)
    assert c.VoilaConfiguration.template == TEMPLATE
    assert c.VoilaConfiguration.show_tracebacks is False
    assert SECURITY_HEADERS == {"Referrer-Policy": "same-origin"}
    for section in (c.ServerApp, c.Voila):  # lazy until merged: resolve as traitlets would
        settings = section.tornado_settings.get_value({})
        assert settings["headers"]["Referrer-Policy"] == "same-origin"
        # Voilà's page asks cdnjs for MathJax under a Jupyter server unless both are unset
        assert settings["mathjax_url"] is None and settings["mathjax_config"] is None
    assert os.environ["JUPYTER_PATH"].split(os.pathsep) == [str(DATA_DIR), "/somewhere/else"]
    configure(Config())  # twice: the folder is not added again
    assert os.environ["JUPYTER_PATH"].count(str(DATA_DIR)) == 1


def test_headers_join_settings_already_there(clean_jupyter_path) -> None:
    c = Config()
    c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors x"}}
    configure(c)
    assert c.ServerApp.tornado_settings["headers"] == {
        "Content-Security-Policy": "frame-ancestors x", "Referrer-Policy": "same-origin"}
    assert c.ServerApp.tornado_settings["mathjax_config"] is None


def test_voila_finds_the_template_and_its_local_fontawesome(clean_jupyter_path) -> None:
    from voila.paths import collect_static_paths, collect_template_paths

    configure(Config())
    templates = collect_template_paths(["voila", "nbconvert"], TEMPLATE, prune=True)
    assert templates[0] == str(TEMPLATE_DIR)
    assert any(p.endswith(os.path.join("voila", "templates", "lab")) for p in templates)
    statics = collect_static_paths(["voila", "nbconvert"], TEMPLATE)
    assert str(TEMPLATE_DIR / "static") in statics
    fa = TEMPLATE_DIR / "static" / "fontawesome"
    css = (fa / "css" / "all.min.css").read_text()
    assert "Font Awesome Free 5.15.4" in css
    for font in ("fa-solid-900", "fa-regular-400", "fa-brands-400"):
        assert f"url(../webfonts/{font}.woff2)" in css
        assert (fa / "webfonts" / f"{font}.woff2").stat().st_size > 10_000
    assert (fa / "css" / "v4-shims.min.css").exists() and (fa / "LICENSE.txt").exists()
    for page in ("index.html.j2", "page.html"):
        text = (TEMPLATE_DIR / page).read_text()
        assert "voila/templates/mosaic/static/fontawesome/css/all.min.css" in text


def test_the_template_ships_in_the_package() -> None:
    """A wheel (Binder's ``pip install .``) carries every file of the template."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["mentoring_mosaic"]
    package = ROOT / "mentoring_mosaic"
    files = [p.relative_to(package).as_posix() for p in DATA_DIR.rglob("*") if p.is_file()]
    assert len(files) >= 9
    glob = next(p for p in patterns if p.startswith("jupyter_data/"))
    assert glob == "jupyter_data/**/*"
    assert all(fnmatch(f, "jupyter_data/*") for f in files)


def test_no_token_and_no_tracebacks_on_the_command_lines() -> None:
    start = voila_command(Path("/srv/notebooks"), 8866)
    room = room_command(Path("/srv/site/x.ipynb"), 8866, ip="0.0.0.0", cull_seconds=120)
    for cmd in (start, room):
        assert "--show_tracebacks=False" in cmd
        assert "--Voila.port_retries=0" in cmd  # the printed links' port, or a clear refusal
        assert not any("token" in part.lower() for part in cmd), cmd


def test_the_room_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    class FakeVoila:
        @classmethod
        def launch_instance(cls, argv: list[str], config: Config) -> None:
            seen["argv"], seen["token"] = argv, config.Voila.get("token")

    monkeypatch.setattr(voila_launch, "_voila_class", lambda: FakeVoila)
    monkeypatch.setenv("MENTORING_MOSAIC_ROOM_TOKEN", "a-room-token-0123456789")
    monkeypatch.setenv("MENTORING_MOSAIC_ROOM", "1")
    voila_launch.main(["nb.ipynb"])
    assert seen == {"argv": ["nb.ipynb"], "token": "a-room-token-0123456789"}
    monkeypatch.delenv("MENTORING_MOSAIC_ROOM")  # `start`: no token, whatever the shell has
    voila_launch.main(["nb.ipynb"])
    assert seen["token"] is None
