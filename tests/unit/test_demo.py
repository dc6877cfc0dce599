"""The demo personas: valid, every section filled with real content ids, stored by `demo`."""

from __future__ import annotations

import datetime as dt

import pytest

from mentoring_mosaic.demo import DEMO_KEYS, demo_personas, store_demo_personas
from mentoring_mosaic.model import LEVELS, Workbook
from mentoring_mosaic.serve import cli

PERSONAS = demo_personas()


def test_three_personas_with_stable_keys() -> None:
    assert tuple(PERSONAS) == DEMO_KEYS
    labels = " ".join(label for label, _ in PERSONAS.values())
    for word in ("PGY-3", "junior faculty", "Mid-career"):
        assert word in labels


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_persona_is_valid_and_round_trips(key: str) -> None:
    _label, wb = PERSONAS[key]
    again = Workbook.model_validate_json(wb.model_dump_json())
    assert again == wb


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_every_section_is_filled_with_real_ids(key: str, content) -> None:
    _label, wb = PERSONAS[key]
    today = dt.date.today()
    domains = {d.id for d in content.domains}
    qualities = {q.id for q in content.qualities}
    habits = {h.id for h in content.habits}
    scenarios = {s.id for s in content.scenarios}
    skills = {s.id for s in content.skills}
    objectives = {o.id for o in content.objectives}
    competencies = {c.id for c in content.competencies}

    p = wb.profile
    assert p.display_name and p.current_role and p.next_role and p.whats_new
    assert p.transition_date and p.transition_date > today

    assert set(wb.needs.ratings) == domains
    assert all(1 <= r.need <= 4 and 1 <= r.support <= 4 for r in wb.needs.ratings.values())
    assert 1 <= len(wb.needs.top_needs) <= 3 and set(wb.needs.top_needs) <= domains

    assert len(wb.goals) >= 2
    for goal in wb.goals:
        assert goal.need in wb.needs.top_needs
        assert goal.goal and goal.steps and goal.measure and goal.partner and goal.barriers
        assert goal.deadline and goal.deadline > today

    assert 5 <= len(wb.people) <= 12
    assert {p.level for p in wb.mentors} == set(LEVELS)
    assert len({p.place for p in wb.people}) >= 3
    assert any(p.status == "potential" for p in wb.mentors)
    for person in wb.people:
        assert person.name and person.domains and set(person.domains) <= domains
        assert set(person.qualities) <= qualities
        assert person.next_step and person.next_step_date and person.next_step_date > today

    existing = {p.id for p in wb.current_mentors}
    assert wb.managing_up and set(wb.managing_up) <= existing
    for plan in wb.managing_up.values():
        assert plan.need_from and plan.offer_back and plan.one_ask and plan.one_change
        assert plan.agenda_setter and plan.channel and plan.meeting_frequency
        assert plan.next_meeting and plan.next_meeting > today
        assert plan.last_meeting and plan.last_meeting < today
        assert plan.habits and set(plan.habits) <= habits
        assert 1 <= plan.self_rating <= 4

    assert wb.qualities.ratings and set(wb.qualities.ratings) <= existing
    for ratings in wb.qualities.ratings.values():
        assert ratings and set(ratings) <= qualities
    assert wb.qualities.priorities and set(wb.qualities.priorities) <= qualities
    assert set(wb.qualities.self_check) <= competencies

    assert wb.scenarios and set(wb.scenarios) <= scenarios
    assert all(note.strategy for note in wb.scenarios.values())

    assert len(wb.actions) >= 3
    assert all(a.text and a.due and a.due > today for a in wb.actions)

    ev = wb.evaluation
    assert ev.headline in (4, 5)
    assert set(ev.objectives_met) == objectives
    assert set(ev.confidence_before) == skills == set(ev.confidence_after)
    assert ev.change_30_days and ev.submitted_at
    assert wb.consent.share_anonymised and wb.consent.decided_at


def test_the_mid_career_persona_mentors_others(content) -> None:
    _label, wb = PERSONAS["demo-midcareer"]
    assert wb.profile.mentors_others
    assert len(wb.mentees) >= 2
    assert set(wb.qualities.self_check) == {c.id for c in content.competencies}


def test_dates_follow_today() -> None:
    later = dt.date.today() + dt.timedelta(days=400)
    _label, wb = demo_personas(later)["demo-pgy3"]
    assert all(goal.deadline > later for goal in wb.goals)


def test_store_demo_personas_marks_them_as_demo(store) -> None:
    stored = store_demo_personas(store)
    assert [key for key, _ in stored] == list(DEMO_KEYS)
    infos = {info.key: info for info in store.participants()}
    assert all(infos[key].is_demo for key in DEMO_KEYS)
    assert store.load("demo-junior").profile.display_name == "Dr Daniel Reyes"
    assert list(store.load_all()) == []  # demo personas stay out of the room's figures
    assert len(list(store.load_all(include_demo=True))) == 3
    # Running it again refreshes them instead of adding more.
    store_demo_personas(store)
    assert len(store.participants()) == 3


def test_demo_command_stores_and_list_shows_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    for key in DEMO_KEYS:
        assert key in out
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    keys = {line.split("\t")[0] for line in lines}
    assert keys == set(DEMO_KEYS)
    assert any("Dr Maya Okafor" in line and "(demo)" in line for line in lines)
