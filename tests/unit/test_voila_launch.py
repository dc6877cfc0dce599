"""Our Voilà settings reach the objects Voilà builds from its config."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import nbformat
from traitlets.config import Config
from voila.execute import VoilaExecutor

from mentoring_mosaic.serve.voila_launch import IOPUB_TIMEOUT, configure, set_xsrf_cookie

ROOT = Path(__file__).resolve().parents[2]


def configured_executor() -> VoilaExecutor:
    config = Config()
    configure(config)
    return VoilaExecutor(nbformat.v4.new_notebook(), config=config)


def test_pages_wait_for_a_busy_kernels_outputs() -> None:
    # nbclient's default (4 s) served empty pages to a loaded room
    executor = configured_executor()
    assert executor.iopub_timeout == IOPUB_TIMEOUT
    cell_timeout = json.loads((ROOT / "voila.json").read_text())["VoilaExecutor"]["timeout"]
    assert cell_timeout <= IOPUB_TIMEOUT
    assert not executor.raise_on_iopub_timeout  # a late message still never breaks a page


def test_prelaunch_hook_sets_the_xsrf_cookie() -> None:
    touched: list[str] = []

    class Request:
        @property
        def xsrf_token(self) -> bytes:
            touched.append("xsrf")
            return b"token"

    config = Config()
    configure(config)
    assert config.VoilaConfiguration.prelaunch_hook is set_xsrf_cookie
    set_xsrf_cookie(Request(), SimpleNamespace(), "")
    assert touched == ["xsrf"]


def test_binder_applies_the_same_settings() -> None:
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "from mentoring_mosaic.serve.voila_launch import configure" in post_build
    assert "configure(c)" in post_build


def test_standalone_voila_has_no_prelaunch_hook_so_the_room_may_preheat() -> None:
    # Voila refuses preheat_kernel together with a prelaunch_hook; standalone, our page
    # handler sets the _xsrf cookie instead (tests/e2e/test_room_pool.py: closed pages free
    # their kernels)
    config = Config()
    configure(config, standalone=True)
    assert "prelaunch_hook" not in config.VoilaConfiguration
    assert config.VoilaExecutor.iopub_timeout == IOPUB_TIMEOUT
