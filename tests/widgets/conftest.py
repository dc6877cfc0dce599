"""Widget tests run as a script would: outside any event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def no_event_loop_left_running() -> Iterator[None]:
    """Playwright's sync API (the browser tests, earlier in the same run) leaves its event loop
    marked as running in this thread, and code that schedules on "the kernel's loop" (typing
    saves, the dashboard's refresh) would wait on it for ever. Hide it for the length of a
    widget test; tests that want a loop start their own."""
    foreign = asyncio._get_running_loop()
    if foreign is None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(foreign)


@pytest.fixture
def browser_sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict, list[bytes]]]:
    """What this kernel's ``BrowserActions`` sent to the page during a test, with its bytes
    (widgets/browser_actions.py; added for issue 16)."""
    from mentoring_mosaic.widgets.browser_actions import BrowserActions

    got: list[tuple[dict, list[bytes]]] = []

    def record(self: BrowserActions, msg: dict, buffers: list[bytes] | None = None) -> None:
        got.append((msg, list(buffers or [])))

    monkeypatch.setattr(BrowserActions, "send", record)
    return got
