"""No Python traceback on a participant's page: the server's log keeps it.

Voilà's ``show_tracebacks=False`` hides errors while a page is built, but afterwards a page's
kernel still sends one to the browser when a widget message goes wrong (a malformed message
from a modified page, a bug in a callback): ipywidgets shows it as an ``error`` message, and
the kernel's loggers, warnings and thread errors write to ``sys.stderr``, which ipykernel
sends to the page too. Paths, versions and code then reach anyone who opens the page.

:func:`install` runs in every kernel of ``mentoring-mosaic start`` and ``room`` (through
``PYTHONSTARTUP``, see ``mentoring_mosaic.serve.cli.STARTUP_FILE``): tracebacks, log records,
warnings and errors in threads go to the kernel process's own stderr, which is the server's log, and
nothing of them to the page. A kernel outside ipykernel (tests, a terminal) is left alone.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from typing import Any, TextIO

ANSI = re.compile(r"\x1b\[[0-9;]*m")
_installed: list[TextIO] = []


def server_log() -> TextIO:
    """A text stream to the process's real stderr (the server's log), bypassing ipykernel.

    ipykernel replaces ``sys.stderr`` with a stream that goes to the page and, on Linux and
    macOS, redirects file descriptor 2 there as well; its ``fileno()`` still gives a copy of the
    original descriptor.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return sys.__stderr__ or sys.stderr
    return open(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace")


def install() -> bool:
    """Keep tracebacks, log records and warnings off the page (once per kernel).

    Returns whether the kernel is an ipykernel and was changed.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "_showtraceback") or _installed:
        return False
    out = server_log()
    _installed.append(out)
    tag = f"[kernel {os.getpid()}]"

    def to_log(etype: type, evalue: BaseException, stb: list[str]) -> None:
        text = ANSI.sub("", "\n".join(stb))
        out.write(f"{tag} {etype.__name__} (not shown on the page):\n{text}\n")
        shell._last_traceback = stb  # what the execute reply to the server carries

    shell._showtraceback = to_log

    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter(f"{tag} %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "stream", None) is sys.stderr]:
        root.removeHandler(old)
    root.addHandler(handler)  # also what `logging.lastResort` would have sent to the page
    logging.captureWarnings(True)  # warnings name files and lines: to the log too

    def thread_error(args: Any) -> None:
        lines = traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        out.write(f"{tag} error in thread {getattr(args.thread, 'name', '?')}:\n"
                  + "".join(lines))

    threading.excepthook = thread_error
    return True
