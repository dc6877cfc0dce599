"""Reliability tests reuse the browser fixtures of ``tests/e2e`` (Voilà, Chromium, axe)."""

from ..e2e.conftest import (  # noqa: F401  (fixtures are registered by importing them)
    browser_type_launch_args,
    console_errors,
    voila,
)
