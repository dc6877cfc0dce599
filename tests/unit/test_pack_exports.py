"""The take-home pack (.html), calendar reminders (.ics) and the notebook copy (.ipynb).

Each export is checked by parsing it. A hostile workbook, with markup and script in every text
field of the model, must stay inert in every one of them.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import os
import re
import types
import typing
from html.parser import HTMLParser
from pathlib import Path

import mistune
import nbformat
import pytest
from icalendar import Calendar
from pydantic import BaseModel

from mentoring_mosaic.analysis.actions import accept, all_suggestions
from mentoring_mosaic.exports import export
from mentoring_mosaic.exports.calendar import to_ics
from mentoring_mosaic.exports.notebook import DOLLAR, md, to_ipynb
from mentoring_mosaic.exports.pack import PRINT_SCRIPT, to_html
from mentoring_mosaic.model import (
    ActionItem,
    Goal,
    ManagingUpPlan,
    Person,
    Profile,
    ScenarioNote,
    Workbook,
)
from mentoring_mosaic.store import DEFAULT_KEY, Store

ROOT = Path(__file__).resolve().parents[2]
PICTURE = re.compile(r"!\[My mentoring mosaic\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)")
_counter = itertools.count(1)


def payload() -> str:
    """Markup, script, a markdown link/image, math and an entity, with a unique number."""
    n = next(_counter)
    return (
        f"P{n}<script>alert({n})</script><img src=x onerror=alert({n})>"
        f"[c](javascript:alert({n}))![i](https://evil.example/{n}.png)$x^{n}$ &amp; # *b* |"
    )


def fill(tp: object) -> object:
    """A value for a type annotation: every string is a hostile payload."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Annotated:
        return fill(args[0])
    if origin is typing.Literal:
        return args[-1]
    if origin in (typing.Union, types.UnionType):
        return fill(next(a for a in args if a is not type(None)))
    if origin is list:
        return [fill(args[0])]
    if origin is dict:
        return {fill(args[0]): fill(args[1])}
    if tp is str:
        return payload()
    if tp is bool:
        return False
    if tp is int:
        return 2
    if tp is float:
        return 10.0
    if tp is dt.datetime:
        return dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    if tp is dt.date:
        return dt.date(2027, 1, 15)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        values = {
            name: fill(field.annotation)
            for name, field in tp.model_fields.items()
            if name not in ("schema_version", "workbook_id")  # made by the model
        }
        return tp.model_validate(values)
    raise TypeError(f"no filler for {tp!r}")


def hostile_workbook() -> Workbook:
    """Every text field of every part is hostile; people, plans and notes cross-linked."""
    wb = fill(Workbook)
    assert isinstance(wb, Workbook)
    mentor = fill(Person)
    potential = fill(Person).model_copy(update={"status": "potential"})
    existing = potential.model_copy(update={"status": "existing", "id": payload()})
    mentee = fill(Person).model_copy(update={"role": "mentee", "id": payload()})
    wb.people = [mentor, potential, existing, mentee]
    wb.managing_up = {existing.id: fill(ManagingUpPlan), mentor.id: fill(ManagingUpPlan)}
    wb.scenarios = {"recruit_new_mentor": fill(ScenarioNote), payload(): fill(ScenarioNote)}
    wb.goals = [fill(Goal), fill(Goal)]
    wb.needs.top_needs = [payload(), "research"]
    wb.actions = [*wb.actions, *accept(wb, [a.id for a in all_suggestions(wb)])]
    wb.actions.append(fill(ActionItem).model_copy(update={"done": True}))
    return Workbook.model_validate(wb.model_dump())


def hostile_strings(wb: Workbook) -> list[str]:
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and value.startswith("P") and "<script>" in value:
            out.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(wb.to_json_dict())
    return out


def test_the_hostile_workbook_really_fills_every_text_field() -> None:
    wb = hostile_workbook()
    strings = hostile_strings(wb)
    assert len(strings) > 60
    assert wb.profile.display_name.startswith("P") and wb.evaluation.comments.startswith("P")
    assert all(p.name.startswith("P") for p in wb.people)


def sample_workbook() -> Workbook:
    chen = Person(id="chen", name="Dr Chen", domains=["career_guidance", "research"])
    lee = Person(
        id="lee",
        name="Dr Lee",
        status="potential",
        level="peer",
        domains=["sponsorship"],
        next_step="Coffee after grand rounds",
        next_step_date=dt.date(2027, 1, 12),
    )
    wb = Workbook(
        profile=Profile(display_name="Ana Ruiz", current_role="PGY-3", next_role="Fellow"),
        goals=[
            Goal(
                id="g",
                need="research",
                goal="Submit an abstract",
                steps="Draft methods",
                deadline=dt.date(2027, 3, 1),
                partner="Sam",
            )
        ],
        people=[chen, lee, Person(id="stu", name="A student", role="mentee", level="junior")],
        managing_up={"chen": ManagingUpPlan(one_ask="Read my draft", next_meeting=None)},
    )
    wb.actions = accept(wb, [a.id for a in all_suggestions(wb)])
    wb.actions.append(ActionItem(id="own", text="Block Friday mornings", due=None))
    return wb


# -- HTML -------------------------------------------------------------------------------------


class Collector(HTMLParser):
    """Every tag with its attributes, script bodies, style bodies and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)


def parse_html(raw: bytes) -> Collector:
    parser = Collector()
    parser.feed(raw.decode("utf-8"))
    parser.close()
    return parser


def assert_no_outside_requests_and_inert(page: Collector) -> None:
    assert page.scripts == [PRINT_SCRIPT], "the print button's script is the only script"
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "object", "embed", "link", "base", "form"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
                assert not value or value.startswith(("#", "data:")), (
                    f"<{tag} {name}={value!r}> would make a request"
                )
            if name == "style":
                assert "url(" not in (value or "")
    for css in page.styles:
        assert "url(" not in css and "@import" not in css


def test_pack_is_one_parsed_self_contained_page(content) -> None:
    raw = to_html(sample_workbook(), content)
    page = parse_html(raw)
    assert_no_outside_requests_and_inert(page)
    tags = [t for t, _a in page.tags]
    assert tags.count("html") == 1 and tags.count("style") == 1
    text = " ".join(page.text)
    for expected in (
        "Ana Ruiz: mentoring mosaic",
        "Print or save as PDF",
        "My action plan",
        "Submit an abstract",
        "Ask Dr Chen: Read my draft",
        "Coffee after grand rounds",
        "Block Friday mornings",
        "Managing up with my mentors",
        "My outreach plan",
        "Sources",
        "Zerzan",
        "A student",
    ):
        assert expected in text, expected
    assert b"@media print" in raw
    assert b"default-src 'none'" in raw  # the browser itself refuses any outside request
    buttons = [a for t, a in page.tags if t == "button"]
    assert buttons == [{"type": "button", "class": "print", "id": "print"}]


def test_pack_shows_the_mosaic_picture_or_says_it_is_unavailable(content) -> None:
    raw = to_html(sample_workbook(), content).decode()
    try:
        from mentoring_mosaic.exports.mosaic import mosaic_svg  # noqa: F401
    except ImportError:
        assert "mosaic picture is unavailable" in raw
    else:
        assert "<svg" in raw and "mosaic picture is unavailable" not in raw


def test_pack_refuses_an_unsafe_mosaic_picture(content, monkeypatch) -> None:
    import mentoring_mosaic.exports.pack as pack

    fake = types.ModuleType("mentoring_mosaic.exports.mosaic")
    fake.mosaic_svg = lambda wb, c: '<svg><image href="https://x.example/a.png"/></svg>'
    monkeypatch.setitem(__import__("sys").modules, "mentoring_mosaic.exports.mosaic", fake)
    assert pack.mosaic_picture(sample_workbook(), content) is None
    fake.mosaic_svg = lambda wb, c: '<?xml version="1.0"?><svg><rect width="3"/></svg>'
    assert pack.mosaic_picture(sample_workbook(), content) == '<svg><rect width="3"/></svg>'


def test_hostile_text_stays_inert_in_the_pack(content) -> None:
    wb = hostile_workbook()
    raw = to_html(wb, content)
    page = parse_html(raw)
    assert_no_outside_requests_and_inert(page)
    text = "".join(page.text)
    assert wb.profile.display_name in text  # shown, as text
    assert wb.actions[-1].text in text
    assert "<script>alert(" in text and "onerror=alert(" in text


# -- ICS --------------------------------------------------------------------------------------

REVIEW_UID = "mentoring-mosaic-review-"


def action_events(cal: Calendar) -> list:
    """The action plan's events (the review event has tests of its own: test_calendar_review)."""
    events = list(cal.walk("VEVENT"))
    reviews = [e for e in events if str(e["UID"]).startswith(REVIEW_UID)]
    assert len(reviews) == 1, "every calendar file carries one review event"
    return [e for e in events if e not in reviews]



def test_ics_reads_back_with_one_event_per_dated_open_action(content) -> None:
    wb = sample_workbook()
    cal = Calendar.from_ical(to_ics(wb, content))
    events = action_events(cal)
    dated = [a for a in wb.actions if a.due and not a.done]
    assert len(events) == len(dated) == 2
    by_summary = {str(e["SUMMARY"]): e for e in events}
    for action in dated:
        event = by_summary[action.text]
        assert event.decoded("DTSTART") == action.due
        assert event.decoded("DTEND") == action.due + dt.timedelta(days=1)
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
    uids = sorted(str(e["UID"]) for e in events)
    again = sorted(str(e["UID"]) for e in action_events(Calendar.from_ical(to_ics(wb, content))))
    assert uids == again and len(set(uids)) == 2


def test_ics_uses_suggestions_until_there_is_a_plan(content) -> None:
    wb = sample_workbook()
    wb.actions = []
    events = action_events(Calendar.from_ical(to_ics(wb, content)))
    assert {str(e["SUMMARY"]) for e in events} == {
        a.text for a in all_suggestions(wb) if a.due
    }


def test_hostile_text_is_plain_text_in_the_ics(content) -> None:
    wb = hostile_workbook()
    raw = to_ics(wb, content)
    cal = Calendar.from_ical(raw)
    events = action_events(cal)
    dated = [a for a in wb.actions if a.due and not a.done]
    assert len(events) == len(dated) > 0
    assert {str(e["SUMMARY"]) for e in events} == {a.text for a in dated}
    for line in raw.decode().splitlines():  # no property injected by a line break
        assert line[:1] == " " or line.split(":", 1)[0].split(";", 1)[0].isupper()


# -- IPYNB ------------------------------------------------------------------------------------


def test_md_escaping_makes_markup_inert() -> None:
    rendered = mistune.html(md("# <b>x</b> [a](javascript:1) ![i](http://e/x.png) *y* $z$"))
    assert "<b>" not in rendered and "<a" not in rendered and "<img" not in rendered
    assert "<em>" not in rendered and "<h1" not in rendered
    assert "&lt;b&gt;" in rendered
    assert "$" not in md("cost $5 or $x^2$") and md("$") == DOLLAR
    assert md("line one\n    code?\n---") == "line one  \ncode?  \n\\-\\-\\-"


def markdown_sources(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_notebook_copy_validates_and_reads_well(content) -> None:
    wb = sample_workbook()
    nb = nbformat.reads(to_ipynb(wb, content).decode(), as_version=4)
    nbformat.validate(nb)
    assert [c.cell_type for c in nb.cells].count("code") == 1
    assert nb.metadata["mentoring_mosaic"]["workbook"] == wb.to_json_dict()
    text = "\n".join(markdown_sources(nb))
    for expected in ("Ana Ruiz", "Submit an abstract", "Dr Lee", "My action plan", "Read my draft"):
        assert expected in text, expected
    mosaic = next(c for c in nb.cells if c.source.startswith("## My mentoring mosaic"))
    picture = PICTURE.search(mosaic.source)
    assert picture, mosaic.source[:200]
    assert base64.b64decode(picture.group(1)).decode().lstrip().startswith("<svg")


def test_notebook_copy_is_read_by_resume_from_a_file(content) -> None:
    from mentoring_mosaic.validation import read_workbook_file

    wb = sample_workbook()
    assert read_workbook_file("copy.ipynb", to_ipynb(wb, content)) == wb


def test_hostile_text_stays_inert_in_the_notebook(content) -> None:
    wb = hostile_workbook()
    nb = nbformat.reads(to_ipynb(wb, content).decode(), as_version=4)
    nbformat.validate(nb)
    for source in markdown_sources(nb):
        assert "<" not in source.replace(DOLLAR, ""), "raw markup in a markdown cell"
        assert "$" not in source, "a dollar sign would start a formula in JupyterLab"
        rendered = mistune.html(source)
        assert "<script" not in rendered and "<a " not in rendered
        assert "<img" not in mistune.html(PICTURE.sub("", source))
    code = next(c for c in nb.cells if c.cell_type == "code").source
    compile(code, "cell", "exec")  # the workbook is a plain string literal
    assert nb.metadata["mentoring_mosaic"]["workbook"] == wb.to_json_dict()


def with_content_ids(wb: Workbook) -> Workbook:
    """The hostile workbook with its content ids made real: a file coming in (resume, import)
    may only use the workshop's ids; its text stays hostile."""
    data = wb.to_json_dict()
    data["needs"]["ratings"] = {"research": {"support": 1, "need": 4}}
    data["needs"]["top_needs"] = ["research"]
    for goal in data["goals"]:
        goal["need"] = "research"
    for person in data["people"]:
        person["domains"], person["qualities"] = ["research"], ["honest"]
    for plan in data["managing_up"].values():
        plan["habits"] = ["send_agenda"]
    q = data["qualities"]
    q["ratings"] = {pid: {"honest": 3} for pid in q["ratings"]}
    q["priorities"], q["self_check"], q["grow"] = ["honest"], {"communication": 2}, ""
    data["scenarios"] = dict(zip(["recruit_new_mentor", "limited_time"],
                                 data["scenarios"].values(), strict=False))
    ev = data["evaluation"]
    ev["objectives_met"] = {"name_needs": 4}
    ev["confidence_before"], ev["confidence_after"] = {"naming_needs": 2}, {"naming_needs": 4}
    rounds = [data, *data.get("past_reviews", [])]  # each round's snapshot: the same kinds of ids
    for round_ in rounds:
        base = round_["baseline"]
        base["needs"] = {k: data["needs"][k] for k in ("ratings", "top_needs")}
        for goal in base["goals"]:
            goal["need"] = "research"
        for person in base["people"]:
            person["domains"], person["qualities"] = ["research"], ["honest"]
        round_["review"]["support_today"] = {"research": 3}
    return Workbook.model_validate(data)


@pytest.mark.parametrize("hostile", [False, True], ids=["sample", "hostile"])
def test_running_the_notebook_copy_resumes_the_same_workbook(
    content, mm_home: Path, monkeypatch: pytest.MonkeyPatch, hostile: bool
) -> None:
    from nbclient import NotebookClient

    wb = with_content_ids(hostile_workbook()) if hostile else sample_workbook()
    raw = export(wb, content, "ipynb")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    store = Store()
    store.create_participant(DEFAULT_KEY)
    nb = nbformat.reads(raw.decode(), as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    try:
        out = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        assert "Your workbook is back" in out
        resumed = store.load(DEFAULT_KEY)
        assert resumed.model_dump(exclude={"updated_at"}) == wb.model_dump(exclude={"updated_at"})
        assert store.latest_backup(DEFAULT_KEY) is not None  # what was there before is kept
    finally:
        store.dispose()


def test_every_format_is_listed_and_the_cli_writes_them(content, tmp_path: Path) -> None:
    from mentoring_mosaic.serve.cli import main

    store = Store()
    store.save_workbook(DEFAULT_KEY, sample_workbook())
    store.dispose()
    for fmt in ("html", "ics", "ipynb"):
        out = tmp_path / f"out.{fmt}"
        assert main(["export", "--format", fmt, "--output", str(out)]) == 0
        assert out.stat().st_size > 200
    json.loads((tmp_path / "out.ipynb").read_text())


@pytest.mark.parametrize(
    "svg",
    [
        "<svg><script>alert(1)</script></svg>",
        '<svg><rect onclick="alert(1)"/></svg>',
        '<svg><use href="https://x.example/s.svg#a"/></svg>',
        '<svg><rect style="fill:url(https://x.example/a)"/></svg>',
        "<svg><style>@import 'https://x.example/a.css';</style></svg>",
        "<svg><foreignObject><p>x</p></foreignObject></svg>",
        "<svg><rect",
    ],
)
def test_unsafe_svg_is_refused(svg: str) -> None:
    from mentoring_mosaic.exports.pack import svg_is_safe

    assert not svg_is_safe(svg)


def test_safe_svg_with_escaped_text_is_kept() -> None:
    from mentoring_mosaic.exports.pack import svg_is_safe

    assert svg_is_safe(
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs>'
        '<rect fill="url(#g)"/><text>&lt;img src=x onerror=alert(1)&gt; url(http://x)</text>'
        '<use href="#g"/></svg>'
    )


def hostile_fields(wb: Workbook) -> list[tuple[str, str]]:
    """(path, text) of every hostile text answer; ids and map keys are not answers."""
    out: list[tuple[str, str]] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, str) and "<script>" in value:
            out.append((path, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")

    walk(wb.to_json_dict(), "")
    # the workshop-day baseline is a snapshot of answers shown elsewhere (the review compares it)
    return [
        (p, t)
        for p, t in out
        if not p.endswith(".id") and ".qualities.ratings." not in p
        and not p.startswith(".baseline.")
        and not re.match(r"\.past_reviews\[\d+\]\.baseline\.", p)  # earlier rounds' snapshots
    ]


def test_the_notebook_copy_shows_every_text_answer(content) -> None:
    wb = hostile_workbook()
    nb = nbformat.reads(to_ipynb(wb, content).decode(), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    fields = hostile_fields(wb)
    assert len(fields) > 50
    missing = [p for p, t in fields if md(t) not in text and md(t, inline=True) not in text]
    assert not missing, missing


def test_the_pack_shows_the_answers_it_promises(content) -> None:
    wb = hostile_workbook()
    page = parse_html(to_html(wb, content))
    text = "".join(page.text)
    for person in wb.people:
        assert person.name in text
    for goal in wb.goals:
        assert goal.goal in text and goal.steps in text and goal.partner in text
    for plan in wb.managing_up.values():
        assert plan.one_ask in text and plan.need_from in text
    for action in wb.actions:
        assert action.text in text
    note = wb.scenarios["recruit_new_mentor"]
    assert note.strategy in text


# -- coming back for the review (issue 17, 3) -------------------------------------------------

JARGON = re.compile(
    r"\b(json|html|ics|ipynb|csv|voil[aà]|kernel|jupyter|notebook|url|upload|server|"
    r"database|export|schema)\b",
    re.IGNORECASE,
)
"""Words a participant should not need to know (file names and the link itself excepted)."""


def come_back_text(raw: bytes) -> str:
    match = re.search(r'<section id="come-back".*?</section>', raw.decode(), flags=re.DOTALL)
    assert match, "the pack has a section on coming back"
    section = parse_html(match.group(0).encode())
    assert not [t for t, a in section.tags if t == "a" or "href" in a], "the link is text"
    return "".join(section.text)


def test_the_pack_says_which_file_to_keep_and_which_link_to_open(content, monkeypatch) -> None:
    from mentoring_mosaic.exports.pack import PACK_FILE, REVIEW_CHOICE, WORKBOOK_FILE

    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    monkeypatch.setenv("BINDER_REQUEST", "v2/gh/uni/mentoring-mosaic/v0.1.0")
    wb = sample_workbook()  # the workshop day: the evaluation's (no baseline here)
    wb.evaluation = wb.evaluation.model_copy(
        update={"submitted_at": dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)})
    text = come_back_text(to_html(wb, content))
    assert "Coming back to review my plan" in text
    assert "On 28 Feb 2027, about 90 days after the workshop" in text
    assert f"“{WORKBOOK_FILE}”" in text and f"“{PACK_FILE}”" in text
    assert "https://mybinder.org/v2/gh/uni/mentoring-mosaic/v0.1.0?urlpath=" in text
    assert "“Resume from a file”" in text and f"“{REVIEW_CHOICE}”" in text
    assert "Keep two files from today" in text


def test_the_come_back_words_are_plain(content, monkeypatch) -> None:
    from mentoring_mosaic.exports.pack import PACK_FILE, WORKBOOK_FILE, app_link

    for env in ({}, {"BINDER_LAUNCH_HOST": "https://mybinder.org/",
                     "BINDER_REQUEST": "v2/gh/a/b/c"},
                {"MENTORING_MOSAIC_ROOM": "1", "VOILA_REQUEST_URL": "http://h:1/voila/x"}):
        for name in ("BINDER_LAUNCH_HOST", "BINDER_REQUEST", "MENTORING_MOSAIC_ROOM",
                     "VOILA_REQUEST_URL", "MENTORING_MOSAIC_ROOM_URL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        text = come_back_text(to_html(sample_workbook(), content))
        link = app_link(content)[0]
        for known in (WORKBOOK_FILE, PACK_FILE, *([link] if link else [])):
            assert known in text
            text = text.replace(known, "")
        assert not JARGON.findall(text), JARGON.findall(text)
        if "BINDER_REQUEST" in env:
            assert "Binder, a free website" in text  # a service named with what it is


def test_the_file_names_are_the_ones_the_wrap_up_gives() -> None:
    from mentoring_mosaic.exports.pack import PACK_FILE, WORKBOOK_FILE
    from mentoring_mosaic.widgets.common import workbook_filename
    from mentoring_mosaic.widgets.stage7_wrapup import DOWNLOADS

    assert workbook_filename(None) == WORKBOOK_FILE  # type: ignore[arg-type]
    base = WORKBOOK_FILE.removesuffix("-workbook.json")
    stem = next(stem for fmt, _label, stem, _hint in DOWNLOADS if fmt == "html")
    assert f"{base}-{stem}.html" == PACK_FILE


def test_the_pack_counts_people_in_words_not_with_brackets(content) -> None:
    from mentoring_mosaic.model import Person, Workbook

    wb = Workbook(people=[
        Person(id="a", name="Ana", domains=["teaching"]),
        Person(id="b", name="Bo", status="potential"),
        Person(id="c", name="Cy", status="potential"),
    ])
    text = export(wb, content, "html").decode("utf-8")
    assert "1 mentor now, 2 people I could ask, 0 mentees of my own." in text
    assert "(s)" not in text and ">Kind of support<" in text
    svg = export(wb, content, "svg").decode("utf-8")
    assert "1 existing mentor, 2 potential mentors and 0 mentees" in svg
