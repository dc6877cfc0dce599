"""Start standalone Voilà with our settings (``python -m mentoring_mosaic.voila_launch ARGS``).

Voilà's page asks the server to shut its kernel down when the tab closes or reloads, but the
request is refused (403) unless the page set an ``_xsrf`` cookie, which standalone Voilà never
does; so every visit leaves a kernel behind. Touching ``xsrf_token`` before the kernel starts
sets the cookie, and closed pages then free their kernels.

Voilà also gives up on a cell's outputs 4 seconds (nbclient's ``iopub_timeout``) after the
kernel says the cell finished. Building the workshop app sends a few hundred widget messages,
and a server with a busy room reads them late: at 25 participants on two cores the pages came
back empty. ``IOPUB_TIMEOUT`` waits as long as a cell may run.
"""

from __future__ import annotations

import sys
from typing import Any

IOPUB_TIMEOUT = 120  # seconds; as long as Voilà lets a cell run (voila.json)


def set_xsrf_cookie(req: Any, notebook: Any = None, cwd: str = "") -> None:
    """Voilà prelaunch hook: make sure the page carries an ``_xsrf`` cookie."""
    _ = req.xsrf_token  # tornado sets the cookie on first access


def configure(c: Any) -> None:
    """Apply our Voilà settings to a traitlets config (standalone or server extension)."""
    c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
    c.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT


def main(argv: list[str] | None = None) -> None:
    """Launch Voilà with ``configure`` applied; other settings come from the arguments."""
    from traitlets.config import Config
    from voila.app import Voila

    config = Config()
    configure(config)
    Voila.launch_instance(argv=sys.argv[1:] if argv is None else argv, config=config)


if __name__ == "__main__":
    main()
