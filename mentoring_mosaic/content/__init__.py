"""The content library: editable workshop content files and their validating loader.

Usage::

    from mentoring_mosaic.content import get_content

    content = get_content()          # cached; honours MENTORING_MOSAIC_CONTENT
    content.domain("sponsorship").color
    content.suggestions_for("sponsorship", "senior")

The files are TOML, one per kind of content, next to this module. A facilitator adapts them by
pointing ``MENTORING_MOSAIC_CONTENT`` (or ``load_content(override_dir=...)``) at a folder of files
with the same names; see ``README.md`` in this folder.
"""

from .loader import (
    ALLOWED_FILES,
    ENV_VAR,
    PACKAGE_DIR,
    Content,
    ContentError,
    clear_cache,
    get_content,
    load_content,
)
from .schema import (
    CRITERION_IDS,
    LEVELS,
    SCENARIO_CATEGORIES,
    SKILL_IDS,
    STAGE_IDS,
    Barrier,
    Card,
    Competency,
    Criterion,
    Domain,
    Habit,
    Headline,
    IlpPrompt,
    MosaicPrompt,
    NetworkType,
    Objective,
    Quality,
    ScalePoint,
    Scenario,
    Skill,
    Source,
    Stage,
    Suggestion,
    Transition,
)

__all__ = [
    "ALLOWED_FILES",
    "CRITERION_IDS",
    "ENV_VAR",
    "LEVELS",
    "PACKAGE_DIR",
    "SCENARIO_CATEGORIES",
    "SKILL_IDS",
    "STAGE_IDS",
    "Barrier",
    "Card",
    "Competency",
    "Content",
    "ContentError",
    "Criterion",
    "Domain",
    "Habit",
    "Headline",
    "IlpPrompt",
    "MosaicPrompt",
    "NetworkType",
    "Objective",
    "Quality",
    "ScalePoint",
    "Scenario",
    "Skill",
    "Source",
    "Stage",
    "Suggestion",
    "Transition",
    "clear_cache",
    "get_content",
    "load_content",
]
