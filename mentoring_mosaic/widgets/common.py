"""Parts every stage page shares: style, status messages, autosave, download and resume.

All user text that reaches an ``HTML`` widget goes through :func:`esc`.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import functools
import html
import json
import logging
import math
import os
import time
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from importlib import resources
from typing import Any, TypeVar

import ipywidgets as ipw
import traitlets

from ..content import Content
from ..model import Workbook
from ..session import Session
from ..validation import WorkbookError, read_workbook_file
from .browser_actions import browser_actions

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def esc(text: object) -> str:
    """Escape any text for HTML (also quotes, for attributes)."""
    return html.escape(str(text), quote=True)


@functools.cache
def _css() -> str:
    return resources.files("mentoring_mosaic.widgets").joinpath("style.css").read_text("utf-8")


def stylesheet() -> ipw.HTML:
    """The shared stylesheet, as a widget placed once at the top of a page."""
    return ipw.HTML(f"<style>{_css()}</style>", layout=ipw.Layout(display="none"))


_SHARED_STYLES: dict[type, ipw.Widget] = {}


def shared_style(control: type[ipw.DOMWidget]) -> ipw.Widget:
    """One default style widget for every control of this kind (e.g. ``ipw.HTML``).

    Each ipywidgets control otherwise makes its own style widget, a second model the kernel
    keeps and the browser builds: a page of 50 text blocks and 130 tick boxes made 180 style
    widgets all saying "default". Only for controls whose style nobody changes afterwards.
    """
    style_class = control.class_traits()["style"].klass
    style = _SHARED_STYLES.get(style_class)
    if style is None or style.comm is None:  # none yet, or closed (tests close widgets)
        style = _SHARED_STYLES[style_class] = style_class()
    return style


def html_block(markup: str, *classes: str) -> ipw.HTML:
    """An HTML widget for markup we built (callers escape user text with :func:`esc`)."""
    widget = ipw.HTML(markup, style=shared_style(ipw.HTML))
    for cls in classes:
        widget.add_class(cls)
    return widget


class StatusWidget(ipw.HTML):
    """A message line for the participant: info, success or a friendly error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("style", shared_style(ipw.HTML))
        super().__init__(**kwargs)
        self.add_class("mm-status")
        self.layout.margin = "4px 0"

    def show(self, message: str, kind: str = "info") -> None:
        """Show ``message`` (plain text; it is escaped)."""
        role = "alert" if kind == "error" else "status"
        self.value = f'<div class="mm-status-{kind}" role="{role}">{esc(message)}</div>'

    def clear(self) -> None:
        """Hide the message."""
        self.value = ""


def guarded(status_attr: str = "status") -> Callable[[F], F]:
    """Turn any exception in a callback into a friendly message instead of a traceback.

    The decorated method's object must have a :class:`StatusWidget` at ``status_attr``.
    Nothing stored is touched on failure: the store writes one unit at a time.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return func(self, *args, **kwargs)
            except (WorkbookError, ValueError) as exc:
                msg = _friendly(exc)
                getattr(self, status_attr).show(msg, "error")
            except Exception as exc:
                log.exception("callback %s failed", func.__qualname__)
                getattr(self, status_attr).show(
                    "Sorry, something went wrong and that last change was not saved. "
                    f"Everything saved before is safe. ({type(exc).__name__})",
                    "error",
                )
            return None

        return wrapper  # type: ignore[return-value]

    return decorate


def _friendly(exc: Exception) -> str:
    from pydantic import ValidationError

    from ..validation import describe_validation_error

    if isinstance(exc, ValidationError):
        return f"That was not saved: {describe_validation_error(exc)}"
    return str(exc)


def citations_html(content: Content, source_ids: list[str], list_class: str) -> str:
    """A numbered list of full citations (links open in a new tab), in the order given;
    an id the content does not know is shown as it is. Text escaped."""
    items = []
    for sid in source_ids:
        try:
            source = content.source(sid)
        except KeyError:
            items.append(f"<li>{esc(sid)}</li>")
            continue
        link = ""
        if source.link.startswith(("http://", "https://")):
            link = (
                f' <a href="{esc(source.link)}" target="_blank" rel="noopener noreferrer">'
                f"{esc(source.link)}</a>"
            )
        elif source.link:
            link = f" {esc(source.link)}"
        items.append(f"<li>{esc(source.citation)}{link}</li>")
    return f'<ol class="{esc(list_class)}">{"".join(items)}</ol>'


def local_time(stamp: datetime) -> str:
    """A ``<time>`` showing ``stamp``'s hour and minute: the kernel's clock first, then the
    participant's own (the page's :mod:`browser_actions` module rewrites it; the kernel's
    clock is UTC on Binder)."""
    local = stamp.astimezone()
    return (
        f'<time datetime="{esc(local.isoformat())}" data-mm-local="time">{local:%H:%M}</time>'
    )


def saved_day(stamp: datetime) -> str:
    """"today", or the day as "on 30 Nov 2026", for a plain-text message (no clock times:
    the kernel's clock may not be the participant's)."""
    day = stamp.astimezone().date()
    today = datetime.now().astimezone().date()
    return "today" if day == today else f"on {day.day} {day:%b %Y}"


SAVE_EVERY = 0.5
"""While a participant types, their words are saved at most this often (seconds), and the last
words always: a reload or a closed tab a second after the last key keeps them."""

Timer = Any
"""What a scheduler returns: anything with ``cancel()`` (``asyncio.TimerHandle``)."""
Scheduler = Callable[[float, Callable[[], None]], Timer]

_pending: weakref.WeakSet[TypingSaver] = weakref.WeakSet()
_watchers: list[weakref.WeakMethod[Callable[[], None]]] = []


_clock: Callable[[], float] = time.monotonic


def _kernel_scheduler(delay: float, callback: Callable[[], None]) -> Timer | None:
    """``call_later`` on the running event loop: the kernel's, which also runs every widget
    callback under Voilà and JupyterLab. None outside a loop (tests, scripts)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(delay, callback)


def _tell_watchers() -> None:
    for ref in list(_watchers):
        method = ref()
        if method is None:
            _watchers.remove(ref)
        else:
            method()


class TypingSaver:
    """Saves a form while the participant types: at once after a pause, then at most every
    ``interval`` seconds, and always the last words.

    A free-text field sends every key to the kernel (``continuous_update=True``); its observer
    calls :meth:`request`. ``save`` reads the fields when it runs, so the newest words win and
    nothing typed between two saves is skipped. A due save is a ``call_later`` on the kernel's
    event loop, so it still runs when the tab is already closed. Outside an event loop (widget
    tests, scripts) every request saves at once; tests of the timing pass ``scheduler`` and
    ``clock``. Call :meth:`flush` before the fields are filled with something else (another
    mentor's plan) and :meth:`cancel` when the thing they belong to is deleted.
    """

    def __init__(
        self,
        save: Callable[[], object],
        interval: float = SAVE_EVERY,
        *,
        scheduler: Scheduler | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._save = save
        self.interval = interval
        self._scheduler = scheduler or _kernel_scheduler
        self._clock = clock or _clock
        self._last = -math.inf
        self._timer: Timer | None = None
        self.pending = False
        self.saves = 0

    def request(self, _change: object = None) -> None:
        """The words changed: save now, or as soon as ``interval`` has passed."""
        if not self.pending:
            self.pending = True
            _pending.add(self)
            _tell_watchers()
        if self._timer is not None:
            return  # a save is due already; it will read the newest words
        wait = self._last + self.interval - self._clock()
        if wait > 0:
            self._timer = self._scheduler(wait, self._due)
            if self._timer is not None:
                return
        self.flush()

    def save_now(self, _change: object = None) -> None:
        """A choice (tick box, date, list) changed: save it and any words with it, now."""
        self.pending = True
        self.flush()

    def _due(self) -> None:
        self._timer = None
        self.flush()

    def flush(self) -> None:
        """Save now if anything is waiting (else nothing)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self.pending:
            return
        self.pending = False
        _pending.discard(self)
        self._last = self._clock()
        self.saves += 1
        try:
            self._save()
        finally:
            _tell_watchers()

    def cancel(self) -> None:
        """Forget what is waiting (what it belongs to was removed or replaced)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.pending:
            self.pending = False
            _pending.discard(self)
            _tell_watchers()


def typing_pending() -> bool:
    """Whether any words typed in this kernel are still waiting to be saved."""
    return any(saver.pending for saver in list(_pending))


def flush_typing() -> None:
    """Save every word still waiting, now: before a download is built, before a resume
    replaces the workbook, and when the kernel stops."""
    for saver in list(_pending):
        saver.flush()


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush_typing()
    except Exception:  # the store may be gone already; nothing to tell anyone
        log.debug("could not save typing at exit", exc_info=True)


class SaveIndicator(ipw.HTML):
    """'Saved 10:42' after each change, in the participant's time; watches the session.

    While words typed are waiting for their save it says "Saving…", and "✓ Saved" only once
    they are saved and the typing paused (``SAVE_EVERY``): it never flickers while a person
    types, and never says saved while something is not.
    """

    def __init__(self, session: Session, *, scheduler: Scheduler | None = None) -> None:
        super().__init__()
        self.add_class("mm-saved")
        self._session = session
        self._scheduler = scheduler or _kernel_scheduler
        self._settle: Timer | None = None
        self.saving = False
        browser_actions()  # shows the time in the participant's clock
        session.on_change(lambda _what: self.refresh())
        _watchers.append(weakref.WeakMethod(self._typing_changed))
        self.refresh()

    def _typing_changed(self) -> None:
        if typing_pending():
            self._show_saving()
        elif self.saving and self._settle is None:
            self._settle = self._scheduler(SAVE_EVERY, self._settled)
            if self._settle is None:
                self._settled()

    def _show_saving(self) -> None:
        if self._settle is not None:
            self._settle.cancel()
            self._settle = None
        if not self.saving:
            self.saving = True
            self.value = '<span class="mm-saved mm-saving" role="status">Saving…</span>'

    def _settled(self) -> None:
        self._settle = None
        if typing_pending():
            return
        self.saving = False
        self.refresh()

    def refresh(self) -> None:
        """Show the time of the last save: the kernel's clock, then the browser's."""
        if self.saving:
            self._typing_changed()
            return
        stamp = self._session.last_saved
        if stamp is None:
            self.value = (
                '<span class="mm-saved" role="status">Your answers save automatically.</span>'
            )
            return
        self.value = (
            f'<span class="mm-saved" role="status" title="{esc(stamp.astimezone().isoformat())}">'
            f"✓ Saved {local_time(stamp)}</span>"
        )


class DownloadLink(ipw.HTML):
    """A download as a link with a data URI: works in Voilà, JupyterLab and on Binder."""

    def __init__(self, label: str, filename: str = "", mime: str = "application/octet-stream"):
        super().__init__()
        self._label = label
        self._filename = filename
        self._mime = mime

    def set_payload(self, payload: bytes | str, filename: str | None = None) -> None:
        """Replace what the link downloads."""
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        if filename:
            self._filename = filename
        b64 = base64.b64encode(data).decode("ascii")
        self.value = (
            f'<a class="mm-button" download="{esc(self._filename)}" '
            f'href="data:{esc(self._mime)};base64,{b64}">{esc(self._label)}</a>'
        )


class CopyButton(ipw.HTML):
    """A button that copies a text to the clipboard, with a spoken confirmation.

    The page's :mod:`browser_actions` module answers the click in the browser (the clipboard
    takes a text only during the person's own click). The text sits HTML-escaped in a hidden
    textarea. ``navigator.clipboard`` needs https or localhost; a room server on the local
    network is plain http, where the older ``execCommand`` still copies.
    """

    def __init__(self, label: str = "Copy") -> None:
        super().__init__()
        self._label = label
        browser_actions()
        self.set_text("")

    def set_text(self, text: str) -> None:
        """Replace what the button copies."""
        self.value = (
            '<div class="mm-copy">'
            f'<textarea aria-hidden="true" tabindex="-1" readonly>{esc(text)}</textarea>'
            '<button type="button" class="mm-button">'
            f"{esc(self._label)}</button>"
            '<span class="mm-copy-done" role="status" aria-live="polite"></span></div>'
        )


def workbook_filename(session: Session, suffix: str = "json") -> str:
    """A file name a participant will recognise later, without their name in it.

    Participants send this file to the facilitator (a shared folder, email): a name in the
    file name would travel with it and identify the sender, so it never holds one.
    """
    del session  # kept for callers: the name no longer depends on the workbook
    return f"mentoring-mosaic-my-workbook.{suffix}"


BINDER_ENV = (
    "BINDER_LAUNCH_HOST",
    "BINDER_REPO_URL",
    "BINDER_REF_URL",
    "BINDER_REQUEST",
    "BINDER_PERSISTENT_REQUEST",
    "BINDER_SERVICE_HOST",
)
"""Set in every Binder container: BinderHub's spawner passes the launch host, repository,
ref and request (``BINDER_*``), and Kubernetes adds ``BINDER_SERVICE_HOST`` for the binder
service. A kernel inherits them from the Jupyter server that Binder started."""


def on_binder(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel runs in a Binder container (a temporary, culled copy)."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in BINDER_ENV)


class DownloadButton(ipw.VBox):
    """A download built when it is clicked, so it holds the answers of that moment.

    A data link prepared in advance goes stale: typing in a box and then clicking the link
    saves the old file (the kernel rebuilds it after the text arrives, after the browser has
    read the link). Here the click reaches the kernel after the text does; the words still
    waiting for their save are saved (:func:`flush_typing`); the kernel builds the file and
    the page saves it (:meth:`BrowserActions.download`: the bytes travel as a binary buffer,
    saved through a Blob). ``build`` returns ``(bytes or text, file name)``.
    """

    def __init__(
        self,
        label: str,
        build: Callable[[], tuple[bytes | str, str]],
        mime: str = "application/octet-stream",
        *,
        tooltip: str = "",
        primary: bool = False,
        status: StatusWidget | None = None,
    ) -> None:
        self._build = build
        self._mime = mime
        self.clicks = 0
        self.last_payload = b""
        self.last_filename = ""
        self.button = ipw.Button(
            description=label,
            tooltip=tooltip,
            button_style="primary" if primary else "",
            layout=ipw.Layout(width="auto", max_width="100%"),
        )
        self.button.on_click(lambda _b: self.click())
        self.browser = browser_actions()
        self.note = html_block("")  # a quiet "sent" line under the button
        # errors go to a shared status line (the file bar's) or to one of its own
        self.status = status or StatusWidget()
        parts = [self.button, self.note] + ([] if status else [self.status])
        super().__init__(parts, layout=ipw.Layout(align_items="flex-start"))
        self.add_class("mm-download")

    @guarded()
    def click(self) -> None:
        """Build the file from the answers as they are now and hand it to the browser."""
        self.note.value = ""
        flush_typing()  # the words typed just before the click go into the file
        payload, filename = self._build()
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        self.clicks += 1
        self.last_payload = data
        self.last_filename = filename
        self.browser.download(data, filename, self._mime)
        self.note.value = '<span class="mm-hint" role="status">✓ Sent to your downloads</span>'
        self.status.clear()


def file_bar_hint(binder: bool | None = None) -> str:
    """What the file bar says: a warning on Binder (copies there are temporary), else a
    neutral reminder. Markup, no user text."""
    if on_binder() if binder is None else binder:
        return (
            '<p class="mm-hint mm-binder-warning"><strong>This copy of the workshop is '
            "temporary.</strong> It runs on Binder, a free service that closes the page after "
            "about 10 minutes without activity, and your answers close with it. Download your "
            "workbook now and then; to carry on later, open the workshop link again and choose "
            "“Resume from a file”.</p>"
        )
    return (
        '<p class="mm-hint">Keep a copy of your work: download your workbook, and “Resume from '
        "a file” brings your answers back later, here or on another computer.</p>"
    )


class WorkbookFileBar(ipw.VBox):
    """"Download my workbook" and "Resume from a file", on every page.

    The visible "Resume from a file" button opens the hidden FileUpload's file picker (a
    FileUpload always shows a file counter, "(0)", in its own label). The page's
    :mod:`browser_actions` module does that in the browser, and refuses a file over
    ``MAX_FILE_BYTES`` before anything is sent: the file bar says why. (A file over the
    server's 10 MiB message limit would otherwise close the page's connection, with nothing
    said.)
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.status = StatusWidget()
        self.download = DownloadButton(
            "⬇ Download my workbook",
            self._workbook_file,
            mime="application/json",
            tooltip="Save a file with all your answers, to keep or to carry on later",
            primary=True,
            status=self.status,
        )
        self.upload = ipw.FileUpload(
            accept=".json,.ipynb",
            multiple=False,
            description="Resume from a file",
            layout=ipw.Layout(display="none"),
        )
        self.upload.add_class("mm-upload")
        self.browser = browser_actions()  # opens the picker; too big: said, nothing sent
        self.resume = html_block(
            '<button type="button" class="jupyter-widgets jupyter-button widget-button '
            'mm-resume" title="Load a workbook file you downloaded earlier">'
            "⬆ Resume from a file</button>"
        )
        self.undo = ipw.Button(
            description="Undo resume",
            icon="undo",
            tooltip="Go back to the answers you had before resuming",
            layout=ipw.Layout(display="none", width="auto"),
        )
        self.upload.observe(self._on_upload, names="value")
        self.undo.on_click(self._on_undo)
        # an older file than the answers here is loaded only when the participant says so
        self._pending: tuple[str, Workbook] | None = None
        self.older_text = html_block("")
        self.keep_mine = ipw.Button(description="Keep my answers here", button_style="primary",
                                    layout=ipw.Layout(width="auto"))
        self.load_older = ipw.Button(description="Load the older file",
                                     layout=ipw.Layout(width="auto"))
        self.keep_mine.on_click(self._on_keep_mine)
        self.load_older.on_click(self._on_load_older)
        choice = ipw.HBox([self.keep_mine, self.load_older])
        choice.add_class("mm-wrap")
        self.older = ipw.VBox([self.older_text, choice], layout=ipw.Layout(display="none"))
        self.older.add_class("mm-filebar-older")
        self.hint = html_block(file_bar_hint())
        row = ipw.HBox([self.download, self.resume, self.upload, self.undo])
        row.add_class("mm-wrap")
        row.add_class("mm-filebar-row")
        super().__init__([html_block("<h2>Keep your work</h2>"), self.hint, row, self.older,
                          self.status])
        self.add_class("mm-filebar")

    def _workbook_file(self) -> tuple[str, str]:
        """The workbook as it is at the moment of the click."""
        return (
            json.dumps(self.session.workbook.to_json_dict(), indent=2, ensure_ascii=False),
            workbook_filename(self.session),
        )

    @guarded()
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        raw = bytes(item["content"])
        flush_typing()  # the words typed just before go into the backup "Undo resume" restores
        try:
            workbook = read_workbook_file(item["name"], raw)
        finally:
            self.upload.value = ()
        here = self.session.workbook
        if here.has_answers() and workbook.is_older_than(here):
            self._ask_about_older(item["name"], workbook, here)
            return
        self._load(item["name"], workbook, here)

    def _ask_about_older(self, name: str, workbook: Workbook, here: Workbook) -> None:
        """Picking last season's file by mistake must not quietly replace newer answers."""
        self._pending = (name, workbook)
        missing = ""
        if workbook.review_progress() < here.review_progress():
            missing = " It does not have the review of your plan you made here."
        when = f" (saved {saved_day(here.updated_at)})" if here.updated_at else ""
        self.older_text.value = (
            f'<div class="mm-status-info" role="status">“{esc(name)}” is older than the '
            f"answers on this page{esc(when)}.{esc(missing)} Which do you want to keep "
            "working with?</div>"
        )
        self.older.layout.display = ""
        self.status.clear()

    def _load(self, name: str, workbook: Workbook, before: Workbook) -> None:
        self._pending = None
        self.older.layout.display = "none"
        self.session.replace(workbook)
        loaded = f"Welcome back! Loaded “{name}”"
        back = (" To review your plan, choose “Three months on” at the top of the page."
                if workbook.planned_before() else "")
        if not before.has_answers():  # a new page: nothing to go back to
            self.undo.layout.display = "none"
            self.status.show(f"{loaded}: your answers are back.{back}", "success")
            return
        self.undo.layout.display = ""
        self.status.show(
            f"{loaded}. Your previous answers are kept: press “Undo resume” to go back to "
            f"them.{back}",
            "success",
        )

    @guarded()
    def _on_keep_mine(self, _button: ipw.Button) -> None:
        self._pending = None
        self.older.layout.display = "none"
        self.status.show("Nothing changed: your answers on this page are kept.", "success")

    @guarded()
    def _on_load_older(self, _button: ipw.Button) -> None:
        if self._pending is None:
            return
        name, workbook = self._pending
        self._load(name, workbook, self.session.workbook)

    @guarded()
    def _on_undo(self, _button: ipw.Button) -> None:
        flush_typing()
        previous = self.session.store.latest_backup(self.session.key)
        if previous is None:
            self.status.show("There is nothing to undo.", "info")
            return
        self.session.replace(previous, reason="undo resume")
        self.undo.layout.display = "none"
        self.status.show("Back to the answers you had before resuming.", "success")


def labeled(widget: ipw.Widget, label: str, hint: str = "") -> ipw.VBox:
    """A form field: a visible label above the control, an optional hint below.

    The control's own ``description`` carries the same words, hidden visually, so screen
    readers and keyboard users get the accessible name.
    """
    if hasattr(widget, "description") and not widget.description:
        widget.description = label
    widget.add_class("mm-labeled")
    visible = html_block(f'<div class="mm-label" aria-hidden="true">{esc(label)}</div>')
    parts: list[ipw.Widget] = [visible, widget]
    if hint:
        parts.append(html_block(f'<span class="mm-hint">{esc(hint)}</span>'))
    return ipw.VBox(parts, layout=ipw.Layout(margin="4px 0 8px", width="100%"))


def _swatched(name: str, color: str | None) -> str:
    """A tick box's text, after a small square of its colour on the map (the key)."""
    if not color:
        return name
    return (f'<span class="mm-swatch" aria-hidden="true" style="background:{esc(color)}">'
            f"</span>{esc(name)}")


class CheckboxGroup(ipw.Box):
    """Several choices as tick boxes, read and set like ``SelectMultiple``: ``.value`` is the
    tuple of chosen keys in option order. A multi-select needs Ctrl-click, which participants
    on a laptop or phone do not know."""

    value = traitlets.Tuple()

    def __init__(self, options: list[tuple[str, str]], *,
                 colors: dict[str, str] | None = None, **kwargs: Any) -> None:
        colors = colors or {}
        self.boxes = {
            key: ipw.Checkbox(description=_swatched(name, colors.get(key)), indent=False,
                              value=False, description_allow_html=key in colors,
                              layout=ipw.Layout(width="auto", min_width="180px",
                                                margin="0 8px 0 0"))
            for name, key in options
        }
        super().__init__(
            list(self.boxes.values()),
            layout=ipw.Layout(display="flex", flex_flow="row wrap", width="100%"),
            **kwargs,
        )
        self._syncing = False
        for box in self.boxes.values():
            box.observe(self._from_boxes, names="value")
        self.observe(self._to_boxes, names="value")

    def _from_boxes(self, _change: dict[str, Any]) -> None:
        if not self._syncing:
            self.value = tuple(key for key, box in self.boxes.items() if box.value)

    @traitlets.validate("value")
    def _known_only(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        chosen = set(proposal["value"])
        unknown = chosen - self.boxes.keys()
        if unknown:
            raise traitlets.TraitError(f"not an option: {sorted(unknown)}")
        return tuple(key for key in self.boxes if key in chosen)

    def _to_boxes(self, change: dict[str, Any]) -> None:
        self._syncing = True
        try:
            for key, box in self.boxes.items():
                box.value = key in change["new"]
        finally:
            self._syncing = False


def now_local() -> datetime:
    """The kernel's local time (used in saved-at labels)."""
    return datetime.now().astimezone()


def segmented(
    options: list[tuple[str, Any]], description: str = "", width: str = "200px"
) -> ipw.RadioButtons:
    """One-tap choices: radio buttons drawn as a row of pills (``mm-seg`` in style.css).

    Real radio inputs, so keyboard and screen readers know what is chosen; nothing chosen
    (``None``) until the participant taps one. ``description`` is the row's visible name (and
    its tooltip: without one the browser would show "null").
    """
    radio = ipw.RadioButtons(
        options=options,
        value=None,
        orientation="horizontal",
        description=description,
        tooltip=description or None,
        layout=ipw.Layout(width="auto", max_width="100%"),
        style={"description_width": width} if description else {},
    )
    radio.add_class("mm-seg")
    return radio
