"""Three months on: the room's follow-up figures, checked against figures worked out by hand.

Issue 17 (4). Only reviewed workbooks whose participant agreed, *in the review*, to share it are
counted; counts under 3 are hidden; workbooks without review answers are counted as not
reviewed yet, never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mentoring_mosaic.analysis.cohort import (
    FOLLOW_UP_COLUMNS,
    SUPPRESSED,
    SUPPRESSED_SHARE,
    Summary,
    _Ids,
    aggregate,
    follow_up,
    follow_up_facts,
    load_files,
)
from mentoring_mosaic.model import (
    ActionItem,
    ActionReview,
    Baseline,
    Consent,
    DomainRating,
    Evaluation,
    Needs,
    Person,
    Review,
    Workbook,
)
from mentoring_mosaic.serve import cli

WORKSHOP = dt.date(2026, 9, 1)
LATER = dt.date(2026, 12, 2)


def make(
    name: str,
    *,
    statuses: tuple[str | None, ...] = (),
    support: dict[str, tuple[int, int]] | None = None,
    mentors_then: dict[str, str] | None = None,
    mentors_now: dict[str, str] | None = None,
    outcome: int | None = None,
    met: bool | None = None,
    managing_up: bool | None = None,
    consent: bool = True,
    workshop_consent: bool = True,
    baseline: bool = True,
    reviewed: bool = True,
) -> Workbook:
    """A workbook three months on.

    statuses: one per action of the plan (None: not answered); support: domain -> (then, now);
    mentors_then / mentors_now: person id -> "existing" or "potential".
    """
    actions = [ActionItem(id=f"{name}-a{i}", text=f"{name} action {i}")
               for i in range(len(statuses))]
    then = mentors_then or {}
    now = mentors_now if mentors_now is not None else then
    people_then = [Person(id=pid, name=f"{name} {pid}", status=s) for pid, s in then.items()]
    people_now = [Person(id=pid, name=f"{name} {pid}", status=s) for pid, s in now.items()]
    ratings = {d: DomainRating(support=a, need=3) for d, (a, _b) in (support or {}).items()}
    wb = Workbook(
        needs=Needs(ratings=ratings),
        people=people_now,
        actions=actions,
        evaluation=Evaluation(headline=4),
        consent=Consent(share_anonymised=workshop_consent),
    )
    if baseline:
        wb.baseline = Baseline(taken_on=WORKSHOP, needs=Needs(ratings=ratings),
                               people=people_then, actions=actions)
    if reviewed:
        wb.review = Review(
            reviewed_on=LATER,
            actions={a.id: ActionReview(status=s)
                     for a, s in zip(actions, statuses, strict=True) if s},
            support_today={d: b for d, (_a, b) in (support or {}).items()},
            relationships_improved=outcome,
            met_new_mentor=met,
            managing_up_conversation=managing_up,
            consent=Consent(share_anonymised=consent, decided_at=dt.datetime(2026, 12, 2,
                                                                             tzinfo=dt.UTC)),
        )
    return Workbook.model_validate(wb.model_dump())


def room() -> list[Workbook]:
    """Four reviews shared, one review not shared, two workbooks not reviewed (see below)."""
    return [
        make("W1", statuses=("done", "partly"),
             support={"career_guidance": (1, 3), "research": (2, 2)},
             mentors_then={"m1": "existing", "m2": "potential"},
             mentors_now={"m1": "existing", "m2": "existing", "m3": "existing"},
             outcome=5, met=True, managing_up=True),
        make("W2", statuses=("done", "done", "dropped"),
             support={"career_guidance": (2, 3), "research": (0, 2)},
             mentors_then={"m1": "existing"},
             outcome=4, met=False, managing_up=True),
        make("W3", statuses=("not_yet", "done", None),
             support={"career_guidance": (3, 4), "research": (1, 2)},
             mentors_then={"m1": "potential"}, mentors_now={"m1": "existing"},
             outcome=2, met=True),
        # did not share the review (though it shared the workshop): not counted
        make("W4", statuses=("done",), support={"career_guidance": (0, 4)}, outcome=5,
             consent=False),
        # no review at all, and a review opened but never answered: not reviewed yet
        make("W5", reviewed=False),
        make("W6", reviewed=False).model_copy(update={"review": Review()}),
        # did not share the workshop, did share the review; an older file (no baseline)
        make("W7", statuses=("done",), outcome=4, managing_up=False, workshop_consent=False,
             baseline=False),
    ]


def rows(report_rows: list[dict], key: str) -> dict[str, dict]:
    return {r[key]: r for r in report_rows}


# -- worked by hand ---------------------------------------------------------------------------


def test_who_is_counted(content) -> None:
    f = aggregate(room(), content).follow_up
    assert (f.read, f.not_reviewed, f.reviewed_not_shared, f.counted, f.without_baseline) == (
        7, 2, 1, 4, 1)
    summary = [r["value"] for r in f.rows["summary"]]
    assert summary == [7, SUPPRESSED, SUPPRESSED, 4, SUPPRESSED]  # counts under 3 hidden
    assert f.enough


def test_share_of_actions_done(content) -> None:
    f = aggregate(room(), content).follow_up
    # W1 done, partly; W2 done, done, dropped; W3 not yet, done (one unanswered); W7 done
    table = rows(f.rows["actions"], "status")
    assert table["Actions with an answer"]["actions"] == 8
    assert (table["Done"]["actions"], table["Done"]["percent"]) == (5, 62.5)
    for status in ("Partly", "Not yet", "Dropped"):  # one each: hidden
        assert (table[status]["actions"], table[status]["percent"]) == (
            SUPPRESSED, SUPPRESSED_SHARE)
    everyone = table["Participants with at least one action done (of those who answered for "
                     "an action)"]
    assert (everyone["actions"], everyone["percent"]) == (4, 100.0)
    assert f.headline["actions_done_percent"] == 62.5


def test_change_in_support_per_domain(content) -> None:
    f = aggregate(room(), content).follow_up
    table = rows(f.rows["support"], "domain")
    # career guidance: then 1, 2, 3 (mean 2.0), now 3, 3, 4 (3.33), changes 2, 1, 1 (1.33)
    assert table["career_guidance"] == {
        "domain": "career_guidance", "name": "Career guidance", "compared": 3,
        "mean_then": 2.0, "mean_now": 3.33, "mean_change": 1.33, "higher_now": 3,
        "percent_higher_now": 100.0,
    }
    # research: then 2, 0, 1 (1.0), now 2, 2, 2 (2.0), changes 0, 2, 1 (1.0); 2 higher: hidden
    research = table["research"]
    assert (research["compared"], research["mean_then"], research["mean_now"],
            research["mean_change"]) == (3, 1.0, 2.0, 1.0)
    assert (research["higher_now"], research["percent_higher_now"]) == (
        SUPPRESSED, SUPPRESSED_SHARE)
    # W4 rated career guidance 0 -> 4 but did not share its review: not in the means above
    sponsorship = table["sponsorship"]  # nobody compared it
    assert (sponsorship["compared"], sponsorship["mean_then"], sponsorship["mean_change"]) == (
        SUPPRESSED, SUPPRESSED_SHARE, SUPPRESSED_SHARE)
    assert [r["domain"] for r in f.rows["support"]] == list(content.domain_names)


def test_new_mentors_per_participant(content) -> None:
    f = aggregate(room(), content).follow_up
    # W1: m2 potential -> existing, m3 added (2); W2: none (0); W3: m1 potential -> existing
    # (1); W7 has no baseline, so it is not compared
    table = rows(f.rows["mentors"], "measure")
    assert table["Participants compared with the workshop day"]["value"] == 3
    assert table["New mentors per participant, mean"]["value"] == 1.0
    assert table["New mentors per participant, median"]["value"] == 1.0
    assert table["Participants with at least one new mentor"]["value"] == SUPPRESSED  # 2
    assert table["Participants with at least one new mentor, percent"]["value"] == (
        SUPPRESSED_SHARE)
    assert f.headline["new_mentors_mean"] == 1.0


def test_new_mentors_are_counted_from_the_ids_not_the_names(content) -> None:
    ids = _Ids.of(content)
    wb = make("X", mentors_then={"a": "existing", "b": "potential", "c": "existing"},
              mentors_now={"a": "existing", "b": "existing", "d": "potential", "e": "existing"})
    # b became existing, e was added as existing; d is only potential; c left the mosaic
    assert follow_up_facts(wb, ids)[4] == 2


def test_the_outcome_item_and_the_two_questions(content) -> None:
    f = aggregate(room(), content).follow_up
    assert f.outcome_text == "My mentoring relationships have improved since the workshop"
    table = rows(f.rows["outcome"], "answer")
    # W1 5, W2 4, W3 2, W7 4 (W4's 5 is not shared)
    assert table["Answered"]["count"] == 4
    agree = table["Agree or strongly agree (4-5)"]
    assert (agree["count"], agree["percent"]) == (3, 75.0)
    assert [table[k]["count"] for k in ("5 Strongly agree", "4 Agree",
                                        "3 Neither agree nor disagree", "2 Disagree",
                                        "1 Strongly disagree")] == [SUPPRESSED] * 5
    items = rows(f.rows["items"], "item")
    assert (items["met_new_mentor"]["answered"], items["met_new_mentor"]["yes"]) == (
        3, SUPPRESSED)
    assert items["met_new_mentor"]["text"] == "Since the workshop, I have met a new mentor."
    assert items["managing_up_conversation"]["answered"] == 3
    assert f.headline["outcome_agree_percent"] == 75.0


# -- privacy and counting ---------------------------------------------------------------------


def test_fewer_than_three_shared_reviews_show_only_the_counts(content) -> None:
    few = room()[:2] + room()[4:6]  # W1 and W2 shared; W5 and W6 not reviewed
    f = aggregate(few, content).follow_up
    assert (f.counted, f.not_reviewed) == (2, 2)
    assert not f.enough
    assert all(f.rows[name] == [] for name in FOLLOW_UP_COLUMNS if name != "summary")
    assert [r["value"] for r in f.rows["summary"]] == [4, SUPPRESSED, SUPPRESSED, SUPPRESSED,
                                                       SUPPRESSED]
    assert set(f.headline.values()) == {SUPPRESSED_SHARE}


def test_unreviewed_workbooks_are_counted_not_guessed(content) -> None:
    reviewed = room()[:3]
    waiting = [make(f"U{i}", statuses=("done", "done"), support={"research": (0, 0)},
                    reviewed=False) for i in range(5)]
    f = aggregate(reviewed + waiting, content).follow_up
    assert (f.read, f.not_reviewed, f.counted) == (8, 5, 3)
    table = rows(f.rows["actions"], "status")
    assert table["Actions with an answer"]["actions"] == 7  # only the three reviews' answers
    assert rows(f.rows["summary"], "measure")[
        "Not reviewed yet (no answers to “Three months on” in the workbook)"]["value"] == 5


def test_the_workshop_consent_does_not_decide_the_review(content) -> None:
    report = aggregate(room(), content)
    assert report.participants == 6  # W1-W6 shared the workshop (W7 did not)
    assert report.follow_up.counted == 4  # W7's review is shared; W4's is not


def test_facts_hold_no_names_and_no_words(content) -> None:
    ids = _Ids.of(content)
    for wb in room():
        facts = follow_up_facts(wb, ids)
        text = json.dumps(facts)
        assert "W" not in text and "action" not in text and "m1" not in text


def test_files_read_as_summaries_give_the_same_figures(content) -> None:
    files = [(f"w{i}.json", json.dumps(wb.to_json_dict()).encode())
             for i, wb in enumerate(room())]
    result = load_files(files, content=content, workers=1)
    assert all(isinstance(wb, Summary) for _n, wb in result.workbooks)
    from_files = aggregate(result.workbooks, content).follow_up
    in_memory = aggregate(room(), content).follow_up
    assert from_files.to_json_dict() == in_memory.to_json_dict()
    assert follow_up(room(), content).to_json_dict() == in_memory.to_json_dict()


# -- the command line -------------------------------------------------------------------------


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    for i, wb in enumerate(room()):
        (folder / f"w{i}.json").write_text(json.dumps(wb.to_json_dict()), encoding="utf-8")
    return folder


def test_cli_json_carries_a_follow_up_key(drop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["cohort", str(drop), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    follow = data["follow_up"]
    assert follow["reviewed_and_counted"] == 4
    assert follow["not_reviewed_yet"] == SUPPRESSED
    assert follow["headline"]["actions_done_percent"] == 62.5
    assert follow["headline"]["outcome_agree_percent"] == 75.0
    assert set(follow["tables"]) == set(FOLLOW_UP_COLUMNS)
    assert "follow_up" not in data["tables"]  # the workshop's tables stay as they were


def test_cli_text_has_the_follow_up_section(
    drop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tables"
    assert cli.main(["cohort", str(drop), "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    section = text[text.index("== Three months on: the follow-up =="):]
    assert "Reviewed and counted: 4 " in section and "Not reviewed yet: <3" in section
    assert "Actions done: 5 of 8 actions with an answer (62.5%)." in section
    assert "New mentors per participant since the workshop: 1 on average." in section
    assert "3 of 4 who answered agree or strongly agree (75%)." in section
    assert "Career guidance" in section and "W1" not in text
    actions = (out / "follow_up_actions.csv").read_text("utf-8-sig")
    assert "Done,5,62.5" in actions


def test_the_room_counts_what_each_participants_review_page_shows(content) -> None:
    """One definition: the room's facts agree with analysis/follow_up.py on a generated room."""
    from mentoring_mosaic.analysis.follow_up import (
        mosaic_then_and_now,
        share_done,
        support_changes,
    )
    from scripts.make_reviewed_room import reviewed_room

    ids = _Ids.of(content)
    room = reviewed_room(40, seed=3)
    reviewed = 0
    for wb in room:
        facts = follow_up_facts(wb, ids)
        if facts is None:
            assert wb.review is None
            continue
        reviewed += 1
        statuses, support, new_mentors = facts[2], facts[3], facts[4]
        done = share_done(wb)
        assert (statuses.count("done"), len(statuses)) == (done or (0, 0))
        assert {d: now - then for d, then, now in support} == support_changes(wb)
        assert new_mentors == len(mosaic_then_and_now(wb, content).new_mentors)
    assert 20 < reviewed < 40
