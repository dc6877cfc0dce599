"""The facilitator's demo loader reads the persona files: a content folder's own persona appears
and loads, and a bad file is named on the page while the others still work (no browser)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mentoring_mosaic import demo
from mentoring_mosaic.exports.basic import to_json
from mentoring_mosaic.model import Profile
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.demo_loader import DemoLoader


@pytest.fixture
def my_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A facilitator's content folder holding only a personas/ folder."""
    folder = tmp_path / "my-content"
    (folder / "personas").mkdir(parents=True)
    monkeypatch.setenv("MENTORING_MOSAIC_CONTENT", str(folder))
    return folder


def _add_nurse(folder: Path) -> None:
    """A downloaded workbook, renamed, dropped into personas/ with a line in the list."""
    base = demo.midcareer(dt.date(2026, 5, 4))
    nurse = base.model_copy(update={
        "workbook_id": "fedcba9876543210fedcba9876543210",
        "updated_at": dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC),
        "profile": base.profile.model_copy(update={"display_name": "Alex Moreno, RN"}),
    })
    (folder / "personas" / "nurse.json").write_bytes(to_json(nurse))
    (folder / "personas" / "personas.toml").write_text(
        '[[persona]]\nfile = "nurse.json"\ndescription = "Charge nurse who precepts new nurses"\n',
        encoding="utf-8",
    )


def test_my_persona_appears_in_the_loader_and_loads(store, my_content: Path) -> None:
    _add_nurse(my_content)
    session = Session(store=store, key="t")
    session.update("profile", Profile(display_name="Real Person"))
    loader = DemoLoader(session)
    options = dict(loader.persona.options)
    assert list(options.values()) == [*demo.DEMO_KEYS, "demo-nurse"]
    assert "Charge nurse who precepts new nurses (Alex Moreno, RN)" in options
    assert loader.problems is None and not loader.load.disabled
    loader.persona.value = "demo-nurse"
    loader.load.click()
    assert store.load("t").profile.display_name == "Alex Moreno, RN"
    assert "Loaded the demo persona: Charge nurse who precepts" in loader.status.value
    # dated from today like the packaged ones: the persona's meetings still lie ahead
    assert all(p.next_step_date > dt.date.today() for p in store.load("t").people)
    loader.undo.click()
    assert store.load("t").profile.display_name == "Real Person"


def test_a_bad_persona_file_is_named_and_the_others_still_load(store, my_content: Path) -> None:
    folder = my_content / "personas"
    (folder / "surgeon.json").write_text(
        '{"schema_version": 3, "needs": {"top_needs": ["<b>knitting</b>"]}}', "utf-8"
    )
    (folder / "<chief>.json").write_text("{}", "utf-8")
    loader = DemoLoader(Session(store=store, key="t"))
    assert [key for _label, key in loader.persona.options] == list(demo.DEMO_KEYS)
    assert loader.problems is not None and loader.problems in loader.children
    shown = loader.problems.value
    assert "Some persona files were left out" in shown
    assert shown.count("This persona is skipped.") == 2
    assert f"{folder / 'surgeon.json'}:" in shown and "&lt;b&gt;knitting" in shown
    assert "&lt;chief&gt;.json" in shown and "file name may use only letters" in shown
    assert "<b>" not in shown and "<chief>" not in shown  # what came from files is escaped
    loader.persona.value = "demo-junior"
    loader.load.click()
    assert store.load("t").profile.display_name == "Dr Daniel Reyes"


def test_with_no_persona_that_loads_the_button_is_off(store, my_content: Path) -> None:
    for key in demo.DEMO_KEYS:
        (my_content / "personas" / f"{key}.json").write_text("not a workbook", "utf-8")
    loader = DemoLoader(Session(store=store, key="t"))
    assert loader.persona.options == () and loader.load.disabled
    assert loader.problems is not None
    assert loader.problems.value.count("This persona is skipped.") == len(demo.DEMO_KEYS)


def test_a_persona_file_removed_after_the_page_opened_gives_a_message(
    store, my_content: Path
) -> None:
    _add_nurse(my_content)
    loader = DemoLoader(Session(store=store, key="t"))
    loader.persona.value = "demo-nurse"
    (my_content / "personas" / "nurse.json").unlink()
    loader.load.click()
    assert "cannot be loaded any more" in loader.status.value
    assert store.load("t").profile.display_name != "Alex Moreno, RN"
