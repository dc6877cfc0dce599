"""Three months on, in Chromium under Voilà: a participant resumes the workbook file they kept
from a workshop 95 days ago, opens "Three months on" and completes the review."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.content import get_content
from mentoring_mosaic.model import (
    ActionItem,
    Baseline,
    DomainRating,
    Evaluation,
    Goal,
    Needs,
    Person,
    Profile,
    Workbook,
)
from mentoring_mosaic.widgets.pages import REVIEW_BUTTON_BACK

from .conftest import (
    ARTIFACTS,
    ConsoleErrors,
    VoilaServer,
    assert_accessible,
    assert_fits,
    assert_nothing_cut,
    scrolled_shot,
    shot,
    stored,
    wait_for_app,
    wait_stored,
)

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.title=1">'
TODAY = dt.date.today()
WORKSHOP = TODAY - dt.timedelta(days=95)
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def workshop_file(tmp_path: Path) -> Path:
    """The workbook file a participant downloaded at the end of a workshop 95 days ago, then
    changed a little since (Dr Okafor became a mentor, a peer was added)."""
    needs = Needs(
        ratings={"sponsorship": DomainRating(support=0, need=4),
                 "research": DomainRating(support=2, need=3)},
        top_needs=["sponsorship", "research"],
    )
    goals = [
        Goal(id="g1", need="sponsorship", goal="Find a sponsor in my division",
             deadline=WORKSHOP + dt.timedelta(days=60)),
        Goal(id="g2", need="research", goal=f"Submit the abstract {HOSTILE}",
             deadline=WORKSHOP + dt.timedelta(days=120)),
    ]
    actions = [
        ActionItem(id="a1", text="Ask Dr Okafor for a 20-minute coffee", who="Me",
                   due=WORKSHOP + dt.timedelta(days=14), source="outreach"),
        ActionItem(id="a2", text="Send Dr Lee an agenda before our next meeting",
                   due=WORKSHOP + dt.timedelta(days=30), source="managing_up"),
        ActionItem(id="a3", text=f"Draft the abstract's methods {HOSTILE}",
                   due=TODAY + dt.timedelta(days=21), source="goal"),
    ]
    then = [
        Person(id="lee", name="Dr Lee", domains=["research", "career_guidance"], tie_strength=3),
        Person(id="oka", name="Dr Okafor", status="potential", domains=["sponsorship"]),
        Person(id="stu", name="A student", role="mentee", level="junior"),
    ]
    now = [then[0], then[1].model_copy(update={"status": "existing"}), then[2],
           Person(id="pat", name=f"Pat {HOSTILE}", level="peer", domains=["feedback"])]
    wb = Workbook(
        profile=Profile(display_name="Dr Ana Ruiz", current_role="Fellow",
                        next_role="Junior faculty"),
        needs=needs, goals=goals, actions=actions, people=now,
        evaluation=Evaluation(headline=4, submitted_at=dt.datetime.combine(
            WORKSHOP, dt.time(16, 30), tzinfo=dt.UTC)),
        baseline=Baseline(taken_on=WORKSHOP, needs=needs, goals=goals, people=then,
                          actions=actions),
        updated_at=dt.datetime.combine(WORKSHOP + dt.timedelta(days=40), dt.time(9),
                                       tzinfo=dt.UTC),
    )
    path = tmp_path / "mentoring-mosaic-my-workbook.json"
    path.write_text(json.dumps(wb.to_json_dict(), indent=2))
    return path


def resume(page: Page, path: Path) -> None:
    """Press the visible 'Resume from a file' and pick the file, as a participant does."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Resume from a file", exact=False).click()
    chooser.value.set_files(str(path))
    loaded = page.get_by_text(f"Welcome back! Loaded “{path.name}”")
    older = page.get_by_role("button", name="Load the older file")
    # a page with newer answers (an earlier test's) asks before an older file replaces them
    expect(loaded.or_(older)).to_be_visible(timeout=30_000)
    if older.is_visible():
        expect(page.get_by_text(f"“{path.name}” is older than the answers")).to_be_visible()
        older.click()
    expect(loaded).to_be_visible(timeout=30_000)


def first_sight(page: Page) -> tuple[int, int]:
    """The page's height and its visible words (folds closed) at this moment."""
    height = page.evaluate(
        "document.getElementById('rendered_cells')?.scrollHeight ?? document.body.scrollHeight"
    )
    words = len(page.locator(".mm-stage-review").inner_text().split())
    return height, words


def item(page: Page, text: str):
    """One action, support or goal row of the part on show, by its visible words."""
    return page.locator(".mm-rv-item").filter(has_text=text)


def test_a_participant_reviews_their_plan_three_months_on(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("workshop.ipynb"))
    wait_for_app(page, ".mm-app")
    resume(page, workshop_file(tmp_path))
    page.get_by_role("button", name=REVIEW_BUTTON_BACK, exact=True).click()
    review = page.locator(".mm-stage-review")
    expect(review).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Three months on", level=1)).to_be_visible()
    expect(review).to_contain_text(f"{WORKSHOP.day} {WORKSHOP:%b %Y}")
    expect(review).to_contain_text("95 days ago")
    page.wait_for_timeout(500)
    height, words = first_sight(page)
    shot(page, "review-1-actions-1280")
    (ARTIFACTS / "review-first-sight.json").write_text(
        json.dumps({"height_px": height, "words": words, "viewport": LAPTOP}))
    assert height <= 2400, f"the first sight is {height}px tall"
    assert words <= 600, f"{words} words at first sight"

    # 1. actions: the two overdue ones first, each answered; a note typed
    rows = page.locator(".mm-rv-item")
    expect(rows.nth(0)).to_contain_text("Ask Dr Okafor")
    expect(rows.nth(0)).to_contain_text("Overdue by 81 days")
    expect(rows.nth(1)).to_contain_text("Send Dr Lee an agenda")
    expect(rows.nth(2)).to_contain_text("Draft the abstract's methods <img")  # shown as text
    item(page, "Ask Dr Okafor").get_by_role("radio", name="Done").check()
    item(page, "Send Dr Lee").get_by_role("radio", name="Partly").check()
    item(page, "Send Dr Lee").get_by_role("textbox").fill("Twice, then I forgot")
    item(page, "Draft the abstract").get_by_role("radio", name="Not yet").check()
    wait_stored(voila, lambda wb: wb.review and wb.review.actions.get("a2")
                and wb.review.actions["a2"].note == "Twice, then I forgot")

    # 2. support today beside the workshop day
    page.get_by_role("button", name="Next: Support →").click()
    expect(item(page, "Sponsorship")).to_contain_text("On the workshop day: 0 none")
    item(page, "Sponsorship").get_by_role("radio", name="3 good").check()
    item(page, "Research").get_by_role("radio", name="2 some").check()

    # 3. the mosaic then and now
    page.get_by_role("button", name="Next: Mosaic →").click()
    pictures = page.locator(".mm-rv-pics img")
    expect(pictures).to_have_count(2)
    lists = page.locator(".mm-rv-lists")
    expect(lists).to_contain_text("New mentors (orange rings): Dr Okafor, Pat <img")
    expect(lists).to_contain_text("Gaps closed: Sponsorship")
    page.wait_for_timeout(300)
    shot(page, "review-3-mosaic-1280")

    # 4. goals for the next plan
    page.get_by_role("button", name="Next: Goals →").click()
    item(page, "Find a sponsor").get_by_role("radio", name="Keep").check()
    item(page, "Submit the abstract").get_by_role("radio", name="Revise").check()
    words = item(page, "Submit the abstract").get_by_role("textbox")
    words.fill("Submit the full paper by June")
    expect(page.locator(".mm-rv-note")).to_contain_text("Submit the full paper by June")
    shot(page, "review-4-goals-1280")

    # 5. looking back, sharing asked again, finished
    page.get_by_role("button", name="Next: Looking back →").click()
    page.get_by_role("radio", name="Agree", exact=True).check()
    page.locator(".widget-radio").filter(
        has_text="I have met a new mentor").get_by_role("radio", name="Yes").check()
    page.locator(".widget-radio").filter(
        has_text="managing-up conversation").get_by_role("radio", name="No").check()
    page.get_by_role("checkbox", name=re.compile("Share my anonymised review")).check()
    page.get_by_role("button", name="Finish my review").click()
    expect(page.get_by_role("status").filter(has_text="Your review is saved")).to_be_visible()
    expect(page.get_by_role("button", name="⬇ My workbook file, with this review")).to_be_visible()
    shot(page, "review-5-finished-1280")
    assert_accessible(page, "review, finished")
    # the reminder for the next review: dated from today, with the actions still open only
    with page.expect_download() as info:
        page.get_by_role("button", name="⬇ My next review, for my calendar").click()
    assert info.value.suggested_filename == "mentoring-mosaic-my-next-review.ics"
    ics = Path(info.value.path()).read_text("utf-8").replace("\r\n ", "")
    assert f"DTSTART;VALUE=DATE:{TODAY + dt.timedelta(days=90):%Y%m%d}" in ics
    assert "Draft the abstract" in ics and "Ask Dr Okafor" not in ics  # not yet / done

    wait_stored(voila, lambda wb: wb.review and wb.review.completed_at is not None)
    wb = stored(voila)
    review_saved = wb.review
    assert {k: a.status for k, a in review_saved.actions.items()} == {
        "a1": "done", "a2": "partly", "a3": "not_yet"}
    assert review_saved.support_today == {"sponsorship": 3, "research": 2}
    assert review_saved.goals["g1"].decision == "keep"
    assert review_saved.goals["g2"].revised == "Submit the full paper by June"
    assert (review_saved.relationships_improved, review_saved.met_new_mentor,
            review_saved.managing_up_conversation) == (4, True, False)
    assert review_saved.consent.share_anonymised and review_saved.consent.decided_at
    assert review_saved.reviewed_on is not None
    assert [g.goal for g in wb.goals] == ["Find a sponsor in my division",
                                          "Submit the full paper by June"]
    assert wb.baseline.taken_on == WORKSHOP  # the workshop day is kept
    assert page.title() != "1"  # no markup ran

    # the tab closed and opened again: the finished review, as answered, in the same order
    page.reload()
    wait_for_app(page, ".mm-app")
    page.get_by_role("button", name=REVIEW_BUTTON_BACK, exact=True).click()
    expect(review).to_contain_text("You finished this review on")
    expect(rows.nth(0)).to_contain_text("Ask Dr Okafor")
    expect(rows.nth(0).get_by_role("radio", name="Done")).to_be_checked()
    expect(rows.nth(1).get_by_role("textbox")).to_have_value("Twice, then I forgot")

    # the same review on a phone: every part fits, nothing cut, one thing at a time
    page.set_viewport_size(PHONE)
    for name in ("1. Actions", "2. Support", "3. Mosaic", "4. Goals", "5. Looking back"):
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_timeout(400)
        assert_fits(page, f"review {name}")
        assert_nothing_cut(page, f"review {name}")
        slug = name.split(". ")[1].lower().replace(" ", "-")
        scrolled_shot(page, f"review-{slug}-390")
    assert_accessible(page, "review on a phone")


def test_the_review_page_of_its_own_and_a_file_from_before_baselines(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    """08_review.ipynb opens alone, with a way back to the wrap-up; a version-3 file (from
    before the workshop day was kept) is told so politely and can still be reviewed."""
    path = workshop_file(tmp_path)
    data = json.loads(path.read_text())
    del data["baseline"], data["review"], data["past_reviews"]
    data["schema_version"] = 3
    old = tmp_path / "older-workbook.json"
    old.write_text(json.dumps(data))
    page.set_viewport_size(PHONE)
    page.goto(voila.page("08_review.ipynb"))
    wait_for_app(page)
    wrapup = get_content().stage("wrapup").title
    expect(page.get_by_role("link", name=f"← {wrapup}")).to_have_attribute(
        "href", "07_wrapup.ipynb")
    resume(page, old)
    review = page.locator(".mm-stage-review")
    expect(review).to_contain_text("no “then” to compare with")
    item(page, "Ask Dr Okafor").get_by_role("radio", name="Dropped").check()
    wait_stored(voila, lambda wb: wb.review and wb.review.actions["a1"].status == "dropped")
    assert stored(voila).baseline is None
    assert_fits(page, "review page, older file")
    assert_nothing_cut(page, "review page, older file")
    scrolled_shot(page, "review-page-older-file-390")


def test_the_reviewed_demo_persona_shows_every_part_filled_in(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors
) -> None:
    """What a facilitator shows: the persona 'Dr Maya Okafor, three months on' on the review
    page, every part answered (screenshots for the guide and the closing note)."""
    from mentoring_mosaic.demo import demo_personas

    from .conftest import store_workbook

    _label, wb = demo_personas()["demo-review"]
    store_workbook(voila, wb)
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("08_review.ipynb"))
    wait_for_app(page)
    review = page.locator(".mm-stage-review")
    expect(review).to_contain_text("95 days ago")
    for name in ("1. Actions", "2. Support", "3. Mosaic", "4. Goals", "5. Looking back"):
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_timeout(500)
        checked = page.locator(".mm-stage-review .mm-card input[type=radio]:checked")
        assert checked.count() >= (0 if name == "3. Mosaic" else 1), name
        slug = name.split(". ")[1].lower().replace(" ", "-")
        scrolled_shot(page, f"review-demo-{slug}-1280")
    expect(review).to_contain_text("Your review is saved")
    assert_accessible(page, "review, demo persona")


def reviewed_file(tmp_path: Path) -> Path:
    """The workbook file kept after a review finished 95 days ago (its workshop 95 days before
    that): Dr Okafor's coffee partly done, the agenda not yet; support for sponsorship 2."""
    from mentoring_mosaic.analysis.follow_up import next_plan_goals
    from mentoring_mosaic.model import ActionReview, Consent, GoalReview, Review

    wb = Workbook.model_validate_json(workshop_file(tmp_path).read_text())
    wb.baseline.taken_on = WORKSHOP - dt.timedelta(days=95)
    wb.review = Review(
        reviewed_on=WORKSHOP,
        completed_at=dt.datetime.combine(WORKSHOP, dt.time(15), tzinfo=dt.UTC),
        actions={"a1": ActionReview(status="partly", note="Booked, then cancelled"),
                 "a2": ActionReview(status="not_yet")},
        support_today={"sponsorship": 2, "research": 2},
        goals={"g1": GoalReview(decision="keep"),
               "g2": GoalReview(decision="revise", revised="Submit the full paper")},
        relationships_improved=4,
        consent=Consent(share_anonymised=True,
                        decided_at=dt.datetime.combine(WORKSHOP, dt.time(15), tzinfo=dt.UTC)),
    )
    wb.goals = next_plan_goals(wb)
    path = tmp_path / "mentoring-mosaic-my-workbook-reviewed.json"
    path.write_text(json.dumps(wb.to_json_dict(), indent=2))
    return path


def test_a_participant_starts_their_next_review_three_months_after_the_last(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path
) -> None:
    """The living plan: back three months after finishing a review, the participant starts
    the next one; the last review is kept and is now the 'then'."""
    path = reviewed_file(tmp_path)
    first = Workbook.model_validate_json(path.read_text()).review
    page.set_viewport_size(LAPTOP)
    page.goto(voila.page("workshop.ipynb"))
    wait_for_app(page, ".mm-app")
    resume(page, path)
    page.get_by_role("button", name=REVIEW_BUTTON_BACK, exact=True).click()
    review = page.locator(".mm-stage-review")
    expect(review).to_be_visible(timeout=30_000)
    start = page.get_by_role("button", name="Start my next review")
    expect(start).to_be_visible()
    offer = page.locator(".mm-rv-next")
    expect(offer).to_contain_text(
        f"You finished your last review on {WORKSHOP.day} {WORKSHOP:%b %Y} (95 days ago)")
    expect(offer).to_contain_text("Your last review is kept")
    page.wait_for_timeout(400)
    shot(page, "review-next-offer-1280")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(400)
    assert_fits(page, "next review offer")
    assert_nothing_cut(page, "next review offer")
    scrolled_shot(page, "review-next-offer-390")
    page.set_viewport_size(LAPTOP)

    start.click()
    expect(start).to_be_hidden()
    expect(review).to_contain_text(f"Your last review: {WORKSHOP.day} {WORKSHOP:%b %Y}")
    expect(review).to_contain_text("Reviews so far: 1")
    expect(item(page, "Ask Dr Okafor")).to_contain_text("At your last review: Partly")
    item(page, "Ask Dr Okafor").get_by_role("radio", name="Done").check()
    wait_stored(voila, lambda wb: wb.review and wb.review.actions.get("a1")
                and wb.review.actions["a1"].status == "done")
    wb = stored(voila)
    assert len(wb.past_reviews) == 1
    assert wb.past_reviews[0].review == first  # every answer of the last review kept
    assert wb.past_reviews[0].baseline.taken_on == WORKSHOP - dt.timedelta(days=95)
    assert wb.baseline.taken_on == WORKSHOP  # "then" is now the last review
    assert wb.baseline.needs.ratings["sponsorship"].support == 2
    assert list(wb.review.actions) == ["a1"] and wb.review.completed_at is None
    assert [g.goal for g in wb.goals] == ["Find a sponsor in my division",
                                          "Submit the full paper"]
    page.wait_for_timeout(400)
    shot(page, "review-next-started-1280")
    page.get_by_role("button", name="3. Mosaic", exact=True).click()
    expect(page.locator(".mm-rv-pics img")).to_have_count(2)
    expect(page.locator(".mm-stage-review")).not_to_contain_text("workshop day")
    page.wait_for_timeout(400)
    shot(page, "review-next-mosaic-1280")
    page.get_by_role("button", name="2. Support", exact=True).click()
    expect(item(page, "Sponsorship")).to_contain_text("At your last review: 2 some")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(400)
    assert_fits(page, "next review, support")
    assert_nothing_cut(page, "next review, support")
    scrolled_shot(page, "review-next-support-390")
    assert_accessible(page, "next review started")
    assert page.title() != "1"  # no markup ran
