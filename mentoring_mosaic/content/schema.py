"""Typed models for every kind of content entry.

Each model is frozen (entries are shared by every stage and must not change under them) and
refuses unknown fields, so a typo in a content file surfaces as a clear error instead of being
silently ignored.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=60)]
"""A snake_case identifier: lower-case letters, digits and underscores, starting with a letter."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""Any non-empty piece of participant-facing text."""

OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]

Level = Literal["senior", "peer", "junior"]
LEVELS: tuple[Level, ...] = ("senior", "peer", "junior")

QualityGroup = Literal["personal", "career", "relationship"]
ScenarioCategory = Literal[
    "finding mentors", "access and time", "expectations", "alignment", "skills and supports"
]
SCENARIO_CATEGORIES: tuple[str, ...] = (
    "finding mentors",
    "access and time",
    "expectations",
    "alignment",
    "skills and supports",
)
StageFormat = Literal["plenary", "individual", "small groups", "pairs"]

STAGE_IDS: tuple[str, ...] = (
    "welcome",
    "needs",
    "managing_up",
    "qualities",
    "mosaic",
    "expand",
    "scenarios",
    "wrapup",
)
"""The workshop's stages, in the order they run."""

CRITERION_IDS: tuple[str, ...] = (
    "important",
    "specific",
    "measurable",
    "accountable",
    "realistic",
    "timeline",
)
"""The six qualities of a good learning goal (Li et al. 2010), used by the goal checker."""

SKILL_IDS: tuple[str, ...] = (
    "naming_needs",
    "managing_up",
    "recognising_mentoring",
    "building_mosaic",
    "expanding_mosaic",
    "recruiting_mentor",
)
"""The skills rated before/after in the evaluation."""

RUN_LENGTHS: dict[str, int] = {"minutes_60": 60, "minutes": 90, "minutes_120": 120}
"""Each agenda column and the total, in minutes, it must add up to."""

DEFAULT_REVIEW_AFTER_DAYS = 90
"""Days from the workshop to the "Three months on" review when agenda.toml sets none: a
learning plan is reviewed every few months, each plan building on the last (Li et al. 2010)."""


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(color_a: str, color_b: str) -> float:
    """WCAG contrast ratio between two "#rrggbb" colours (1 to 21)."""
    la, lb = sorted((_luminance(color_a), _luminance(color_b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_text_color(background: str) -> str:
    """Return "#000000" or "#ffffff", whichever contrasts more with the background colour."""
    on_black = contrast_ratio(background, "#000000")
    on_white = contrast_ratio(background, "#ffffff")
    return "#000000" if on_black >= on_white else "#ffffff"


class Entry(BaseModel):
    """Base for all content entries."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Sourced(Entry):
    """An entry with an id and a reference to an entry of ``sources.toml``."""

    id: Id
    source: Id


class Source(Entry):
    """A publication or origin that content entries cite."""

    id: Id
    citation: Text
    link: OptionalText = ""
    note: OptionalText = ""

    @field_validator("link")
    @classmethod
    def _link(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://", "doi:", "10.")):
            raise ValueError('must be a web address ("https://...") or a DOI ("10.xxxx/...")')
        return value


class Domain(Sourced):
    """A domain of mentoring support (a tile of the mosaic)."""

    name: Text
    description: Text
    color: str

    @field_validator("color")
    @classmethod
    def _color(cls, value: str) -> str:
        if not COLOR_RE.match(value):
            raise ValueError('must be a colour like "#1f77b4"')
        return value.lower()

    @property
    def text_color(self) -> str:
        """Black or white, whichever is easier to read on this domain's colour."""
        return readable_text_color(self.color)


class Quality(Sourced):
    """A quality of an effective mentor."""

    name: Text
    description: Text
    group: QualityGroup
    why: OptionalText = Field(
        default="", description="one short line on why it matters (stage 3); else description"
    )

    @property
    def one_line(self) -> str:
        """The short why shown beside the quality's name (the description when none is set)."""
        return self.why or self.description


class Habit(Sourced):
    """A managing-up habit a mentee can tick for each mentor."""

    text: Text
    why: Text


class Suggestion(Sourced):
    """Where to look for an untapped mentor at one level, and a first step."""

    level: Level
    domains: tuple[Id, ...] = Field(default=(), description="empty = suits any domain")
    where: Text
    first_step: Text


class Scenario(Sourced):
    """A challenging case for small-group discussion."""

    title: Text
    category: ScenarioCategory
    situation: Text
    prompts: tuple[Text, ...] = Field(min_length=1, max_length=6)
    debrief: tuple[Text, ...] = Field(min_length=1, max_length=8)
    domains: tuple[Id, ...] = ()


class Criterion(Sourced):
    """One quality of a good learning goal, with a question and a hint to fix it."""

    id: Literal[CRITERION_IDS]  # type: ignore[valid-type]
    name: Text
    question: Text
    hint: Text


class IlpPrompt(Sourced):
    """A stage-1 reflection prompt."""

    text: Text
    hint: OptionalText = ""


class Barrier(Sourced):
    """A common barrier to reaching a learning goal, with a tip."""

    text: Text
    tip: Text


class Transition(Sourced):
    """A common career transition, offered as a choice in stage 1."""

    text: Text


class Headline(Sourced):
    """The evaluation's headline statement."""

    id: Literal["headline"] = "headline"
    text: Text


class ScalePoint(Entry):
    """One point of the five-point agreement scale."""

    value: int = Field(ge=1, le=5)
    label: Text
    source: Id


class Objective(Sourced):
    """A workshop objective, phrased as "I can ..."."""

    text: Text


class Skill(Sourced):
    """A skill rated before and after the workshop."""

    id: Literal[SKILL_IDS]  # type: ignore[valid-type]
    text: Text


class Stage(Sourced):
    """One stage of the workshop agenda."""

    number: int = Field(ge=0, le=20)
    title: Text
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
    minutes: int = Field(ge=0, le=120)
    minutes_60: int = Field(ge=0, le=60)
    minutes_120: int = Field(ge=0, le=120)
    format: StageFormat
    key_points: tuple[Text, ...] = Field(min_length=1, max_length=6)
    facilitator_prompt: Text
    review_after_days: int | None = Field(
        default=None,
        ge=14,
        le=730,
        description="wrapup stage only: days from the workshop to the review reminder "
        f"(unset: {DEFAULT_REVIEW_AFTER_DAYS})",
    )
    review_link: OptionalText = Field(
        default="",
        description="wrapup stage only: the web address participants open for their review "
        "(unset: the address they used in the workshop)",
    )

    @field_validator("review_link")
    @classmethod
    def _review_link(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError('must be a web address ("https://...")')
        return value

    @model_validator(mode="after")
    def _review_on_wrapup_only(self) -> Stage:
        """The review belongs to the wrap-up: set anywhere else it would be silently unused."""
        if self.id != "wrapup" and (self.review_after_days is not None or self.review_link):
            raise ValueError(
                "review_after_days and review_link belong to the wrapup stage only; "
                "move them there"
            )
        return self

    @property
    def review_days(self) -> int:
        """Days from the workshop to the review reminder (the default when unset)."""
        return self.review_after_days or DEFAULT_REVIEW_AFTER_DAYS


class Card(Sourced):
    """A leader-presented card (stage 3)."""

    title: Text
    intro: Text
    bullets: tuple[Text, ...] = Field(min_length=1, max_length=12)


class Competency(Sourced):
    """A mentoring competency, as a self-check for participants who mentor others."""

    name: Text
    question: Text


class NetworkType(Sourced):
    """A kind of developmental network (diversity x tie strength)."""

    diversity: Literal["low", "high"]
    ties: Literal["weak", "strong"]
    name: Text
    description: Text


class MosaicPrompt(Sourced):
    """A guided "who do you go to when ...?" prompt for building the mosaic."""

    text: Text
    domains: tuple[Id, ...] = ()
    level: Literal["senior", "peer", "junior", ""] = ""


# -- the review three months on (review.toml) ----------------------------------------------

REVIEW_ITEM_IDS: tuple[str, ...] = ("met_new_mentor", "managing_up_conversation")
"""The review's yes/no questions; the workbook stores each under this name (model.Review)."""

REVIEW_TEXT_IDS: tuple[str, ...] = (
    "intro",
    "no_baseline",
    "actions",
    "support",
    "mosaic",
    "goals",
    "outcome",
    "consent",
    "finished",
    "why",
)
"""The review page's pieces of text, in the order the page shows them."""


class ReviewOutcome(Sourced):
    """The outcome item: the workshop's headline question asked again, three months on."""

    id: Literal["relationships_improved"] = "relationships_improved"
    text: Text


class ReviewItem(Sourced):
    """A short yes/no question of the review."""

    text: Text


class ReviewText(Sourced):
    """One piece of the review page: an optional heading and its words (plain text)."""

    title: OptionalText = ""
    text: Text
