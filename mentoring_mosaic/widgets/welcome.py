"""The welcome page: what the workshop is, the agenda, and the participant's profile."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as ipw

from ..content import Content
from ..model import Profile, Workbook
from ..session import Session
from .common import TypingSaver, esc, guarded, html_block, labeled
from .pages import StageView

INTRO = (
    "<p>This workshop helps you take charge of your own mentoring. You will name what you need "
    "at your next career step, plan how to <em>manage up</em> with the mentors you have, and "
    "draw your <strong>mentoring mosaic</strong>: the several people who together support you, "
    "at senior, peer and junior level. Then you will look for the gaps, find people to fill them, "
    "practise a few hard conversations, and leave with a plan.</p>"
    '<p class="mm-muted">Based on <em>The Mentee-Driven Approach to Mentoring Relationships and '
    'Career Success</em> (<a href="https://doi.org/10.15766/mep_2374-8265.10201" target="_blank" '
    'rel="noopener">MedEdPORTAL, 2015</a>). Your answers stay in this workbook; nothing is shared '
    "unless you say so at the end.</p>"
)
COMING_BACK = (
    '<p class="mm-muted"><strong>Coming back after the workshop?</strong> Press “Resume from a '
    "file” at the bottom of the page and pick the workbook file you kept, then choose “Three "
    "months on”.</p>"
)
"""For a page with no answers yet: how a participant back months later finds their plan."""
BACK_AGAIN = (
    '<p class="mm-muted"><strong>Welcome back.</strong> Your answers from the workshop are '
    "here: to review your plan, choose “Three months on”.</p>"
)
"""For a page holding a plan from an earlier day: no need to resume a file again."""


def coming_back_html(workbook: Workbook, today: dt.date | None = None) -> str:
    """How to come back, in the words that fit this page: resume a file on a new page; go to
    the review when the plan here is from an earlier day; nothing on the workshop day."""
    if not workbook.has_answers():
        return COMING_BACK
    return BACK_AGAIN if workbook.planned_before(today) else ""


class WelcomeView(StageView):
    """Stage 0: the introduction, the agenda and the profile form."""

    stage_id = "welcome"

    def __init__(self, session: Session, content: Content, **kwargs: Any) -> None:
        super().__init__(session, content, **kwargs)
        transitions = [t.text for t in content.transitions]
        self.display_name = ipw.Text(
            placeholder="How the facilitator and your take-home pack should call you",
            continuous_update=True,
            layout=ipw.Layout(width="100%", max_width="480px"),
        )
        self.current_role = ipw.Combobox(
            options=_roles(transitions, 0),
            placeholder="e.g. PGY-3 resident",
            ensure_option=False,
            continuous_update=True,
            layout=ipw.Layout(width="100%", max_width="480px"),
        )
        self.next_role = ipw.Combobox(
            options=_roles(transitions, 1),
            placeholder="e.g. fellow",
            ensure_option=False,
            continuous_update=True,
            layout=ipw.Layout(width="100%", max_width="480px"),
        )
        self.transition_date = ipw.DatePicker(layout=ipw.Layout(width="100%", max_width="240px"))
        self.mentors_others = ipw.Checkbox(
            description="I also mentor others (students, residents or junior colleagues)",
            indent=False,
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.mentors_others.add_class("mm-check-wrap")  # the long label wraps on a phone
        # the words save while they are typed; a date or a tick saves at once
        self.saver = TypingSaver(self._save_profile)
        self.typed = (self.display_name, self.current_role, self.next_role)
        self.coming_back = html_block("")
        self.refresh()
        for widget in (
            *self.typed,
            self.transition_date,
            self.mentors_others,
        ):
            widget.observe(self._save, names="value")
        form = ipw.VBox(
            [
                html_block("<h2>About you</h2>"),
                labeled(self.display_name, "Your name (optional)"),
                labeled(self.current_role, "Your current role"),
                labeled(self.next_role, "Your next role"),
                labeled(
                    self.transition_date,
                    "When does the transition happen?",
                    "An approximate date is fine.",
                ),
                self.mentors_others,
                self.status,
            ]
        )
        form.add_class("mm-card")
        from .demo_loader import demo_panel

        # demo personas: only on a facilitator's link (see demo_loader_allowed)
        self.demo = demo_panel(session)
        self.children = [
            html_block(INTRO),
            self.coming_back,
            html_block(self._agenda_html(content)),
            form,
            *([self.demo] if self.demo is not None else []),
        ]

    @staticmethod
    def _agenda_html(content: Content) -> str:
        rows = "".join(
            f"<tr><td>{stage.number}</td><td>{esc(stage.title)}</td>"
            f"<td>{esc(stage.format)}</td><td>{stage.minutes} min</td></tr>"
            for stage in content.agenda
        )
        total = sum(stage.minutes for stage in content.agenda)
        return (
            "<h2>Today's plan</h2>"
            '<table class="mm-table"><thead><tr><th scope="col">Stage</th>'
            '<th scope="col">What</th><th scope="col">How</th><th scope="col">Time</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>"
            f'<p class="mm-muted">About {total} minutes in all.</p>'
        )

    def refresh(self) -> None:
        self.saver.cancel()  # the whole workbook was replaced (resume, demo)
        p = self.session.workbook.profile
        self._loading = True
        try:
            self.display_name.value = p.display_name
            self.current_role.value = p.current_role
            self.next_role.value = p.next_role
            self.transition_date.value = p.transition_date
            self.mentors_others.value = p.mentors_others
        finally:
            self._loading = False
        self.coming_back.value = coming_back_html(self.session.workbook)

    def _save(self, change: dict[str, Any]) -> None:
        if getattr(self, "_loading", False):
            return
        if change["owner"] in self.typed:
            self.saver.request()
        else:
            self.saver.save_now()

    @guarded()
    def _save_profile(self) -> None:
        profile = self.session.workbook.profile.model_copy(
            update={
                "display_name": self.display_name.value.strip(),
                "current_role": self.current_role.value.strip(),
                "next_role": self.next_role.value.strip(),
                "transition_date": self.transition_date.value,
                "mentors_others": self.mentors_others.value,
            }
        )
        self.session.update("profile", Profile.model_validate(profile.model_dump()))
        self.status.clear()


def _roles(transitions: list[str], side: int) -> list[str]:
    """Role names from the content's 'A → B' transitions (one side of the arrow)."""
    roles: list[str] = []
    for text in transitions:
        parts = [p.strip() for p in text.split("→")]
        if len(parts) == 2 and parts[side] not in roles:
            roles.append(parts[side])
    return roles
