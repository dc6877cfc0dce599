"""Schema version 4: the workshop-day baseline and the review three months on.

Older files (versions 1 to 3) get no baseline (None), never a made-up one; a version-4 file
with a baseline and a review survives every round trip the store and the downloads rely on.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mentoring_mosaic.migrations import V3_KEYS, WorkbookError, migrate
from mentoring_mosaic.model import (
    SCHEMA_VERSION,
    ActionReview,
    Baseline,
    Consent,
    GoalReview,
    Review,
    Workbook,
    workbook_json_schema,
)
from mentoring_mosaic.session import Session
from mentoring_mosaic.store import Store
from mentoring_mosaic.validation import parse_workbook_bytes, parse_workbook_data

from .test_model import DATA, full_workbook


def v3_file(workbook: Workbook) -> dict:
    """The same answers as a version-3 file (before baselines and reviews)."""
    data = workbook.to_json_dict()
    del data["baseline"], data["review"], data["past_reviews"]
    data["schema_version"] = 3
    return data


def reviewed_workbook() -> Workbook:
    """A full workbook with a baseline from 95 days ago and a finished review."""
    wb = full_workbook()
    taken = dt.date(2026, 8, 27)
    wb.baseline = Baseline(
        taken_on=taken,
        taken_at=dt.datetime(2026, 8, 27, 16, 30, tzinfo=dt.UTC),
        needs=wb.needs.model_copy(deep=True),
        goals=[g.model_copy(deep=True) for g in wb.goals],
        people=[p.model_copy(deep=True) for p in wb.people],
        actions=[a.model_copy(deep=True) for a in wb.actions],
    )
    goal, action = wb.goals[0], wb.actions[0]
    wb.review = Review(
        reviewed_on=taken + dt.timedelta(days=95),
        actions={action.id: ActionReview(status="partly", note="Draft sent, no reply yet")},
        support_today={"research": 3},
        goals={goal.id: GoalReview(decision="revise", revised="Submit the abstract by May")},
        relationships_improved=4,
        met_new_mentor=True,
        managing_up_conversation=False,
        consent=Consent(share_anonymised=True, decided_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC)),
    )
    return wb


def test_the_current_version_is_4() -> None:
    assert SCHEMA_VERSION == 4
    schema = workbook_json_schema()
    assert schema["properties"]["schema_version"]["const"] == 4
    assert {"baseline", "review"} <= set(schema["properties"])
    assert "baseline" not in schema.get("required", [])


def test_a_version_3_file_gets_no_baseline_and_keeps_everything_else() -> None:
    wb = full_workbook()
    old = v3_file(wb)
    new = parse_workbook_data(old)
    assert new.schema_version == 4
    assert new.baseline is None and new.review is None
    assert new.workbook_id == wb.workbook_id  # a version-3 file keeps its own id
    assert new.model_dump(exclude={"baseline", "review"}) == wb.model_dump(
        exclude={"baseline", "review"}
    )


def test_the_migration_step_copies_and_does_not_change_the_file_it_was_given() -> None:
    old = v3_file(full_workbook())
    before = json.dumps(old, sort_keys=True)
    new = migrate(old)
    assert json.dumps(old, sort_keys=True) == before
    assert (new["schema_version"], new["baseline"], new["review"]) == (4, None, None)


def test_a_version_3_file_cannot_smuggle_in_a_baseline() -> None:
    """A version-3 file never had a baseline: one in it is refused by name, not trusted."""
    old = v3_file(reviewed_workbook())
    old["baseline"] = reviewed_workbook().to_json_dict()["baseline"]
    assert "baseline" not in V3_KEYS
    with pytest.raises(WorkbookError, match='"baseline" is not part of a version 3'):
        parse_workbook_data(old)


def test_a_hand_made_version_3_file_without_an_id_keeps_the_id_it_had() -> None:
    old = v3_file(full_workbook())
    del old["workbook_id"]
    from mentoring_mosaic.migrations import derived_workbook_id

    assert parse_workbook_data(old).workbook_id == derived_workbook_id(old)


def test_a_version_1_file_arrives_at_version_4_without_a_baseline() -> None:
    wb = parse_workbook_bytes((DATA / "workbook-v1.json").read_bytes())
    assert wb.schema_version == 4 and wb.baseline is None and wb.review is None
    assert wb.profile.display_name == "Sam Okafor"


def test_a_reviewed_workbook_round_trips_through_json() -> None:
    wb = reviewed_workbook()
    again = parse_workbook_bytes(json.dumps(wb.to_json_dict()).encode())
    assert again == wb
    assert again.review is not None and again.baseline is not None
    assert again.review.goals[wb.goals[0].id].revised == "Submit the abstract by May"
    assert again.baseline.taken_on == dt.date(2026, 8, 27)


def test_the_schema_accepts_a_reviewed_workbook() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(reviewed_workbook().to_json_dict(), workbook_json_schema())


def test_the_store_keeps_baseline_and_review_as_sections() -> None:
    store = Store()
    wb = reviewed_workbook()
    store.create_participant("ana")
    store.save_workbook("ana", wb)
    loaded = store.load("ana")
    assert loaded.baseline == wb.baseline and loaded.review == wb.review
    session = Session(store=store, key="ana")
    session.update("review", session.workbook.review.model_copy(update={"met_new_mentor": False}))
    assert store.load("ana").review.met_new_mentor is False
    session.update("baseline", None)
    assert store.load("ana").baseline is None
    assert store.load_section("ana", "review").relationships_improved == 4


def test_bad_review_answers_are_refused_with_where_they_are() -> None:
    data = reviewed_workbook().to_json_dict()
    data["review"]["relationships_improved"] = 9
    with pytest.raises(WorkbookError, match="review › relationships improved"):
        parse_workbook_data(data)
    data = reviewed_workbook().to_json_dict()
    data["review"]["actions"]["x"] = {"status": "finished"}
    with pytest.raises(WorkbookError, match="review › actions › x › status"):
        parse_workbook_data(data)


def test_an_unknown_domain_in_the_baseline_or_review_is_refused() -> None:
    data = reviewed_workbook().to_json_dict()
    data["review"]["support_today"]["astrology"] = 2
    with pytest.raises(WorkbookError, match="review › support today"):
        parse_workbook_data(data)
    data = reviewed_workbook().to_json_dict()
    data["baseline"]["needs"]["top_needs"] = ["astrology"]
    with pytest.raises(WorkbookError, match="baseline › needs › top needs"):
        parse_workbook_data(data)


# -- later rounds: Workbook.past_reviews (optional, so every version-4 file stays valid) -------


def second_round_workbook() -> Workbook:
    """The reviewed workbook once "Start my next review" was pressed, one answer given."""
    from mentoring_mosaic.analysis.follow_up import next_round

    wb = reviewed_workbook()
    wb.review.completed_at = dt.datetime(2026, 11, 30, 15, tzinfo=dt.UTC)
    step = next_round(wb)
    wb.past_reviews, wb.baseline = step.past_reviews, step.baseline
    wb.review = Review(reviewed_on=dt.date(2027, 3, 1),
                       actions={wb.actions[0].id: ActionReview(status="done")})
    return wb


def test_a_version_4_file_without_past_reviews_is_still_valid() -> None:
    data = reviewed_workbook().to_json_dict()
    del data["past_reviews"]
    wb = parse_workbook_data(data)
    assert wb.past_reviews == [] and wb.review is not None


def test_every_answer_of_the_first_round_is_in_the_file_after_the_second() -> None:
    first = reviewed_workbook().review
    wb = second_round_workbook()
    from mentoring_mosaic.content import get_content
    from mentoring_mosaic.exports import export

    content = get_content()
    data = json.loads(export(wb, content, "json"))  # the workbook file they take home
    kept = data["past_reviews"][0]["review"]
    assert kept == json.loads(first.model_copy(
        update={"completed_at": wb.past_reviews[0].review.completed_at}).model_dump_json())
    assert kept["actions"][wb.actions[0].id] == {"status": "partly",
                                                 "note": "Draft sent, no reply yet"}
    assert data["past_reviews"][0]["baseline"]["taken_on"] == "2026-08-27"
    again = parse_workbook_bytes(json.dumps(data).encode())
    assert again.past_reviews == wb.past_reviews and again.review == wb.review
    pytest.importorskip("jsonschema").validate(data, workbook_json_schema())
    pack = export(wb, content, "html").decode()
    assert "Earlier reviews: 1 (30 Nov 2026)" in pack
    assert "about 90 days after your last review" in pack  # not "after the workshop"


def test_the_store_keeps_past_reviews_as_a_section() -> None:
    store = Store()
    wb = second_round_workbook()
    store.create_participant("ana")
    store.save_workbook("ana", wb)
    assert store.load("ana").past_reviews == wb.past_reviews
    session = Session(store=store, key="ana")
    session.update("past_reviews", [])
    assert store.load_section("ana", "past_reviews") == []
    session.update("past_reviews", wb.past_reviews)
    assert store.load("ana").past_reviews[0].review.support_today == {"research": 3}


def test_past_reviews_are_bounded_and_checked() -> None:
    data = second_round_workbook().to_json_dict()
    data["past_reviews"][0]["review"]["relationships_improved"] = 9
    with pytest.raises(WorkbookError):
        parse_workbook_data(data)


def test_an_unknown_domain_in_an_earlier_review_is_refused_with_where_it_is() -> None:
    data = second_round_workbook().to_json_dict()
    data["past_reviews"][0]["review"]["support_today"]["astrology"] = 2
    with pytest.raises(WorkbookError, match="earlier review #1 › review › support today"):
        parse_workbook_data(data)
    data = second_round_workbook().to_json_dict()
    data["past_reviews"][0]["baseline"]["needs"]["top_needs"] = ["astrology"]
    with pytest.raises(WorkbookError, match="earlier review #1 › baseline › needs › top needs"):
        parse_workbook_data(data)
