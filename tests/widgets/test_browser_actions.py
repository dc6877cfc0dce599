"""No page runs code from its markup: every HTML a stage page and the workshop app show is free
of event attributes and ``<script>`` (issue 16); what runs in the browser is the page's one
browser module (widgets/browser_actions.js), and every page makes exactly one."""

from __future__ import annotations

import re

from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.app import WorkshopApp
from mentoring_mosaic.widgets.browser_actions import BrowserActions
from mentoring_mosaic.widgets.pages import STAGES, StagePage

from ..unit.test_model import full_workbook

EVENT_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def markup_of(widget) -> list[str]:
    """Every HTML value under ``widget``."""
    found = [widget.value] if isinstance(getattr(widget, "value", None), str) and \
        widget.__class__.__name__ in {"HTML", "HTMLMath", "StatusWidget", "SaveIndicator",
                                      "CopyButton", "DownloadLink"} else []
    for child in getattr(widget, "children", ()):
        found += markup_of(child)
    return found


def test_no_page_markup_runs_code(store, browser_sent) -> None:
    session = Session(store=store, key="t")
    session.replace(full_workbook())
    pages = [StagePage(entry.id, session=session) for entry in STAGES]
    app = WorkshopApp(session=session)
    for stage_id in app.stage_ids:  # every stage built, and every move's scroll sent
        app.go(stage_id)
    for page in [*pages, app]:
        for value in markup_of(page):
            assert not EVENT_ATTRIBUTE.search(value), value[:300]
            assert "<script" not in value.lower(), value[:300]
    assert "data-mm-local" in pages[0].saved.value  # the save's time, for the browser module
    # one per kernel: every part of every page shares it
    assert app.browser is pages[0].filebar.browser is pages[-1].filebar.download.browser
    assert isinstance(app.browser, BrowserActions)
    assert {msg["do"] for msg, _ in browser_sent} == {"scroll"}
