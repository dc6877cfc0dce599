"""Start standalone Voilà with our settings (``python -m mentoring_mosaic.serve.voila_launch``).

Voilà's page asks the server to shut its kernel down when the tab closes or reloads, but the
request is refused (403) unless the page set an ``_xsrf`` cookie, which standalone Voilà never
does; so every visit leaves a kernel behind. Touching ``xsrf_token`` before the page is served
sets the cookie, and closed pages then free their kernels: standalone, our page handler does it
(``room_guard.page_handler_class``: Voilà refuses a ``prelaunch_hook`` together with the room's
ready kernels); under a Jupyter server (Binder) the ``prelaunch_hook`` does.

Voilà also gives up on a cell's outputs 4 seconds (nbclient's ``iopub_timeout``) after the
kernel says the cell finished. Building the workshop app sends a few hundred widget messages,
and a server with a busy room reads them late: at 25 participants on two cores the pages came
back empty. ``IOPUB_TIMEOUT`` waits as long as a cell may run.

Offline and private: Voilà's ``lab`` template asks a public CDN for FontAwesome, so in a room
with no internet the icons break and the room's address leaks as ``Referer``. Our ``mosaic``
template (``jupyter_data/voila/templates/mosaic``) serves FontAwesome itself, and every response
says ``Referrer-Policy: same-origin`` (the server's own checks still see the ``Referer`` they
rely on; no other site ever does). A participant's page never shows a Python traceback: the
server's log keeps it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

IOPUB_TIMEOUT = 120  # seconds; as long as Voilà lets a cell run (voila.json)

TEMPLATE = "mosaic"
DATA_DIR = Path(__file__).resolve().parents[1] / "jupyter_data"
"""A Jupyter data folder holding only our Voilà template (``voila/templates/mosaic``)."""

SECURITY_HEADERS = {"Referrer-Policy": "same-origin"}
"""Sent with every page: links and assets never tell another site where they came from."""

NO_MATHJAX: dict[str, Any] = {"mathjax_url": None, "mathjax_config": None}


def set_xsrf_cookie(req: Any, notebook: Any = None, cwd: str = "") -> None:
    """Voilà prelaunch hook: make sure the page carries an ``_xsrf`` cookie."""
    _ = req.xsrf_token  # tornado sets the cookie on first access


def use_own_template(environ: dict[str, str] | Any = None) -> None:
    """Put our Jupyter data folder first on ``JUPYTER_PATH`` (once), so Voilà finds ``mosaic``.

    Voilà collects a template's folders from the Jupyter data path when it starts (standalone)
    or when its server extension loads (Binder), both after the config is read.
    """
    env = os.environ if environ is None else environ
    parts = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(DATA_DIR) not in parts:
        env["JUPYTER_PATH"] = os.pathsep.join([str(DATA_DIR), *parts])


def _add_settings(section: Any) -> None:
    """Merge :data:`SECURITY_HEADERS` into a config section's ``tornado_settings``, and no
    MathJax: under a Jupyter server Voilà's page fetches it from cdnjs unless both its URL and
    its config are unset (as standalone Voilà leaves them); the app typesets no formula."""
    settings = section.tornado_settings  # a dict, or a lazy value when nothing set it yet
    if isinstance(settings, dict):
        settings.setdefault("headers", {}).update(SECURITY_HEADERS)
        settings.update(NO_MATHJAX)
    else:
        settings.update({"headers": dict(SECURITY_HEADERS), **NO_MATHJAX})


def configure(c: Any, *, standalone: bool = False) -> None:
    """Apply our Voilà settings to a traitlets config (standalone or server extension).

    Standalone Voilà sets the ``_xsrf`` cookie in its page handler (:func:`_voila_class`),
    not with a ``prelaunch_hook``, which Voilà refuses together with ready (preheated) kernels.
    """
    if not standalone:
        c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
    c.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.show_tracebacks = False  # the server's log keeps them
    _add_settings(c.ServerApp)  # Binder: Jupyter server with Voilà as an extension
    _add_settings(c.Voila)  # standalone Voilà
    use_own_template()


def room_settings(c: Any) -> None:
    """The room's bounds (``serve/room_guard.py``): page sockets with a message budget and a
    size limit, and a kernel manager that tells the guard which page holds which kernel."""
    from . import room_guard

    c.Voila.kernel_websocket_connection_class = room_guard.channels_class()
    c.VoilaConfiguration.multi_kernel_manager_class = room_guard.kernel_manager_class()
    settings = c.Voila.tornado_settings
    if isinstance(settings, dict):
        settings["websocket_max_message_size"] = room_guard.MAX_MESSAGE_BYTES
    else:
        settings.update({"websocket_max_message_size": room_guard.MAX_MESSAGE_BYTES})


def _voila_class() -> type:
    """Standalone Voilà, with our headers on every response and a stop that frees kernels."""
    import tornado.web
    import voila.handler
    from tornado.ioloop import PeriodicCallback
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class SecurityHeaders(tornado.web.OutputTransform):
        """Adds :data:`SECURITY_HEADERS` to every response, static files and errors too
        (``tornado_settings`` headers reach only Jupyter's own handlers)."""

        def transform_first_chunk(
            self, status_code: int, headers: Any, chunk: bytes, finishing: bool
        ) -> tuple[int, Any, bytes]:
            for name, value in SECURITY_HEADERS.items():
                if name not in headers:
                    headers[name] = value
            return status_code, headers, chunk

    from . import room_guard, room_pages

    page_handler = room_guard.page_handler_class()
    voila.handler.RequestInfoSocketHandler = room_guard.request_info_class()
    if os.environ.get("MENTORING_MOSAIC_ROOM") == "1":
        import voila.app

        from .room_pool import room_pool_factory

        voila.app.voila_kernel_manager_factory = room_pool_factory(
            voila.app.voila_kernel_manager_factory
        )

    class MosaicVoila(Voila):  # type: ignore[misc]
        def init_handlers(self) -> list:
            self.app.add_transform(SecurityHeaders)  # Voila.start made self.app just before
            handlers = [
                (route, page_handler, *rest) if target is TornadoVoilaHandler else
                (route, target, *rest)
                for route, target, *rest in super().init_handlers()
            ]
            if os.environ.get("MENTORING_MOSAIC_ROOM") == "1":
                room_log = logging.getLogger("mentoring_mosaic.room")  # into the room's log
                room_log.handlers, room_log.propagate = list(self.log.handlers), False
                room_log.setLevel(logging.INFO)
                guard = room_guard.RoomGuard.from_environment(self.kernel_manager)
                room_guard.GUARD = guard
                room_pages.START = room_pages.StartPages.from_environment()
                if guard.idle_seconds > 0:
                    PeriodicCallback(guard.reclaim_idle, guard.check_interval_ms()).start()
            return handlers

        def stop(self) -> None:
            """Shut every kernel down, then remove the connection files.

            Voilà removes the folder first; with Unix-socket kernels (the room's) the shutdown
            request then has no socket to reach, and each kernel is killed only after a wait.
            """
            try:
                from jupyter_core.utils import run_sync

                run_sync(self.kernel_manager.shutdown_all)()
            finally:
                shutil.rmtree(self.connection_dir, ignore_errors=True)

    return MosaicVoila


def main(argv: list[str] | None = None) -> None:
    """Launch Voilà with ``configure`` applied; other settings come from the arguments.

    A room's token comes from the environment (``MENTORING_MOSAIC_ROOM_TOKEN``, set by
    ``mentoring-mosaic room``), never from the command line, which every account on the
    machine can read in the process list.
    """
    from traitlets.config import Config

    config = Config()
    configure(config, standalone=True)
    if os.environ.get("MENTORING_MOSAIC_ROOM") == "1":
        room_settings(config)
        token = os.environ.get("MENTORING_MOSAIC_ROOM_TOKEN", "")
        if token:
            config.Voila.token = token
    _voila_class().launch_instance(argv=sys.argv[1:] if argv is None else argv, config=config)


if __name__ == "__main__":
    main()
