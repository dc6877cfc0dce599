"""``mentoring-mosaic room``: host a whole room from one machine.

One standalone Voilà server, protected by a token, serves a start page of its own and a single
generated notebook whose page depends on the link (see
:mod:`mentoring_mosaic.widgets.room_start`):

===================================================  ====================================
``http://HOST:PORT/?token=T``                        start page: "Get my private link"
                                                     (the server's own page, no kernel:
                                                     ``room_pages``, ``room_guard.StartPages``)
``http://HOST:PORT/?token=T&key=K``                  that participant's workshop (all stages)
``http://HOST:PORT/?token=T&fkey=F``                 the facilitator dashboard (anonymised)
``http://HOST:PORT/?token=T&fkey=F&view=agenda``     the presenter view (agenda and timer)
===================================================  ====================================

Why it is safe to share with a room:

- every request needs the token, or the cookie it sets; Voilà reads the token from its
  environment, never from its command line (which any account can read in the process list);
- standalone Voilà lets the page's websocket send only widget messages, never
  ``execute_request``, and the notebook's source is stripped from the page;
- the server is in single-notebook mode: there is no tree, no listing and no render of any
  other notebook; any other path redirects to ``/voila/files/...``, which serves nothing
  (an allow-list that matches no file, over a folder that holds only the generated notebook);
- the workbooks live in one SQLite file (or ``MENTORING_MOSAIC_DB``) outside that folder; the
  data folder is its owner's only (0700) and the database file too (0600);
- a participant's page never shows a Python traceback (the room's log keeps it);
- participant keys are 144 random bits; the page refuses unknown and short (guessable) keys;
- kernels run with ``MENTORING_MOSAIC_ROOM=1`` and the facilitator key in their environment,
  so only a link with the right ``?fkey=`` shows the dashboard or the presenter view;
- kernels with no open page are culled after ``--cull-seconds`` of idleness, so memory stays
  bounded (about 75 MB per open page, measured at 50) however often people reload;
- pages open in seconds: ``--expect N`` starts a ready kernel for each expected person before
  they come (Voilà's preheated pool, sized by ``serve/room_pool.py``), which has run the app's
  imports and waits for its page's request; the page reads its link only
  through ``session.page_request`` (a ready kernel's environment is nobody's, or the previous
  visitor's);
- bounded (``serve/room_guard.py``): one live page per private link (a second tab takes over,
  the first says so), at most ``--max-participants`` pages (then "The room is full — please
  ask the facilitator"), pages unused for ``--idle-minutes`` paused even while open, and a
  budget of widget messages per page;
- SIGTERM, SIGINT (Ctrl+C) or SIGHUP stops Voilà and every kernel it started, and frees the port.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import socket
import sys
from pathlib import Path

from .cli import (
    STARTUP_FILE,
    CommandError,
    check_port_free,
    private_data_home,
    serve,
    voila_command,
)

HELP = "host the workshop for a whole room from this machine (token, private links, dashboard)"

NOTEBOOK_NAME = "Mentoring Mosaic.ipynb"
NEVER_MATCHES = "(?!)"  # a regular expression no file name matches
WARM_CELL = "from mentoring_mosaic.widgets.room_start import room_page, warm_up\n\nwarm_up()"
ROOM_CELL = "room_page()"
"""The room notebook: a ready (pooled) kernel runs the first cell before anyone comes and
waits in the second for its page's request (``session.page_request``)."""

DEFAULT_EXPECT = 30
"""How many people a room expects unless told (``--expect``): one ready page each is started
before they come (``serve/room_pool.py``)."""

DEFAULT_IDLE_MINUTES = 45.0


def pool_size(expect: int) -> int:
    """Ready kernels started before anyone comes (:func:`.room_pool.ready_at_start`)."""
    from .room_pool import available_memory_mb, ready_at_start

    return ready_at_start(expect, available_memory_mb())


SECONDS_PER_PAGE_AND_CORE = 4.0
"""Starting one ready page: about 4 seconds of a core (measured on 2 cores, November 2026)."""


def preparing_minutes(pages: int) -> str:
    """How long preparing ``pages`` ready pages takes here, in words."""
    seconds = pages * SECONDS_PER_PAGE_AND_CORE / max(1, os.cpu_count() or 1)
    if seconds < 90:
        return "a minute"
    return f"{math.ceil(seconds / 60)} minutes"


def preparing(ready: int, expect: int) -> str:
    """What the room prepares, in words."""
    if ready >= expect:
        return f"Preparing a page for each of the {expect} people you expect"
    return (
        f"Preparing pages for {ready} of the {expect} people you expect (as many as this "
        "computer's free memory holds; the others' pages start as they come)"
    )


def default_max_participants(expect: int) -> int:
    """Pages the room holds at once: the expected room plus a fifth (latecomers, a second
    device, start pages being left), and at least 5 more (the facilitator's own pages)."""
    return max(math.ceil(expect * 1.2), expect + 5)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``mentoring-mosaic room``."""
    p.add_argument("--port", type=int, default=8866, help="port to listen on (default 8866)")
    p.add_argument(
        "--ip",
        default="0.0.0.0",
        help="address to listen on (default 0.0.0.0: every network of this machine)",
    )
    p.add_argument(
        "--token",
        help="the room's access token (default: MENTORING_MOSAIC_ROOM_TOKEN or a new random "
        "one each start; give the same token again to keep participants' links working after "
        "a restart). Prefer the environment variable: other accounts on this machine can read "
        "a command line",
    )
    p.add_argument(
        "--facilitator-key",
        metavar="KEY",
        help="the key that opens the dashboard (default: MENTORING_MOSAIC_FACILITATOR_KEY or a "
        "new random one)",
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address participants use, if not this machine's (e.g. behind a proxy)",
    )
    p.add_argument(
        "--cull-seconds",
        type=int,
        default=120,
        help="stop a page's kernel after this many idle seconds with no page open (default 120)",
    )
    p.add_argument(
        "--expect",
        type=int,
        default=DEFAULT_EXPECT,
        metavar="N",
        help=f"how many people you expect (default {DEFAULT_EXPECT}): the room prepares a "
        "page for each of them before they come (as many as half the free memory holds), so "
        "pages open in seconds",
    )
    p.add_argument(
        "--ready",
        type=int,
        metavar="N",
        help="pages to prepare before people come (default: one for each person expected, "
        "as many as half of this computer's free memory holds); fewer start sooner and use "
        "less memory, and the others' pages start as they come",
    )
    p.add_argument(
        "--max-participants",
        type=int,
        metavar="N",
        help="most pages open at once; more get 'The room is full — please ask the "
        "facilitator' (default: --expect plus a fifth, at least --expect plus 5)",
    )
    p.add_argument(
        "--idle-minutes",
        type=float,
        default=DEFAULT_IDLE_MINUTES,
        metavar="M",
        help=f"pause a page nobody used for this long, even if still open (default "
        f"{DEFAULT_IDLE_MINUTES:.0f}); its answers are saved and the next click brings it back",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the links and the Voilà command, and exit without starting",
    )


def find_dashboard() -> Path | None:
    """``facilitator/dashboard.ipynb`` in the project folder or next to the package."""
    here = Path(__file__).resolve().parents[2] / "facilitator" / "dashboard.ipynb"
    for candidate in (Path.cwd() / "facilitator" / "dashboard.ipynb", here):
        if candidate.is_file():
            return candidate.resolve()
    return None


def write_site(folder: Path) -> Path:
    """The folder Voilà serves: the room's one notebook and nothing else."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    for stray in folder.iterdir():  # only our notebook may be in the served folder
        if stray.is_file() and stray.name != NOTEBOOK_NAME:
            stray.unlink()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(WARM_CELL), nbformat.v4.new_code_cell(ROOM_CELL)]
    path = folder / NOTEBOOK_NAME
    nbformat.write(nb, path)
    return path


def lan_address() -> str:
    """This machine's address on the local network (for the printed links)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent
            return s.getsockname()[0]
        except OSError:
            return socket.gethostname()


def room_command(
    notebook: Path, port: int, *, ip: str, cull_seconds: int, pool: int = 1
) -> list[str]:
    """The standalone Voilà command line for a room.

    Kernels talk to the server over Unix sockets (``ipc``), not TCP: with TCP each kernel is
    given five "free" ports that it binds a moment later, and with dozens of kernels starting
    at once (and as many connections opening) another socket takes one in between; that
    kernel dies and its participant's page never arrives (seen once in 50 at once). Windows
    keeps TCP (ZeroMQ's Unix sockets are for Linux and macOS).

    The token is not here: Voilà takes it from ``MENTORING_MOSAIC_ROOM_TOKEN`` in its
    environment (see :func:`room_environment` and :mod:`mentoring_mosaic.serve.voila_launch`).

    ``pool`` kernels are kept ready (Voilà's preheated kernels): they ran the notebook's first
    cell and wait for a page; a taken one is replaced at once (``fill_delay=0``).
    """
    transport = ["--KernelManager.transport=ipc"] if os.name == "posix" else []
    return [
        *voila_command(notebook, port, ip=ip, cull_seconds=cull_seconds),
        *transport,
        "--VoilaConfiguration.strip_sources=True",
        f"--VoilaConfiguration.file_allowlist={NEVER_MATCHES}",
        "--VoilaConfiguration.file_denylist=.*",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={pool}",
        "--VoilaKernelManager.fill_delay=0",
    ]


def room_environment(
    *,
    token: str,
    facilitator_key: str,
    public_url: str,
    dashboard: Path | None,
    ip: str = "0.0.0.0",
    max_pages: int = 0,
    idle_seconds: float = 0,
    expect: int = 0,
    ready: int = 0,
) -> dict[str, str]:
    """The environment of the Voilà server, inherited by every kernel it starts."""
    from .room_guard import ENV_IDLE_SECONDS, ENV_MAX_PAGES
    from .room_pool import ENV_EXPECT, ENV_READY

    env = dict(os.environ)
    env[ENV_MAX_PAGES] = str(max_pages)
    env[ENV_EXPECT] = str(expect)
    env[ENV_READY] = str(ready)
    env[ENV_IDLE_SECONDS] = str(idle_seconds)
    # a ready kernel asks the server for its page's request at this address
    env["VOILA_APP_IP"] = "127.0.0.1" if ip in ("0.0.0.0", "") else ("::1" if ip == "::" else ip)
    env["MENTORING_MOSAIC_ROOM"] = "1"
    env["MENTORING_MOSAIC_FACILITATOR_KEY"] = facilitator_key
    env["MENTORING_MOSAIC_ROOM_TOKEN"] = token
    env.pop("MENTORING_MOSAIC_PARTICIPANT", None)
    env["PYTHONSTARTUP"] = str(STARTUP_FILE)  # each page's kernel: no traceback on the page
    if public_url:
        env["MENTORING_MOSAIC_ROOM_URL"] = public_url
    else:
        env.pop("MENTORING_MOSAIC_ROOM_URL", None)
    if dashboard is not None:
        env["MENTORING_MOSAIC_ROOM_DASHBOARD"] = str(dashboard)
    return env


def run(args: argparse.Namespace) -> int:
    """Start the room server and print the links to share."""
    from ..store import Store, data_home

    if not 1 <= args.port <= 65535:
        raise CommandError(f"--port {args.port}: choose a port between 1 and 65535.")
    if args.cull_seconds < 10:
        raise CommandError("--cull-seconds must be at least 10.")
    if args.expect < 1:
        raise CommandError("--expect must be at least 1.")
    max_pages = args.max_participants or default_max_participants(args.expect)
    if max_pages < 1:
        raise CommandError("--max-participants must be at least 1.")
    if args.idle_minutes <= 0:
        raise CommandError("--idle-minutes must be more than 0.")
    if args.ready is not None and args.ready < 1:
        raise CommandError("--ready must be at least 1.")
    pool = args.ready or pool_size(args.expect)
    token = (
        args.token
        or os.environ.get("MENTORING_MOSAIC_ROOM_TOKEN", "")
        or secrets.token_urlsafe(24)
    )
    fkey = (
        args.facilitator_key
        or os.environ.get("MENTORING_MOSAIC_FACILITATOR_KEY", "")
        or secrets.token_urlsafe(18)
    )
    for name, value in (("--token", token), ("--facilitator-key", fkey)):
        if len(value) < 16 or not value.replace("-", "").replace("_", "").isalnum():
            raise CommandError(
                f"{name}: use at least 16 letters, digits, - or _ (or leave it out for a "
                "random one)."
            )
    check_port_free(args.ip, args.port)
    private_data_home()
    try:
        store = Store()  # creates the tables once, before kernels race to do it
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CommandError(f"cannot open the workbook store: {first}") from None
    where = (
        store.url.removeprefix("sqlite:///")
        if store.is_sqlite
        else store.engine.url.render_as_string(hide_password=True)
    )
    store.dispose()
    notebook = write_site(data_home() / "room-site")
    dashboard = find_dashboard()
    host = args.public_url.rstrip("/") if args.public_url else None
    if host is None:
        shown = lan_address() if args.ip in ("0.0.0.0", "::", "") else args.ip
        host = f"http://{shown}:{args.port}"
    env = room_environment(
        token=token,
        facilitator_key=fkey,
        public_url=args.public_url or "",
        dashboard=dashboard,
        ip=args.ip,
        max_pages=max_pages,
        idle_seconds=args.idle_minutes * 60,
        expect=args.expect,
        ready=pool,
    )
    cmd = room_command(
        notebook, args.port, ip=args.ip, cull_seconds=args.cull_seconds, pool=pool
    )
    print("Mentoring Mosaic room server")
    print(f"  workbooks are stored in: {where}")
    print()
    print("Share this link with the room (each person gets a private link from it):")
    print(f"  {host}/?token={token}")
    print()
    print("Your facilitator dashboard (keep this one to yourself):")
    print(f"  {host}/?token={token}&fkey={fkey}")
    print("Your presenter view for the projector (agenda and timer):")
    print(f"  {host}/?token={token}&fkey={fkey}&view=agenda")
    if dashboard is None:
        print("  (facilitator/dashboard.ipynb was not found: the dashboard link shows a notice)")
    print()
    print(
        f"{preparing(pool, args.expect)}: about {preparing_minutes(pool)} on this "
        "computer, so start the room before they come "
        f"(this window says when the room is ready). At most {max_pages} pages open at once. A "
        f"page nobody uses for {args.idle_minutes:g} minutes is paused (its answers are "
        f"saved); closed pages are freed after {args.cull_seconds} s. Each open page uses "
        "about 100 MB of memory. Press Ctrl+C to stop.",
        flush=True,
    )
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    return serve(cmd, cwd=notebook.parent, env=env)


if __name__ == "__main__":  # pragma: no cover
    from .cli import main

    sys.exit(main(["room", *sys.argv[1:]]))
