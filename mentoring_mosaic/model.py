"""The participant's workbook: every answer a participant gives, in one typed model.

Pure Python (pydantic), no widgets. The workbook is split into *sections* so the store
can save each one on its own; people in the mosaic are saved one by one.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
)

SCHEMA_VERSION = 4
"""Current workbook schema version. Older files are upgraded by :mod:`migrations`."""

WORKBOOK_ID_PATTERN = r"^[0-9a-f]{32}$"
"""A workbook id is 32 lower-case hex digits: random, so it can never carry a name."""

MAX_PEOPLE = 500
"""Far beyond any real mosaic (the editor is benchmarked at 200)."""

ShortText = Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=4000)]
Rating = Annotated[int, Field(ge=0, le=4)]
Level = Literal["senior", "peer", "junior"]
Place = Literal["division", "institution", "external", "personal"]
Role = Literal["mentor", "mentee"]
Status = Literal["existing", "potential"]

LEVELS: tuple[Level, ...] = ("senior", "peer", "junior")
PLACES: dict[Place, str] = {
    "division": "My division or department",
    "institution": "My institution",
    "external": "Another institution or national network",
    "personal": "Personal life",
}
TIE_STRENGTHS = {1: "Weak (occasional contact)", 2: "Moderate", 3: "Strong (close, trusted)"}
FREQUENCIES = ("", "weekly", "monthly", "quarterly", "yearly", "rarely")


def new_id() -> str:
    """A short random id for people, goals and actions."""
    return secrets.token_hex(4)


def new_workbook_id() -> str:
    """A random, anonymous id for a new workbook (a uuid4 as 32 hex digits)."""
    return uuid.uuid4().hex


class Part(BaseModel):
    """Base for every workbook part: unknown keys are refused so typos surface."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Profile(Part):
    """Who the participant is and which career transition they face."""

    display_name: ShortText = ""
    current_role: ShortText = ""
    next_role: ShortText = ""
    transition_date: dt.date | None = None
    whats_new: LongText = ""
    mentors_others: bool = False


class DomainRating(Part):
    """How well a domain is supported today, and how much the participant needs it."""

    support: Rating = 0
    need: Rating = 0


class Needs(Part):
    """Stage 1 self-assessment: ratings per domain id and the chosen top needs."""

    ratings: dict[ShortText, DomainRating] = Field(default_factory=dict)
    top_needs: list[ShortText] = Field(default_factory=list, max_length=12)


class Goal(Part):
    """One ILP goal, tied to a need."""

    id: ShortText = Field(default_factory=new_id)
    need: ShortText = ""
    goal: LongText = ""
    steps: LongText = ""
    measure: LongText = ""
    deadline: dt.date | None = None
    partner: ShortText = ""
    barriers: LongText = ""


class Position(Part):
    """Where a participant dragged a node; absent means 'use the computed layout'."""

    x: float
    y: float


class Person(Part):
    """Someone in the mosaic: a mentor (existing or potential) or the participant's mentee."""

    id: ShortText = Field(default_factory=new_id)
    name: ShortText = Field(min_length=1)
    title: ShortText = ""  # role or title, e.g. "program director"
    role: Role = "mentor"
    status: Status = "existing"
    level: Level = "senior"
    place: Place = "institution"
    domains: list[ShortText] = Field(default_factory=list, max_length=40)
    tie_strength: Annotated[int, Field(ge=1, le=3)] = 2
    frequency: Literal["", "weekly", "monthly", "quarterly", "yearly", "rarely"] = ""
    qualities: list[ShortText] = Field(default_factory=list, max_length=40)
    next_step: LongText = ""
    next_step_date: dt.date | None = None
    notes: LongText = ""
    position: Position | None = None


class ManagingUpPlan(Part):
    """Stage 2 worksheet for one mentor (keyed by person id in the workbook)."""

    need_from: LongText = ""
    offer_back: LongText = ""
    meeting_frequency: ShortText = ""
    agenda_setter: Literal["", "me", "mentor", "shared"] = ""
    channel: ShortText = ""
    last_meeting: dt.date | None = None
    next_meeting: dt.date | None = None
    one_ask: LongText = ""
    self_rating: Rating = 0
    one_change: LongText = ""
    habits: list[ShortText] = Field(default_factory=list, max_length=40)


class Qualities(Part):
    """Stage 3: ratings of each mentor against the qualities, own priorities, self-check."""

    ratings: dict[ShortText, dict[ShortText, Rating]] = Field(default_factory=dict)
    priorities: list[ShortText] = Field(default_factory=list, max_length=40)
    self_check: dict[ShortText, Rating] = Field(default_factory=dict)
    grow: ShortText = ""
    """The one mentoring competency (an id of ``competencies.toml``) the participant chose to
    grow this year; "" when none is chosen. It becomes a suggestion in the action plan."""


class ScenarioNote(Part):
    """Stage 6: the participant's own strategy for one scenario."""

    strategy: LongText = ""
    discussed: bool = False


class ActionItem(Part):
    """A commitment in the wrap-up action plan."""

    id: ShortText = Field(default_factory=new_id)
    text: LongText = Field(min_length=1)
    who: ShortText = ""
    due: dt.date | None = None
    source: Literal["goal", "managing_up", "outreach", "own"] = "own"
    done: bool = False


class Evaluation(Part):
    """Stage 7 evaluation, stored next to the consent choice."""

    headline: Annotated[int, Field(ge=1, le=5)] | None = None
    objectives_met: dict[ShortText, Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=dict
    )
    confidence_before: dict[ShortText, Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=dict
    )
    confidence_after: dict[ShortText, Annotated[int, Field(ge=1, le=5)]] = Field(
        default_factory=dict
    )
    change_30_days: LongText = ""
    comments: LongText = ""
    submitted_at: dt.datetime | None = None


class Consent(Part):
    """Whether the participant shares anonymised answers with the facilitator."""

    share_anonymised: bool = False
    decided_at: dt.datetime | None = None


class Baseline(Part):
    """The plan as it stood the day the participant finished the workshop (the wrap-up).

    A copy, not a link: the participant keeps editing the living plan afterwards, and the
    review three months on compares the plan *now* with this snapshot *then*. Workbooks from
    before schema version 4 have none (``Workbook.baseline`` is None).
    """

    taken_on: dt.date
    """The workshop day (the participant's local date when they finished the wrap-up)."""
    taken_at: dt.datetime | None = None
    needs: Needs = Field(default_factory=Needs)
    goals: list[Goal] = Field(default_factory=list, max_length=50)
    people: list[Person] = Field(default_factory=list, max_length=MAX_PEOPLE)
    actions: list[ActionItem] = Field(default_factory=list, max_length=200)


ActionStatus = Literal["done", "partly", "not_yet", "dropped"]
ACTION_STATUSES: dict[ActionStatus, str] = {
    "done": "Done",
    "partly": "Partly",
    "not_yet": "Not yet",
    "dropped": "Dropped",
}
GoalDecision = Literal["keep", "revise", "retire"]
GOAL_DECISIONS: dict[GoalDecision, str] = {
    "keep": "Keep",
    "revise": "Revise",
    "retire": "Retire",
}


class ActionReview(Part):
    """What became of one action of the plan (keyed by the action's id in ``Review.actions``)."""

    status: ActionStatus | None = None
    note: LongText = ""


class GoalReview(Part):
    """Whether one goal goes into the next plan (keyed by the goal's id in ``Review.goals``)."""

    decision: GoalDecision | None = None
    revised: LongText = ""
    """The goal's new words when ``decision == "revise"`` (empty: the old words carry on)."""


Agreement = Annotated[int, Field(ge=1, le=5)]
"""The evaluation's five-point agreement scale (1 strongly disagree ... 5 strongly agree)."""


class Review(Part):
    """Three months on: the participant reviews the plan made at the workshop.

    Every answer is optional (None: not answered yet); ``reviewed_on`` is the day of the last
    answer and ``completed_at`` is set when the participant says the review is finished.
    """

    reviewed_on: dt.date | None = None
    completed_at: dt.datetime | None = None
    actions: dict[ShortText, ActionReview] = Field(default_factory=dict)
    """Per action id (``ActionItem.id``): done, partly, not yet or dropped, and a note."""
    support_today: dict[ShortText, Rating] = Field(default_factory=dict)
    """Per domain id: support today, on stage 1's 0-4 support scale (compared with the
    baseline's ``needs.ratings[domain].support``)."""
    goals: dict[ShortText, GoalReview] = Field(default_factory=dict)
    """Per goal id (``Goal.id``): keep, revise (with new words) or retire."""
    relationships_improved: Agreement | None = None
    """"My mentoring relationships have improved since the workshop", on the same scale as
    the workshop's headline evaluation item (``Evaluation.headline``)."""
    met_new_mentor: bool | None = None
    managing_up_conversation: bool | None = None
    """Had a managing-up conversation with a mentor since the workshop."""
    consent: Consent = Field(default_factory=Consent)
    """Consent asked again for the follow-up answers (``decided_at`` None: not asked yet)."""


class ReviewRound(Part):
    """One finished round of the living plan: the plan it compared against and its review.

    When the participant starts their next review, the current ``baseline`` and ``review``
    move here whole (``Workbook.past_reviews``, oldest first), so no answer is ever lost and
    each new plan builds on the last.
    """

    baseline: Baseline | None = None
    """The plan the review compared against (None: a file from before schema version 4)."""
    review: Review


MAX_PAST_REVIEWS = 100
"""Rounds kept (25 years of reviews every three months): a bound for files from outside."""


SECTION_TYPES: dict[str, Any] = {
    "profile": Profile,
    "needs": Needs,
    "goals": list[Goal],
    "managing_up": dict[ShortText, ManagingUpPlan],
    "qualities": Qualities,
    "scenarios": dict[ShortText, ScenarioNote],
    "actions": list[ActionItem],
    "evaluation": Evaluation,
    "consent": Consent,
    "baseline": Baseline | None,
    "review": Review | None,
    "past_reviews": list[ReviewRound],
}
"""Every section stored as one unit. People are stored one by one, outside this map."""

SECTIONS: tuple[str, ...] = tuple(SECTION_TYPES)

SECTION_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    name: TypeAdapter(tp) for name, tp in SECTION_TYPES.items()
}
"""One validator per section, built once (building one costs milliseconds)."""


class Workbook(Part):
    """Everything one participant produces during the workshop."""

    schema_version: Literal[4] = SCHEMA_VERSION
    workbook_id: Annotated[str, StringConstraints(pattern=WORKBOOK_ID_PATTERN)] = Field(
        default_factory=new_workbook_id,
        description=(
            "An anonymous id made at random when the workbook is created and kept through "
            "downloads, exports, resume and import, so the facilitator's room counts each "
            "workbook once (the latest copy wins). It never contains a name."
        ),
    )
    updated_at: dt.datetime | None = None
    """When the workbook was last saved (the store sets it); the room's "latest copy" rule."""
    profile: Profile = Field(default_factory=Profile)
    needs: Needs = Field(default_factory=Needs)
    goals: list[Goal] = Field(default_factory=list, max_length=50)
    people: list[Person] = Field(default_factory=list, max_length=MAX_PEOPLE)
    managing_up: dict[ShortText, ManagingUpPlan] = Field(default_factory=dict)
    qualities: Qualities = Field(default_factory=Qualities)
    scenarios: dict[ShortText, ScenarioNote] = Field(default_factory=dict)
    actions: list[ActionItem] = Field(default_factory=list, max_length=200)
    evaluation: Evaluation = Field(default_factory=Evaluation)
    consent: Consent = Field(default_factory=Consent)
    baseline: Baseline | None = None
    """The plan on the workshop day (taken when the wrap-up is finished); None in workbooks
    from before schema version 4 and before the wrap-up is finished."""
    review: Review | None = None
    """The review three months on; None until the participant starts it."""
    past_reviews: list[ReviewRound] = Field(default_factory=list, max_length=MAX_PAST_REVIEWS)
    """Earlier rounds, oldest first: each finished review with the plan it compared against.
    Empty until the participant starts a second review (files without the key: empty)."""

    @field_validator("people")
    @classmethod
    def _unique_people(cls, people: list[Person]) -> list[Person]:
        ids = [p.id for p in people]
        if len(ids) != len(set(ids)):
            raise ValueError("two people share the same id")
        return people

    # -- convenience used by analysis, exports and widgets -------------------------
    def person(self, person_id: str) -> Person | None:
        """The person with this id, or None."""
        return next((p for p in self.people if p.id == person_id), None)

    @property
    def mentors(self) -> list[Person]:
        """People who mentor the participant (existing and potential)."""
        return [p for p in self.people if p.role == "mentor"]

    @property
    def current_mentors(self) -> list[Person]:
        """Existing mentors only: the ones stage 2 and 3 work with."""
        return [p for p in self.people if p.role == "mentor" and p.status == "existing"]

    @property
    def mentees(self) -> list[Person]:
        """The participant's own mentees (the mentor side of the workshop)."""
        return [p for p in self.people if p.role == "mentee"]

    def to_json_dict(self) -> dict[str, Any]:
        """The canonical JSON form (what downloads and exports carry)."""
        return self.model_dump(mode="json")

    def review_progress(self) -> tuple[int, int]:
        """How far the plan has come since the workshop: reviews kept, then this review
        (0 none, 1 begun, 2 finished). A copy further behind misses a review."""
        review = self.review
        stage = 0 if review is None else (2 if review.completed_at is not None else 1)
        return len(self.past_reviews), stage

    def is_older_than(self, other: Workbook) -> bool:
        """Whether this copy is behind ``other``: it misses a review ``other`` has, or it was
        saved before ``other`` was (when both say when)."""
        if self.review_progress() != other.review_progress():
            return self.review_progress() < other.review_progress()
        if self.updated_at is not None and other.updated_at is not None:
            return self.updated_at < other.updated_at
        return False

    def planned_before(self, day: dt.date | None = None) -> bool:
        """Whether the plan here was made on an earlier day than ``day`` (today): its copy of
        the workshop day, or of the last review, is older. The participant is back later."""
        day = day or dt.datetime.now().astimezone().date()
        return self.baseline is not None and self.baseline.taken_on < day

    def has_answers(self) -> bool:
        """Whether anything was answered: a new workbook holds only its id (and the day it
        was saved), so resuming a file over it replaces nothing worth going back to."""
        meta = {"workbook_id", "updated_at"}
        blank = Workbook(workbook_id=self.workbook_id)
        return self.model_dump(exclude=meta) != blank.model_dump(exclude=meta)


def workbook_json_schema() -> dict[str, Any]:
    """JSON Schema of the current workbook version."""
    schema = Workbook.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://mentoring-mosaic.example/schema/workbook-v{SCHEMA_VERSION}.json"
    return schema
