"""Stages 1-3 driven without a browser: fill in, click, and check the workbook AND the store."""

from __future__ import annotations

import datetime as dt

import pytest

from mentoring_mosaic.model import (
    DomainRating,
    Goal,
    ManagingUpPlan,
    Needs,
    Person,
    Profile,
    Qualities,
    Workbook,
)
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.pages import StagePage, available_stages, build_view
from mentoring_mosaic.widgets.stage1_needs import MAX_TOP_NEEDS, NeedsView
from mentoring_mosaic.widgets.stage2_managing_up import ManagingUpView
from mentoring_mosaic.widgets.stage3_qualities import MAX_PRIORITIES, QualitiesView


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def stored(store) -> Workbook:
    return store.load("t")


# -- stage 1 ---------------------------------------------------------------------------


def test_stage1_ratings_top_needs_and_a_goal_are_saved(session, store, content) -> None:
    view = NeedsView(session, content)
    view.whats_new.value = "Running my own clinic; supervising residents"
    view.need["research"].value = 4
    view.support["research"].value = 1
    view.need["leadership"].value = 3
    assert session.workbook.profile.whats_new.startswith("Running my own clinic")
    assert stored(store).needs.ratings["research"] == DomainRating(support=1, need=4)
    assert stored(store).needs.ratings["leadership"] == DomainRating(support=0, need=3)
    assert "Research and scholarship (gap 3)" in view.suggestion.value
    assert "Need 4</text>" in view.chart.value

    view.use_suggestion.click()
    assert stored(store).needs.top_needs == ["research", "leadership"]
    assert view.top["research"].value and view.top["leadership"].value
    assert [e.need for e in view.editors.values()] == ["research", "leadership"]
    assert "★ Research and scholarship" in view.chart.value

    editor = next(iter(view.editors.values()))
    assert editor.is_open and not view.editors[editor.goal_id].extra
    assert "Start with: what do you want to be able to do?" in editor.checker.value
    editor.goal.value = "Submit my first abstract to the spring meeting"
    editor.steps.value = "Pick the case with Dr Lee\nDraft the abstract\nGet feedback"
    editor.measure.value = "Abstract submitted"
    editor.deadline.value = dt.date.today() + dt.timedelta(days=60)
    editor.partner.value = "Dr Lee"
    editor.barriers.value = "Night shifts"
    goals = stored(store).goals
    assert len(goals) == 1
    assert goals[0].need == "research" and goals[0].partner == "Dr Lee"
    assert goals[0].barriers == "Night shifts"
    assert "✓ Ready: important, specific" in editor.checker.value


def test_stage1_checker_names_the_next_thing_with_its_hint(session, content) -> None:
    view = NeedsView(session, content)
    view.top["teaching"].value = True
    editor = view.editors[next(iter(view.editors))]
    editor.goal.value = "Improve my teaching on the wards"
    html = editor.checker.value
    assert "Next: specific." in html and "No steps yet" in html
    assert "swap vague verbs" in html  # the hint from ilp.toml
    for later in ("measurable", "accountable", "realistic", "on a timeline"):
        assert f"Next: {later}" not in html  # one thing at a time
    editor.steps.value = "Ask the chief for a teaching slot\nPrepare a 10-minute case"
    assert "Next: measurable." in editor.checker.value
    assert "✓ Specific" in editor.checker.value  # what is already met


def test_stage1_top_needs_are_capped_and_untick_keeps_the_goal(session, store, content) -> None:
    view = NeedsView(session, content)
    ids = [d.id for d in content.domains]
    for did in ids[: MAX_TOP_NEEDS + 1]:
        view.top[did].value = True
    assert stored(store).needs.top_needs == ids[:MAX_TOP_NEEDS]
    assert not view.top[ids[MAX_TOP_NEEDS]].value
    assert "already have 3 top needs" in view.top_status.value

    first = view.editors[next(iter(view.editors))]
    first.goal.value = "Meet the programme director about my career plan"
    view.top[ids[0]].value = False
    assert ids[0] not in stored(store).needs.top_needs
    assert len(stored(store).goals) == 1  # not lost
    extra = view.editors[first.goal_id]
    assert extra.extra and "no longer a top need" in extra.toggle.description
    view.open_goal(extra.goal_id)
    extra.remove.click()
    assert stored(store).goals == []


def test_stage1_bad_input_shows_a_message_and_keeps_the_stored_value(session, store, content):
    view = NeedsView(session, content)
    view.whats_new.value = "Fine"
    view.whats_new.value = "x" * 5000  # over the 4000-character limit
    assert "not saved" in view.status.value
    assert stored(store).profile.whats_new == "Fine"


def test_stage1_shows_the_transition_and_follows_profile_changes(session, content) -> None:
    view = NeedsView(session, content)
    assert "Welcome page" in view.transition.value
    session.update(
        "profile",
        Profile(current_role="PGY-3 <resident>", next_role="fellow",
                transition_date=dt.date(2027, 7, 1)),
    )
    assert "PGY-3 &lt;resident&gt;" in view.transition.value
    assert "July 2027" in view.transition.value


# -- stage 3 ---------------------------------------------------------------------------


def test_stage3_cards_ratings_priorities(session, store, content) -> None:
    view = QualitiesView(session, content)
    assert view.rate_box.layout.display == "none"
    html = view.folds.value  # the cards and their sources, in collapsed folds
    for card in content.cards:
        assert card.title in html
    assert "Straus" in html  # the source is shown

    lee = session.save_person(Person(name="Dr Lee"))
    assert view.rate_box.layout.display == ""
    assert view.picker.value == lee.id
    view.priorities["honest"].value = True  # only marked qualities are rated
    view.priorities["accessible"].value = True
    view.ratings["honest"].value = 4
    view.ratings["accessible"].value = 1
    wb = stored(store)
    assert wb.qualities.ratings == {lee.id: {"honest": 4, "accessible": 1}}
    assert wb.person(lee.id).qualities == ["honest"]  # strengths travel to the mosaic
    assert "Honest" in view.summary.value
    view.ratings["honest"].value = 2
    assert stored(store).person(lee.id).qualities == []

    view.priorities["honest"].value = view.priorities["accessible"].value = False
    assert stored(store).qualities.ratings[lee.id] == {"honest": 2, "accessible": 1}  # kept
    ids = [q.id for q in content.qualities]
    for qid in ids[: MAX_PRIORITIES + 1]:
        view.priorities[qid].value = True
    assert stored(store).qualities.priorities == ids[:MAX_PRIORITIES]
    assert "at most" in view.prio_status.value
    view.priorities[ids[0]].value = False
    assert stored(store).qualities.priorities == ids[1:MAX_PRIORITIES]


def test_stage3_self_check_only_for_those_who_mentor(session, store, content) -> None:
    view = QualitiesView(session, content)
    assert view.check_box.layout.display == "none"
    assert view.check_note.layout.display == ""
    session.update("profile", Profile(mentors_others=True))
    assert view.check_box.layout.display == ""
    first = content.competencies[0].id
    view.self_check[first].value = 3
    assert stored(store).qualities.self_check == {first: 3}

    session.update("profile", Profile())
    assert view.check_box.layout.display == "none"
    session.save_person(Person(name="A student", role="mentee", level="junior"))
    assert view.check_box.layout.display == ""


# -- all three ---------------------------------------------------------------------------


def full_workbook() -> Workbook:
    lee = Person(id="lee00001", name="Dr Lee", domains=["research"])
    return Workbook(
        profile=Profile(whats_new="Own clinic", mentors_others=True, next_role="faculty"),
        needs=Needs(
            ratings={"research": DomainRating(support=1, need=4)}, top_needs=["research"]
        ),
        goals=[Goal(id="g1", need="research", goal="Write my first grant", partner="Kim")],
        people=[lee],
        managing_up={lee.id: ManagingUpPlan(one_ask="Read my aims", habits=["send_agenda"])},
        qualities=Qualities(
            ratings={lee.id: {"honest": 3}}, priorities=["honest"], self_check={"communication": 2}
        ),
    )


def test_a_full_replace_refreshes_every_view(session, content) -> None:
    needs = NeedsView(session, content)
    up = ManagingUpView(session, content)
    qual = QualitiesView(session, content)
    session.replace(full_workbook())

    assert needs.whats_new.value == "Own clinic"
    assert needs.need["research"].value == 4 and needs.support["research"].value == 1
    assert needs.top["research"].value
    assert [e.goal.value for e in needs.editors.values()] == ["Write my first grant"]
    assert next(iter(needs.editors.values())).partner.value == "Kim"

    assert up.picker.value == "lee00001"
    assert up.one_ask.value == "Read my aims"
    assert up.habits["send_agenda"].value
    assert "Read my aims" in up.agenda.value

    assert qual.picker.value == "lee00001"
    assert qual.ratings["honest"].value == 3
    assert qual.priorities["honest"].value
    assert qual.self_check["communication"].value == 2
    assert qual.check_box.layout.display == ""

    session.replace(Workbook())
    assert needs.whats_new.value == "" and not needs.editors
    assert up.worksheet.layout.display == "none"
    assert not qual.priorities["honest"].value


def test_views_reopen_with_stored_answers(store, content) -> None:
    Session(store=store, key="t").replace(full_workbook())
    fresh = Session(store=store, key="t")
    needs = NeedsView(fresh, content)
    assert [e.goal.value for e in needs.editors.values()] == ["Write my first grant"]
    assert ManagingUpView(fresh, content).one_ask.value == "Read my aims"
    assert QualitiesView(fresh, content).ratings["honest"].value == 3


@pytest.mark.parametrize("stage_id", ["needs", "managing_up", "qualities"])
def test_stage_pages_build_and_join_the_app(session, content, stage_id) -> None:
    assert stage_id in [s.id for s in available_stages()]
    page = StagePage(stage_id, session=session)
    assert page.view.stage_id == stage_id
    assert build_view(stage_id, session, content).stage_id == stage_id


def test_stage_links_keep_a_keyed_participant(store) -> None:
    keyed = StagePage("managing_up", session=Session(store=store, key="room-abc"))
    assert 'href="01_needs.ipynb?key=room-abc"' in keyed.header.nav.value
    assert 'href="03_qualities.ipynb?key=room-abc"' in keyed.header.nav.value
    plain = StagePage("managing_up", session=Session(store=store))
    assert 'href="03_qualities.ipynb"' in plain.header.nav.value


def test_app_brings_the_next_stage_top_into_view(session, browser_sent) -> None:
    from mentoring_mosaic.widgets.app import WorkshopApp

    app = WorkshopApp(session=session, start="needs")
    assert browser_sent == []  # the first stage needs no scrolling
    app.next_button.click()
    assert app.current == "managing_up"
    scroll = ({"do": "scroll", "target": ".mm-app", "block": "start"}, [])
    assert browser_sent == [scroll]
    app.prev_button.click()
    assert app.current == "needs"
    assert browser_sent == [scroll, scroll]  # every move scrolls again
    assert app.prev_button.layout.display == ""
    app.prev_button.click()
    assert app.current == "welcome"
    assert app.prev_button.layout.display == "none"  # nothing before it: no Back at all
    app.next_button.click()
    assert app.prev_button.layout.display == ""
