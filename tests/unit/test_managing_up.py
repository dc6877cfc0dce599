"""Managing-up drafts: the one-page agenda and the request for a busy mentor."""

from __future__ import annotations

import datetime as dt

from mentoring_mosaic.analysis.managing_up import (
    agenda_filename,
    busy_mentor_request,
    meeting_agenda,
    relevant_goals,
    request_filename,
)
from mentoring_mosaic.model import Goal, ManagingUpPlan, Person, Profile

TODAY = dt.date(2026, 11, 25)
NAMES = {"research": "Research and scholarship", "teaching": "Teaching"}
LEE = Person(name="Dr Lee", domains=["research"])
PLAN = ManagingUpPlan(
    need_from="Feedback on my first grant",
    offer_back="Help with the journal club.",
    meeting_frequency="monthly",
    agenda_setter="me",
    channel="video",
    last_meeting=dt.date(2026, 11, 1),
    next_meeting=dt.date(2026, 12, 10),
    one_ask="Can you read my specific aims by 1 March?",
)
GOALS = [
    Goal(need="teaching", goal="Teach three ward sessions", steps="book slots"),
    Goal(
        need="research",
        goal="Submit a career development award",
        steps="1. draft the aims 2. get feedback",
        deadline=dt.date(2027, 6, 1),
    ),
    Goal(need="research", goal=""),
]
PROFILE = Profile(display_name="Ana Ruiz", current_role="fellow", next_role="junior faculty")


def test_relevant_goals_prefer_the_mentors_domains() -> None:
    assert [g.goal for g in relevant_goals(GOALS, LEE)] == ["Submit a career development award"]
    other = Person(name="Sam", domains=["leadership"])
    assert len(relevant_goals(GOALS, other)) == 2  # no match: every written goal
    assert relevant_goals([], LEE) == []


def test_agenda_carries_the_worksheet_and_the_goals() -> None:
    text = meeting_agenda(LEE, PLAN, GOALS, profile=PROFILE, domain_names=NAMES)
    assert text.startswith("# Meeting with Dr Lee\n")
    for expected in (
        "When: Thu 10 Dec 2026",
        "How: video",
        "Agenda set by: me",
        "Prepared by: Ana Ruiz",
        "What I need from you: Feedback on my first grant",
        "(since Sun 01 Nov 2026)",
        "Submit a career development award (Research and scholarship, by 01 Jun 2027)",
        "Next step: draft the aims",
        "Can you read my specific aims by 1 March?",
        "Help with the journal club.",
        "(we meet monthly)",
    ):
        assert expected in text, expected
    assert "Teach three ward sessions" not in text
    assert len(text.splitlines()) <= 45  # one page


def test_agenda_from_an_empty_worksheet_still_has_a_structure() -> None:
    text = meeting_agenda(Person(name="Sam"), ManagingUpPlan(), [])
    assert "When: to be agreed" in text
    assert "## 2. My ask" in text
    assert "What I can offer" not in text
    assert "## 4. Next steps" in text


def test_long_answers_are_cut_to_keep_one_page() -> None:
    plan = ManagingUpPlan(one_ask="word " * 500)
    text = meeting_agenda(LEE, plan, [])
    assert max(len(line) for line in text.splitlines()) < 300
    assert "…" in text


def test_request_is_short_concrete_and_polite() -> None:
    text = busy_mentor_request(LEE, PLAN, GOALS, profile=PROFILE, domain_names=NAMES, today=TODAY)
    assert text.startswith("Subject: Request: 20 minutes on research and scholarship\n")
    assert "Dear Dr Lee," in text
    assert "I am moving from fellow to junior faculty." in text
    assert "Can you read my specific aims by 1 March?" in text
    assert "of our meeting on Thu 10 Dec 2026 (video is fine)" in text
    assert "In return, I can offer: Help with the journal club." in text
    assert "someone else" in text  # an easy way to say no
    assert text.rstrip().endswith("Ana Ruiz")
    assert len(text.split()) < 160  # email-sized


def test_request_without_an_ask_falls_back_to_a_goal_then_a_generic_ask() -> None:
    plan = ManagingUpPlan(next_meeting=TODAY - dt.timedelta(days=1))
    text = busy_mentor_request(LEE, plan, GOALS, today=TODAY)
    assert "how to reach this goal: Submit a career development award." in text
    assert "in the next two weeks" in text  # the stored meeting is in the past
    bare = busy_mentor_request(Person(name="Sam"), ManagingUpPlan(), [], today=TODAY)
    assert "your advice on my next step." in bare
    assert "[your name]" in bare
    spoken = busy_mentor_request(LEE, ManagingUpPlan(channel="In person"), [], today=TODAY)
    assert "(in person is fine)" in spoken


def test_names_with_markup_stay_plain_text_and_file_names_are_safe() -> None:
    evil = Person(name="<b>Dr</b> O'Neil")
    text = meeting_agenda(evil, ManagingUpPlan(), [])
    assert "# Meeting with <b>Dr</b> O'Neil" in text  # plain text: the caller escapes for HTML
    assert agenda_filename(evil) == "agenda-b-dr--b--o-neil.md"
    assert request_filename(Person(name="???")) == "request-mentor.txt"
