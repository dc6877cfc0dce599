"""The facilitator's dashboard and presenter view in Chromium, served as on Binder.

One Binder-like server (``jupyter server`` with Voilà under ``/user/test/``, rooted at the
repository) serves both notebooks from ``facilitator/``, so the guide's Binder URLs are checked
too. Its store starts with four consenting participants and one who did not consent.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import Consent, DomainRating, Evaluation, Needs, Profile, Workbook
from mentoring_mosaic.store import Store

from .conftest import (
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    scrolled_shot,
    shot,
    start_voila,
    wait_for_app,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def participant(i: int, consent: bool = True) -> Workbook:
    return Workbook(
        profile=Profile(display_name=f"Hidden Person {i}"),
        needs=Needs(ratings={"sponsorship": DomainRating(support=1, need=4)}),
        evaluation=Evaluation(headline={0: 5, 1: 4, 2: 2, 3: 5}.get(i, 4)),
        consent=Consent(share_anonymised=consent),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    home = tmp_path_factory.mktemp("facilitator-home")
    store = Store(f"sqlite:///{home / 'workbooks.sqlite3'}")
    for i in range(4):
        store.save_workbook(f"p{i}", participant(i))
    store.save_workbook("no-consent", participant(9, consent=False))
    store.dispose()
    srv = start_voila(home, mode="server", base_url="/user/test/")
    yield srv
    srv.stop()


def no_sideways_scroll(page: Page, width: int) -> None:
    assert_fits(page, f"dashboard at {width}px", width)


def test_dashboard_live_store_and_file_drop(
    page: Page, server: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server.page("facilitator/dashboard.ipynb"))
    wait_for_app(page, ".mm-dash")
    expect(page.get_by_role("heading", name="The room at a glance")).to_be_visible()
    kpis = page.locator(".mm-kpis")
    expect(kpis).to_contain_text("4participants have shared so far", timeout=30_000)
    # headline answers 5, 4, 2, 5 (the non-consenting 4 is not counted): 3 of 4 agree
    expect(kpis).to_contain_text("75%")
    expect(kpis).to_contain_text("3 of 4 who answered agree or strongly agree")
    expect(page.locator(".mm-chart svg")).to_have_count(5)
    expect(page.get_by_text("Hidden Person")).to_have_count(0)
    shot(page, "dashboard-laptop")
    assert_accessible(page, "dashboard")

    # Live: a fifth participant saves; Refresh shows it.
    store = Store(f"sqlite:///{server.home / 'workbooks.sqlite3'}")
    store.save_workbook("p5", participant(5))
    store.dispose()
    page.get_by_role("button", name="Refresh").click()
    expect(kpis).to_contain_text("5participants have shared so far", timeout=15_000)

    # Download every table as CSV: one zip.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download every table as CSV (zip)").click()
    with zipfile.ZipFile(info.value.path()) as z:
        assert "mentoring-mosaic-room/gaps.csv" in z.namelist()
        assert "Hidden Person" not in z.read("mentoring-mosaic-room/summary.csv").decode()

    # Files dropped in: one zip with three good workbooks and two bad entries.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for i in range(3):
            z.writestr(f"room/p{i}.json", json.dumps(participant(10 + i).to_json_dict()))
        z.writestr("../escape.json", json.dumps(participant(20).to_json_dict()))
        z.writestr("notes.txt", "hello")
    drop = tmp_path / "room.zip"
    drop.write_bytes(buffer.getvalue())
    bad = tmp_path / "broken.json"
    bad.write_text("{")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add participant files").click()
    chooser.value.set_files([str(drop), str(bad)])
    expect(kpis).to_contain_text("3participants have shared so far", timeout=20_000)
    problems = page.locator(".mm-dash table[aria-label='Files not counted']")
    expect(problems).to_contain_text("climbs out of the zip")  # ../escape.json
    expect(problems).to_contain_text("not valid JSON")  # broken.json
    expect(problems).to_contain_text("not a workbook file")  # notes.txt

    page.set_viewport_size({"width": 1920, "height": 1080})
    shot(page, "dashboard-projector")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "dashboard-phone")
    no_sideways_scroll(page, 390)


def test_agenda_presenter_from_the_keyboard(
    page: Page, server: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(server.page("facilitator/agenda.ipynb"))
    wait_for_app(page, ".mm-presenter")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    clock = page.locator(".mm-clock")
    expect(clock).to_have_text("5:00")
    expect(page.get_by_text("Next: My mentoring needs")).to_be_visible()

    # Tab to a button and press Enter.
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My mentoring needs")).to_be_visible()
    # One-key control.
    box = page.get_by_role("textbox", name="Keyboard control")
    box.click()
    page.keyboard.press("n")
    expect(page.get_by_role("heading", name="Managing up")).to_be_visible()
    expect(clock).to_have_text("12:00")
    page.get_by_role("button", name="60 minutes").click()
    expect(clock).to_have_text("8:00")
    shot(page, "agenda-projector")

    # The timer runs in the kernel and pushes its updates.
    box.click()
    page.keyboard.press("s")
    expect(clock).not_to_have_text("8:00", timeout=5_000)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    for _ in range(6):
        page.keyboard.press("-")
    expect(page.locator(".mm-time-amber")).to_be_visible()
    expect(page.get_by_text("2 minutes or less left")).to_be_visible()
    page.keyboard.press("-")
    page.keyboard.press("-")
    expect(page.locator(".mm-time-up")).to_be_visible()
    expect(page.get_by_text("Time's up")).to_be_visible()
    page.keyboard.press("s")
    expect(page.get_by_role("button", name=re.compile(r"^\W*Start$"))).to_be_visible()
    shot(page, "agenda-times-up")
    assert_accessible(page, "agenda")

    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "agenda-laptop")
    no_sideways_scroll(page, 1280)


def test_demo_persona_loads_from_the_welcome_page(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(voila.page("00_welcome.ipynb", "facilitator=1"))  # the facilitator's link
    wait_for_app(page)
    name = page.get_by_role("textbox", name="Your name (optional)")
    name.fill("Facilitator Fran")
    name.press("Tab")
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="For facilitators: demo personas")).to_be_visible()
    persona = page.get_by_role("radio", name="Mid-career faculty member who also mentors")
    expect(persona).to_be_visible()
    persona.check()
    page.get_by_role("button", name="Load this persona").click()
    expect(page.get_by_text("Loaded the demo persona")).to_be_visible(timeout=15_000)
    expect(name).to_have_value("Dr Priya Natarajan")
    expect(page.get_by_role("checkbox", name="I also mentor others")).to_be_checked()
    assert_accessible(page, "welcome-demo-loader")
    shot(page, "welcome-demo-loaded")
    page.get_by_role("button", name="Undo: bring my answers back").click()
    expect(name).to_have_value("Facilitator Fran", timeout=15_000)


def test_dashboard_shows_the_follow_up_of_a_room_three_months_on(
    page: Page, server: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    """The programme lead drops in the workbook files of a generated room three months on
    (scripts/make_reviewed_room.py, the README's follow-up figures) and reads the "Three months
    on" card: the same figures as `mentoring-mosaic cohort` prints for those files."""
    room = tmp_path / "room30"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_reviewed_room.py"), str(room),
                    "--n", "30", "--seed", "17"], check=True, capture_output=True)
    files = sorted(room.glob("*.json"))
    assert len(files) == 30
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server.page("facilitator/dashboard.ipynb"))
    wait_for_app(page, ".mm-dash")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add participant files").click()
    chooser.value.set_files([str(f) for f in files])
    card = page.locator(".mm-follow-up")
    expect(card.get_by_role("heading", name="Three months on")).to_be_visible(timeout=30_000)
    # the generated room (seed 17): 18 reviews shared, 9 not reviewed, 3 not shared;
    # 11 of 42 answered actions done; 2.2 new mentors each; 13 of 18 agree
    expect(card).to_contain_text("18 reviews shared")
    expect(card).to_contain_text("not reviewed yet: 9")
    expect(card).to_contain_text("26.2%")
    expect(card).to_contain_text("(11 of 42)")
    expect(card).to_contain_text("2.2")
    expect(card).to_contain_text("72.2%")
    expect(card).to_contain_text("My mentoring relationships have improved since the workshop")
    names = {json.loads(f.read_text())["profile"]["display_name"] for f in files} - {""}
    for name in list(names)[:5]:
        expect(page.get_by_text(name, exact=False)).to_have_count(0)
    card.scroll_into_view_if_needed()
    scrolled_shot(page, "dashboard-follow-up-1280")
    assert_accessible(page, "dashboard-follow-up")
    page.set_viewport_size({"width": 390, "height": 844})
    scrolled_shot(page, "dashboard-follow-up-390")
    no_sideways_scroll(page, 390)
