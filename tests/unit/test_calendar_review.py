"""The review reminder in the calendar file: when it falls, what it says, and that it stays text.

Issue 17 (3): the wrap-up's calendar file carries a review event about 90 days after the
workshop (the interval set in agenda.toml's wrapup stage); its words say which file to keep,
which link to open and to choose "Three months on".
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
from icalendar import Calendar

from mentoring_mosaic.content import ContentError, load_content
from mentoring_mosaic.content.schema import DEFAULT_REVIEW_AFTER_DAYS
from mentoring_mosaic.exports.calendar import to_ics
from mentoring_mosaic.exports.pack import (
    PACK_FILE,
    REVIEW_CHOICE,
    WORKBOOK_FILE,
    app_link,
    come_back,
)
from mentoring_mosaic.model import (
    ActionItem,
    Baseline,
    Consent,
    Evaluation,
    Goal,
    Review,
    Workbook,
)

WORKSHOP = dt.date(2026, 11, 30)
PACKAGED = Path(__file__).resolve().parents[2] / "mentoring_mosaic" / "content"


def workbook(**update: object) -> Workbook:
    """A workbook finished on WORKSHOP (its baseline), with one goal and one dated action."""
    wb = Workbook(
        goals=[Goal(id="g1", need="research", goal="Submit an abstract")],
        actions=[ActionItem(id="a1", text="Email Dr Chen", due=dt.date(2026, 12, 14))],
    )
    wb.baseline = Baseline(taken_on=WORKSHOP, goals=wb.goals, actions=wb.actions)
    for name, value in update.items():
        setattr(wb, name, value)
    return Workbook.model_validate(wb.model_dump())


def review_events(raw: bytes) -> list:
    cal = Calendar.from_ical(raw)
    return [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("mentoring-mosaic-review-")]


def the_review(raw: bytes):
    events = review_events(raw)
    assert len(events) == 1
    return events[0]


def content_with_wrapup(tmp_path: Path, **fields: object):
    """The packaged content with the wrapup stage's review fields set (a facilitator's folder)."""
    stages = tomllib.loads((PACKAGED / "agenda.toml").read_text("utf-8"))["stage"]
    wrapup = next(s for s in stages if s["id"] == "wrapup")
    wrapup.pop("review_after_days", None)
    wrapup.update(fields)
    lines = ["[[stage]]"]
    for key, value in wrapup.items():
        if isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(_toml_str(v) for v in value) + "]")
        elif isinstance(value, str):
            lines.append(f"{key} = {_toml_str(value)}")
        else:
            lines.append(f"{key} = {value}")
    folder = tmp_path / "my-content"
    folder.mkdir(exist_ok=True)
    (folder / "agenda.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_content(folder)


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- when -------------------------------------------------------------------------------------


def test_the_packaged_content_sets_90_days_on_the_wrapup_stage(content) -> None:
    assert content.stage("wrapup").review_after_days == 90 == DEFAULT_REVIEW_AFTER_DAYS
    assert all(s.review_after_days is None for s in content.agenda if s.id != "wrapup")


def test_the_review_falls_90_days_after_the_workshop(content) -> None:
    event = the_review(to_ics(workbook(), content))
    assert event.decoded("DTSTART") == dt.date(2027, 2, 28) == WORKSHOP + dt.timedelta(days=90)
    assert event.decoded("DTEND") == dt.date(2027, 3, 1)
    alarms = list(event.walk("VALARM"))
    assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == dt.timedelta(hours=-15)  # 9:00 the day before


def test_the_interval_comes_from_the_content_files(tmp_path: Path) -> None:
    mine = content_with_wrapup(tmp_path, review_after_days=60)
    assert mine.stage("wrapup").review_after_days == 60
    event = the_review(to_ics(workbook(), mine))
    assert event.decoded("DTSTART") == WORKSHOP + dt.timedelta(days=60)
    assert "About 60 days ago" in str(event["DESCRIPTION"])
    unset = content_with_wrapup(tmp_path)  # left out: the default
    assert the_review(to_ics(workbook(), unset)).decoded("DTSTART") == dt.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"review_after_days": 5}, "review_after_days: input should be greater than or equal "
         "to 14"),
        ({"review_after_days": 2000}, "review_after_days: input should be less than or equal "
         "to 730"),
        ({"review_link": "mybinder.org/x"}, 'review_link: must be a web address ("https://...")'),
    ],
)
def test_a_wrong_review_setting_is_named_clearly(
    tmp_path: Path, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ContentError) as caught:
        content_with_wrapup(tmp_path, **fields)
    text = str(caught.value)
    assert 'agenda.toml, [[stage]] entry 1 (id "wrapup")' in text and message in text


def test_the_review_setting_on_another_stage_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    text = (PACKAGED / "agenda.toml").read_text("utf-8")
    text = text.replace('id = "needs"\n', 'id = "needs"\nreview_after_days = 30\n', 1)
    (folder / "agenda.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r'\(id "needs"\).*belong to the wrapup stage only'):
        load_content(folder)


def test_without_a_baseline_the_evaluation_day_then_today_count(content) -> None:
    wb = workbook(baseline=None, evaluation=Evaluation(
        headline=4, submitted_at=dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)))
    assert the_review(to_ics(wb, content)).decoded("DTSTART") == dt.date(2026, 12, 30)
    bare = workbook(baseline=None)
    back = come_back(bare, content, today=dt.date(2026, 6, 1))
    assert back.workshop_day == dt.date(2026, 6, 1) and back.review_on == dt.date(2026, 8, 30)
    day = the_review(to_ics(bare, content)).decoded("DTSTART")
    assert day - dt.date.today() in (dt.timedelta(days=90), dt.timedelta(days=89))


def test_after_a_finished_review_the_next_one_follows_it(content) -> None:
    done = Review(reviewed_on=dt.date(2027, 3, 2),
                  completed_at=dt.datetime(2027, 3, 2, 18, tzinfo=dt.UTC),
                  consent=Consent(share_anonymised=True))
    first = the_review(to_ics(workbook(), content))
    second = the_review(to_ics(workbook(review=done), content))
    assert second.decoded("DTSTART") == dt.date(2027, 5, 31)
    assert str(first["UID"]) != str(second["UID"])
    assert "since your last review" in str(second["DESCRIPTION"])
    unfinished = done.model_copy(update={"completed_at": None})
    again = the_review(to_ics(workbook(review=unfinished), content))
    assert again.decoded("DTSTART") == dt.date(2027, 2, 28)


def test_the_same_workbook_keeps_the_same_review_uid(content) -> None:
    wb = workbook()
    uid = str(the_review(to_ics(wb, content))["UID"])
    assert uid == str(the_review(to_ics(wb, content))["UID"])
    assert wb.workbook_id in uid
    assert uid != str(the_review(to_ics(workbook(), content))["UID"])  # another workbook


def test_a_workbook_with_no_actions_still_gets_its_review(content) -> None:
    wb = workbook(actions=[], goals=[])
    events = list(Calendar.from_ical(to_ics(wb, content)).walk("VEVENT"))
    assert len(events) == 1 and str(events[0]["UID"]).startswith("mentoring-mosaic-review-1-")


# -- what it says -----------------------------------------------------------------------------


def test_the_event_says_which_file_which_link_and_what_to_choose(content, monkeypatch) -> None:
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/uni/mentoring-mosaic/v0.1.0")
    event = the_review(to_ics(workbook(), content))
    text = str(event["DESCRIPTION"])
    link = ("https://mybinder.org/v2/gh/uni/mentoring-mosaic/v0.1.0"
            "?urlpath=voila%2Frender%2Fnotebooks%2Fworkshop.ipynb")
    assert f"Open the workshop at {link} (" in text and str(event["URL"]) == link
    assert f"“{WORKBOOK_FILE}”" in text and f"“{PACK_FILE}”" in text
    assert "“Resume from a file”" in text and f"“{REVIEW_CHOICE}”" in text
    assert "Binder, a free website" in text  # the service named with what it is
    assert "30 November 2026" in text and "Submit an abstract" in text
    assert str(event["SUMMARY"]) == "Review my mentoring plan (Mentoring Mosaic)"
    steps = re.findall(r"^\d\. ", text, flags=re.MULTILINE)
    assert steps == ["1. ", "2. ", "3. ", "4. ", "5. "]


def test_the_link_is_the_programmes_then_binders_then_the_rooms(tmp_path: Path, content) -> None:
    binder = {"BINDER_LAUNCH_HOST": "https://mybinder.org/",
              "BINDER_REQUEST": "v2/gh/uni/mm/main"}
    room = {"MENTORING_MOSAIC_ROOM": "1",
            "VOILA_REQUEST_URL": "http://10.0.0.5:8866/voila/render/room.ipynb?key=SECRETKEY1234"
                                 "56789012345&token=abc"}
    mine = content_with_wrapup(tmp_path, review_link="https://mentoring.example.edu/review")
    assert app_link(mine, binder)[0] == "https://mentoring.example.edu/review"
    assert app_link(content, binder)[0].startswith("https://mybinder.org/v2/gh/uni/mm/main?")
    link, words = app_link(content, room)
    assert link == "http://10.0.0.5:8866/voila/render/room.ipynb"  # no private key, no token
    assert "facilitator" in words
    public = {**room, "MENTORING_MOSAIC_ROOM_URL": "https://room.example.edu/"}
    assert app_link(content, public)[0] == "https://room.example.edu/"
    link, words = app_link(content, {})
    assert link == "" and "the link your facilitator or programme gave you" in words


def test_participant_text_is_escaped_and_folded(content) -> None:
    hostile = ("Ask; then, maybe \\ twice\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected "
               + "long words " * 20)
    wb = workbook(goals=[Goal(id="g1", goal=hostile)])
    raw = to_ics(wb, content)
    lines = raw.decode("utf-8").split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)  # folded (RFC 5545 3.1)
    for line in lines:  # no property injected by a line break in the participant's words
        assert line[:1] == " " or line == "" or line.split(":", 1)[0].split(";", 1)[0].isupper()
    assert "SUMMARY:injected" not in raw.decode()
    unfolded = raw.decode().replace("\r\n ", "")
    assert "Ask\\; then\\, maybe \\\\ twice\\nEND:VEVENT\\nBEGIN:VEVENT" in unfolded
    event = the_review(raw)
    assert f"- {hostile.strip()}" in str(event["DESCRIPTION"])  # read back exactly
    assert len(list(Calendar.from_ical(raw).walk("VEVENT"))) == 2  # the action and the review
