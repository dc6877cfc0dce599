"""The workbook model: round trips, the JSON Schema, and migrations from older files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mentoring_mosaic.model import (
    SCHEMA_VERSION,
    ActionItem,
    Goal,
    ManagingUpPlan,
    Person,
    Position,
    Workbook,
    workbook_json_schema,
)
from mentoring_mosaic.validation import WorkbookError, parse_workbook_bytes, summarize

DATA = Path(__file__).resolve().parent.parent / "data"


def full_workbook() -> Workbook:
    """A workbook with something in every section."""
    lee = Person(
        id="p1",
        name="Dr Lee",
        level="senior",
        place="division",
        domains=["research", "career_guidance"],
        tie_strength=3,
        frequency="monthly",
        qualities=["honest"],
        next_step="Send the draft",
        next_step_date=dt.date(2027, 2, 1),
        position=Position(x=10.5, y=-3),
    )
    mentee = Person(id="p2", name="A student", role="mentee", level="junior")
    return Workbook(
        updated_at=dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC),
        profile={"display_name": "Ana", "current_role": "PGY-3", "next_role": "Fellow"},
        needs={"ratings": {"research": {"support": 1, "need": 4}}, "top_needs": ["research"]},
        goals=[Goal(id="g1", need="research", goal="Abstract", deadline=dt.date(2027, 3, 1))],
        people=[lee, mentee],
        managing_up={"p1": ManagingUpPlan(one_ask="Review my abstract", habits=["send_agenda"])},
        qualities={"ratings": {"p1": {"honest": 4}}, "priorities": ["honest"]},
        scenarios={"recruit_new_mentor": {"strategy": "Ask for 20 minutes"}},
        actions=[ActionItem(id="a1", text="Email Dr Lee", due=dt.date(2027, 1, 5))],
        evaluation={"headline": 5, "change_30_days": "Send agendas"},
        consent={"share_anonymised": True},
    )


def test_json_round_trip_is_identical() -> None:
    original = full_workbook().to_json_dict()
    text = json.dumps(original)
    again = parse_workbook_bytes(text.encode()).to_json_dict()
    assert again == original
    assert json.dumps(again) == text


def test_schema_describes_every_section() -> None:
    schema = workbook_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    for section in ("profile", "needs", "goals", "people", "managing_up", "qualities",
                    "scenarios", "actions", "evaluation", "consent", "schema_version"):
        assert section in schema["properties"], section


def test_the_schema_accepts_a_real_workbook() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(full_workbook().to_json_dict(), workbook_json_schema())


def test_version_1_file_migrates() -> None:
    workbook = parse_workbook_bytes((DATA / "workbook-v1.json").read_bytes())
    assert workbook.schema_version == SCHEMA_VERSION
    assert workbook.profile.display_name == "Sam Okafor"
    assert workbook.profile.current_role == "PGY-3 resident"
    lee, peer = workbook.people
    assert (lee.id, lee.status, lee.tie_strength) == ("m1", "existing", 3)
    assert lee.domains == ["research", "career_guidance"]
    assert (peer.status, peer.tie_strength, peer.domains) == ("potential", 1, ["teaching"])
    assert peer.id == "v1-2"
    assert workbook.goals[0].deadline == dt.date(2027, 1, 15)
    assert len(workbook.workbook_id) == 32  # added by the version 2 -> 3 step


def test_version_2_file_migrates_to_the_current_version_with_an_id() -> None:
    data = full_workbook().to_json_dict()
    del data["workbook_id"], data["baseline"], data["review"], data["past_reviews"]  # not v2
    data["schema_version"] = 2
    workbook = parse_workbook_bytes(json.dumps(data).encode())
    assert workbook.schema_version == 4 == SCHEMA_VERSION
    assert workbook.model_dump(exclude={"workbook_id", "schema_version"}) == (
        full_workbook().model_dump(exclude={"workbook_id", "schema_version"})
    )


def test_unknown_future_version_is_refused() -> None:
    with pytest.raises(WorkbookError, match="newer than this program"):
        parse_workbook_bytes(b'{"schema_version": 99}')


def test_people_ids_must_be_unique() -> None:
    data = full_workbook().to_json_dict()
    data["people"][1]["id"] = "p1"
    with pytest.raises(WorkbookError, match="same id"):
        parse_workbook_bytes(json.dumps(data).encode())


def test_summary_names_the_participant() -> None:
    assert "Ana (PGY-3 → Fellow)" in summarize(full_workbook())


def test_a_copy_is_older_when_it_misses_a_review_or_was_saved_before() -> None:
    import datetime as dt

    from mentoring_mosaic.model import Review, Workbook

    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    day = Workbook(updated_at=now - dt.timedelta(days=95))
    begun = Workbook(review=Review(reviewed_on=now.date()))
    done = Workbook(review=Review(reviewed_on=now.date(), completed_at=now))
    assert (day.review_progress(), begun.review_progress(), done.review_progress()) == (
        (0, 0), (0, 1), (0, 2))
    assert day.is_older_than(begun) and begun.is_older_than(done)
    assert not done.is_older_than(day)  # further on, though it says no save time
    assert day.is_older_than(Workbook(updated_at=now))
    assert not Workbook(updated_at=now).is_older_than(day)
    assert not Workbook().is_older_than(Workbook())  # neither says: not older
    assert not Workbook().has_answers() and Workbook(review=Review()).has_answers()


def test_a_plan_from_an_earlier_day_means_the_participant_is_back_later() -> None:
    import datetime as dt

    from mentoring_mosaic.model import Baseline, Workbook

    day = dt.date(2026, 11, 30)
    assert not Workbook().planned_before(day)  # no plan kept yet
    assert not Workbook(baseline=Baseline(taken_on=day)).planned_before(day)  # the workshop day
    assert Workbook(baseline=Baseline(taken_on=day - dt.timedelta(days=95))).planned_before(day)
