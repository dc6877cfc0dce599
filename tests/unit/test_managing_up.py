"""Managing-up drafts: the one-page agenda and the request for a busy mentor."""

from __future__ import annotations

import datetime as dt
import re

from mentoring_mosaic.analysis.managing_up import (
    BULLET,
    agenda_filename,
    agenda_outline,
    busy_mentor_request,
    meeting_agenda,
    mentor_label,
    relevant_goals,
    request_filename,
    request_outline,
)
from mentoring_mosaic.model import Goal, ManagingUpPlan, Person, Profile

TODAY = dt.date(2026, 11, 25)
NAMES = {"research": "Research and scholarship", "teaching": "Teaching"}
LEE = Person(name="Dr Lee", title="program director", domains=["research"])
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
    assert text.startswith("Meeting with Dr Lee, program director\n")
    for expected in (
        "When: Thu 10 Dec 2026",
        "How: video",
        "Agenda set by: me",
        "Prepared by: Ana Ruiz",
        "What I need from you: Feedback on my first grant",
        "1. Update since Sun 01 Nov 2026 (5 min)",
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
    assert "\n2. My ask (10 min)\n" in text
    assert "What I can offer" not in text
    assert "\n4. Next steps (5 min)\n" in text


def test_long_answers_are_cut_to_keep_one_page() -> None:
    plan = ManagingUpPlan(one_ask="word " * 500)
    text = meeting_agenda(LEE, plan, [])
    assert max(len(line) for line in text.splitlines()) < 300
    assert "…" in text


def test_request_is_short_concrete_and_polite() -> None:
    text = busy_mentor_request(LEE, PLAN, GOALS, profile=PROFILE, domain_names=NAMES, today=TODAY)
    assert text.startswith(
        "To: Dr Lee, program director\n"
        "Subject: Request: 20 minutes on research and scholarship\n\n"
    )
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
    zoom = busy_mentor_request(LEE, ManagingUpPlan(channel="Zoom"), [], today=TODAY)
    assert "(Zoom is fine)" in zoom  # a name keeps its capital
    monthly = meeting_agenda(LEE, ManagingUpPlan(meeting_frequency="Monthly, 30 minutes"), [])
    assert "Fix our next meeting (we meet monthly, 30 minutes)" in monthly


def test_names_with_markup_stay_plain_text_and_file_names_are_safe() -> None:
    evil = Person(name="<b>Dr</b> O'Neil")
    text = meeting_agenda(evil, ManagingUpPlan(), [])
    assert text.startswith("Meeting with <b>Dr</b> O'Neil\n")  # the caller escapes for HTML
    assert agenda_filename(evil) == "agenda-b-dr--b--o-neil.txt"
    assert request_filename(Person(name="???")) == "request-mentor.txt"


# -- plain text: what the Copy buttons put on the clipboard ----------------------------------

MARKDOWN_LINE = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|>\s|```)")
"""A line Markdown would read as a heading, a bullet, a quote or code."""


def markdown_symbols(text: str) -> list[str]:
    """Lines of ``text`` that carry Markdown markup (empty when the text is plain)."""
    return [
        line
        for line in text.splitlines()
        if MARKDOWN_LINE.match(line) or "**" in line or "__" in line
    ]


FULL_PLAN = PLAN.model_copy(
    update={
        "need_from": "## Feedback on my #1 grant",
        "one_ask": "- Can you read my <b>aims</b> & budget?",
        "offer_back": "* Help with the journal club",
    }
)


def test_the_agenda_is_plain_text_without_markdown_symbols() -> None:
    text = meeting_agenda(LEE, FULL_PLAN, GOALS, profile=PROFILE, domain_names=NAMES)
    assert markdown_symbols(text) == []
    bare = meeting_agenda(Person(name="Sam"), ManagingUpPlan(), [])
    assert markdown_symbols(bare) == []
    lines = text.splitlines()
    assert lines[0] == "Meeting with Dr Lee, program director"
    # numbered headings, "•" items, the next step on its own indented line
    assert "2. My ask (10 min)" in lines
    assert f"{BULLET} Can you read my <b>aims</b> & budget?" in lines
    assert f"{BULLET} Help with the journal club" in lines
    assert "  Next step: draft the aims" in lines
    # the participant's own '#' inside a sentence stays: it is their text, not markup
    assert "What I need from you: Feedback on my #1 grant" in lines


def test_the_request_is_plain_text_without_markdown_symbols() -> None:
    text = busy_mentor_request(LEE, FULL_PLAN, GOALS, profile=PROFILE, today=TODAY)
    assert markdown_symbols(text) == []
    assert "I have one specific request: Can you read my <b>aims</b> & budget?" in text
    assert "In return, I can offer: Help with the journal club." in text


def test_outlines_carry_the_same_words_as_the_text() -> None:
    agenda = agenda_outline(LEE, PLAN, GOALS, profile=PROFILE, domain_names=NAMES)
    assert agenda.title == "Meeting with Dr Lee, program director"
    assert agenda.prepared_by == "Ana Ruiz"
    assert [s.heading for s in agenda.sections] == [
        "Why we are meeting",
        "1. Update since Sun 01 Nov 2026 (5 min)",
        "2. My ask (10 min)",
        "3. Your feedback (5 min)",
        "4. What I can offer",
        "5. Next steps (5 min)",
    ]
    assert agenda.to_text() == meeting_agenda(
        LEE, PLAN, GOALS, profile=PROFILE, domain_names=NAMES
    )
    request = request_outline(LEE, PLAN, GOALS, profile=PROFILE, domain_names=NAMES, today=TODAY)
    assert request.to == "Dr Lee, program director"
    assert request.paragraphs[0] == "Dear Dr Lee,"
    assert request.paragraphs[-1] == "Thank you,\nAna Ruiz"


def test_the_title_goes_with_the_name_once() -> None:
    assert mentor_label(LEE) == "Dr Lee, program director"
    assert mentor_label(Person(name="Dr Lee")) == "Dr Lee"
    # a name that already says it (the demo personas do) is not repeated
    chen = Person(name="Dr Lin Chen (program director)", title="Program Director")
    assert mentor_label(chen) == "Dr Lin Chen (program director)"
    # the greeting keeps to the name; a description gets a neutral greeting
    assert "Dear Dr Lee," in busy_mentor_request(LEE, PLAN, [], today=TODAY)
    described = busy_mentor_request(Person(name="my programme director"), PLAN, [], today=TODAY)
    assert "Hello," in described and "Dear my" not in described
