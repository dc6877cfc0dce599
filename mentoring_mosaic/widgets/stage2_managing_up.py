"""Stage 2: managing up with each current mentor.

The participant lists their current mentors (saved as people, so stage 4 starts from them),
fills in the managing-up worksheet and the habits checklist per mentor, and gets a one-page
meeting agenda and a short request for a busy mentor, both to copy or download.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as ipw

from ..analysis.managing_up import (
    agenda_filename,
    busy_mentor_request,
    meeting_agenda,
    request_filename,
)
from ..content import Content
from ..model import PLACES, ManagingUpPlan, Person
from ..session import Session
from .common import CopyButton, DownloadLink, esc, guarded, html_block, labeled
from .pages import StageView
from .stage1_needs import rating_style

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


def _card(*children: ipw.Widget) -> ipw.VBox:
    box = ipw.VBox(list(children), layout=ipw.Layout(width="100%"))
    box.add_class("mm-card")
    return box


def _actions(*children: ipw.Widget) -> ipw.HBox:
    """Copy and download side by side, wrapping on a phone."""
    row = ipw.HBox(list(children), layout=ipw.Layout(flex_flow="row wrap", align_items="center"))
    row.add_class("mm-wrap")
    return row


class ManagingUpView(StageView):
    """Stage 2: current mentors, the worksheet and habits per mentor, and the two drafts."""

    stage_id = "managing_up"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        self._loading = False
        self._confirm_id = ""
        self._rows_signature: tuple[Any, ...] | None = None
        self._helps_signature: tuple[Any, ...] | None = None
        self._helps_boxes: dict[str, ipw.Checkbox] = {}
        narrow = ipw.Layout(width="100%", max_width="320px")
        wide = ipw.Layout(width="100%", max_width="640px")

        # -- the list of current mentors and the add form -----------------------------
        self.mentor_list = ipw.VBox(layout=ipw.Layout(width="100%"))
        self.new_name = ipw.Text(
            placeholder="e.g. Dr Lee, or “my programme director”",
            continuous_update=False,
            layout=narrow,
        )
        self.new_level = ipw.Dropdown(options=LEVEL_OPTIONS, value="senior", layout=narrow)
        self.new_place = ipw.Dropdown(options=PLACE_OPTIONS, value="institution", layout=narrow)
        self.add_button = ipw.Button(
            description="Add mentor", icon="plus", button_style="primary",
            layout=ipw.Layout(width="auto", align_self="flex-end", margin="0 0 10px 0"),
        )
        self.add_button.on_click(self._on_add)
        add_row = ipw.HBox(
            [
                labeled(self.new_name, "Name"),
                labeled(self.new_level, "Level"),
                labeled(self.new_place, "Where they are"),
                self.add_button,
            ],
            layout=ipw.Layout(flex_flow="row wrap", width="100%"),
        )
        add_row.add_class("mm-wrap")
        for box in add_row.children[:3]:
            box.layout.width = "auto"
            box.layout.flex = "1 1 220px"
            box.layout.margin = "4px 12px 8px 0"
            box.layout.min_width = "0"

        # -- the worksheet for one mentor --------------------------------------------
        self.picker = ipw.Dropdown(options=[], layout=ipw.Layout(width="100%", max_width="400px"))
        self.picker.observe(self._on_pick, names="value")
        self.helps_with = ipw.VBox()
        self.need_from = ipw.Textarea(rows=2, continuous_update=False, layout=wide,
                                      placeholder="e.g. honest feedback on my first grant")
        self.offer_back = ipw.Textarea(rows=2, continuous_update=False, layout=wide,
                                       placeholder="e.g. help with their journal club")
        self.frequency = ipw.Combobox(options=FREQUENCY_CHOICES, ensure_option=False,
                                      continuous_update=False, layout=narrow,
                                      placeholder="e.g. monthly")
        self.setter = ipw.Dropdown(options=SETTER_OPTIONS, value="", layout=narrow)
        self.channel = ipw.Combobox(options=CHANNEL_CHOICES, ensure_option=False,
                                    continuous_update=False, layout=narrow,
                                    placeholder="e.g. video call")
        self.last_meeting = ipw.DatePicker(layout=ipw.Layout(width="100%", max_width="220px"))
        self.next_meeting = ipw.DatePicker(layout=ipw.Layout(width="100%", max_width="220px"))
        self.one_ask = ipw.Textarea(rows=2, continuous_update=False, layout=wide,
                                    placeholder="One concrete thing to ask for next time")
        self.self_rating = ipw.Dropdown(options=SELF_OPTIONS, value=0, layout=narrow)
        self.one_change = ipw.Textarea(rows=2, continuous_update=False, layout=wide,
                                       placeholder="e.g. send an agenda two days before")
        self.fields = (
            self.need_from, self.offer_back, self.frequency, self.setter, self.channel,
            self.last_meeting, self.next_meeting, self.one_ask, self.self_rating,
            self.one_change,
        )
        for widget in self.fields:
            widget.observe(self._save_plan, names="value")
        self.habits: dict[str, ipw.Checkbox] = {}
        habit_rows = []
        for habit in content.habits:
            box = ipw.Checkbox(description=habit.text, indent=False,
                               layout=ipw.Layout(width="auto", max_width="100%"))
            box.observe(self._save_plan, names="value")
            box.add_class("mm-check")
            self.habits[habit.id] = box
            item = ipw.VBox(
                [box, html_block(f'<span class="mm-hint">{esc(habit.why)}</span>')],
                layout=ipw.Layout(flex="1 1 300px", margin="0 12px 6px 0", min_width="0"),
            )
            habit_rows.append(item)
        habits_box = ipw.HBox(habit_rows, layout=ipw.Layout(flex_flow="row wrap", width="100%"))
        habits_box.add_class("mm-wrap")

        def pair(a: ipw.Widget, b: ipw.Widget) -> ipw.HBox:
            row = ipw.HBox([a, b], layout=ipw.Layout(flex_flow="row wrap", width="100%"))
            row.add_class("mm-wrap")
            for child in (a, b):
                child.layout.flex = "1 1 260px"
                child.layout.width = "auto"
            return row

        self.worksheet = ipw.VBox(
            [
                labeled(self.picker, "Worksheet for"),
                self.helps_with,
                labeled(self.need_from, "What I need from this mentor",
                        "Link it to your goals from stage 1."),
                labeled(self.offer_back, "What I offer back"),
                pair(labeled(self.frequency, "How often we meet"),
                     labeled(self.setter, "Who sets the agenda")),
                pair(labeled(self.channel, "How we usually talk"),
                     labeled(self.self_rating, "How well I manage up here")),
                pair(labeled(self.last_meeting, "Last meeting"),
                     labeled(self.next_meeting, "Next meeting")),
                labeled(self.one_ask, "My one ask for next time"),
                labeled(self.one_change, "One change I will make"),
                html_block("<h3>Habits I already keep with this mentor</h3>"),
                habits_box,
            ],
            layout=ipw.Layout(width="100%"),
        )

        # -- the drafts -----------------------------------------------------------------
        self.agenda = ipw.Textarea(rows=20, disabled=True,
                                   layout=ipw.Layout(width="100%", max_width="720px"))
        self.request = ipw.Textarea(rows=16, disabled=True,
                                    layout=ipw.Layout(width="100%", max_width="720px"))
        self.agenda_link = DownloadLink("⬇ Download the agenda", mime="text/markdown")
        self.request_link = DownloadLink("⬇ Download the request", mime="text/plain")
        self.agenda_copy = CopyButton("Copy the agenda")
        self.request_copy = CopyButton("Copy the request")
        self.drafts = ipw.VBox(
            [
                html_block(
                    '<p class="mm-hint">Built from your goals and this worksheet, and updated '
                    "as you type. Copy it into an email or a calendar invitation, or download "
                    "it.</p>"
                ),
                labeled(self.agenda, "One-page agenda for the next meeting"),
                _actions(self.agenda_copy, self.agenda_link),
                labeled(self.request, "A short request for a busy mentor"),
                _actions(self.request_copy, self.request_link),
            ],
            layout=ipw.Layout(width="100%"),
        )
        self.drafts.add_class("mm-draft")
        self.empty_note = html_block(
            '<p class="mm-hint">Add a current mentor above to open their worksheet.</p>'
        )
        self.worksheet_card = _card(html_block("<h2>Managing-up worksheet</h2>"),
                                    self.empty_note, self.worksheet)
        self.drafts_card = _card(html_block("<h2>Agenda and request</h2>"), self.drafts)
        self.children = [
            rating_style(),
            html_block(
                "<p><em>Managing up</em> means taking charge of your side of a mentoring "
                "relationship: knowing what you need and what your mentor's pressures are, "
                "asking clearly, and making their job easy. List the mentors you have now, "
                "then work through the worksheet for one of them.</p>"
            ),
            _card(
                html_block(
                    "<h2>My current mentors</h2>"
                    '<p class="mm-hint">Anyone who guides you today, formally or not. They '
                    "will appear in your mosaic in stage 4.</p>"
                ),
                self.mentor_list,
                add_row,
            ),
            self.status,
            self.worksheet_card,
            self.drafts_card,
        ]
        session.on_change(self._on_any_change)
        self.refresh()

    # -- reading ------------------------------------------------------------------------
    @property
    def mentor_id(self) -> str:
        """The id of the mentor whose worksheet is shown ("" when there is none)."""
        return self.picker.value or ""

    def refresh(self) -> None:
        self.show_mentors()

    def on_show(self) -> None:
        self.show_mentors()

    def _on_any_change(self, what: str) -> None:
        if what == "people":
            self.show_mentors()
        elif what in ("goals", "profile", "needs"):
            self.show_helps_with()
            self.show_drafts()

    def show_mentors(self) -> None:
        """The mentor list, the picker, and the worksheet of the picked mentor."""
        mentors = self.session.workbook.current_mentors
        # rebuild the rows only when what they show changed: the mosaic saves people often
        # (every drag), and each rebuild would create new widgets
        signature = (
            tuple((p.id, p.name, p.level, p.place) for p in mentors),
            self._confirm_id,
        )
        if signature != self._rows_signature:
            self._rows_signature = signature
            rows: list[ipw.Widget] = [self._mentor_row(person) for person in mentors]
            if not mentors:
                rows.append(html_block('<p class="mm-hint">No mentors listed yet.</p>'))
            self.mentor_list.children = rows
        options = [(p.name, p.id) for p in mentors]
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
        self.load_plan()

    def _mentor_row(self, person: Person) -> ipw.Widget:
        place = PLACES.get(person.place, person.place)
        text = html_block(
            f"<strong>{esc(person.name)}</strong> "
            f'<span class="mm-muted">· {esc(LEVEL_WORDS.get(person.level, person.level))} · '
            f"{esc(place)}</span>"
        )
        text.layout = ipw.Layout(flex="1 1 240px", min_width="0")
        if self._confirm_id == person.id:
            yes = ipw.Button(description="Yes, remove", button_style="danger",
                             tooltip=f"Remove {person.name} and their worksheet",
                             layout=ipw.Layout(width="auto"))
            keep = ipw.Button(description="Keep", layout=ipw.Layout(width="auto"))
            yes.on_click(lambda _b, pid=person.id: self._on_remove(pid))
            keep.on_click(lambda _b: self._ask_remove(""))
            question = html_block("<span>Remove this mentor and their worksheet?</span>")
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
        """The stored worksheet of the picked mentor (empty if none yet)."""
        return self.session.workbook.managing_up.get(self.mentor_id) or ManagingUpPlan()

    def load_plan(self) -> None:
        """Show the picked mentor's worksheet."""
        plan = self.plan()
        self._loading = True
        try:
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
            self.agenda.value = ""
            self.request.value = ""
            return
        plan = self.plan()
        names = self.content.domain_names
        agenda = meeting_agenda(person, plan, wb.goals, profile=wb.profile, domain_names=names)
        request = busy_mentor_request(
            person, plan, wb.goals, profile=wb.profile, domain_names=names
        )
        self.agenda.value = agenda
        self.request.value = request
        self.agenda_link.set_payload(agenda, agenda_filename(person))
        self.agenda_copy.set_text(agenda)
        self.request_copy.set_text(request)
        self.request_link.set_payload(request, request_filename(person))

    # -- writing --------------------------------------------------------------------------
    @guarded()
    def _on_add(self, _button: ipw.Button) -> None:
        name = self.new_name.value.strip()
        if not name:
            self.status.show("Type the mentor's name (or a description) first.", "error")
            return
        if len(name) > 200:
            self.status.show("That name is too long: keep it under 200 characters.", "error")
            return
        person = Person(
            name=name,
            role="mentor",
            status="existing",
            level=self.new_level.value,
            place=self.new_place.value,
        )
        self.session.save_person(person)
        self.new_name.value = ""
        self._loading = True
        try:
            self.picker.value = person.id
        finally:
            self._loading = False
        self.load_plan()
        self.status.show(f"Added {name}. Their worksheet is open below.", "success")

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

    @guarded()
    def _save_plan(self, _change: dict[str, Any]) -> None:
        if self._loading or not self.mentor_id:
            return
        pid = self.mentor_id
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
