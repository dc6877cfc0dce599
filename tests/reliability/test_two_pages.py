"""Two stage pages (two kernels) edit the same workbook at once: both edits survive.

The welcome page and stage 1 both write the ``profile`` section (name and roles; "what will
be new or hard"), each from the copy its kernel loaded when the page opened. A save must not
put back the other page's old values.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from mentoring_mosaic.model import ManagingUpPlan, Person
from mentoring_mosaic.session import Session
from mentoring_mosaic.store import DEFAULT_KEY, Store

from ..e2e.conftest import VoilaServer, wait_for_app

NEW = "What will be new or hard for me"


def saved_title(page: Page) -> str | None:
    return page.locator("span.mm-saved[title]").first.get_attribute("title")


def commit(page: Page, field: str, value: str, *, role: str = "textbox") -> None:
    """Type a value, leave the field (that is when it saves), wait for the new save time."""
    box = page.get_by_role(role, name=field, exact=True)
    before = saved_title(page) if page.locator("span.mm-saved[title]").count() else None
    box.fill(value)
    box.press("Tab")
    expect(page.locator("span.mm-saved[title]").first).not_to_have_attribute(
        "title", before or "", timeout=30_000
    )


def stored(voila: VoilaServer):
    store = Store(f"sqlite:///{voila.home / 'workbooks.sqlite3'}")
    try:
        return store.load(DEFAULT_KEY)
    finally:
        store.dispose()


def test_two_sessions_keep_each_others_changes(store: Store) -> None:
    """The same, without a browser: two sessions (two kernels) on one workbook."""
    store.save_person("k", Person(id="p1", name="Dr Lee"))
    store.save_person("k", Person(id="p2", name="Dr Okafor"))
    a, b = Session(store=store, key="k"), Session(store=store, key="k")
    b.edit("profile", lambda p: setattr(p, "whats_new", "nights"))
    a.edit("profile", lambda p: setattr(p, "display_name", "Ana"))  # a's copy is stale
    assert store.load("k").profile.whats_new == "nights"
    b.edit("managing_up", lambda m: m.update(p2=ManagingUpPlan(agenda_setter="me")))
    a.edit("managing_up", lambda m: m.update(p1=ManagingUpPlan(agenda_setter="mentor")))
    a.edit("profile", lambda p: setattr(p, "whats_new", "nights and the rota"))
    wb = store.load("k")
    assert wb.profile.display_name == "Ana"
    assert wb.profile.whats_new == "nights and the rota"  # a changed it last: a wins
    assert set(wb.managing_up) == {"p1", "p2"}
    assert a.workbook.profile == wb.profile  # a now knows b's changes too
    # removing a plan in one session does not bring it back from the other
    a.edit("managing_up", lambda m: m.pop("p2") and None)
    b.edit("managing_up", lambda m: m.update(p3=ManagingUpPlan(one_ask="20 minutes")))
    assert set(store.load("k").managing_up) == {"p1", "p3"}


@pytest.mark.browser
@pytest.mark.slow
def test_welcome_and_stage1_edit_the_profile_at_once(
    browser: Browser, voila: VoilaServer
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        welcome, needs, welcome2 = (context.new_page() for _ in range(3))
        welcome.goto(voila.page("00_welcome.ipynb"))
        needs.goto(voila.page("01_needs.ipynb"))
        welcome2.goto(voila.page("00_welcome.ipynb"))
        for page in (welcome, needs, welcome2):
            wait_for_app(page)
        # all three kernels have loaded the same (empty) workbook; now each saves in turn
        commit(needs, NEW, "Leading night shifts")
        commit(welcome, "Your name (optional)", "Ana Two-Tabs")
        commit(welcome2, "Your current role", "PGY-3 resident", role="combobox")
        commit(needs, NEW, "Leading night shifts and the rota")
        commit(welcome, "Your next role", "Chief resident", role="combobox")

        profile = stored(voila).profile
        assert profile.display_name == "Ana Two-Tabs"
        assert profile.current_role == "PGY-3 resident"
        assert profile.next_role == "Chief resident"
        assert profile.whats_new == "Leading night shifts and the rota"

        welcome.reload()
        wait_for_app(welcome)
        expect(welcome.get_by_role("textbox", name="Your name (optional)")).to_have_value(
            "Ana Two-Tabs", timeout=30_000
        )
        expect(welcome.get_by_role("combobox", name="Your current role")).to_have_value(
            "PGY-3 resident"
        )
        needs.reload()
        wait_for_app(needs)
        expect(needs.get_by_role("textbox", name=NEW, exact=True)).to_have_value(
            "Leading night shifts and the rota", timeout=30_000
        )
    finally:
        context.close()
