"""The welcome page's demo loader (facilitators only), the file bar's words and its resume
button, and the workbook download built at the click: driven without a browser."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mentoring_mosaic.model import Profile, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.common import (
    BINDER_ENV,
    WorkbookFileBar,
    file_bar_hint,
    on_binder,
)
from mentoring_mosaic.widgets.demo_loader import DemoLoader, demo_loader_allowed
from mentoring_mosaic.widgets.welcome import WelcomeView

FKEY = "f" * 30


@pytest.fixture(autouse=True)
def not_on_binder(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in BINDER_ENV:
        monkeypatch.delenv(var, raising=False)


def test_binder_is_detected_from_its_environment() -> None:
    assert not on_binder({})
    assert not on_binder({"BINDER_REPO_URL": ""})
    for var in BINDER_ENV:
        assert on_binder({var: "x"}), var


def test_the_binder_warning_shows_only_on_binder(
    store, monkeypatch: pytest.MonkeyPatch
) -> None:
    bar = WorkbookFileBar(Session(store=store, key="t"))
    assert "Keep a copy of your work" in bar.hint.value
    assert "Binder" not in bar.hint.value and "10 minutes" not in bar.hint.value
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    bar = WorkbookFileBar(Session(store=store, key="t"))
    assert "Binder, a free service that closes the page after about 10 minutes" in bar.hint.value
    assert "temporary" in file_bar_hint(True) and "Binder" not in file_bar_hint(False)


def test_resume_button_reads_without_a_counter(store) -> None:
    bar = WorkbookFileBar(Session(store=store, key="t"))
    assert bar.upload.layout.display == "none"  # its own label always ends in "(0)"
    assert "mm-upload" in bar.upload._dom_classes
    assert ">⬆ Resume from a file</button>" in bar.resume.value
    assert "(0)" not in bar.resume.value
    # the page's browser module opens the picker: no handler in the markup
    assert 'class="jupyter-widgets jupyter-button widget-button mm-resume"' in bar.resume.value
    assert "onclick" not in bar.resume.value


def test_the_workbook_download_holds_the_answers_at_the_click(store, browser_sent) -> None:
    session = Session(store=store, key="t")
    bar = WorkbookFileBar(session)
    assert browser_sent == []  # nothing built, nothing sent, until a click
    session.update("profile", Profile(display_name="Dr Ana <b>Ruiz</b>"))
    assert browser_sent == []  # a change sends nothing either
    bar.download.button.click()
    [(msg, [data])] = browser_sent  # the bytes travel as a binary buffer, beside the message
    assert json.loads(data)["profile"]["display_name"] == "Dr Ana <b>Ruiz</b>"
    # the file name never carries the participant's name (it travels with the file)
    assert msg == {"do": "download", "name": "mentoring-mosaic-my-workbook.json",
                   "mime": "application/json"}
    assert "Sent to your downloads" in bar.download.note.value


def test_resume_from_a_file_still_loads_and_undoes(store) -> None:
    session = Session(store=store, key="t")
    session.update("profile", Profile(display_name="Before"))
    bar = WorkbookFileBar(session)
    other = Workbook(profile=Profile(display_name="From the file"))
    raw = json.dumps(other.to_json_dict()).encode()
    bar.upload.value = ({"name": "mine.json", "type": "application/json", "size": len(raw),
                         "content": memoryview(raw), "last_modified": dt.datetime.now(dt.UTC)},)
    assert session.workbook.profile.display_name == "From the file"
    assert bar.upload.value == ()
    assert "Welcome back" in bar.status.value and bar.undo.layout.display == ""
    bar.undo.click()
    assert session.workbook.profile.display_name == "Before"


def upload(bar: WorkbookFileBar, workbook: Workbook, name: str = "mine.json") -> None:
    raw = json.dumps(workbook.to_json_dict()).encode()
    bar.upload.value = ({"name": name, "type": "application/json", "size": len(raw),
                         "content": memoryview(raw), "last_modified": dt.datetime.now(dt.UTC)},)


def test_resume_on_a_new_page_offers_no_undo(store) -> None:
    """Nothing was answered here yet: the file's answers are simply back."""
    session = Session(store=store, key="t")
    assert not session.workbook.has_answers()
    bar = WorkbookFileBar(session)
    upload(bar, Workbook(profile=Profile(display_name="From the file")))
    assert "your answers are back" in bar.status.value and "Undo" not in bar.status.value
    assert bar.undo.layout.display == "none"
    assert session.workbook.has_answers()


def test_an_older_file_is_loaded_only_when_the_participant_says_so(store) -> None:
    """The participant picks last season's file by mistake: nothing is replaced until they
    choose; "Keep my answers here" changes nothing, "Load the older file" loads it with
    "Undo resume" to go back."""
    session = Session(store=store, key="t")
    session.update("profile", Profile(display_name="Newer answers"))
    old = Workbook(profile=Profile(display_name="Old <b>file</b>"),
                   updated_at=session.workbook.updated_at - dt.timedelta(days=95))
    bar = WorkbookFileBar(session)
    upload(bar, old, name="<i>old</i>.json")
    assert session.workbook.profile.display_name == "Newer answers"  # nothing replaced yet
    assert bar.older.layout.display == ""
    assert "is older than the answers on this page (saved today)" in bar.older_text.value
    assert "<i>" not in bar.older_text.value  # the file's name is escaped
    bar.keep_mine.click()
    assert bar.older.layout.display == "none" and "Nothing changed" in bar.status.value
    assert session.workbook.profile.display_name == "Newer answers"
    upload(bar, old)
    bar.load_older.click()
    assert session.workbook.profile.display_name == "Old <b>file</b>"
    assert bar.older.layout.display == "none" and bar.undo.layout.display == ""
    bar.undo.click()
    assert session.workbook.profile.display_name == "Newer answers"


def test_a_file_without_the_review_made_here_counts_as_older(store) -> None:
    """A workbook file from the workshop day, resumed after the review was done on this page
    (the file carries no save time): the page asks first, and says what the file lacks."""
    from mentoring_mosaic.model import Review

    session = Session(store=store, key="t")
    session.update("review", Review(reviewed_on=dt.date.today(),
                                    completed_at=dt.datetime.now(dt.UTC)))
    workshop_day = Workbook(profile=Profile(display_name="Workshop day"))
    assert workshop_day.updated_at is None and workshop_day.is_older_than(session.workbook)
    bar = WorkbookFileBar(session)
    upload(bar, workshop_day)
    assert "It does not have the review of your plan you made here" in bar.older_text.value
    assert session.workbook.review is not None
    # a newer file (it has the review) loads at once
    assert not session.workbook.is_older_than(workshop_day)


def test_a_returning_participant_is_pointed_to_the_review(store) -> None:
    from mentoring_mosaic.model import Baseline

    session = Session(store=store, key="t")
    bar = WorkbookFileBar(session)
    kept = Workbook(baseline=Baseline(taken_on=dt.date.today() - dt.timedelta(days=95)))
    upload(bar, kept)
    assert "choose “Three months on” at the top of the page" in bar.status.value


def test_resume_refuses_an_id_the_content_does_not_define(store) -> None:
    session = Session(store=store, key="t")
    session.update("profile", Profile(display_name="Before"))
    mine = session.workbook.workbook_id
    bar = WorkbookFileBar(session)
    other = Workbook(profile=Profile(display_name="From the file")).to_json_dict()
    other["scenarios"] = {"<b>Dr Smith's case</b>": {"strategy": "ask"}}
    raw = json.dumps(other).encode()
    bar.upload.value = ({"name": "mine.json", "type": "application/json", "size": len(raw),
                         "content": memoryview(raw), "last_modified": dt.datetime.now(dt.UTC)},)
    assert bar.upload.value == ()
    assert "mm-status-error" in bar.status.value
    assert "scenarios: &quot;&lt;b&gt;Dr Smith&#x27;s case&lt;/b&gt;&quot; is not one of this " \
           "workshop&#x27;s scenarios" in bar.status.value, bar.status.value
    assert "<b>" not in bar.status.value
    assert bar.undo.layout.display == "none"  # nothing was replaced, nothing to undo
    stored = store.load("t")
    assert stored.profile.display_name == "Before" and stored.workbook_id == mine
    assert session.workbook.profile.display_name == "Before"


# -- the demo loader: facilitators only ---------------------------------------------------------
def test_participants_never_see_the_demo_loader(store, content) -> None:
    view = WelcomeView(Session(store=store, key="t"), content)
    assert view.demo is None
    assert not any(isinstance(c, DemoLoader) for c in view.children)


@pytest.mark.parametrize("query", ["facilitator=1", "facilitator=yes", "stage=x&facilitator=true"])
def test_the_facilitator_link_shows_the_demo_loader(
    store, content, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    monkeypatch.setenv("QUERY_STRING", query)
    view = WelcomeView(Session(store=store, key="t"), content)
    assert isinstance(view.demo, DemoLoader) and view.children[-1] is view.demo
    assert "You opened the facilitator link" in view.demo.children[0].value


@pytest.mark.parametrize("query", ["facilitator=0", "facilitator=", "demo=1", ""])
def test_other_links_do_not_show_it(monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    monkeypatch.setenv("QUERY_STRING", query)
    assert not demo_loader_allowed()


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("key=K&facilitator=1", False),  # in a room the plain facilitator link is not enough
        (f"key=K&fkey={FKEY}x", False),
        ("key=K&fkey=", False),
        (f"key=K&fkey={FKEY}", True),
    ],
)
def test_in_a_room_only_the_facilitator_key_shows_it(
    store, content, monkeypatch: pytest.MonkeyPatch, query: str, shown: bool
) -> None:
    store.create_participant("K")
    monkeypatch.setenv("MENTORING_MOSAIC_ROOM", "1")
    monkeypatch.setenv("MENTORING_MOSAIC_FACILITATOR_KEY", FKEY)
    monkeypatch.setenv("QUERY_STRING", query)
    view = WelcomeView(Session(store=store, key="K"), content)
    assert (view.demo is not None) is shown


def test_long_tick_box_labels_wrap(store, content) -> None:
    from mentoring_mosaic.widgets.stage7_wrapup import WrapUpView

    session = Session(store=store, key="t")
    assert "mm-check-wrap" in WelcomeView(session, content).mentors_others._dom_classes
    assert "mm-check-wrap" in WrapUpView(session, content).consent._dom_classes


@pytest.mark.parametrize(("fkey", "shown"), [(FKEY, True), (FKEY + "x", False), ("", False)])
def test_a_room_link_with_the_facilitator_key_opens_the_app_with_the_personas(
    store, monkeypatch: pytest.MonkeyPatch, fkey: str, shown: bool
) -> None:
    from mentoring_mosaic import session as session_module
    from mentoring_mosaic.widgets.app import WorkshopApp
    from mentoring_mosaic.widgets.room_start import room_page

    key = store.create_participant()
    monkeypatch.setenv("MENTORING_MOSAIC_ROOM", "1")
    monkeypatch.setenv("MENTORING_MOSAIC_FACILITATOR_KEY", FKEY)
    monkeypatch.setenv("QUERY_STRING", f"key={key}&fkey={fkey}")
    session_module._shared.clear()
    page = room_page()
    assert isinstance(page, WorkshopApp) and page.session.key == key  # not the dashboard
    welcome = page.views["welcome"]
    assert (welcome.demo is not None) is shown


def test_the_welcome_page_says_how_to_come_back(store, content) -> None:
    """A new page: resume the file you kept. A plan from an earlier day already here: go to
    the review (resuming the old file again would only bring an older copy). The workshop
    day itself: nothing, the page is about today."""
    from mentoring_mosaic.model import Baseline
    from mentoring_mosaic.widgets.welcome import WelcomeView

    session = Session(store=store, key="t")
    view = WelcomeView(session, content)
    assert "Coming back after the workshop?" in view.coming_back.value
    kept = Workbook(baseline=Baseline(taken_on=dt.date.today() - dt.timedelta(days=95)))
    session.replace(kept)
    assert "Welcome back." in view.coming_back.value
    assert "Resume from a file" not in view.coming_back.value
    session.replace(Workbook(baseline=Baseline(taken_on=dt.date.today())))
    assert view.coming_back.value == ""
