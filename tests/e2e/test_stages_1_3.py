"""Stages 1-3 in Chromium under Voilà, as a participant would use them.

1. In the one-page app (``workshop.ipynb``): fill in every stage, reload, find it all again.
2. In the separate stage notebooks: fill in, reload, follow the stage links.
3. Under a Binder-like server with the base URL ``/user/test/``: the stage links still work.

Every page gets an axe check; console errors fail the test (fixture); the phone layout must not
scroll sideways. Each page load costs seconds, so each test does several things per load.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    shot,
    wait_for_app,
    wait_stored,
)

pytestmark = pytest.mark.browser

RESEARCH = "Research and scholarship"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def fill(page: Page, name: str, text: str, role: str = "textbox") -> None:
    """Type into a field and leave it (answers save while typed; leaving changes nothing)."""
    box = page.get_by_role(role, name=name, exact=True)
    box.fill(text)
    box.press("Tab")


def select(page: Page, name: str, label: str) -> None:
    page.get_by_role("combobox", name=name, exact=True).select_option(label=label)


def no_sideways_scroll(page: Page, name: str) -> None:
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    shot(page, f"{name}-phone")
    assert_fits(page, name, PHONE["width"])
    page.set_viewport_size(LAPTOP)


def go_to_stage(page: Page, label: str, heading: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


# -- the one-page app --------------------------------------------------------------------


def test_stages_1_to_3_in_the_app(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("workshop.ipynb"))
    wait_for_app(page)

    # stage 1: needs, ratings, top needs, one goal with the checker
    go_to_stage(page, "1. My needs", "My mentoring needs")
    fill(page, "What will be new or hard for me", "Leading a team <b>for the first time</b>")
    page.get_by_role("checkbox", name=f"4 essential, need at my next step: {RESEARCH}").check()
    page.get_by_role("checkbox", name=f"1 a little, support today: {RESEARCH}").check()
    page.get_by_role("checkbox", name="3 high, need at my next step: Teaching").check()
    page.get_by_role("button", name="Show my ratings as a chart").click()
    expect(page.locator(".mm-chart svg")).to_contain_text("Need 4")
    expect(page.get_by_text(f"Suggested from your ratings: {RESEARCH} (gap 3)")).to_be_visible()
    page.get_by_role("button", name="Use the suggestion").click()
    expect(page.get_by_role("checkbox", name=f"Top need – {RESEARCH}")).to_be_checked()
    expect(page.get_by_role("button", name=re.compile(f"^▾ Goal for {RESEARCH}"))).to_be_visible()
    fill(page, f"My goal ({RESEARCH})", "Submit my first abstract to the spring meeting")
    fill(page, f"Steps ({RESEARCH})", "Pick the case with Dr Lee\nDraft the abstract\nGet feedback")
    fill(page, f"How I will know it is done ({RESEARCH})", "Abstract submitted")
    fill(page, f"Accountability partner ({RESEARCH})", "Dr Lee")
    expect(page.get_by_text("Next: on a timeline.").filter(visible=True)).to_be_visible()
    deadline = page.get_by_label(f"Deadline ({RESEARCH})", exact=True)
    deadline.fill(f"{time.localtime().tm_year + 1}-03-01")
    deadline.press("Tab")
    ready = page.get_by_text("✓ Ready: important, specific, measurable").filter(visible=True)
    expect(ready).to_be_visible()
    wait_stored(voila, lambda wb: wb.goals and wb.goals[0].deadline is not None)
    assert_accessible(page, "app-needs")
    shot(page, "stage1-app-laptop")

    # stage 2: a mentor, the worksheet, habits, and the drafts
    page.get_by_role("button", name="Next: Managing up →").click()
    expect(page.get_by_role("heading", name="Managing up", exact=True)).to_be_visible()
    fill(page, "Name", "Dr <i>Lee</i>")
    select(page, "Level", "A peer")
    page.get_by_role("button", name="Add mentor").click()
    expect(page.get_by_text("Added Dr <i>Lee</i>.")).to_be_visible()
    fill(page, "What I need from this mentor", "Feedback on my abstract")
    fill(page, "My one ask for next time", "Read my draft abstract by Friday")
    page.get_by_role("checkbox", name="Send a short agenda before each meeting").check()
    agenda = page.get_by_role("region", name="Agenda for the next meeting")
    expect(agenda).to_contain_text("Read my draft abstract by Friday")
    expect(agenda).to_contain_text("Submit my first abstract")
    link = page.get_by_role("link", name="⬇ Download the agenda")
    expect(link).to_have_attribute("download", "agenda-dr--i-lee--i.txt")
    expect(link).to_have_attribute("href", re.compile("^data:text/plain;base64,"))
    page.get_by_role("radio", name="Request to a busy mentor").check()
    request = page.get_by_role("region", name="Request to a busy mentor")
    expect(request).to_contain_text("Dear Dr <i>Lee</i>,")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the request").click()
    expect(page.get_by_text("Copied. Paste it into an email or invitation.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("To: Dr <i>Lee</i>\nSubject: ") and "\nDear Dr <i>Lee</i>,\n" in copied
    page.get_by_role("radio", name="Agenda for the next meeting").check()
    wait_stored(
        voila,
        lambda wb: [p.name for p in wb.current_mentors] == ["Dr <i>Lee</i>"]
        and wb.current_mentors[0].level == "peer"
        and wb.managing_up[wb.current_mentors[0].id].habits == ["send_agenda"],
    )
    assert_accessible(page, "app-managing-up")
    shot(page, "stage2-app-laptop")

    # stage 3: cards, a rating, a priority; the self-check stays hidden for a non-mentor
    page.get_by_role("button", name="Next: Good mentors →").click()
    heading = page.get_by_role("heading", name="What good mentoring looks like")
    expect(heading).to_be_visible()
    # Next sits below a long stage 2: the long stage 3 must open at its top, not half-way
    expect(heading).to_be_in_viewport()
    expect(page.get_by_text("Why this matters", exact=True)).to_be_visible()  # cards folded
    page.get_by_role("checkbox", name="Honest", exact=True).check()
    page.get_by_role("checkbox", name="Reachable", exact=True).check()
    honest = page.locator(".mm-rate-row").filter(has=page.get_by_text("Honest", exact=True))
    honest.get_by_role("radio", name="A strength", exact=True).check()
    expect(page.get_by_text("Honest: Dr <i>Lee</i>")).to_be_visible()
    expect(page.get_by_text("Tick “I also mentor others”")).to_be_visible()
    wait_stored(
        voila,
        lambda wb: wb.qualities.priorities == ["honest", "accessible"]
        and list(wb.qualities.ratings.values()) == [{"honest": 4}],
    )
    assert_accessible(page, "app-qualities")
    shot(page, "stage3-app-laptop")

    # reload: every answer is still there
    page.reload()
    wait_for_app(page)
    go_to_stage(page, "1. My needs", "My mentoring needs")
    expect(page.get_by_role("textbox", name="What will be new or hard for me")).to_have_value(
        "Leading a team <b>for the first time</b>", timeout=30_000
    )
    need = page.get_by_role("checkbox", name=f"4 essential, need at my next step: {RESEARCH}")
    expect(need).to_be_checked()
    expect(page.get_by_role("checkbox", name=f"Top need – {RESEARCH}")).to_be_checked()
    support = page.get_by_role("checkbox", name=f"1 a little, support today: {RESEARCH}")
    expect(support).to_be_checked()
    # the ready goal is folded (the goal still to write is open): open it
    page.get_by_role("button", name=f"▸ Goal for {RESEARCH} · ✓ ready").click()
    for field, value in (
        ("My goal", "Submit my first abstract to the spring meeting"),
        ("Steps", "Pick the case with Dr Lee\nDraft the abstract\nGet feedback"),
        ("How I will know it is done", "Abstract submitted"),
        ("Accountability partner", "Dr Lee"),
    ):
        expect(page.get_by_role("textbox", name=f"{field} ({RESEARCH})")).to_have_value(value)
    expect(page.get_by_label(f"Deadline ({RESEARCH})", exact=True)).to_have_value(
        f"{time.localtime().tm_year + 1}-03-01"
    )
    expect(ready).to_be_visible()
    no_sideways_scroll(page, "stage1-app")

    go_to_stage(page, "2. Managing up", "Managing up")
    expect(page.get_by_role("textbox", name="My one ask for next time")).to_have_value(
        "Read my draft abstract by Friday"
    )
    expect(
        page.get_by_role("checkbox", name="Send a short agenda before each meeting")
    ).to_be_checked()
    expect(page.get_by_role("textbox", name="What I need from this mentor")).to_have_value(
        "Feedback on my abstract"
    )
    expect(page.get_by_text("· A peer ·")).to_be_visible()
    expect(page.get_by_role("region", name="Agenda for the next meeting")).to_contain_text(
        "Read my draft abstract by Friday"
    )
    no_sideways_scroll(page, "stage2-app")

    go_to_stage(page, "3. Good mentors", "What good mentoring looks like")
    honest = page.locator(".mm-rate-row").filter(has=page.get_by_text("Honest", exact=True))
    expect(honest.get_by_role("radio", name="A strength", exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name="Reachable", exact=True)).to_be_checked()
    no_sideways_scroll(page, "stage3-app")


# -- the separate stage notebooks ---------------------------------------------------------


def test_stage_notebooks_keep_answers_and_link_to_each_other(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("01_needs.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="My mentoring needs")).to_be_visible()
    page.get_by_role("checkbox", name="4 essential, need at my next step: Teaching").check()
    page.get_by_role("checkbox", name="Top need – Teaching").check()
    fill(page, "My goal (Teaching)", "Teach three ward sessions before June")
    wait_stored(voila, lambda wb: any(g.goal.startswith("Teach three") for g in wb.goals))
    assert_accessible(page, "page-needs")
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("textbox", name="My goal (Teaching)")).to_have_value(
        "Teach three ward sessions before June", timeout=30_000
    )
    expect(page.get_by_role("checkbox", name="Top need – Teaching")).to_be_checked()

    page.get_by_role("link", name="Next: Managing up →").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/voila/render/02_managing_up\.ipynb$"))
    expect(page.get_by_role("heading", name="Managing up", exact=True)).to_be_visible()
    fill(page, "Name", "Sam Kim")
    page.get_by_role("button", name="Add mentor").click()
    expect(page.get_by_text("Added Sam Kim.")).to_be_visible()
    fill(page, "My one ask for next time", "Twenty minutes on my teaching plan")
    select(page, "Who sets the agenda", "I do")
    wait_stored(
        voila,
        lambda wb: any(
            plan.one_ask.startswith("Twenty minutes") and plan.agenda_setter == "me"
            for plan in wb.managing_up.values()
        ),
    )
    assert_accessible(page, "page-managing-up")
    page.reload()
    wait_for_app(page)
    select(page, "Plan for", "Sam Kim")
    expect(page.get_by_role("textbox", name="My one ask for next time")).to_have_value(
        "Twenty minutes on my teaching plan", timeout=30_000
    )
    setter = page.get_by_role("combobox", name="Who sets the agenda")
    expect(setter.locator("option:checked")).to_have_text("I do")

    page.get_by_role("link", name="Next: What good mentoring looks like →").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/voila/render/03_qualities\.ipynb$"))
    select(page, "Mentor to rate", "Sam Kim")
    page.get_by_role("checkbox", name="Honest", exact=True).check()
    page.get_by_role("checkbox", name="Reachable", exact=True).check()  # then rate it
    reachable = page.locator(".mm-rate-row").filter(has=page.get_by_text("Reachable", exact=True))
    reachable.get_by_role("radio", name="Often", exact=True).check()
    wait_stored(
        voila,
        lambda wb: "honest" in wb.qualities.priorities
        and any(r.get("accessible") == 3 for r in wb.qualities.ratings.values()),
    )
    assert_accessible(page, "page-qualities")
    page.reload()
    wait_for_app(page)
    select(page, "Mentor to rate", "Sam Kim")
    reachable = page.locator(".mm-rate-row").filter(has=page.get_by_text("Reachable", exact=True))
    expect(reachable.get_by_role("radio", name="Often", exact=True)).to_be_checked(timeout=30_000)
    expect(page.get_by_role("checkbox", name="Honest", exact=True)).to_be_checked()
    shot(page, "stage3-page-laptop")
    no_sideways_scroll(page, "stage3-page")

    page.get_by_role("link", name="← Managing up").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/voila/render/02_managing_up\.ipynb$"))
    expect(page.get_by_text("Sam Kim").first).to_be_visible()


# -- Binder-like: a base URL ---------------------------------------------------------------


def test_stage_links_work_under_a_base_url(
    page: Page, binder_like: VoilaServer, console_errors: ConsoleErrors
) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(binder_like.page("notebooks/01_needs.ipynb"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="My mentoring needs")).to_be_visible()
    page.get_by_role("link", name="Next: Managing up →").click()
    wait_for_app(page)
    expect(page).to_have_url(
        re.compile(r"/user/test/voila/render/notebooks/02_managing_up\.ipynb$")
    )
    expect(page.get_by_role("heading", name="Managing up", exact=True)).to_be_visible()
    page.get_by_role("link", name="Next: What good mentoring looks like →").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/user/test/voila/render/notebooks/03_qualities\.ipynb$"))
    expect(page.get_by_role("heading", name="What good mentoring looks like")).to_be_visible()
    assert_accessible(page, "binder-qualities")
    page.get_by_role("link", name="← Managing up").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/user/test/voila/render/notebooks/02_managing_up\.ipynb$"))
