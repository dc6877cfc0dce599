"""The room's one page and the ``room`` command, without a browser or a server."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from mentoring_mosaic.serve import cli, room
from mentoring_mosaic.widgets import room_start
from mentoring_mosaic.widgets.app import WorkshopApp
from mentoring_mosaic.widgets.room_start import room_link, room_page

TOKEN = "room-token-0123456789abcdef"
FKEY = "facilitator-key-0123456789"


@pytest.fixture
def in_room(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A kernel of the room server: room mode, token, facilitator key, request URL."""
    monkeypatch.setenv("MENTORING_MOSAIC_ROOM", "1")
    monkeypatch.setenv("MENTORING_MOSAIC_ROOM_TOKEN", TOKEN)
    monkeypatch.setenv("MENTORING_MOSAIC_FACILITATOR_KEY", FKEY)
    monkeypatch.setenv("VOILA_REQUEST_URL", f"http://10.0.0.5:8866/?token={TOKEN}")
    monkeypatch.delenv("MENTORING_MOSAIC_ROOM_URL", raising=False)
    monkeypatch.delenv("MENTORING_MOSAIC_ROOM_DASHBOARD", raising=False)
    return monkeypatch


def visit(monkeypatch: pytest.MonkeyPatch, query: str):
    monkeypatch.setenv("QUERY_STRING", query)
    from mentoring_mosaic import session

    session._shared.clear()
    return room_page()


def test_a_page_without_a_key_sends_people_to_the_shared_link(in_room, store) -> None:
    """The server writes the start page itself; a kernel asked for one makes nobody new."""
    page = visit(in_room, f"token={TOKEN}")
    assert "mm-room-refused" in page._dom_classes
    assert "needs your private link" in page.children[1].value
    assert f'href="http://10.0.0.5:8866/?token={TOKEN}"' in page.children[1].value
    assert store.participants() == []


def test_a_private_link_opens_that_workbook(in_room, store) -> None:
    key = store.create_participant()
    store.save_section(key, "profile", {"display_name": "Ana"})
    page = visit(in_room, f"token={TOKEN}&key={key}")
    assert isinstance(page, WorkshopApp)
    assert page.session.key == key
    assert page.session.workbook.profile.display_name == "Ana"


@pytest.mark.parametrize("key", ["A" * 24, "default", "demo-pgy3", "../etc", "x" * 80])
def test_unknown_and_guessable_keys_are_refused(in_room, store, key: str) -> None:
    store.create_participant("default")
    store.create_participant("demo-pgy3", is_demo=True)
    page = visit(in_room, f"token={TOKEN}&key={key}")
    assert "mm-room-refused" in page._dom_classes
    assert "does not open a workbook" in page.children[1].value
    assert not store.exists("A" * 24)


@pytest.mark.parametrize("fkey", ["", "wrong", FKEY + "x", FKEY.upper()])
def test_the_dashboard_is_refused_without_the_facilitator_key(in_room, store, fkey: str) -> None:
    page = visit(in_room, f"token={TOKEN}&fkey={fkey}")
    assert "mm-room-refused" in page._dom_classes
    assert "for the facilitator" in page.children[1].value


def test_the_facilitator_key_runs_the_dashboard_notebook(in_room, store, tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# ignored"),
        nbformat.v4.new_code_cell("import json\nvalue = json.dumps({'ran': True})"),
        nbformat.v4.new_code_cell("RESULT.append(value)\nvalue"),
    ]
    path = tmp_path / "dashboard.ipynb"
    nbformat.write(nb, path)
    in_room.setenv("MENTORING_MOSAIC_ROOM_DASHBOARD", str(path))
    seen: list[str] = []
    import builtins

    in_room.setattr(builtins, "RESULT", seen, raising=False)
    shown: list[object] = []
    in_room.setattr("IPython.display.display", lambda obj: shown.append(obj))
    assert visit(in_room, f"token={TOKEN}&fkey={FKEY}") is None
    assert seen == [json.dumps({"ran": True})]
    assert shown == [json.dumps({"ran": True})]


def test_the_facilitator_key_opens_the_presenter_view(in_room, store) -> None:
    from mentoring_mosaic.widgets.presenter import Presenter

    page = visit(in_room, f"token={TOKEN}&fkey={FKEY}&view=agenda")
    assert isinstance(page, Presenter)
    refused = visit(in_room, f"token={TOKEN}&fkey=wrong&view=agenda")
    assert "mm-room-refused" in refused._dom_classes
    assert "for the facilitator" in refused.children[1].value
    page.close()


def test_the_real_dashboard_notebook_is_found() -> None:
    found = room_start.dashboard_notebook()
    assert found is not None and found.name == "dashboard.ipynb"


def test_outside_a_room_the_page_says_so(monkeypatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "")
    page = room_page()
    assert "Not a room server" in page.children[1].value


def test_links_use_the_public_url_when_given(in_room) -> None:
    in_room.setenv("MENTORING_MOSAIC_ROOM_URL", "https://room.example.org/mosaic")
    assert room_link(key="k") == f"https://room.example.org/mosaic/?token={TOKEN}&key=k"


# -- the command ----------------------------------------------------------------------------------
def test_dry_run_prints_the_links_and_a_locked_down_voila(capsys, mm_home: Path) -> None:
    code = cli.main(["room", "--dry-run", "--ip=127.0.0.1", "--port=9123", f"--token={TOKEN}",
                     f"--facilitator-key={FKEY}", "--cull-seconds=60"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"http://127.0.0.1:9123/?token={TOKEN}\n" in out
    assert f"http://127.0.0.1:9123/?token={TOKEN}&fkey={FKEY}\n" in out
    assert f"http://127.0.0.1:9123/?token={TOKEN}&fkey={FKEY}&view=agenda\n" in out
    command = out.strip().splitlines()[-1]
    assert TOKEN not in command, "the token never goes on a command line (process list)"
    for flag in ("--MappingKernelManager.cull_idle_timeout=60",
                 "--MappingKernelManager.cull_connected=False", "--show_tracebacks=False",
                 "--KernelManager.transport=ipc",
                 "--VoilaConfiguration.file_allowlist=(?!)"):
        assert flag in command
    site = mm_home / "room-site"
    assert [p.name for p in site.iterdir()] == [room.NOTEBOOK_NAME]
    cell = nbformat.read(site / room.NOTEBOOK_NAME, as_version=4).cells
    assert [c.source for c in cell] == [room.WARM_CELL, room.ROOM_CELL]  # ready kernels


def test_the_served_folder_holds_only_the_notebook(mm_home: Path) -> None:
    site = mm_home / "room-site"
    site.mkdir()
    (site / "workbooks.sqlite3").write_text("x")
    room.write_site(site)
    assert sorted(p.name for p in site.iterdir()) == [room.NOTEBOOK_NAME]


@pytest.mark.parametrize(
    "args",
    [["--token=short"], ["--facilitator-key=has spaces in it!!"], ["--port=0"],
     ["--cull-seconds=1"]],
)
def test_bad_options_are_one_line_errors(capsys, args: list[str]) -> None:
    assert cli.main(["room", "--dry-run", *args]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith("mentoring-mosaic: ") and "\n" not in err


def test_the_environment_switches_kernels_to_room_mode() -> None:
    env = room.room_environment(token=TOKEN, facilitator_key=FKEY, public_url="",
                                dashboard=Path("/x/dashboard.ipynb"))
    assert env["MENTORING_MOSAIC_ROOM"] == "1"
    assert env["MENTORING_MOSAIC_FACILITATOR_KEY"] == FKEY
    assert env["MENTORING_MOSAIC_ROOM_DASHBOARD"] == "/x/dashboard.ipynb"
    assert "MENTORING_MOSAIC_PARTICIPANT" not in env


def test_an_unreachable_database_is_a_one_line_error(capsys, monkeypatch) -> None:
    monkeypatch.setenv("MENTORING_MOSAIC_DB", "postgresql://mosaic:s3cret@127.0.0.1:1/mosaic")
    assert cli.main(["room", "--dry-run"]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert "cannot open the workbook store" in err and "\n" not in err and "s3cret" not in err
