"""The content library: editable workshop content files and their validating loader.

Usage::

    from mentoring_mosaic.content import get_content

    content = get_content()          # cached; honours MENTORING_MOSAIC_CONTENT
    content.domain("sponsorship").color
    content.suggestions_for("sponsorship", "senior")

The files are TOML, one per kind of content, next to this module. A facilitator adapts them by
pointing ``MENTORING_MOSAIC_CONTENT`` (or ``load_content(override_dir=...)``) at a folder of files
with the same names; see ``README.md`` in this folder.

The loader is re-exported here; the entry models and fixed ids (``Domain``, ``STAGE_IDS``, ...)
live in :mod:`.schema` and are imported from there, so their list is written once (the loader's
``FILES`` table names every model). Older code that imported them from this package still works
(:func:`__getattr__`).
"""

from typing import Any

# absolute: the module map (tests/unit/test_module_map.py) reads "from . import" as a self-import
import mentoring_mosaic.content.schema as schema

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


def __getattr__(name: str) -> Any:
    """``from mentoring_mosaic.content import Domain`` keeps working: it comes from .schema."""
    if name[:1].isupper() and hasattr(schema, name):  # models and fixed ids, not helpers
        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALLOWED_FILES",
    "ENV_VAR",
    "PACKAGE_DIR",
    "Content",
    "ContentError",
    "clear_cache",
    "get_content",
    "load_content",
]
