"""Calendar reminders (.ics): one all-day event per dated action, with a reminder.

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

PRODID = "-//Mentoring Mosaic//Action plan//EN"
REMINDER = dt.timedelta(hours=-15)
"""All-day events start at midnight: the reminder fires at 9:00 the day before."""


def _plain(text: str, limit: int = 1000) -> str:
    """Plain text without control characters (newlines kept)."""
    cleaned = "".join(c for c in text if c in "\n\t" or c.isprintable())
    return cleaned[:limit]


def to_ics(workbook: Workbook, _content: Content | None = None) -> bytes:
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
    return cal.to_ical()
