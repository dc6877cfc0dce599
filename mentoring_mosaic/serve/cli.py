"""The ``mentoring-mosaic`` command: start the app, check and move workbooks, demo data.

Errors a person can fix print one line and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Workbook

EXIT_BAD_INPUT = 2

EXTRA_COMMANDS = {
    "cohort": "mentoring_mosaic.serve.cohort_cli",
    "room": "mentoring_mosaic.serve.room",
}
"""Commands living in their own modules: each has HELP, add_arguments(parser), run(args)."""


class CommandError(Exception):
    """A problem to report in one line with exit code 2."""


def _fail(message: str) -> int:
    print(f"mentoring-mosaic: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _read_file(path: str) -> bytes:
    p = Path(path)
    if not p.exists():
        raise CommandError(f"{path}: no such file.")
    if p.is_dir():
        raise CommandError(f"{path}: is a folder, not a workbook file.")
    from ..validation import MAX_FILE_BYTES

    if p.stat().st_size > MAX_FILE_BYTES:
        raise CommandError(
            f"{path}: the file is {p.stat().st_size / 1_048_576:.1f} MB; a workbook is at most "
            f"{MAX_FILE_BYTES // 1_048_576} MB. Is this the right file?"
        )
    return p.read_bytes()


def _load_file(path: str) -> Workbook:
    from ..content import ContentError, get_content
    from ..validation import UnknownContentId, WorkbookError, read_workbook_file

    raw = _read_file(path)
    try:
        content = get_content()
    except ContentError as exc:
        raise CommandError(f"the workshop content could not be read: {exc}") from None
    try:
        return read_workbook_file(path, raw, content)
    except UnknownContentId as exc:
        if content.override_dir is not None:
            hint = f"neither the packaged content nor {content.override_dir} defines it"
        else:
            hint = (
                "only the packaged content is in use; a facilitator's own content folder, "
                "named by MENTORING_MOSAIC_CONTENT, can define more ids"
            )
        raise CommandError(f"{path}: {exc} ({hint}.)") from None
    except WorkbookError as exc:
        raise CommandError(f"{path}: {exc}") from None
    except Exception as exc:
        raise CommandError(f"{path}: could not read this file ({type(exc).__name__}).") from None


# -- commands -------------------------------------------------------------------------
def cmd_schema(_args: argparse.Namespace) -> int:
    from ..model import workbook_json_schema

    print(json.dumps(workbook_json_schema(), indent=2))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..validation import summarize

    workbook = _load_file(args.file)
    print(f"{args.file}: {summarize(workbook)}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..store import DEFAULT_KEY, Store, StoreError, check_key

    workbook = _load_file(args.file)
    store = Store()
    try:
        key = store.create_participant() if args.new else check_key(args.participant or DEFAULT_KEY)
        stored_at = None if args.new else store.updated_at(key)
        if stored_at is not None and not args.force:
            stored = store.load(key)
            bare = {"updated_at", "workbook_id"}  # what every new, empty workbook has too
            has_data = stored.model_dump(exclude=bare) != type(stored)().model_dump(exclude=bare)
            file_at = workbook.updated_at
            if has_data and (file_at is None or file_at < stored_at):
                raise CommandError(
                    f"the stored workbook {key!r} was changed on {stored_at:%Y-%m-%d %H:%M} UTC, "
                    "after this file was saved; nothing was overwritten. Use --new to import it "
                    "as another participant, or --force to replace (the old one is kept as a "
                    "backup)."
                )
        store.save_workbook(key, workbook, reason=f"imported from {Path(args.file).name}")
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    finally:
        store.dispose()
    print(f"imported {args.file} as participant {key}")
    return 0


def cmd_list(_args: argparse.Namespace) -> int:
    from ..store import Store

    store = Store()
    rows = store.participants()
    store.dispose()
    if not rows:
        print("no workbooks stored yet", file=sys.stderr)
    for row in rows:
        name = row.display_name.replace("\t", " ").replace("\n", " ")
        demo = " (demo)" if row.is_demo else ""
        print(f"{row.key}\t{row.updated_at:%Y-%m-%d %H:%M}\t{name}{demo}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..content import get_content
    from ..exports import FORMATS, export
    from ..store import DEFAULT_KEY, Store, StoreError, check_key

    store = Store()
    try:
        key = check_key(args.participant or DEFAULT_KEY)
        if not store.exists(key):
            raise CommandError(f"no workbook stored for participant {key!r} (see `list`).")
        workbook = store.load(key)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    finally:
        store.dispose()
    try:
        data = export(workbook, get_content(), args.format)
    except ModuleNotFoundError:
        raise CommandError(f"the {args.format} export is not available in this version.") from None
    out = args.output or f"mentoring-mosaic-{key}.{FORMATS[args.format].suffix}"
    if out == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(out).write_bytes(data)
        print(f"wrote {out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import load_personas, store_demo_personas
    from ..store import Store

    personas = load_personas()  # the packaged ones and the content folder's personas/
    store = Store()
    try:
        stored = store_demo_personas(store, personas)
    finally:
        store.dispose()
    for key, label in stored:
        print(f"{key}\t{label}")
    for problem in personas.problems:  # a bad file is skipped, the others are stored
        print(problem, file=sys.stderr)
    if not stored:
        raise CommandError("no demo persona could be loaded; see the messages above.")
    return 0


def find_notebooks() -> Path:
    """The participant notebooks folder (next to the package in a checkout, or the cwd)."""
    here = Path(__file__).resolve().parents[2] / "notebooks"
    for candidate in (Path.cwd() / "notebooks", here):
        if (candidate / "00_welcome.ipynb").exists():
            return candidate
    raise CommandError("cannot find the notebooks folder; run this from the project folder.")


def voila_command(
    notebooks: Path, port: int, *, ip: str = "127.0.0.1", cull_seconds: int = 600
) -> list[str]:
    """The Voilà command line we use everywhere: no browser, culling of idle kernels, no
    traceback on a page (the server's log keeps it), and the given port or none (Voilà would
    silently take the next free port, and the printed links would point to nothing)."""
    return [
        sys.executable,
        "-m",
        "mentoring_mosaic.serve.voila_launch",
        str(notebooks),
        f"--port={port}",
        "--no-browser",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={cull_seconds}",
        f"--MappingKernelManager.cull_interval={max(10, cull_seconds // 5)}",
        "--MappingKernelManager.cull_connected=False",
    ]


def private_data_home() -> Path:
    """The data folder, created (or tightened) for its owner only: 0700, and an existing
    SQLite database with its WAL and shared-memory files 0600. Other accounts on the machine
    cannot read the workbooks."""
    from ..store import data_home

    home = data_home()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    home.chmod(0o700)
    for db in home.glob("workbooks.sqlite3*"):
        if db.is_file():
            db.chmod(0o600)
    return home


def check_port_free(ip: str, port: int) -> None:
    """Refuse to start on a port something else holds (another copy still running)."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((ip, port))
        except OSError:
            raise CommandError(
                f"port {port} is already in use (is Mentoring Mosaic still running in another "
                "window?). Stop that one, or choose another port with --port."
            ) from None


STARTUP_FILE = Path(__file__).resolve().with_name("kernel_startup.py")
"""Runs in every page's kernel (``PYTHONSTARTUP``): tracebacks go to the server's log, never
to the page (see :mod:`mentoring_mosaic.serve.quiet_kernel`)."""

STOP_GRACE_SECONDS = 20
"""How long Voilà may take to shut its kernels down before they are killed."""


def _family(pid: int) -> list:
    """A process and everything it started (psutil processes; gone ones are skipped)."""
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def serve(cmd: list[str], *, cwd: Path, env: dict[str, str]) -> int:
    """Run Voilà until it ends, or until this command gets SIGTERM, SIGINT (Ctrl+C) or SIGHUP.

    Then Voilà is asked to stop (it shuts its kernels down); whatever it started that is still
    running after :data:`STOP_GRACE_SECONDS` is killed. Either way no kernel is left behind and
    the port is free when this returns. Voilà runs in its own session, so a Ctrl+C reaches it
    only through here, once.
    """
    import psutil

    try:
        server = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)
    except OSError as exc:
        raise CommandError(f"cannot start Voilà: {exc}") from None
    family: dict[int, psutil.Process] = {}
    stop_by: list[float] = []

    def remember() -> None:
        family.update({p.pid: p for p in _family(server.pid)})

    def stop(_signum: int = 0, _frame: object = None) -> None:
        if not stop_by:
            stop_by.append(time.monotonic() + STOP_GRACE_SECONDS)
            remember()  # the kernels, while Voilà is still their parent
            server.terminate()

    signals = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {sig: signal.signal(sig, stop) for sig in signals}
    try:
        while True:
            try:
                code = server.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                if stop_by and time.monotonic() > stop_by[0]:
                    remember()
                    server.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if server.poll() is None:  # an error here: do not leave Voilà running
            remember()
            server.kill()
            server.wait()
        left = [p for p in family.values() if p.pid != server.pid and p.is_running()]
        for proc in left:  # kernels that outlived Voilà
            with contextlib.suppress(psutil.Error):
                proc.kill()
        psutil.wait_procs(left, timeout=10)
    return 0 if stop_by else code


def cmd_start(args: argparse.Namespace) -> int:
    notebooks = find_notebooks()
    check_port_free(args.ip, args.port)
    private_data_home()
    cmd = voila_command(notebooks, args.port, ip=args.ip)
    base = f"http://{args.ip}:{args.port}/voila/render"
    print("Mentoring Mosaic is starting. Open one of these in your browser:")
    print(f"  the welcome page:       {base}/00_welcome.ipynb")
    print(f"  the whole workshop app: {base}/workshop.ipynb")
    print("Press Ctrl+C to stop.", flush=True)
    env = dict(os.environ)
    for var in ("MENTORING_MOSAIC_ROOM", "MENTORING_MOSAIC_ROOM_TOKEN"):
        env.pop(var, None)  # a room's settings left in this shell do not apply here
    env["PYTHONSTARTUP"] = str(STARTUP_FILE)  # each page's kernel: no traceback on the page
    return serve(cmd, cwd=notebooks.parent, env=env)


# -- parser ---------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from ..exports import FORMATS

    parser = argparse.ArgumentParser(
        prog="mentoring-mosaic",
        description="Run the mentee-driven mentoring workshop and manage participants' workbooks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("start", help="start the Voilà app locally and print its URL")
    p.add_argument("--port", type=int, default=8866, help="port to listen on (default 8866)")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.set_defaults(func=cmd_start)

    p = sub.add_parser("schema", help="print the workbook's JSON Schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("validate", help="check a workbook file (exit 0 valid, 2 not)")
    p.add_argument("file", help="a workbook .json file or a notebook copy .ipynb")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("import", help="validate a workbook file and store it")
    p.add_argument("file", help="a workbook .json file or a notebook copy .ipynb")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--participant", metavar="KEY", help="store under this key")
    who.add_argument("--new", action="store_true", help="store as a new participant")
    p.add_argument(
        "--force", action="store_true", help="replace even newer stored data (kept as a backup)"
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list stored participants, one a line, key first")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("export", help="export a stored workbook")
    p.add_argument("--participant", metavar="KEY", help="whose workbook (default: the local one)")
    p.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        help="; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()),
    )
    p.add_argument("-o", "--output", metavar="PATH", help="file to write ('-' for stdout)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="store the demo personas so every stage can be shown filled in")
    p.set_defaults(func=cmd_demo)

    for name, module_name in EXTRA_COMMANDS.items():
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(func=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mentoring-mosaic`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
