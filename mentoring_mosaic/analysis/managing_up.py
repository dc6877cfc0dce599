"""Drafts for managing up (stage 2): a one-page meeting agenda and a short request.

Both are built from the participant's goals and one mentor's worksheet (``ManagingUpPlan``)
and ``Person`` entry, as plain text (the agenda is light Markdown that reads well as plain
text too). Pure functions, no widgets; nothing here is HTML, so callers escape as usual when
they put it into a page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from ..model import Goal, ManagingUpPlan, Person, Profile
from .goals import split_steps

MAX_FIELD = 280
"""Long answers are cut to this many characters so the agenda stays on one page."""

MAX_GOALS = 3
"""At most this many goals go into one meeting."""

REQUEST_MINUTES = 20
"""What we ask a busy mentor for: a short, bounded slot."""

AGENDA_SETTERS = {"me": "me", "mentor": "you", "shared": "both of us"}


def _one_line(text: str, limit: int = MAX_FIELD) -> str:
    """Collapse whitespace and cut politely at ``limit`` characters."""
    flat = re.sub(r"\s+", " ", text or "").strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def _greeting_name(person: Person) -> str:
    name = _one_line(person.name, 80)
    return name or "there"


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


def _goal_line(goal: Goal, names: Mapping[str, str]) -> str:
    text = _one_line(goal.goal, 160)
    bits = []
    if goal.need:
        bits.append(names.get(goal.need, goal.need))
    if goal.deadline:
        bits.append(f"by {goal.deadline:%d %b %Y}")
    steps = split_steps(goal.steps)
    line = f"- {text}" + (f" ({', '.join(bits)})" if bits else "")
    if steps:
        line += f"\n  Next step: {_one_line(steps[0], 120)}"
    return line


def meeting_agenda(
    person: Person,
    plan: ManagingUpPlan,
    goals: Sequence[Goal],
    *,
    profile: Profile | None = None,
    domain_names: Mapping[str, str] | None = None,
) -> str:
    """A one-page agenda for the next meeting with this mentor (Markdown-ish plain text)."""
    names = domain_names or {}
    profile = profile or Profile()
    who = _one_line(person.name, 80) or "my mentor"
    lines = [f"# Meeting with {who}", ""]
    facts = []
    if plan.next_meeting:
        facts.append(f"When: {_date(plan.next_meeting)}")
    else:
        facts.append("When: to be agreed")
    if plan.channel.strip():
        facts.append(f"How: {_one_line(plan.channel, 60)}")
    if plan.agenda_setter:
        facts.append(f"Agenda set by: {AGENDA_SETTERS[plan.agenda_setter]}")
    lines.append(" · ".join(facts))
    if profile.display_name.strip():
        lines.append(f"Prepared by: {_one_line(profile.display_name, 80)}")
    lines.append("")

    purpose = _one_line(plan.need_from)
    if purpose:
        lines += ["## Why we are meeting", f"What I need from you: {purpose}", ""]
    elif profile.next_role.strip():
        lines += [
            "## Why we are meeting",
            f"Preparing for my move to {_one_line(profile.next_role, 80)}.",
            "",
        ]

    since = f" (since {_date(plan.last_meeting)})" if plan.last_meeting else ""
    lines.append(f"## 1. Update{since} (5 min)")
    chosen = relevant_goals(goals, person)
    if chosen:
        lines += [_goal_line(g, names) for g in chosen]
    else:
        lines.append("- What I have done since we last met, and what came of your advice")
    lines.append("")

    ask = _one_line(plan.one_ask)
    lines.append("## 2. My ask (10 min)")
    lines.append(f"- {ask}" if ask else "- The one thing I most need your help with")
    lines.append("")

    lines.append("## 3. Your feedback (5 min)")
    lines.append("- What is one thing I could do differently?")
    lines.append("")

    offer = _one_line(plan.offer_back)
    if offer:
        lines += ["## 4. What I can offer", f"- {offer}", ""]

    n = 5 if offer else 4
    lines.append(f"## {n}. Next steps (5 min)")
    lines.append("- Who does what, by when (I will send a short note within a day)")
    frequency = _one_line(plan.meeting_frequency, 60)
    lines.append(
        "- Fix our next meeting" + (f" (we meet {frequency})" if frequency else "")
    )
    return "\n".join(lines).rstrip() + "\n"


def busy_mentor_request(
    person: Person,
    plan: ManagingUpPlan,
    goals: Sequence[Goal],
    *,
    profile: Profile | None = None,
    domain_names: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> str:
    """A short, concrete request for a busy mentor: subject line and an email-sized body.

    It names one ask, bounds the time asked for, offers to prepare, and makes saying no easy.
    """
    names = domain_names or {}
    profile = profile or Profile()
    today = today or dt.date.today()
    chosen = relevant_goals(goals, person, limit=1)
    ask = _one_line(plan.one_ask, 200)
    if not ask and chosen:
        ask = f"your advice on how to reach this goal: {_one_line(chosen[0].goal, 160)}"
    if not ask:
        need = _one_line(plan.need_from, 160)
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

    when = ""
    if plan.next_meeting and plan.next_meeting >= today:
        when = f" of our meeting on {_date(plan.next_meeting)}"
    else:
        when = " in the next two weeks"
    channel = _one_line(plan.channel, 40)
    if channel[:1].isupper() and channel[1:2].islower():
        channel = channel[0].lower() + channel[1:]  # "In person" reads "(in person is fine)"
    how = f" ({channel} is fine)" if channel else " (in person, by phone or by video)"

    sign = _one_line(profile.display_name, 80)
    body = [
        f"Subject: {subject}",
        "",
        f"Dear {_greeting_name(person)},",
        "",
        f"{context}I have one specific request: {ask}{end}",
        "",
        f"Could you spare {REQUEST_MINUTES} minutes{when}{how}? "
        "I will send a short agenda and any papers the day before, so the time goes straight "
        "to the question.",
    ]
    offer = _one_line(plan.offer_back, 160).rstrip(".!;: ")
    if offer:
        body += ["", f"In return, I can offer: {offer}."]
    body += [
        "",
        "If now is a bad time, a one-line reply pointing me to someone else would help just as "
        "much.",
        "",
        "Thank you,",
        sign or "[your name]",
    ]
    return "\n".join(body) + "\n"


def agenda_filename(person: Person, suffix: str = "md") -> str:
    """A file name for the agenda download."""
    safe = "".join(c if c.isalnum() else "-" for c in person.name).strip("-").lower()[:40]
    return f"agenda-{safe or 'mentor'}.{suffix}"


def request_filename(person: Person) -> str:
    """A file name for the request download."""
    safe = "".join(c if c.isalnum() else "-" for c in person.name).strip("-").lower()[:40]
    return f"request-{safe or 'mentor'}.txt"
