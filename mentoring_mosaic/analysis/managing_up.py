"""Drafts for managing up (stage 2): a one-page meeting agenda and a short request.

Both are built from the participant's goals and one mentor's worksheet (``ManagingUpPlan``)
and ``Person`` entry. Each comes as a small outline (:class:`Agenda`, :class:`Request`) that a
page renders as formatted text, and as plain text (``to_text``) for copying into an email or a
calendar invitation: no Markdown symbols, "•" bullets and numbered headings that read well in
any mail program. Pure functions, no widgets; nothing here is HTML, so callers escape as usual
when they put it into a page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Goal, ManagingUpPlan, Person, Profile
from .goals import split_steps

MAX_FIELD = 280
"""Long answers are cut to this many characters so the agenda stays on one page."""

MAX_GOALS = 3
"""At most this many goals go into one meeting."""

REQUEST_MINUTES = 20
"""What we ask a busy mentor for: a short, bounded slot."""

AGENDA_SETTERS = {"me": "me", "mentor": "you", "shared": "both of us"}

BULLET = "•"
"""The list mark in the plain text: survives every mail program, unlike Markdown's '-'."""

_LEADING_MARKS = re.compile(r"^(?:(?:#+|[-*+•·>]|\d+[.)])\s+)+")
"""Markdown headings, bullets, quotes and numbering a participant typed at the start of an
answer: our own layout numbers and bullets the items, so these would double up."""

_DESCRIPTION_START = re.compile(r"^(?:my|a|an|the|our)\s", re.IGNORECASE)
"""A name like "my programme director" is a description, not something to write after "Dear"."""


def _one_line(text: str, limit: int = MAX_FIELD) -> str:
    """Collapse whitespace and cut politely at ``limit`` characters."""
    flat = re.sub(r"\s+", " ", text or "").strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def _item(text: str, limit: int = MAX_FIELD) -> str:
    """One answer as a list item: one line, without the marks a participant may have typed."""
    return _LEADING_MARKS.sub("", _one_line(text, limit)).strip()


def _mid_sentence(text: str) -> str:
    """A capitalised everyday word read inside a sentence: "Monthly" -> "monthly" (not
    "MRI" or "Zoom call": only a capital followed by a small letter, and not a name)."""
    first = re.match(r"[A-Za-z-]*", text).group(0).lower()
    if text[:1].isupper() and text[1:2].islower() and first in (
        "in", "by", "video", "phone", "email", "e-mail", "messaging", "weekly", "monthly",
        "quarterly", "yearly", "every", "as", "once", "twice",
    ):
        return text[0].lower() + text[1:]
    return text


def mentor_label(person: Person, limit: int | None = None) -> str:
    """The mentor's name with their role or title: "Dr Lee, program director".

    The title is left out when the name already carries it ("Dr Chen (program director)").
    With ``limit``, each part is cut to one line of at most that many characters (drafts);
    without, both are kept whole (exports keep every answer).
    """
    if limit is None:
        name, title = person.name.strip(), person.title.strip()
    else:
        name, title = _one_line(person.name, limit), _one_line(person.title, limit)
    if not title or title.casefold() in name.casefold():
        return name
    return f"{name}, {title}" if name else title


def _greeting_name(person: Person) -> str:
    name = _one_line(person.name, 80)
    if _DESCRIPTION_START.match(name):
        return ""
    return name


def _date(day: dt.date | None) -> str:
    return f"{day:%a %d %b %Y}" if day else ""


def relevant_goals(
    goals: Sequence[Goal], person: Person, limit: int = MAX_GOALS
) -> list[Goal]:
    """The goals to raise with this mentor.

    Goals whose need is one of the mentor's domains come first; if none match, the
    participant's goals in their own order. Goals without text are skipped.
    """
    written = [g for g in goals if g.goal.strip()]
    matching = [g for g in written if g.need and g.need in person.domains]
    return (matching or written)[:limit]


# -- the agenda ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One point under an agenda heading, with an optional second line (e.g. the next step)."""

    text: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    """One part of the agenda: a heading, then a sentence or a list of points."""

    heading: str
    sentence: str = ""
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Agenda:
    """The agenda as an outline: what a page formats and what ``to_text`` writes out."""

    title: str
    facts: tuple[str, ...]
    prepared_by: str
    sections: tuple[Section, ...]

    def to_text(self) -> str:
        """Plain text for an email or an invitation: no Markdown, "•" bullets."""
        lines = [self.title, " · ".join(self.facts)]
        if self.prepared_by:
            lines.append(f"Prepared by: {self.prepared_by}")
        for section in self.sections:
            lines += ["", section.heading]
            if section.sentence:
                lines.append(section.sentence)
            for item in section.items:
                lines.append(f"{BULLET} {item.text}")
                if item.detail:
                    lines.append(f"  {item.detail}")
        return "\n".join(lines).rstrip() + "\n"


def _goal_item(goal: Goal, names: Mapping[str, str]) -> Item:
    text = _item(goal.goal, 160)
    bits = []
    if goal.need:
        bits.append(names.get(goal.need, goal.need))
    if goal.deadline:
        bits.append(f"by {goal.deadline:%d %b %Y}")
    steps = split_steps(goal.steps)
    detail = f"Next step: {_item(steps[0], 120)}" if steps else ""
    return Item(text + (f" ({', '.join(bits)})" if bits else ""), detail)


def agenda_outline(
    person: Person,
    plan: ManagingUpPlan,
    goals: Sequence[Goal],
    *,
    profile: Profile | None = None,
    domain_names: Mapping[str, str] | None = None,
) -> Agenda:
    """A one-page agenda for the next meeting with this mentor, as an outline."""
    names = domain_names or {}
    profile = profile or Profile()
    who = mentor_label(person, 80) or "my mentor"
    facts = [f"When: {_date(plan.next_meeting)}" if plan.next_meeting else "When: to be agreed"]
    if plan.channel.strip():
        facts.append(f"How: {_one_line(plan.channel, 60)}")
    if plan.agenda_setter:
        facts.append(f"Agenda set by: {AGENDA_SETTERS[plan.agenda_setter]}")

    sections: list[Section] = []
    purpose = _item(plan.need_from)
    if purpose:
        sections.append(Section("Why we are meeting", f"What I need from you: {purpose}"))
    elif profile.next_role.strip():
        sections.append(
            Section(
                "Why we are meeting",
                f"Preparing for my move to {_one_line(profile.next_role, 80)}.",
            )
        )

    since = f" since {_date(plan.last_meeting)}" if plan.last_meeting else ""
    chosen = relevant_goals(goals, person)
    update = tuple(_goal_item(g, names) for g in chosen) or (
        Item("What I have done since we last met, and what came of your advice"),
    )
    sections.append(Section(f"1. Update{since} (5 min)", items=update))

    ask = _item(plan.one_ask)
    sections.append(
        Section("2. My ask (10 min)",
                items=(Item(ask or "The one thing I most need your help with"),))
    )
    feedback = Item("What is one thing I could do differently?")
    sections.append(Section("3. Your feedback (5 min)", items=(feedback,)))
    offer = _item(plan.offer_back)
    if offer:
        sections.append(Section("4. What I can offer", items=(Item(offer),)))
    frequency = _mid_sentence(_one_line(plan.meeting_frequency, 60))
    sections.append(
        Section(
            f"{5 if offer else 4}. Next steps (5 min)",
            items=(
                Item("Who does what, by when (I will send a short note within a day)"),
                Item("Fix our next meeting" + (f" (we meet {frequency})" if frequency else "")),
            ),
        )
    )
    return Agenda(
        title=f"Meeting with {who}",
        facts=tuple(facts),
        prepared_by=_one_line(profile.display_name, 80),
        sections=tuple(sections),
    )


def meeting_agenda(
    person: Person,
    plan: ManagingUpPlan,
    goals: Sequence[Goal],
    *,
    profile: Profile | None = None,
    domain_names: Mapping[str, str] | None = None,
) -> str:
    """A one-page agenda for the next meeting with this mentor, as plain text."""
    return agenda_outline(
        person, plan, goals, profile=profile, domain_names=domain_names
    ).to_text()


# -- the request ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """The request as parts: who it is for, the subject line and the body's paragraphs."""

    to: str
    subject: str
    paragraphs: tuple[str, ...]
    """Paragraphs of the body; a paragraph may hold a line break (the sign-off)."""

    def to_text(self) -> str:
        """Plain text: "To:" and "Subject:" lines, then the body."""
        head = [f"To: {self.to}"] if self.to else []
        head.append(f"Subject: {self.subject}")
        return "\n".join(head) + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


def request_outline(
    person: Person,
    plan: ManagingUpPlan,
    goals: Sequence[Goal],
    *,
    profile: Profile | None = None,
    domain_names: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Request:
    """A short, concrete request for a busy mentor: subject line and an email-sized body.

    It names one ask, bounds the time asked for, offers to prepare, and makes saying no easy.
    """
    names = domain_names or {}
    profile = profile or Profile()
    today = today or dt.date.today()
    chosen = relevant_goals(goals, person, limit=1)
    ask = _item(plan.one_ask, 200)
    if not ask and chosen:
        ask = f"your advice on how to reach this goal: {_item(chosen[0].goal, 160)}"
    if not ask:
        need = _item(plan.need_from, 160)
        ask = f"your advice on {need}" if need else "your advice on my next step"
    end = "?" if ask.endswith("?") else "."
    ask = ask.rstrip(".!?;: ")

    topic = ""
    if chosen and chosen[0].need:
        topic = names.get(chosen[0].need, chosen[0].need)
    subject = f"Request: {REQUEST_MINUTES} minutes" + (f" on {topic.lower()}" if topic else "")

    context = ""
    current = _one_line(profile.current_role, 80)
    nxt = _one_line(profile.next_role, 80)
    if current and nxt:
        context = f"I am moving from {current} to {nxt}. "
    elif nxt:
        context = f"I am preparing for my move to {nxt}. "

    if plan.next_meeting and plan.next_meeting >= today:
        when = f" of our meeting on {_date(plan.next_meeting)}"
    else:
        when = " in the next two weeks"
    channel = _mid_sentence(_one_line(plan.channel, 40))  # "(in person is fine)"
    how = f" ({channel} is fine)" if channel else " (in person, by phone or by video)"

    greeting = _greeting_name(person)
    paragraphs = [
        f"Dear {greeting}," if greeting else "Hello,",
        f"{context}I have one specific request: {ask}{end}",
        f"Could you spare {REQUEST_MINUTES} minutes{when}{how}? "
        "I will send a short agenda and any papers the day before, so the time goes straight "
        "to the question.",
    ]
    offer = _item(plan.offer_back, 160).rstrip(".!;: ")
    if offer:
        paragraphs.append(f"In return, I can offer: {offer}.")
    paragraphs += [
        "If now is a bad time, a one-line reply pointing me to someone else would help just as "
        "much.",
        "Thank you,\n" + (_one_line(profile.display_name, 80) or "[your name]"),
    ]
    return Request(to=mentor_label(person, 80), subject=subject, paragraphs=tuple(paragraphs))


def busy_mentor_request(
    person: Person,
    plan: ManagingUpPlan,
    goals: Sequence[Goal],
    *,
    profile: Profile | None = None,
    domain_names: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> str:
    """The request for a busy mentor as plain text (see :func:`request_outline`)."""
    return request_outline(
        person, plan, goals, profile=profile, domain_names=domain_names, today=today
    ).to_text()


def agenda_filename(person: Person, suffix: str = "txt") -> str:
    """A file name for the agenda download."""
    safe = "".join(c if c.isalnum() else "-" for c in person.name).strip("-").lower()[:40]
    return f"agenda-{safe or 'mentor'}.{suffix}"


def request_filename(person: Person) -> str:
    """A file name for the request download."""
    safe = "".join(c if c.isalnum() else "-" for c in person.name).strip("-").lower()[:40]
    return f"request-{safe or 'mentor'}.txt"
