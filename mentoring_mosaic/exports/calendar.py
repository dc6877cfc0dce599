"""Calendar reminders (.ics): one all-day event per dated action, and the review, with reminders.

The review ("Three months on") is an all-day event about 90 days after the workshop (the
wrapup stage's ``review_after_days`` in agenda.toml); its text says which file to keep, which
link to open and what to choose, in plain words (:class:`..pack.ComeBack`).

Made with the ``icalendar`` library, which takes care of escaping and line folding; every text
field is plain text. Each event's UID is derived from the action's id, so importing a newer
file updates the same events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from ..analysis.actions import SOURCE_LABELS, commitments
from ..content import Content
from ..model import Workbook
from .pack import come_back

PRODID = "-//Mentoring Mosaic//Action plan//EN"
REMINDER = dt.timedelta(hours=-15)
"""All-day events start at midnight: the reminder fires at 9:00 the day before."""


def _plain(text: str, limit: int = 1000) -> str:
    """Plain text without control characters (newlines kept)."""
    cleaned = "".join(c for c in text if c in "\n\t" or c.isprintable())
    return cleaned[:limit]


def review_event(
    workbook: Workbook, content: Content | None, stamp: dt.datetime,
    today: dt.date | None = None,
) -> Event:
    """The all-day review event: when, what to keep, where to go, what to choose.

    Its UID names the workbook and the round, so importing a newer file moves the same event
    (a later workshop day, a new interval) rather than adding a second one.
    """
    back = come_back(workbook, content, today=today)
    goals = [g.goal.strip() for g in workbook.goals if g.goal.strip()][:3]
    since = "the workshop" if back.round == 1 else "your last review"
    lines = [
        f"About {back.days} days ago ({back.workshop_day:%d %B %Y}) you made a mentoring plan "
        "in the Mentoring Mosaic workshop. Time to look at it again:",
        "",
        *(f"{n}. {step}" for n, step in enumerate(back.steps(later=True), start=1)),
    ]
    if back.round > 1:
        lines[0] = (
            f"About {back.days} days have passed since {since}. Time to review your plan again:"
        )
    if goals:
        lines += ["", "Your goals from then:", *(f"- {g}" for g in goals)]
    event = Event()
    event.add("uid", f"mentoring-mosaic-review-{back.round}-{workbook.workbook_id}"
              "@mentoring-mosaic")
    event.add("dtstamp", stamp)
    event.add("dtstart", back.review_on)
    event.add("dtend", back.review_on + dt.timedelta(days=1))
    event.add("summary", "Review my mentoring plan (Mentoring Mosaic)")
    event.add("description", _plain("\n".join(lines), 4000))
    if back.link:
        event.add("url", back.link)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Mentoring"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Tomorrow: review my mentoring plan (Mentoring Mosaic)")
    alarm.add("trigger", REMINDER)
    event.add_component(alarm)
    return event


def to_ics(workbook: Workbook, content: Content | None = None) -> bytes:
    """The action plan as an iCalendar file (RFC 5545)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "My mentoring action plan")
    stamp = (workbook.updated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    plan = commitments(workbook)
    for action in plan.items:
        if action.due is None or action.done:
            continue
        event = Event()
        event.add("uid", f"mentoring-mosaic-{action.id}@mentoring-mosaic")
        event.add("dtstamp", stamp)
        event.add("dtstart", action.due)
        event.add("dtend", action.due + dt.timedelta(days=1))
        event.add("summary", _plain(action.text, 300))
        who = f"Who: {action.who}\n" if action.who else ""
        kind = "Suggested from my answers" if plan.suggested else SOURCE_LABELS[action.source]
        event.add(
            "description",
            _plain(f"{action.text}\n\n{who}{kind} (Mentoring Mosaic action plan)"),
        )
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["Mentoring"])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _plain(f"Tomorrow: {action.text}", 300))
        alarm.add("trigger", REMINDER)
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_component(review_event(workbook, content, stamp))
    return cal.to_ical()
