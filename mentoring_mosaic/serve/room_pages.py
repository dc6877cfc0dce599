"""The room's pages that need no kernel: the start page, the private link, "the room is full".

The Voilà server of ``mentoring-mosaic room`` writes them itself (``room_guard``'s page
handler). A participant's first visit used to start a kernel only to show one button, so each
arrival cost two kernels (start page, then workbook) and, with a room arriving at once, the
start page waited behind everybody's workbooks. Now a participant costs one kernel, and the
start page opens at once however busy the room is.

Plain HTML with its own small stylesheet (no script, no web font, nothing fetched from
elsewhere); every piece of text that comes from a request is escaped.
"""

from __future__ import annotations

import os
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode

from ..session import PageRequest, room_base_url

START_TITLE = "Mentoring Mosaic: join the workshop"
LINK_TITLE = "Your private link is ready"
LINK_LABEL = "Your private link: bookmark it or copy it"
GET_LINK = "Get my private link"
OPEN_WORKBOOK = "Open my workbook →"

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:16px;
background:#f5f7fa;color:#1f2933;line-height:1.5;font-size:16px}
main{max-width:620px;margin:6vh auto;background:#fff;border:1px solid #e2e8f0;border-radius:12px;
padding:24px 28px;box-shadow:0 2px 10px rgba(0,0,0,.08)}
h1{font-size:1.6em;line-height:1.25;margin:0 0 .6em;color:#1d3557}
p{margin:.6em 0}
.button{display:inline-block;margin:.8em 0 0;padding:.7em 1.3em;border:0;border-radius:6px;
background:#1d3557;color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.button:focus{outline:3px solid #f4a261;outline-offset:2px}
label{display:block;font-weight:600;margin-top:1em}
input{box-sizing:border-box;width:100%;font:inherit;font-size:15px;padding:.5em .6em;
border:1px solid #9aa5b1;border-radius:6px;margin:.3em 0;background:#f8fafc;color:#1f2933}
.hint{color:#52606d;font-size:.9em}
.ready{border-left:4px solid #2e7d32;background:#edf7ee;padding:.6em .9em;border-radius:4px}
"""


def plain_page(title: str, body_html: str, css_class: str) -> str:
    """A whole page: ``title`` (plain text, escaped here) above ``body_html`` (already safe);
    ``css_class`` names the page for tests and styles."""
    heading = escape(title)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:;base64,=">
<title>{heading}</title>
<style>{STYLE}</style></head>
<body><main class="{escape(css_class, quote=True)}">
<h1>{heading}</h1>
{body_html}
</main></body></html>
"""


def start_page(xsrf_form_html: str) -> str:
    """What the room's shared link shows: what a private link is, and the button for one.

    ``xsrf_form_html`` is tornado's hidden ``_xsrf`` field (the button posts the form).
    """
    return plain_page(
        START_TITLE,
        "<p>Your facilitator is hosting this workshop for the room. You will work in your own "
        "<strong>workbook</strong>; it saves as you go.</p>"
        "<p>Press the button to get your <strong>private link</strong>. It is the only way "
        "back to your workbook, and nobody else can open it without the link: bookmark it, "
        "or copy it somewhere safe, before you start.</p>"
        f'<form method="post">{xsrf_form_html}'
        f'<button class="button" type="submit">{escape(GET_LINK)}</button></form>',
        "mm-room-start",
    )


def link_page(link: str) -> str:
    """The new participant's private link, to keep, and the way into their workbook."""
    safe = escape(link, quote=True)
    return plain_page(
        LINK_TITLE,
        '<p class="ready">Bookmark it now (or copy it somewhere safe), then open your '
        "workbook.</p>"
        f'<label for="mm-private-link">{escape(LINK_LABEL)}</label>'
        f'<input id="mm-private-link" type="text" readonly value="{safe}" '
        'aria-describedby="mm-link-hint">'
        '<p class="hint" id="mm-link-hint">Anyone with this link can see and change your '
        "answers, so keep it to yourself.</p>"
        f'<p><a class="button" href="{safe}">{escape(OPEN_WORKBOOK)}</a></p>',
        "mm-room-link",
    )


def room_full_page(query: str, max_pages: int) -> str:
    """What a page beyond the room's cap gets (HTTP 503): a plain page, no traceback."""
    again = escape("?" + query, quote=True)
    return plain_page(
        "The room is full — please ask the facilitator",
        "<p>This workshop's server already has as many pages open as it was set up for "
        f"({int(max_pages)}). Your answers are safe.</p>"
        "<p>Please tell the facilitator, or try again in a minute: a place frees up when "
        "someone closes their page.</p>"
        f'<a class="button" href="{again}">Try again</a>',
        "mm-room-full",
    )


def private_link(base_url: str, token: str, key: str) -> str:
    """A participant's private link: the room's token and their key."""
    query = {"token": token, "key": key} if token else {"key": key}
    return base_url + "?" + urlencode(query)


def is_start_request(query: str) -> bool:
    """The room's shared link (no private key, no facilitator key): the start page, which the
    server writes itself (this module), no kernel needed."""
    parsed = parse_qs(query, keep_blank_values=True)
    return "key" not in parsed and "fkey" not in parsed


class StartPages:
    """Hands out private links without a kernel: the start page's button posts here, a new
    participant is stored, and the browser is sent to a page showing their link (a reload of
    that page shows the same link; it never makes another participant)."""

    def __init__(self, token: str = "", public_url: str = "") -> None:
        self.token = token
        self.public_url = public_url
        self._store: Any = None

    @classmethod
    def from_environment(cls) -> StartPages:
        return cls(
            token=os.environ.get("MENTORING_MOSAIC_ROOM_TOKEN", ""),
            public_url=os.environ.get("MENTORING_MOSAIC_ROOM_URL", ""),
        )

    @property
    def store(self) -> Any:
        if self._store is None:
            from ..store import Store

            self._store = Store()
        return self._store

    def new_participant(self) -> str:
        return self.store.create_participant()

    def issued(self, key: str) -> bool:
        """Whether ``key`` is a participant this room handed out (long, well-formed, stored)."""
        from ..store import is_room_key

        return is_room_key(key) and self.store.exists(key)

    def after_post(self, key: str) -> str:
        """Where the browser goes once the button made ``key``: this page, showing it."""
        query = {"token": self.token, "made": key} if self.token else {"made": key}
        return "?" + urlencode(query)

    def page(self, query: str, request_url: str, xsrf_form_html: str) -> str:
        """The start page, or the private link it just made (``?made=KEY``)."""
        made = PageRequest(query, request_url).param("made")
        if made and self.issued(made):
            base = room_base_url(request_url, self.public_url)
            return link_page(private_link(base, self.token, made))
        return start_page(xsrf_form_html)


START = StartPages()
"""The running room's start pages (``voila_launch`` sets them from the environment)."""
