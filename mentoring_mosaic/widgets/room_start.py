"""The one page a room server shows, chosen by the link's query string.

``mentoring-mosaic room`` serves a single notebook that calls :func:`room_page`:

- no key: never reaches a kernel; the room's server writes the start page that hands out
  private links itself (``serve/room_pages.py``);
- ``?key=...`` of a participant this server issued: the whole workshop app on that workbook;
- an unknown or guessable key: a refusal, with the way to a new link;
- ``?fkey=...``: the facilitator dashboard if the key matches, a refusal otherwise;
- ``?key=...&fkey=...``: that participant's app, with the demo personas on the welcome page
  when the facilitator key matches (``widgets.demo_loader``).

Everything outside a room (Binder, ``mentoring-mosaic start``) does not use this module.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as ipw

from ..session import facilitator_allowed, page_request, room_mode
from ..session import room_base_url as room_base_url_of
from ..store import Store, is_room_key
from .common import esc, html_block, stylesheet

ENV_URL = "MENTORING_MOSAIC_ROOM_URL"
ENV_TOKEN = "MENTORING_MOSAIC_ROOM_TOKEN"
ENV_DASHBOARD = "MENTORING_MOSAIC_ROOM_DASHBOARD"


def _query() -> dict[str, str]:
    parsed = parse_qs(page_request().query, keep_blank_values=True)
    return {name: values[0] for name, values in parsed.items() if values}


def room_base_url() -> str:
    """The address participants reach the room at (no query string).

    ``--public-url`` if the facilitator gave one, else the address this page was requested
    at, so the link works from the participant's own network.
    """
    given = os.environ.get(ENV_URL, "")
    request = page_request().url
    return room_base_url_of(request, given) if request or given.strip() else "./"


def room_link(**params: str) -> str:
    """A link into the room carrying the token (when the room has one) and ``params``."""
    query: dict[str, str] = {}
    token = os.environ.get(ENV_TOKEN, "")
    if token:
        query["token"] = token
    query.update(params)
    return room_base_url() + ("?" + urlencode(query) if query else "")


def _card(title: str, body_html: str, kind: str = "") -> ipw.HTML:
    extra = f" mm-room-{kind}" if kind else ""
    return html_block(
        f'<div class="mm-card mm-room{extra}"><h1>{esc(title)}</h1>{body_html}</div>'
    )


def _page(*children: ipw.Widget, css_class: str = "mm-room-page") -> ipw.VBox:
    box = ipw.VBox(
        [stylesheet(), *children],
        layout=ipw.Layout(width="100%", max_width="900px"),
    )
    box.add_class(css_class)
    return box


def refusal(title: str, message: str, *, offer_new_link: bool = True) -> ipw.VBox:
    """A page that explains why it shows nothing."""
    body = f"<p>{esc(message)}</p>"
    if offer_new_link:
        body += (
            f'<p><a class="mm-button" href="{esc(room_link())}">Start again with a new private '
            'link</a></p><p class="mm-hint">Answers you gave on another link stay with that '
            "link.</p>"
        )
    page = _page(_card(title, body, "refused"), css_class="mm-room-refused")
    return page


def _valid_room_key(key: str, store: Store) -> bool:
    return is_room_key(key) and store.exists(key)


def dashboard_notebook() -> Path | None:
    """The facilitator dashboard notebook the room runs (set by ``mentoring-mosaic room``)."""
    given = os.environ.get(ENV_DASHBOARD, "")
    candidates = [Path(given)] if given else []
    candidates.append(Path(__file__).resolve().parents[2] / "facilitator" / "dashboard.ipynb")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def run_notebook_cells(path: Path) -> None:
    """Run a notebook's code cells here, showing what each cell's last expression returns.

    The room serves one notebook, so the dashboard's cells run inside it.
    """
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager
    from IPython.display import display

    notebook = nbformat.read(path, as_version=4)
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(path)}
    transform = TransformerManager().transform_cell
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        tree = ast.parse(transform(cell.source), filename=str(path))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, str(path), "exec"), namespace)  # our own notebook, not user input
        if last is not None:
            value = eval(compile(ast.Expression(last.value), str(path), "eval"), namespace)
            if value is not None:
                display(value)


def warm_up() -> None:
    """The room notebook's first cell: everything a page needs that is the same for all.

    A ready (pooled) kernel runs it before anyone asks for a page, so a participant waits
    only for their own workbook to open (:func:`room_page`, the second cell).
    """
    from ..content import get_content
    from . import app, welcome  # noqa: F401  (what every page shows first; the slow part)

    get_content()


_shown: list[ipw.Box] = []
"""The page this kernel shows (for :func:`page_notice`)."""

NOTICES = {
    "taken_over": (
        "Your workbook is open in another tab",
        "You opened your private link again, in another tab or window. Your work continues "
        "there: this page has stopped, so that two pages never save over each other. "
        "Everything you did here is saved.",
        "Use this tab instead",
    ),
    "idle": (
        "This page was paused",
        "Nobody used this page for {idle}, so the room server paused it to make "
        "room for others. Your answers are saved; nothing is lost.",
        "Continue where I left off",
    ),
}
"""What a page says when the room server stops it (see ``serve/room_guard.py``)."""


def _duration(seconds: float) -> str:
    if seconds >= 90:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds)} seconds"


def page_notice(kind: str, idle_seconds: float = 0) -> None:
    """Replace this page with a plain message; a click on it (or a reload) opens it again.

    The room server calls this in a page's kernel just before stopping it: when the same
    private link opened in another tab (``taken_over``), or after a long time unused
    (``idle``). The link is the page's own address, so the next click starts a fresh page on
    the same workbook.
    """
    title, message, action = NOTICES[kind]
    href = "?" + page_request().query
    text = message.format(idle=_duration(idle_seconds))
    notice = html_block(
        f'<div class="mm-room-notice" role="alertdialog" aria-label="{esc(title)}" '
        'style="display:flex;justify-content:center;padding:8vh 12px;min-height:70vh">'
        f'<a href="{esc(href)}" style="display:block;max-width:520px;width:100%;'
        "align-self:flex-start;background:#fff;border:1px solid #cfd8e3;border-radius:12px;"
        "padding:24px 28px;box-shadow:0 4px 18px rgba(0,0,0,.12);font-size:16px;"
        'line-height:1.5;text-decoration:none;color:inherit">'
        f'<strong style="display:block;font-size:1.4em;margin-bottom:.5em">{esc(title)}</strong>'
        f'<span style="display:block">{esc(text)}</span>'
        '<span style="display:inline-block;margin-top:1em;padding:.6em 1.2em;border-radius:6px;'
        f'background:#1565c0;color:#fff">{esc(action)}</span>'
        "</a></div>"
    )
    for box in _shown:  # the page's content goes: nothing left to type into by mistake
        box.children = (stylesheet(), notice)


def room_page() -> ipw.Widget | None:
    """What the room's notebook shows for this link (remembered for :func:`page_notice`)."""
    page = _room_page()
    if isinstance(page, ipw.Box):
        _shown.append(page)
    return page


def _room_page() -> ipw.Widget | None:
    if not room_mode():
        return refusal(
            "Not a room server",
            "This page belongs to `mentoring-mosaic room`; open notebooks/workshop.ipynb instead.",
            offer_new_link=False,
        )
    query = _query()
    # a private link plus the facilitator key opens that workbook with the demo personas
    # (welcome page); the facilitator key alone opens the dashboard or the presenter view
    if "fkey" in query and "key" not in query:
        if not facilitator_allowed():
            return refusal(
                "This page is for the facilitator",
                "The facilitator key in this link is missing or wrong, so the room's dashboard "
                "stays closed. Use the dashboard link printed when the room server started.",
                offer_new_link=False,
            )
        if query.get("view") == "agenda":  # the presenter view for the projector
            from .presenter import presenter_page

            return presenter_page()
        path = dashboard_notebook()
        if path is None:
            return refusal(
                "The dashboard is not installed",
                "This copy of Mentoring Mosaic has no facilitator/dashboard.ipynb.",
                offer_new_link=False,
            )
        run_notebook_cells(path)
        return None
    store = Store()
    key = query.get("key", "")
    if not key:  # the server writes the start page itself (serve/room_pages.py)
        return refusal(
            "This page needs your private link",
            "Open the link your facilitator shared to get your private link.",
        )
    if not _valid_room_key(key, store):
        return refusal(
            "This link does not open a workbook",
            "This private link does not match any participant on this server. Check that you "
            "copied the whole link, or ask the facilitator.",
        )
    from .app import workshop_app

    return workshop_app()  # the key is known: shared_session() opens that workbook


__all__ = [
    "page_notice",
    "refusal",
    "room_base_url",
    "room_link",
    "room_page",
    "warm_up",
]
