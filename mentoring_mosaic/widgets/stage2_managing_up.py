"""Stage 2: managing up with each current mentor.

The participant lists their current mentors, each with an optional role or title (saved as
people, so stage 4 starts from them), fills in the plan and the habits checklist for one mentor
at a time, and gets a one-page meeting agenda and a short request for a busy mentor. Both show
as formatted text, one at a time, and copy or download as plain text ready for an email.

At first sight the page stays within the slot: the longer explanation, the reason behind each
habit and the citations sit in collapsed "Why this matters" and "Sources" folds.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..analysis.managing_up import (
    Agenda,
    Request,
    agenda_filename,
    agenda_outline,
    mentor_label,
    request_filename,
    request_outline,
)
from ..content import Content
from ..model import PLACES, ManagingUpPlan, Person
from ..session import Session
from .common import (
    CopyButton,
    DownloadLink,
    TypingSaver,
    citations_html,
    esc,
    guarded,
    html_block,
    labeled,
)
from .pages import StageView

LEVEL_OPTIONS = [("Senior to me", "senior"), ("A peer", "peer"), ("Junior to me", "junior")]
PLACE_OPTIONS = [(label, key) for key, label in PLACES.items()]
LEVEL_WORDS = dict((v, k) for k, v in LEVEL_OPTIONS)
SETTER_OPTIONS = [("Not agreed yet", ""), ("I do", "me"), ("My mentor", "mentor"),
                  ("We share it", "shared")]
SELF_OPTIONS = [
    ("0 – not at all yet", 0),
    ("1 – a little", 1),
    ("2 – partly", 2),
    ("3 – mostly", 3),
    ("4 – very well", 4),
]
FREQUENCY_CHOICES = ["weekly", "every two weeks", "monthly", "every few months", "as needed"]
CHANNEL_CHOICES = ["in person", "video call", "phone", "email", "messaging"]

MAX_NAME = 200
"""Names and titles are short text in the workbook (``ShortText``)."""

TITLE_LABEL = "Role or title (optional)"
PLAN_TITLE_LABEL = "Their role or title (optional)"
AGENDA_LABEL = "Agenda for the next meeting"
REQUEST_LABEL = "Request to a busy mentor"
DRAFT_OPTIONS = [(AGENDA_LABEL, "agenda"), (REQUEST_LABEL, "request")]
WHY_SUMMARY = "Why this matters"
SOURCES_SUMMARY = "Sources"


def _wide() -> ipw.Layout:
    """A full-width layout of its own (a shared one would hide every widget using it)."""
    return ipw.Layout(width="100%")


def _card(*children: ipw.Widget) -> ipw.VBox:
    box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
    box.add_class("mm-card")
    return box


def _panel(draft: ipw.HTML, copy: ipw.Widget, download: ipw.Widget) -> ipw.HBox:
    """A draft with its Copy and Download buttons beside it on a laptop, below on a phone."""
    actions = ipw.VBox([copy, download], layout=ipw.Layout(margin="6px 0 0 12px", width="auto"))
    draft.layout = ipw.Layout(flex="1 1 420px", min_width="0", max_width="720px")
    panel = ipw.HBox([draft, actions], layout=ipw.Layout(
        flex_flow="row wrap", align_items="flex-start", width="100%"))
    panel.add_class("mm-wrap")
    return panel


def _row(*fields: ipw.Widget, basis: str = "260px") -> ipw.HBox:
    """Fields side by side on a laptop, one under the other on a phone."""
    row = ipw.HBox(list(fields), layout=ipw.Layout(flex_flow="row wrap", width="100%"))
    row.add_class("mm-wrap")
    for child in fields:
        child.layout.flex = f"1 1 {basis}"
        child.layout.width = "auto"
        child.layout.min_width = "0"
        child.layout.margin = "4px 12px 6px 0"
    return row


# -- the drafts as formatted text (user text escaped) ------------------------------------------


def agenda_html(agenda: Agenda) -> str:
    """The agenda as readable formatted text: headings and lists, every answer escaped."""
    parts = [
        f'<div class="mm-doc" role="region" aria-label="{esc(AGENDA_LABEL)}">',
        f'<h3 class="mm-doc-title">{esc(agenda.title)}</h3>',
        f'<p class="mm-doc-facts">{esc(" · ".join(agenda.facts))}',
    ]
    if agenda.prepared_by:
        parts.append(f"<br>Prepared by: {esc(agenda.prepared_by)}")
    parts.append("</p>")
    for section in agenda.sections:
        parts.append(f"<h4>{esc(section.heading)}</h4>")
        if section.sentence:
            parts.append(f"<p>{esc(section.sentence)}</p>")
        if section.items:
            items = "".join(
                f"<li>{esc(item.text)}"
                + (f'<br><span class="mm-muted">{esc(item.detail)}</span>' if item.detail else "")
                + "</li>"
                for item in section.items
            )
            parts.append(f"<ul>{items}</ul>")
    parts.append("</div>")
    return "".join(parts)


def request_html(request: Request) -> str:
    """The request as an email draft: who it is for, the subject, the paragraphs; escaped."""
    head = ""
    if request.to:
        head += f'<p class="mm-doc-facts"><strong>To:</strong> {esc(request.to)}<br>'
    else:
        head += '<p class="mm-doc-facts">'
    head += f"<strong>Subject:</strong> {esc(request.subject)}</p>"
    body = "".join(
        "<p>" + "<br>".join(esc(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in request.paragraphs
    )
    return (
        f'<div class="mm-doc" role="region" aria-label="{esc(REQUEST_LABEL)}">'
        f"{head}{body}</div>"
    )


def _source_ids(content: Content) -> list[str]:
    """Every source this stage cites: the stage's own, then each habit's, first use first."""
    seen = [content.stage("managing_up").source]
    for habit in content.habits:
        if habit.source not in seen:
            seen.append(habit.source)
    return seen


def why_html(content: Content) -> str:
    """The "Why this matters" fold: the stage's key points and why each habit helps."""
    points = "".join(f"<li>{esc(p)}</li>" for p in content.stage("managing_up").key_points)
    habits = "".join(
        f"<li><strong>{esc(h.text)}</strong>: {esc(h.why)}</li>" for h in content.habits
    )
    return (
        f'<details class="mm-fold"><summary>{esc(WHY_SUMMARY)}</summary>'
        f'<ul class="mm-s2-list">{points}</ul>'
        '<p style="margin:6px 0 0"><strong>Why each habit helps</strong></p>'
        f'<ul class="mm-s2-list">{habits}</ul></details>'
    )


def sources_html(content: Content) -> str:
    """The "Sources" fold: full citations for the stage and its habits."""
    listing = citations_html(content, _source_ids(content), "mm-s2-list")
    return (
        f'<details class="mm-fold"><summary>{esc(SOURCES_SUMMARY)}</summary>'
        f'{listing}</details>'
    )


class ManagingUpView(StageView):
    """Stage 2: current mentors, one mentor's plan and habits at a time, and the two drafts."""

    stage_id = "managing_up"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False
        self._confirm_id = ""
        self._rows_signature: tuple[Any, ...] | None = None
        self._helps_signature: tuple[Any, ...] | None = None
        self._helps_boxes: dict[str, ipw.Checkbox] = {}
        self.agenda_text = ""
        self.request_text = ""

        # -- the list of current mentors and the add form -----------------------------
        self.mentor_list = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.new_name = ipw.Text(placeholder="e.g. Dr Lee", continuous_update=False,
                                 layout=ipw.Layout(width="100%"))
        self.new_title = ipw.Text(placeholder="e.g. program director", continuous_update=False,
                                  layout=ipw.Layout(width="100%"))
        self.new_level = ipw.Dropdown(options=LEVEL_OPTIONS, value="senior",
                                      layout=ipw.Layout(width="100%"))
        self.new_place = ipw.Dropdown(options=PLACE_OPTIONS, value="institution",
                                      layout=ipw.Layout(width="100%"))
        self.add_button = ipw.Button(
            description="Add mentor", icon="plus", button_style="primary",
            layout=ipw.Layout(width="auto", align_self="flex-end", margin="0 0 10px 0"),
        )
        self.add_button.on_click(self._on_add)
        add_row = _row(
            labeled(self.new_name, "Name"),
            labeled(self.new_title, TITLE_LABEL),
            labeled(self.new_level, "Level"),
            labeled(self.new_place, "Where they are"),
            basis="200px",
        )
        add_row.children = (*add_row.children, self.add_button)

        # -- the plan for one mentor ---------------------------------------------------
        self.picker = ipw.Dropdown(options=[], layout=ipw.Layout(width="100%"))
        self.picker.observe(self._on_pick, names="value")
        self.title_field = ipw.Text(placeholder="e.g. program director", continuous_update=True,
                              layout=ipw.Layout(width="100%"))
        # the plan's words save while they are typed, into the plan on show (``_plan_for``)
        self._plan_for = ""
        self._saving_title = False
        self.title_saver = TypingSaver(self._save_title)
        self.plan_saver = TypingSaver(self._save_plan_now)
        self.title_field.observe(self._on_title, names="value")
        self.helps_with = ipw.VBox()
        self.need_from = ipw.Textarea(rows=2, continuous_update=True, layout=_wide(),
                                      placeholder="e.g. honest feedback on my first grant")
        self.offer_back = ipw.Textarea(rows=2, continuous_update=True, layout=_wide(),
                                       placeholder="e.g. help with their journal club")
        self.frequency = ipw.Combobox(options=FREQUENCY_CHOICES, ensure_option=False,
                                      continuous_update=True, layout=_wide(),
                                      placeholder="e.g. monthly")
        self.setter = ipw.Dropdown(options=SETTER_OPTIONS, value="", layout=_wide())
        self.channel = ipw.Combobox(options=CHANNEL_CHOICES, ensure_option=False,
                                    continuous_update=True, layout=_wide(),
                                    placeholder="e.g. video call")
        self.last_meeting = ipw.DatePicker(layout=_wide())
        self.next_meeting = ipw.DatePicker(layout=_wide())
        self.one_ask = ipw.Textarea(rows=2, continuous_update=True, layout=_wide(),
                                    placeholder="One concrete thing to ask for next time")
        self.self_rating = ipw.Dropdown(options=SELF_OPTIONS, value=0, layout=_wide())
        self.one_change = ipw.Textarea(rows=2, continuous_update=True, layout=_wide(),
                                       placeholder="e.g. send an agenda two days before")
        self.fields = (
            self.need_from, self.offer_back, self.frequency, self.setter, self.channel,
            self.last_meeting, self.next_meeting, self.one_ask, self.self_rating,
            self.one_change,
        )
        self.typed = (self.need_from, self.offer_back, self.frequency, self.channel,
                      self.one_ask, self.one_change)
        for widget in self.fields:
            widget.observe(self._save_plan, names="value")
        self.habits: dict[str, ipw.Checkbox] = {}
        for habit in content.habits:
            box = ipw.Checkbox(description=habit.text, indent=False,
                               layout=ipw.Layout(width="auto", max_width="100%",
                                                 flex="1 1 300px", margin="0 12px 2px 0"))
            box.observe(self._save_plan, names="value")
            box.add_class("mm-check")
            self.habits[habit.id] = box
        habits_box = ipw.HBox(list(self.habits.values()),
                              layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        habits_box.add_class("mm-wrap")

        self.worksheet = ipw.VBox(
            [
                _row(labeled(self.picker, "Plan for"),
                     labeled(self.title_field, PLAN_TITLE_LABEL)),
                self.helps_with,
                _row(labeled(self.need_from, "What I need from this mentor"),
                     labeled(self.offer_back, "What I offer back")),
                _row(labeled(self.frequency, "How often we meet"),
                     labeled(self.setter, "Who sets the agenda"),
                     labeled(self.channel, "How we usually talk"), basis="180px"),
                _row(labeled(self.last_meeting, "Last meeting"),
                     labeled(self.next_meeting, "Next meeting"),
                     labeled(self.self_rating, "How well I manage up here"), basis="180px"),
                _row(labeled(self.one_ask, "My one ask for next time"),
                     labeled(self.one_change, "One change I will make")),
                html_block("<h3>Habits I already keep with this mentor</h3>"),
                habits_box,
            ],
            layout=ipw.Layout(width="100%"),
        )

        # -- the drafts: one shown at a time, formatted; copied as plain text -------------
        self.draft_choice = ipw.RadioButtons(
            options=DRAFT_OPTIONS, value="agenda", orientation="horizontal",
            description="Show", layout=ipw.Layout(width="auto", max_width="100%"),
            style={"description_width": "48px"},
        )
        self.draft_choice.add_class("mm-seg")
        self.draft_choice.observe(self._on_draft_choice, names="value")
        self.agenda = html_block("")
        self.request = html_block("")
        self.agenda_link = DownloadLink("⬇ Download the agenda", mime="text/plain")
        self.request_link = DownloadLink("⬇ Download the request", mime="text/plain")
        self.agenda_copy = CopyButton("Copy the agenda")
        self.request_copy = CopyButton("Copy the request")
        self.agenda_panel = _panel(self.agenda, self.agenda_copy, self.agenda_link)
        self.request_panel = _panel(self.request, self.request_copy, self.request_link)
        self.request_panel.layout.display = "none"
        self.drafts = ipw.VBox(
            [
                self.draft_choice,
                self.agenda_panel,
                self.request_panel,
            ],
            layout=_wide(),
        )
        self.drafts.add_class("mm-draft")
        self.empty_note = html_block(
            '<p class="mm-hint">Add a current mentor above to open their plan.</p>'
        )
        self.worksheet_card = _card(html_block("<h2>My plan with one mentor</h2>"),
                                    self.empty_note, self.worksheet)
        self.drafts_card = _card(
            html_block(
                "<h2>Agenda and request</h2>"
                '<p class="mm-hint">Drafted from your goals and this plan as you type; they '
                "copy as plain text for an email or invitation.</p>"
            ),
            self.drafts,
        )
        self.children = [
            html_block(
                "<p><em>Managing up</em> means leading your side of a mentoring relationship. "
                "List the mentors you have now, then plan your next meeting with one of "
                "them.</p>"
                + why_html(content)
            ),
            _card(
                html_block(
                    "<h2>My current mentors</h2>"
                    '<p class="mm-hint">Anyone who guides you today, formally or not. They '
                    "also appear in your mosaic (stage 4).</p>"
                ),
                self.mentor_list,
                add_row,
            ),
            self.status,
            self.worksheet_card,
            self.drafts_card,
            html_block(sources_html(content)),
        ]
        session.on_change(self._on_any_change)
        self.refresh()

    # -- reading ------------------------------------------------------------------------
    @property
    def mentor_id(self) -> str:
        """The id of the mentor whose plan is shown ("" when there is none)."""
        return self.picker.value or ""

    def refresh(self) -> None:
        self.title_saver.cancel()  # the whole workbook was replaced (resume, demo)
        self.plan_saver.cancel()
        self.show_mentors(reload_plan=True)

    def on_show(self) -> None:
        self.show_mentors(reload_plan=True)

    def _on_any_change(self, what: str) -> None:
        if what == "people":
            self.show_mentors()
        elif what in ("goals", "profile", "needs"):
            self.show_helps_with()
            self.show_drafts()

    def show_mentors(self, *, reload_plan: bool = False) -> None:
        """The mentor list, the picker, and the plan of the picked mentor.

        The plan's fields are filled again only for another mentor or with ``reload_plan``:
        a save of this page (the title typed) must not write into a field being typed in.
        """
        mentors = self.session.workbook.current_mentors
        # rebuild the rows only when what they show changed: the mosaic saves people often
        # (every drag), and each rebuild would create new widgets
        signature = (
            tuple((p.id, p.name, p.title, p.level, p.place) for p in mentors),
            self._confirm_id,
        )
        if signature != self._rows_signature:
            self._rows_signature = signature
            rows: list[ipw.Widget] = [self._mentor_row(person) for person in mentors]
            if not mentors:
                rows.append(html_block('<p class="mm-hint">No mentors listed yet.</p>'))
            self.mentor_list.children = rows
        options = [(mentor_label(p, 80), p.id) for p in mentors]
        current = self.mentor_id
        self._loading = True
        try:
            if list(self.picker.options) != options:
                self.picker.options = options
            ids = [p.id for p in mentors]
            self.picker.value = current if current in ids else (ids[0] if ids else None)
        finally:
            self._loading = False
        has = bool(mentors)
        self.worksheet.layout.display = "" if has else "none"
        self.drafts_card.layout.display = "" if has else "none"
        self.empty_note.layout.display = "none" if has else ""
        if reload_plan or self.mentor_id != self._plan_for:
            self.load_plan()
        else:
            self._show_title()
            self.show_helps_with()
            self.show_drafts()

    def _show_title(self) -> None:
        """A title changed elsewhere (the mosaic) shows here; the one typed here stays."""
        if self._saving_title:
            return
        self.title_saver.flush()  # words typed here first: then the store holds them
        person = self.session.workbook.person(self._plan_for) if self._plan_for else None
        if person is not None and self.title_field.value.strip() != person.title.strip():
            self._loading = True
            try:
                self.title_field.value = person.title
            finally:
                self._loading = False

    def _mentor_row(self, person: Person) -> ipw.Widget:
        place = PLACES.get(person.place, person.place)
        title = f", {esc(person.title)}" if person.title.strip() else ""
        text = html_block(
            f"<strong>{esc(person.name)}</strong>{title} "
            f'<span class="mm-muted">· {esc(LEVEL_WORDS.get(person.level, person.level))} · '
            f"{esc(place)}</span>"
        )
        text.layout = ipw.Layout(flex="1 1 240px", min_width="0")
        if self._confirm_id == person.id:
            yes = ipw.Button(description="Yes, remove", button_style="danger",
                             tooltip=f"Remove {person.name} and their plan",
                             layout=ipw.Layout(width="auto"))
            keep = ipw.Button(description="Keep", layout=ipw.Layout(width="auto"))
            yes.on_click(lambda _b, pid=person.id: self._on_remove(pid))
            keep.on_click(lambda _b: self._ask_remove(""))
            question = html_block("<span>Remove this mentor and their plan?</span>")
            controls = [question, yes, keep]
        else:
            remove = ipw.Button(description="Remove", icon="trash",
                                tooltip=f"Remove {person.name}", layout=ipw.Layout(width="auto"))
            remove.on_click(lambda _b, pid=person.id: self._ask_remove(pid))
            controls = [remove]
        row = ipw.HBox([text, *controls],
                       layout=ipw.Layout(flex_flow="row wrap", align_items="center",
                                         border_bottom="1px solid #e2e8f0", width="100%"))
        row.add_class("mm-wrap")
        return row

    def plan(self) -> ManagingUpPlan:
        """The stored plan for the picked mentor (empty if none yet)."""
        return self.session.workbook.managing_up.get(self.mentor_id) or ManagingUpPlan()

    def load_plan(self) -> None:
        """Show the picked mentor's plan (the words typed for the one before are saved first)."""
        self.title_saver.flush()
        self.plan_saver.flush()
        self._plan_for = self.mentor_id
        plan = self.plan()
        person = self.session.workbook.person(self.mentor_id) if self.mentor_id else None
        self._loading = True
        try:
            self.title_field.value = person.title if person else ""
            self.need_from.value = plan.need_from
            self.offer_back.value = plan.offer_back
            self.frequency.value = plan.meeting_frequency
            self.setter.value = plan.agenda_setter
            self.channel.value = plan.channel
            self.last_meeting.value = plan.last_meeting
            self.next_meeting.value = plan.next_meeting
            self.one_ask.value = plan.one_ask
            self.self_rating.value = plan.self_rating
            self.one_change.value = plan.one_change
            for hid, box in self.habits.items():
                box.value = hid in plan.habits
        finally:
            self._loading = False
        self.show_helps_with()
        self.show_drafts()

    def show_helps_with(self) -> None:
        """Checkboxes: which of my top needs this mentor helps with (saved on the person)."""
        wb = self.session.workbook
        person = wb.person(self.mentor_id) if self.mentor_id else None
        top = list(wb.needs.top_needs)
        signature = (person.id if person else "", tuple(top))
        if signature == self._helps_signature and person is not None:
            # same mentor, same needs: only the ticks may differ (no new widgets)
            self._loading = True
            try:
                for did, box in self._helps_boxes.items():
                    box.value = did in person.domains
            finally:
                self._loading = False
            return
        self._helps_signature = signature
        self._helps_boxes = {}
        if person is None:
            self.helps_with.children = []
            return
        if not top:
            self.helps_with.children = [
                html_block(
                    '<p class="mm-hint">Pick your top needs in stage 1 to link this mentor to '
                    "them.</p>"
                )
            ]
            return
        names = self.content.domain_names
        for did in top:
            box = ipw.Checkbox(
                value=did in person.domains,
                description=names.get(did, did),
                indent=False,
                layout=ipw.Layout(width="auto", margin="0 16px 0 0"),
            )
            box.add_class("mm-check")
            box.observe(lambda ch, d=did: self._on_helps(d, ch), names="value")
            self._helps_boxes[did] = box
        row = ipw.HBox(list(self._helps_boxes.values()), layout=ipw.Layout(flex_flow="row wrap"))
        row.add_class("mm-wrap")
        question = html_block(
            '<div class="mm-label">Which of my top needs can they help with?</div>'
        )
        self.helps_with.children = [question, row]

    def show_drafts(self) -> None:
        """Regenerate the agenda and the request for the picked mentor."""
        wb = self.session.workbook
        person = wb.person(self.mentor_id) if self.mentor_id else None
        if person is None:
            self.agenda_text = self.request_text = ""
            self.agenda.value = self.request.value = ""
            return
        plan = self.plan()
        names = self.content.domain_names
        agenda = agenda_outline(person, plan, wb.goals, profile=wb.profile, domain_names=names)
        request = request_outline(
            person, plan, wb.goals, profile=wb.profile, domain_names=names
        )
        self.agenda_text = agenda.to_text()
        self.request_text = request.to_text()
        self.agenda.value = agenda_html(agenda)
        self.request.value = request_html(request)
        self.agenda_link.set_payload(self.agenda_text, agenda_filename(person))
        self.agenda_copy.set_text(self.agenda_text)
        self.request_copy.set_text(self.request_text)
        self.request_link.set_payload(self.request_text, request_filename(person))

    # -- writing --------------------------------------------------------------------------
    def _on_draft_choice(self, change: dict[str, Any]) -> None:
        showing_agenda = change["new"] != "request"
        self.agenda_panel.layout.display = "" if showing_agenda else "none"
        self.request_panel.layout.display = "none" if showing_agenda else ""

    @guarded()
    def _on_add(self, _button: ipw.Button) -> None:
        name = self.new_name.value.strip()
        title = self.new_title.value.strip()
        if not name:
            self.status.show("Type the mentor's name (or a description) first.", "error")
            return
        if len(name) > MAX_NAME or len(title) > MAX_NAME:
            self.status.show(
                f"That name or title is too long: keep each under {MAX_NAME} characters.",
                "error",
            )
            return
        person = Person(
            name=name,
            title=title,
            role="mentor",
            status="existing",
            level=self.new_level.value,
            place=self.new_place.value,
        )
        self.session.save_person(person)
        self.new_name.value = ""
        self.new_title.value = ""
        self._loading = True
        try:
            self.picker.value = person.id
        finally:
            self._loading = False
        self.load_plan()
        self.status.show(f"Added {name}. Their plan is open below.", "success")

    def _ask_remove(self, person_id: str) -> None:
        self._confirm_id = person_id
        self.show_mentors()

    @guarded()
    def _on_remove(self, person_id: str) -> None:
        person = self.session.workbook.person(person_id)
        self._confirm_id = ""
        self.session.remove_person(person_id)
        if person is not None:
            self.status.show(f"Removed {person.name}.", "info")

    @guarded()
    def _on_pick(self, _change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.load_plan()

    def _on_title(self, _change: dict[str, Any]) -> None:
        if not self._loading:
            self.title_saver.request()

    @guarded()
    def _save_title(self) -> None:
        person = self.session.workbook.person(self._plan_for) if self._plan_for else None
        if person is None:
            return
        title = (self.title_field.value or "").strip()
        if len(title) > MAX_NAME:  # the field keeps what was typed; the stored title stays
            self.status.show(
                f"That title is too long: keep it under {MAX_NAME} characters. "
                "The shorter one is kept.", "error"
            )
            return
        if title != person.title:
            self._saving_title = True
            try:
                self.session.save_person(
                    Person.model_validate({**person.model_dump(), "title": title})
                )
            finally:
                self._saving_title = False
            self.status.clear()

    @guarded()
    def _on_helps(self, domain_id: str, change: dict[str, Any]) -> None:
        if self._loading:
            return
        person = self.session.workbook.person(self.mentor_id)
        if person is None:
            return
        domains = [d for d in person.domains if d != domain_id]
        if change["new"]:
            domains.append(domain_id)
        self.session.save_person(person.model_copy(update={"domains": domains}))
        self.show_drafts()

    def _save_plan(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        if change["owner"] in self.typed:
            self.plan_saver.request()
        else:
            self.plan_saver.save_now()

    @guarded()
    def _save_plan_now(self) -> None:
        pid = self._plan_for
        if not pid or self.session.workbook.person(pid) is None:
            return  # no mentor, or the one these words were for was removed
        plan = ManagingUpPlan(
            need_from=self.need_from.value.strip(),
            offer_back=self.offer_back.value.strip(),
            meeting_frequency=(self.frequency.value or "").strip(),
            agenda_setter=self.setter.value,
            channel=(self.channel.value or "").strip(),
            last_meeting=self.last_meeting.value,
            next_meeting=self.next_meeting.value,
            one_ask=self.one_ask.value.strip(),
            self_rating=self.self_rating.value,
            one_change=self.one_change.value.strip(),
            habits=[hid for hid, box in self.habits.items() if box.value],
        )

        def change(plans: dict[str, ManagingUpPlan]) -> None:
            plans[pid] = plan

        self.session.edit("managing_up", change)
        self.status.clear()
        self.show_drafts()
