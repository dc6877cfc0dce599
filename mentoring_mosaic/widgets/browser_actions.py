"""What a page does in the browser, through one small widget: its ES module is
``browser_actions.js`` beside this file, run by anywidget's front-end.

The kernel sends commands as messages (a file to save, a part of the page to bring into view);
file bytes travel as a binary buffer. The module also answers the page's own clicks that must
stay in the browser to count as the person's gesture (copy to the clipboard, open the resume
file picker, refuse a resume file that is too big before it is sent) and shows each save's
time in the participant's clock (``<time data-mm-local>``). No HTML event attributes and no
user text inside JavaScript: names, texts and bytes are data.

One instance per kernel (:func:`browser_actions`), made while the page is built: anywidget
sends the module's source once per widget, and every part of a page shares it. It is never
displayed; its front-end model exists as soon as the page loads.

The kernel does not import the ``anywidget`` package: its ``AnyWidget`` base class would bring
``psygnal`` and 2.5 MB more memory into every page's kernel (``benchmarks/bench_pages.py``).
This class speaks anywidget's front-end protocol itself, in a few synced traits (the model
and view names, the front-end's version range, ``_esm``, ``_anywidget_id``);
``tests/unit/test_browser_actions.py`` checks they stay those of the pinned ``AnyWidget``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import ipywidgets as ipw
import traitlets

from ..validation import MAX_FILE_BYTES

ANYWIDGET_FRONTEND = "~0.11.*"
"""The anywidget front-end this module is written for (``anywidget==0.11.0`` is pinned)."""

SCROLL_BLOCKS = ("start", "center", "end", "nearest")
"""Where the element lands in the window (``Element.scrollIntoView``'s ``block``)."""


def _module_source() -> str:
    return resources.files(__package__).joinpath("browser_actions.js").read_text("utf-8")


class BrowserActions(ipw.DOMWidget):
    """Commands for the browser showing this kernel's page (an anywidget)."""

    _model_name = traitlets.Unicode("AnyModel").tag(sync=True)
    _model_module = traitlets.Unicode("anywidget").tag(sync=True)
    _model_module_version = traitlets.Unicode(ANYWIDGET_FRONTEND).tag(sync=True)
    _view_name = traitlets.Unicode("AnyView").tag(sync=True)
    _view_module = traitlets.Unicode("anywidget").tag(sync=True)
    _view_module_version = traitlets.Unicode(ANYWIDGET_FRONTEND).tag(sync=True)
    _esm = traitlets.Unicode(_module_source()).tag(sync=True)
    _anywidget_id = traitlets.Unicode("mentoring_mosaic.widgets.browser_actions").tag(sync=True)
    max_upload_bytes = traitlets.Int(MAX_FILE_BYTES).tag(sync=True)
    """A resume file larger than this is refused in the browser and never sent."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.last: dict[str, Any] = {}
        """The last command sent (without its bytes): what widget tests check."""

    def _command(self, msg: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        self.last = msg
        self.send(msg, buffers)

    def download(self, data: bytes, filename: str, mime: str = "application/octet-stream") -> None:
        """Save ``data`` as ``filename`` in the browser's downloads."""
        self._command({"do": "download", "name": filename, "mime": mime}, [bytes(data)])

    def scroll(self, target: str, block: str = "start") -> None:
        """Bring the first element matching ``target`` (a fixed CSS selector of ours, never user
        text) into view once it is shown."""
        if block not in SCROLL_BLOCKS:
            raise ValueError(f"block must be one of {SCROLL_BLOCKS}")
        self._command({"do": "scroll", "target": target, "block": block})


_instance: BrowserActions | None = None


def browser_actions() -> BrowserActions:
    """This kernel's :class:`BrowserActions` (made on first use, again if it was closed)."""
    global _instance
    if _instance is None or _instance.comm is None:
        _instance = BrowserActions()
    return _instance
