"""The notebook copy: a Jupyter notebook (nbformat v4) that reads well anywhere and resumes.

- Every answer is a markdown cell. User text is made inert: markdown specials are
  backslash-escaped and HTML is escaped, so nothing typed becomes a link, a heading, math, an
  image or markup.
- The mosaic picture is a markdown image with a ``data:`` URI (JupyterLab 4 shows those in an
  untrusted notebook; it does not show an SVG cell attachment).
- The workbook travels in ``metadata.mentoring_mosaic.workbook`` ("Resume from a file" reads it)
  and, as a Python string literal, in the notebook's one code cell: running that cell stores the
  workbook again in this computer's Mentoring Mosaic data folder.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import nbformat

from ..analysis.actions import SOURCE_LABELS, commitments
from ..analysis.managing_up import mentor_label
from ..content import Content
from ..model import ACTION_STATUSES, GOAL_DECISIONS, PLACES, TIE_STRENGTHS, Workbook

PICTURE_ALT = "My mentoring mosaic"
AGENDA_SETTER_WORDS = {"me": "me", "mentor": "my mentor", "shared": "both of us"}
DOLLAR = "<span>&#36;</span>"
"""A dollar sign in its own element, so MathJax never pairs two of them into a formula."""
_MD_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=:\"'^])")


def md(text: object, *, inline: bool = False) -> str:
    """User text as inert markdown: specials backslash-escaped, then HTML escaped.

    A dollar sign becomes :data:`DOLLAR`: JupyterLab's MathJax reads the rendered text, so an
    escaped ``\\$`` would still pair up into a formula; math cannot span an element boundary.

    Each line is stripped of leading spaces (no accidental code blocks) and line breaks are
    kept as hard breaks, or joined with spaces when ``inline`` (headings, table cells).
    """
    raw = str(text).replace("\r", "\n")
    if inline:
        raw = " ".join(raw.split())
    lines = [line.strip() for line in raw.split("\n")]
    escaped = [_MD_SPECIALS.sub(r"\\\1", line) for line in lines]
    html_safe = [
        line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("$", DOLLAR)
        for line in escaped
    ]
    return "  \n".join(html_safe)


def _date(value: dt.date | None) -> str:
    return f"{value:%d %b %Y}" if value else ""


def _fields(pairs: list[tuple[str, str]]) -> str:
    """'**Label:** value' lines for the pairs that have a value."""
    return "\n".join(f"- **{label}:** {md(value)}" for label, value in pairs if value)


def _cell(source: str, **kwargs: Any) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source, **kwargs)


def _mosaic_cell(workbook: Workbook, content: Content) -> nbformat.NotebookNode:
    from .pack import MOSAIC_UNAVAILABLE, mosaic_picture

    svg = mosaic_picture(workbook, content)
    if svg is None:
        return _cell(f"## My mentoring mosaic\n\n*{MOSAIC_UNAVAILABLE}*")
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return _cell(f"## My mentoring mosaic\n\n![{PICTURE_ALT}](data:image/svg+xml;base64,{encoded})")


def _mosaic_table(workbook: Workbook, content: Content) -> str:
    lines = ["| Domain | My mentors now | People I could ask |", "|---|---|---|"]
    for domain in content.domains:
        now = [md(p.name, inline=True) for p in workbook.current_mentors if domain.id in p.domains]
        could = [
            md(p.name, inline=True)
            for p in workbook.mentors
            if p.status == "potential" and domain.id in p.domains
        ]
        name = md(domain.name, inline=True)
        lines.append(f"| {name} | {', '.join(now) or '**gap**'} | {', '.join(could)} |")
    return "\n".join(lines)


def _answers(workbook: Workbook, content: Content) -> list[nbformat.NotebookNode]:
    cells = []
    p = workbook.profile
    about = _fields(
        [
            ("Name", p.display_name),
            ("Current role", p.current_role),
            ("Next role", p.next_role),
            ("Transition", _date(p.transition_date)),
            ("What will be new or hard", p.whats_new),
        ]
    )
    cells.append(_cell("## About me\n\n" + (about or "*Not filled in yet.*")))

    cells.append(_mosaic_cell(workbook, content))
    cells.append(_cell("### Who supports me, by domain\n\n" + _mosaic_table(workbook, content)))

    plan = commitments(workbook)
    lines = ["## My action plan", ""]
    if plan.suggested and plan.items:
        lines += ["*Suggested from my answers.*", ""]
    for a in plan.items:
        who = md(a.who, inline=True) if a.who else ""
        extra = ", ".join(x for x in (who, _date(a.due), SOURCE_LABELS[a.source]) if x)
        lines.append(f"- [{'x' if a.done else ' '}] {md(a.text, inline=True)} ({extra})")
    if not plan.items:
        lines.append("*No actions yet.*")
    cells.append(_cell("\n".join(lines)))

    names = content.domain_names
    lines = ["## My needs and goals", ""]
    if workbook.needs.top_needs:
        top = ", ".join(md(names.get(d, d), inline=True) for d in workbook.needs.top_needs)
        lines += [f"**My top needs:** {top}", ""]
    rated = {d: r for d, r in workbook.needs.ratings.items() if r.support or r.need}
    if rated:
        lines += [
            "**Support today and need, 0 to 4:**",
            "",
            "| Domain | Support today | Need |",
            "|---|---|---|",
            *(
                f"| {md(names.get(d, d), inline=True)} | {r.support} | {r.need} |"
                for d, r in rated.items()
            ),
            "",
        ]
    for i, g in enumerate(workbook.goals, start=1):
        lines += [
            f"### Goal {i}: {md(g.goal, inline=True) or '(not written)'}",
            "",
            _fields(
                [
                    ("Need", names.get(g.need, g.need)),
                    ("Steps", g.steps),
                    ("How I will know", g.measure),
                    ("By when", _date(g.deadline)),
                    ("Accountability partner", g.partner),
                    ("Barriers", g.barriers),
                ]
            ),
            "",
        ]
    if not workbook.goals:
        lines.append("*No goals written yet.*")
    cells.append(_cell("\n".join(lines)))

    habits = {h.id: h.text for h in content.habits}
    lines = ["## Managing up with my mentors", ""]
    for person_id, mu in workbook.managing_up.items():
        person = workbook.person(person_id)
        if person is None:
            continue
        lines += [
            f"### {md(mentor_label(person), inline=True)}",
            "",
            _fields(
                [
                    ("What I need", mu.need_from),
                    ("What I offer back", mu.offer_back),
                    ("How often we meet", mu.meeting_frequency),
                    ("Who sets the agenda", AGENDA_SETTER_WORDS.get(mu.agenda_setter, "")),
                    ("Channel", mu.channel),
                    ("Last meeting", _date(mu.last_meeting)),
                    ("Next meeting", _date(mu.next_meeting)),
                    ("My one ask", mu.one_ask),
                    ("How well I manage up here, 0 to 4", str(mu.self_rating)),
                    ("One change I will make", mu.one_change),
                    ("Habits I keep", "; ".join(habits.get(h, h) for h in mu.habits)),
                ]
            ),
            "",
        ]
    if len(lines) == 2:
        lines.append("*No managing-up plans yet.*")
    cells.append(_cell("\n".join(lines)))

    qualities = {q.id: q.name for q in content.qualities}
    lines = ["## Everyone in my mosaic", ""]
    for person in workbook.people:
        role = (
            "my mentee"
            if person.role == "mentee"
            else ("mentor" if person.status == "existing" else "potential mentor")
        )
        domains = ", ".join(names.get(d, d) for d in person.domains)
        lines += [
            f"### {md(mentor_label(person), inline=True)} ({role}, {person.level})",
            "",
            _fields(
                [
                    ("Where", PLACES[person.place]),
                    ("Domains", domains),
                    ("Tie", TIE_STRENGTHS[person.tie_strength]),
                    ("How often we talk", person.frequency),
                    ("Qualities I see", "; ".join(qualities.get(q, q) for q in person.qualities)),
                    ("Next step", person.next_step),
                    ("By when", _date(person.next_step_date)),
                    ("Notes", person.notes),
                ]
            ),
            "",
        ]
    if not workbook.people:
        lines.append("*No one in the mosaic yet.*")
    cells.append(_cell("\n".join(lines)))

    notes = [
        (sid, note) for sid, note in workbook.scenarios.items() if note.strategy.strip()
    ]
    if notes:
        lines = ["## My strategies for tricky situations", ""]
        for sid, note in notes:
            try:
                title = content.scenario(sid).title
            except KeyError:
                title = sid
            lines += [f"### {md(title, inline=True)}", "", md(note.strategy), ""]
        cells.append(_cell("\n".join(lines)))

    cells.extend(_qualities_cells(workbook, content))
    cells.extend(_evaluation_cells(workbook, content))
    cells.extend(_review_cells(workbook, content))
    return cells


def _qualities_cells(workbook: Workbook, content: Content) -> list[nbformat.NotebookNode]:
    q = workbook.qualities
    qualities = {x.id: x.name for x in content.qualities}
    competencies = {c.id: c.name for c in content.competencies}
    lines = ["## What makes a good mentor, for me", ""]
    if q.priorities:
        names = ", ".join(md(qualities.get(p, p), inline=True) for p in q.priorities)
        lines += [f"**The qualities that matter most to me:** {names}", ""]
    for person_id, ratings in q.ratings.items():
        person = workbook.person(person_id)
        if person is None or not ratings:
            continue
        rated = "; ".join(
            f"{md(qualities.get(k, k), inline=True)} {v}" for k, v in ratings.items()
        )
        lines += [f"- **{md(person.name, inline=True)}** (0 to 4): {rated}"]
    if q.self_check:
        checks = "; ".join(
            f"{md(competencies.get(k, k), inline=True)} {v}" for k, v in q.self_check.items()
        )
        lines += ["", f"**My self-check as a mentor (0 to 4):** {checks}"]
    if q.grow:
        grow = md(competencies.get(q.grow, q.grow), inline=True)
        lines += ["", f"**The one I will grow this year:** {grow}"]
    return [_cell("\n".join(lines))] if len(lines) > 2 else []


def _evaluation_cells(workbook: Workbook, content: Content) -> list[nbformat.NotebookNode]:
    ev = workbook.evaluation
    scale = {p.value: p.label for p in content.scale}
    objectives = {o.id: o.text for o in content.objectives}
    skills = {s.id: s.text for s in content.skills}
    cells = []
    if ev.change_30_days.strip():
        cells.append(_cell("## One change in the next 30 days\n\n" + md(ev.change_30_days)))
    lines = ["## My evaluation of the workshop", ""]
    if ev.headline is not None:
        lines += [f"- {md(content.headline.text)}: **{md(scale.get(ev.headline, ''))}**"]
    lines += [
        f"- {md(objectives.get(k, k), inline=True)}: {md(scale.get(v, str(v)))}"
        for k, v in ev.objectives_met.items()
    ]
    confidence = [
        f"| {md(skills.get(k, k), inline=True)} | {ev.confidence_before.get(k, '')} | "
        f"{ev.confidence_after.get(k, '')} |"
        for k in dict.fromkeys([*ev.confidence_before, *ev.confidence_after])
    ]
    if confidence:
        lines += ["", "| Confidence (1 to 5) | Before | After |", "|---|---|---|", *confidence]
    if ev.comments.strip():
        lines += ["", f"**Comments:** {md(ev.comments)}"]
    if len(lines) > 2:
        cells.append(_cell("\n".join(lines)))
    return cells


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _review_cells(workbook: Workbook, content: Content) -> list[nbformat.NotebookNode]:
    """The reviews: earlier rounds first (``past_reviews``), then the current one, when there
    is one: each answer, in the page's order."""
    title = md(content.review_text("intro").title, inline=True)
    past = list(getattr(workbook, "past_reviews", ()))
    rounds = [(r.baseline, r.review, f"{title}: earlier review {n}", n > 1)
              for n, r in enumerate(past, start=1)]
    if workbook.review is not None:
        rounds.append((workbook.baseline, workbook.review, title, bool(past)))
    return [_review_cell(workbook, content, *r) for r in rounds]


def _review_cell(
    workbook: Workbook, content: Content, baseline: Any, review: Any, title: str, later: bool
) -> nbformat.NotebookNode:
    """One review against the plan it compared with (``baseline``: the workshop day, or the
    last review when ``later``)."""
    lines = [f"## {title}", ""]
    if review.reviewed_on:
        lines += [f"*Reviewed on {_date(review.reviewed_on)}.*", ""]
    actions = {a.id: a for a in workbook.actions}
    if baseline is not None:
        actions = {a.id: a for a in baseline.actions} | actions
    for action_id, answer in review.actions.items():
        action = actions.get(action_id)
        text = md(action.text, inline=True) if action else "(an action no longer in the plan)"
        status = ACTION_STATUSES[answer.status] if answer.status else "not answered"
        note = f" {md(answer.note, inline=True)}" if answer.note.strip() else ""
        lines.append(f"- {text}: **{status}**.{note}")
    names = content.domain_names
    then = baseline.needs.ratings if baseline is not None else {}
    if review.support_today:
        then_words = "at the last review" if later else "on the workshop day"
        lines += ["", f"| Top need | Support {then_words} | Support now |", "|---|---|---|"]
        for d, now in review.support_today.items():
            before = then[d].support if d in then else ""
            lines.append(f"| {md(names.get(d, d), inline=True)} | {before} | {now} |")
    goals = {g.id: g for g in workbook.goals}
    if baseline is not None:
        goals = {g.id: g for g in baseline.goals} | goals
    if review.goals:
        lines.append("")
    for goal_id, answer in review.goals.items():
        goal = goals.get(goal_id)
        text = md(goal.goal, inline=True) if goal and goal.goal else "(a goal)"
        decision = GOAL_DECISIONS[answer.decision] if answer.decision else "not decided"
        new = f" → {md(answer.revised, inline=True)}" if answer.revised.strip() else ""
        lines.append(f"- Goal {text}: **{decision}**{new}")
    scale = {p.value: p.label for p in content.scale}
    answers = [
        (content.review_outcome.text, scale.get(review.relationships_improved or 0, "")),
        (content.review_item("met_new_mentor").text, _yes_no(review.met_new_mentor)),
        (
            content.review_item("managing_up_conversation").text,
            _yes_no(review.managing_up_conversation),
        ),
    ]
    answered = [f"- {md(q, inline=True)}: **{a}**" for q, a in answers if a]
    if answered:
        lines += ["", *answered]
    return _cell("\n".join(lines))


RESUME_CODE = """\
# Run this cell to carry on with these answers in the Mentoring Mosaic app on this computer.
# It needs the mentoring-mosaic package (it is there on the workshop's Binder).
# Your answers are also in this notebook's metadata, under "mentoring_mosaic".
try:
    from mentoring_mosaic.exports.notebook import resume
except ImportError:
    print("This cell needs the mentoring-mosaic package: open this notebook on the workshop's "
          "Binder, or use “Resume from a file” in the app with this notebook.")
else:
    if resume({literal}):
        # Three months on: the review of your plan opens below; each answer saves as you go.
        from mentoring_mosaic.widgets.pages import stage_page

        display(stage_page("review"))
"""


def resume(workbook_json: str) -> bool:
    """Store the embedded workbook as this computer's current one and say what was loaded.

    True when it was stored: the notebook copy's cell then shows the review ("Three months
    on") under itself, so a participant who kept only this notebook can review their plan.
    """
    from ..session import Session
    from ..validation import WorkbookError, parse_workbook_data, summarize

    try:  # the same checks as "Resume from a file"; the workbook id comes along
        workbook = parse_workbook_data(json.loads(workbook_json))
    except WorkbookError as exc:
        print("These answers could not be loaded, and nothing was changed:", exc)
        return False
    session = Session()
    session.replace(workbook, reason="resumed from a notebook copy")
    print("Your workbook is back:", summarize(session.workbook))
    print("Open the workshop app (notebooks/workshop.ipynb) to carry on where you left off,")
    print("or review your plan three months on right here, below.")
    return True


def build_notebook(workbook: Workbook, content: Content) -> nbformat.NotebookNode:
    """The notebook copy as an nbformat node."""
    data = workbook.to_json_dict()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["mentoring_mosaic"] = {
        "kind": "notebook copy",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "workbook": data,
    }
    name = workbook.profile.display_name.strip()
    title = f"# {md(name, inline=True)}: my mentoring mosaic" if name else "# My mentoring mosaic"
    intro = (
        f"{title}\n\n"
        "This is my own copy of what I wrote in the mentee-driven mentoring workshop. It reads "
        "as it is; to carry on in the app, run the one code cell at the end (*Run ▸ Run All*)."
    )
    literal = repr(json.dumps(data, ensure_ascii=True, separators=(",", ":")))
    cells = [_cell(intro), *_answers(workbook, content)]
    cells.append(
        _cell(
            "## Carry on where I left off\n\nRunning the cell below stores these answers in "
            "this computer's Mentoring Mosaic workbook (the answers there now are kept as a "
            "backup). In the app you can also use *Resume from a file* with this notebook.\n\n"
            "**Three months on?** Run the cell below: the review of your plan opens under it. "
            "Mark what you did, see how your mosaic has grown and choose the goals for your "
            "next plan; each answer saves as you go."
        )
    )
    cells.append(nbformat.v4.new_code_cell(RESUME_CODE.format(literal=literal)))
    nb.cells = cells
    return nb


def to_ipynb(workbook: Workbook, content: Content) -> bytes:
    """The notebook copy as .ipynb bytes (validated against the nbformat schema)."""
    nb = build_notebook(workbook, content)
    nbformat.validate(nb)
    return nbformat.writes(nb).encode("utf-8")
