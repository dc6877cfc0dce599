"""The take-home pack: one printable, self-contained HTML page.

Everything is inline (CSS, the mosaic SVG); the page makes no outside requests, so it opens the
same way offline, years later. The only script is the "Print or save as PDF" button's
``window.print()``, which carries no user text. Every piece of user text is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ..analysis.actions import SOURCE_LABELS, commitments
from ..analysis.managing_up import mentor_label
from ..content import Content
from ..content.schema import DEFAULT_REVIEW_AFTER_DAYS
from ..model import LEVELS, PLACES, TIE_STRENGTHS, Person, Workbook

log = logging.getLogger(__name__)

PRINT_SCRIPT = (
    'document.getElementById("print").addEventListener("click", function () { window.print(); });'
)
"""The page's only script: it carries no user text, and the page's policy allows nothing else."""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(PRINT_SCRIPT.encode()).digest()).decode()
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; form-action 'none'; base-uri 'none'"
)
"""Even if something slipped through, the browser would refuse any request or other script."""

MOSAIC_UNAVAILABLE = "The mosaic picture is unavailable in this version."


def esc(text: object) -> str:
    """Escape any text for HTML, quotes included."""
    return html.escape(str(text), quote=True)


def _text(text: str) -> str:
    """Escaped multi-line text (line breaks kept)."""
    return esc(text).replace("\n", "<br>")


def _date(value: dt.date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


_BANNED_SVG_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "image", "audio",
                    "video", "link", "meta", "base", "animate", "set", "animatemotion",
                    "animatetransform"}
_URL_ATTRIBUTES = {"style", "fill", "stroke", "filter", "clip-path", "mask", "cursor",
                   "marker-start", "marker-mid", "marker-end"}
_OUTSIDE_URL = re.compile(r"url\(\s*[\"']?\s*(?!#)|@import", re.IGNORECASE)


def svg_is_safe(svg: str) -> bool:
    """True when the SVG has no script, event handler, animation or outside reference."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return False
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1].lower()
        if tag in _BANNED_SVG_TAGS:
            return False
        if tag == "style" and _OUTSIDE_URL.search(element.text or ""):
            return False
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                return False
            if local in ("href", "src") and not value.strip().startswith("#"):
                return False
            if local in _URL_ATTRIBUTES and _OUTSIDE_URL.search(value):
                return False
    return True


def mosaic_picture(workbook: Workbook, content: Content) -> str | None:
    """The mosaic as inline SVG markup, or None when it cannot be drawn.

    The picture comes from :mod:`mentoring_mosaic.exports.mosaic`; as a last line of defence an
    SVG with a script, an event handler or an outside reference is refused.
    """
    try:
        from .mosaic import mosaic_svg  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        svg = mosaic_svg(workbook, content)
    except Exception:  # a broken picture must not cost the participant their pack
        log.exception("the mosaic picture could not be drawn")
        return None
    if isinstance(svg, bytes):
        svg = svg.decode("utf-8")
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg, flags=re.IGNORECASE)
    if not svg_is_safe(svg):
        log.error("the mosaic picture was refused: it contains active or outside content")
        return None
    return svg


# -- coming back three months on --------------------------------------------------------------

WORKBOOK_FILE = "mentoring-mosaic-my-workbook.json"
"""The name the wrap-up gives the workbook file (``widgets.common.workbook_filename``)."""
PACK_FILE = "mentoring-mosaic-my-pack.html"
"""The name the wrap-up gives this take-home pack."""
REVIEW_CHOICE = "Three months on"
"""What the participant chooses in the app to review their plan."""
WORKSHOP_PAGE = "voila/render/notebooks/workshop.ipynb"
"""The whole workshop on one page, as the Binder badge opens it."""


@dataclass(frozen=True)
class ComeBack:
    """When and where a participant comes back to review their plan, in plain words."""

    workshop_day: dt.date
    review_on: dt.date
    days: int
    round: int
    """1 for the first review after the workshop, 2 after one review was finished, ..."""
    link: str
    """The address to open ("" when this copy of the app cannot know it)."""
    link_words: str
    """What that address is, in everyday words."""

    def steps(self, *, later: bool = False) -> list[str]:
        """What to do, one plain sentence a step (no markup).

        ``later``: read on the day of the review (the calendar), not on the workshop day.
        """
        day = "at the workshop" if later else "today"
        if self.link:
            where = f"Open the workshop at {self.link} ({self.link_words})."
        else:
            where = f"Open the workshop the way you opened it {day} ({self.link_words})."
        files = (
            "Find the two files you kept from the workshop: your workbook file, named "
            if later
            else "Keep two files from today: your workbook file, named "
        )
        return [
            f"{files}“{WORKBOOK_FILE}”, which holds all your answers so the workshop can bring "
            f"them back, and your take-home pack, “{PACK_FILE}”, which opens in your web "
            "browser to read or print.",
            where,
            "If your answers are not there, choose “Resume from a file” and pick your workbook "
            "file.",
            f"Choose “{REVIEW_CHOICE}”: mark what you did, see how your mosaic has grown, and "
            "choose the goals for your next plan. It takes about 15 minutes.",
            "At the end, download your workbook file again: it then holds your review too.",
        ]


def review_after_days(content: Content | None) -> int:
    """Days from the workshop to the review: agenda.toml's wrapup stage, else the default."""
    return DEFAULT_REVIEW_AFTER_DAYS if content is None else content.review_after_days


def workshop_day(workbook: Workbook, today: dt.date | None = None) -> dt.date:
    """The day of the workshop: the baseline's day, else the evaluation's, else today.

    The wrap-up builds the calendar file on the workshop day itself, so "today" is right
    there; a file exported later falls back on the day the plan was kept or evaluated.
    """
    baseline = getattr(workbook, "baseline", None)
    if baseline is not None:
        return baseline.taken_on
    submitted = workbook.evaluation.submitted_at
    if submitted is not None:
        return submitted.astimezone().date()
    return today or dt.date.today()


def app_link(content: Content | None, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The address to open for the review and what it is, in everyday words.

    The programme's own address (agenda.toml's ``review_link``) comes first; then, on Binder,
    the project's public link (the one the badge opened); in a room, the facilitator's link
    without the participant's private key. Elsewhere the app cannot know a lasting address.
    """
    env = os.environ if environ is None else environ
    if content is not None:
        try:
            given = content.stage("wrapup").review_link
        except KeyError:
            given = ""
        if given:
            return given, "the workshop's address from your programme"
    host = env.get("BINDER_LAUNCH_HOST", "").strip()
    request = env.get("BINDER_REQUEST", "").strip().lstrip("/")
    if host.startswith(("https://", "http://")) and request.startswith("v2/"):
        base = request.split("?", 1)[0]
        link = f"{host.rstrip('/')}/{base}?urlpath={WORKSHOP_PAGE.replace('/', '%2F')}"
        return link, (
            "the workshop's public link: it starts a fresh copy of the workshop for you on "
            "Binder, a free website, which takes a minute or two"
        )
    if env.get("MENTORING_MOSAIC_ROOM") == "1":
        given = env.get("MENTORING_MOSAIC_ROOM_URL", "").strip()
        request_url = env.get("VOILA_REQUEST_URL", "").strip()
        link = given
        if not link and request_url.startswith(("https://", "http://")):
            parts = urlsplit(request_url)  # the page's address without the private key
            link = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
        words = (
            "your facilitator's link for the workshop; if it no longer opens, ask your "
            "facilitator for the review link"
        )
        return link, words
    return "", (
        "with the link your facilitator or programme gave you; if you have none, ask them for "
        "the workshop link"
    )


def come_back(
    workbook: Workbook,
    content: Content | None,
    environ: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> ComeBack:
    """When to review the plan and how to get back to it.

    After a finished review, the next review comes the same interval after that one: each
    plan builds on the last.
    """
    days = review_after_days(content)
    day = workshop_day(workbook, today)
    # the baseline's day is the workshop, or the last review once the next one is started
    start, round_ = day, 1 + len(getattr(workbook, "past_reviews", ()))
    review = getattr(workbook, "review", None)
    if review is not None and review.completed_at is not None:
        start = review.reviewed_on or review.completed_at.astimezone().date()
        round_ += 1
    link, words = app_link(content, environ)
    return ComeBack(
        workshop_day=day,
        review_on=start + dt.timedelta(days=days),
        days=days,
        round=round_,
        link=link,
        link_words=words,
    )


def _come_back_section(workbook: Workbook, content: Content) -> str:
    """How to come back for the review, in plain words (the link as text: no outside request
    from this page, and it prints)."""
    back = come_back(workbook, content)
    steps = "".join(f"<li>{esc(step)}</li>" for step in back.steps())
    when = (
        f"<p>On <strong>{_date(back.review_on)}</strong>, about {back.days} days after "
        f"{'the workshop' if back.round == 1 else 'your last review'}, come back and review "
        "your plan: what you did, who is in your mosaic now, and what comes next. The "
        "calendar reminders from the wrap-up hold that day too, once you add them to your "
        "calendar.</p>"
    )
    rounds = [
        r.review.reviewed_on or r.review.completed_at.astimezone().date()
        for r in getattr(workbook, "past_reviews", ()) if r.review.completed_at is not None
    ]
    earlier = (f"<p>Earlier reviews: {len(rounds)} ({', '.join(_date(d) for d in rounds)}), "
               "kept in your workbook file.</p>" if rounds else "")
    return when + earlier + f'<ol class="come-back">{steps}</ol>'


CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1e293b;
  margin: 0; background: #f8fafc; line-height: 1.45; font-size: 15px; overflow-wrap: break-word; }
main { max-width: 900px; margin: 0 auto; padding: 24px 20px 48px; background: #fff; }
h1 { color: #1d3557; font-size: 1.8em; margin: 0 0 4px; }
h2 { color: #1d3557; font-size: 1.3em; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px;
  margin: 28px 0 10px; }
h3 { color: #1d3557; font-size: 1.08em; margin: 12px 0 4px; }
p { margin: 4px 0 8px; }
.muted { color: #475569; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 12px 0; }
.print { font: inherit; font-weight: 600; padding: 8px 16px; border-radius: 6px; border: 0;
  background: #2a6f97; color: #fff; cursor: pointer; }
.print:focus { outline: 3px solid #f4a261; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 5px 8px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
td.nw, thead th { white-space: nowrap; overflow-wrap: normal; }
td.kw { overflow-wrap: normal; }
th { background: #f1f5f9; font-weight: 600; }
.card { border: 1px solid #e2e8f0; border-radius: 8px; padding: 8px 14px; margin: 8px 0;
  break-inside: avoid; page-break-inside: avoid; }
dl { display: grid; grid-template-columns: minmax(9em, max-content) 1fr; gap: 2px 12px;
  margin: 4px 0; }
dt { font-weight: 600; color: #334155; }
dd { margin: 0; overflow-wrap: anywhere; }
.mosaic { text-align: center; margin: 8px 0; }
.mosaic svg { max-width: 100%; height: auto; }
.fallback { border: 1px dashed #94a3b8; padding: 16px; color: #475569; border-radius: 8px; }
.gap { color: #9a3412; font-weight: 600; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px;
  vertical-align: -0.1em; margin-right: 6px; border: 1px solid #0003; }
.box { font-size: 1.1em; }
.done { color: #475569; text-decoration: line-through; }
.sources li { margin-bottom: 4px; overflow-wrap: anywhere; }
.come-back li { margin-bottom: 4px; overflow-wrap: anywhere; }
footer { margin-top: 32px; color: #475569; font-size: 0.9em; border-top: 1px solid #e2e8f0;
  padding-top: 8px; }
@media (max-width: 600px) {
  main { padding: 16px 10px 32px; }
  dl { grid-template-columns: 1fr; }
  dt { margin-top: 6px; }
  table.stack, table.stack tbody, table.stack tr, table.stack th, table.stack td { display: block; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table.stack tr { border: 1px solid #e2e8f0; border-radius: 8px; margin: 8px 0; padding: 4px 0; }
  table.stack th, table.stack td { border: 0; padding: 2px 10px; background: none; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; color: #334155; }
  table.stack td.nw { white-space: normal; }
}
@media print {
  @page { margin: 16mm 14mm; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .toolbar { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, .card, .mosaic { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


Cell = str | tuple[str, str]
"""A table cell: its markup, or (markup, css class)."""


def _table(headers: list[str], rows: list[list[Cell]], *, row_headers: bool = False) -> str:
    """A table that turns into labelled blocks on a phone (each cell names its column)."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            markup, cls = cell if isinstance(cell, tuple) else (cell, "")
            tag = "th" if row_headers and i == 0 else "td"
            scope = ' scope="row"' if tag == "th" else ""
            klass = f' class="{cls}"' if cls else ""
            cells.append(f'<{tag}{scope}{klass} data-label="{esc(headers[i])}">{markup}</{tag}>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="stack"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _section(title: str, body: str, section_id: str) -> str:
    return f'<section id="{section_id}" aria-labelledby="{section_id}-h">' \
        f'<h2 id="{section_id}-h">{esc(title)}</h2>{body}</section>'


def _empty(message: str) -> str:
    return f'<p class="muted">{esc(message)}</p>'


def _domains(content: Content, ids: list[str]) -> str:
    names = [content.domain_names.get(d, d) for d in ids]
    return ", ".join(esc(n) for n in names)


def _header(workbook: Workbook) -> str:
    p = workbook.profile
    name = p.display_name.strip()
    title = f"{name}: mentoring mosaic" if name else "My mentoring mosaic"
    lines = []
    if p.current_role or p.next_role:
        lines.append(
            f"{esc(p.current_role or 'Now')} → {esc(p.next_role or 'next role')}"
            + (f", from {_date(p.transition_date)}" if p.transition_date else "")
        )
    lines.append(f"Take-home pack made {dt.date.today():%d %B %Y}")
    sub = "".join(f'<p class="muted">{line}</p>' for line in lines)
    return (
        f"<header><h1>{esc(title)}</h1>{sub}"
        '<div class="toolbar"><button type="button" class="print" id="print">'
        "Print or save as PDF</button>"
        '<span class="muted">Choose “Save as PDF” as the printer to keep a PDF copy.</span>'
        "</div></header>"
    )


def _mosaic(workbook: Workbook, content: Content) -> str:
    svg = mosaic_picture(workbook, content)
    picture = (
        f'<figure class="mosaic" role="img" aria-label="My mentoring mosaic">{svg}</figure>'
        if svg
        else f'<p class="fallback">{esc(MOSAIC_UNAVAILABLE)} The table below lists the same '
        "people by domain.</p>"
    )
    rows: list[list[Cell]] = []
    for domain in content.domains:
        existing = [p for p in workbook.current_mentors if domain.id in p.domains]
        potential = [
            p for p in workbook.mentors if p.status == "potential" and domain.id in p.domains
        ]
        have = ", ".join(esc(p.name) for p in existing) or '<span class="gap">Gap</span>'
        maybe = ", ".join(esc(p.name) for p in potential) or "–"
        rows.append(
            [
                f'<span class="swatch" style="background:{domain.color}"></span>'
                f"{esc(domain.name)}",
                have,
                maybe,
            ]
        )
    table = _table(["Kind of support", "My mentors now", "People I could ask"], rows,
                   row_headers=True)
    from .mosaic import counted

    people = workbook.mentors
    count = (
        f"<p>{counted(len(workbook.current_mentors), 'mentor')} now, "
        f"{counted(len(people) - len(workbook.current_mentors), 'person', 'people')} I could ask, "
        f"{counted(len(workbook.mentees), 'mentee')} of my own.</p>"
    )
    return picture + count + table


def _people_table(workbook: Workbook, content: Content) -> str:
    if not workbook.people:
        return _empty("No one in the mosaic yet.")
    order = {level: i for i, level in enumerate(LEVELS)}
    people = sorted(workbook.people, key=lambda p: (p.role, p.status, order[p.level], p.name))
    rows: list[list[Cell]] = [
        [
            esc(mentor_label(p)),
            (_role(p), "nw"),
            (esc(p.level), "nw"),
            (esc(PLACES[p.place]), "kw"),
            _domains(content, p.domains) or "–",
            (esc(TIE_STRENGTHS[p.tie_strength]), "kw"),
        ]
        for p in people
    ]
    return _table(["Name", "Role", "Level", "Where", "Domains", "Tie"], rows)


def _role(person: Person) -> str:
    if person.role == "mentee":
        return "my mentee"
    return "mentor" if person.status == "existing" else "potential mentor"


def _needs_goals(workbook: Workbook, content: Content) -> str:
    parts = []
    top = workbook.needs.top_needs
    if top:
        parts.append(f"<p><strong>My top needs:</strong> {_domains(content, top)}</p>")
    if workbook.profile.whats_new.strip():
        parts.append(
            f"<p><strong>What will be new or hard:</strong> "
            f"{_text(workbook.profile.whats_new)}</p>"
        )
    if not workbook.goals:
        parts.append(_empty("No goals written yet."))
    for i, goal in enumerate(workbook.goals, start=1):
        fields = [
            ("Need", content.domain_names.get(goal.need, goal.need)),
            ("Steps", goal.steps),
            ("How I will know", goal.measure),
            ("By when", _date(goal.deadline)),
            ("Accountability partner", goal.partner),
            ("Barriers", goal.barriers),
        ]
        items = "".join(
            f"<dt>{esc(label)}</dt><dd>{_text(value)}</dd>" for label, value in fields if value
        )
        parts.append(
            f'<div class="card"><h3>Goal {i}: {_text(goal.goal) or "(not written)"}</h3>'
            f"<dl>{items}</dl></div>"
        )
    return "".join(parts)


def _managing_up(workbook: Workbook) -> str:
    parts = []
    labels = {"me": "me", "mentor": "my mentor", "shared": "both of us"}
    for person_id, plan in workbook.managing_up.items():
        person = workbook.person(person_id)
        if person is None:
            continue
        fields = [
            ("What I need", plan.need_from),
            ("What I offer back", plan.offer_back),
            ("How often we meet", plan.meeting_frequency),
            ("Who sets the agenda", labels.get(plan.agenda_setter, "")),
            ("Channel", plan.channel),
            ("Last meeting", _date(plan.last_meeting)),
            ("Next meeting", _date(plan.next_meeting)),
            ("My one ask", plan.one_ask),
            ("One change I will make", plan.one_change),
        ]
        items = "".join(
            f"<dt>{esc(label)}</dt><dd>{_text(value)}</dd>" for label, value in fields if value
        )
        parts.append(
            f'<div class="card"><h3>{esc(mentor_label(person))}</h3><dl>{items}</dl></div>'
        )
    return "".join(parts) or _empty("No managing-up plans yet.")


def _outreach(workbook: Workbook, content: Content) -> str:
    potential = [p for p in workbook.mentors if p.status == "potential"]
    if not potential:
        return _empty("No potential mentors yet.")
    rows: list[list[Cell]] = [
        [
            esc(p.name),
            (esc(p.level), "nw"),
            _domains(content, p.domains) or "–",
            _text(p.next_step) or "–",
            (_date(p.next_step_date) or "–", "nw"),
        ]
        for p in sorted(potential, key=lambda p: (p.next_step_date or dt.date.max, p.name))
    ]
    return _table(["Who", "Level", "For", "My first step", "By when"], rows)


def _actions(workbook: Workbook) -> str:
    plan = commitments(workbook)
    if not plan.items:
        return _empty("No actions yet.")
    intro = (
        '<p class="muted">Suggested from my answers (I have not chosen my own plan yet).</p>'
        if plan.suggested
        else ""
    )
    rows: list[list[Cell]] = [
        [
            ("☑ done" if a.done else "☐", "box nw"),
            (_text(a.text), "done" if a.done else ""),
            esc(a.who) or "–",
            (_date(a.due) or "–", "nw"),
            (esc(SOURCE_LABELS[a.source]), "nw"),
        ]
        for a in plan.items
    ]
    return intro + _table(["Done", "Action", "Who", "By when", "From"], rows)


def _scenarios(workbook: Workbook, content: Content) -> str:
    parts = []
    for sid, note in workbook.scenarios.items():
        if not note.strategy.strip():
            continue
        try:
            title = content.scenario(sid).title
        except KeyError:
            title = sid
        parts.append(f'<div class="card"><h3>{esc(title)}</h3><p>{_text(note.strategy)}</p></div>')
    return "".join(parts)


def _both_roles(workbook: Workbook, content: Content) -> str:
    mentees = workbook.mentees
    line = (
        "I am also a mentor to " + ", ".join(esc(p.name) for p in mentees) + "."
        if mentees
        else "Someone junior to me can learn from me today."
    )
    return (
        "<p>I lead my own mentoring: I set the agenda, ask clearly, follow up and keep my "
        f"mosaic up to date as my career moves. {line} What I practised as a mentee (clear "
        "expectations, respect for time, honest feedback) is what I offer as a mentor.</p>"
        + _qualities_lines(workbook, content)
    )


def _qualities_lines(workbook: Workbook, content: Content) -> str:
    """Stage 3: what I look for in a mentor, and the mentoring skill I grow this year."""
    q = workbook.qualities
    qualities = {x.id: x.name for x in content.qualities}
    competencies = {c.id: c.name for c in content.competencies}
    out = ""
    if q.priorities:
        names = ", ".join(esc(qualities.get(p, p)) for p in q.priorities)
        out += f"<p><strong>What matters most to me in a mentor:</strong> {names}.</p>"
    if q.grow:
        out += (
            "<p><strong>The one I will grow as a mentor this year:</strong> "
            f"{esc(competencies.get(q.grow, q.grow))}.</p>"
        )
    return out


def _sources(content: Content) -> str:
    items = "".join(
        f"<li>{esc(s.citation)}" + (f' <span class="muted">{esc(s.link)}</span>' if s.link else "")
        + "</li>"
        for s in content.sources
    )
    return f'<ol class="sources">{items}</ol>'


def to_html(workbook: Workbook, content: Content) -> bytes:
    """The printable take-home pack as one self-contained HTML page."""
    sections = [
        _section("My mentoring mosaic", _mosaic(workbook, content), "mosaic"),
        _section("My action plan", _actions(workbook), "actions"),
        _section("Coming back to review my plan", _come_back_section(workbook, content),
                 "come-back"),
        _section("My needs and goals", _needs_goals(workbook, content), "goals"),
        _section("Managing up with my mentors", _managing_up(workbook), "managing-up"),
        _section("My outreach plan", _outreach(workbook, content), "outreach"),
        _section("Everyone in my mosaic", _people_table(workbook, content), "people"),
    ]
    strategies = _scenarios(workbook, content)
    if strategies:
        sections.append(_section("My strategies for tricky situations", strategies, "scenarios"))
    sections.append(_section("Mentee and mentor", _both_roles(workbook, content), "roles"))
    sections.append(_section("Sources", _sources(content), "sources"))
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{esc(_title(workbook))}</title><style>{CSS}</style></head>"
        f"<body><main>{_header(workbook)}{''.join(sections)}"
        "<footer>Made with Mentoring Mosaic, an open kit for the mentee-driven mentoring "
        "workshop (MedEdPORTAL 2015, doi:10.15766/mep_2374-8265.10201). Keep this page with "
        "your workbook file; update your mosaic as your career moves.</footer>"
        f"</main><script>{PRINT_SCRIPT}</script></body></html>\n"
    )
    return page.encode("utf-8")


def _title(workbook: Workbook) -> str:
    name = workbook.profile.display_name.strip()
    return f"Mentoring mosaic: {name}" if name else "My mentoring mosaic: take-home pack"
