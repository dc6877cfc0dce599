"""Unit tests, like widget tests, run outside any event loop (see tests/widgets/conftest.py)."""

from ..widgets.conftest import no_event_loop_left_running

__all__ = ["no_event_loop_left_running"]
