"""Ready pages for a room: a kernel waiting for each person expected, started before they come.

A page's kernel costs about 4 seconds of a core to start (Python, the app's imports, its first
cell). Voilà's own pool keeps a fixed number of ready kernels and replaces each one taken at
once, so on a 2-core laptop a room arriving over a minute queued behind the replacements: with
5 ready kernels, 25 people arriving over a minute waited 51 s (median) for their workbook.

So the room starts one ready kernel per expected person while the facilitator sets up (as many
as half of the free memory holds), a few at a time so that each is ready soon and none times
out; it replaces taken kernels only when fewer are left than latecomers, second devices and
reloads may need (:func:`latecomer_reserve`). Arriving then costs each person only the building
of their own page.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
from collections.abc import Callable
from typing import Any

ENV_EXPECT = "MENTORING_MOSAIC_ROOM_EXPECT"
ENV_READY = "MENTORING_MOSAIC_ROOM_READY"

KERNEL_MB = 75
"""Memory of one ready kernel (about 70 MB measured) with a margin."""

MAX_READY = 200
STARTS_PER_CORE = 1
"""Kernels started at once per core: more only share the same cores and each takes longer."""

RECHECK_SECONDS = 0.5

log = logging.getLogger("mentoring_mosaic.room")


def available_memory_mb() -> float:
    """Memory the system can still give (Linux ``MemAvailable``; elsewhere 4 GB is assumed)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 4096.0


def ready_at_start(expect: int, available_mb: float) -> int:
    """Ready kernels to start before anyone comes: one per expected person, as many as half
    of the free memory holds (the pages themselves need the rest), at least one."""
    by_memory = int(available_mb * 0.5 // KERNEL_MB)
    return max(1, min(expect, by_memory, MAX_READY))


def latecomer_reserve(expect: int) -> int:
    """Ready kernels kept once the expected room has arrived: one per 5 people, at most 20
    (latecomers, a second device, a reload after the break)."""
    return max(1, min(math.ceil(expect / 5), 20))


def ready_target(expect: int, handed_out: int, at_start: int) -> int:
    """How many ready kernels the room wants now: those the people still expected need
    (never more than at the start), and never fewer than the latecomers' reserve."""
    return max(latecomer_reserve(expect), min(at_start, expect - handed_out))


def starts_at_once() -> int:
    return max(1, (os.cpu_count() or 1) * STARTS_PER_CORE)


def room_pool_factory(voila_factory: Callable[..., type]) -> Callable[..., type]:
    """Wrap Voilà's ``voila_kernel_manager_factory``: the pooled kernel manager it makes
    follows :func:`ready_target` and starts kernels :func:`starts_at_once` at a time."""

    def factory(base_class: type, preheat_kernel: bool, default_pool_size: int,
                page_config_hook: Any = None) -> type:
        pooled = voila_factory(base_class, preheat_kernel, default_pool_size,
                               page_config_hook=page_config_hook)
        if not preheat_kernel:
            return pooled

        class RoomPool(pooled):  # type: ignore[misc, valid-type]
            handed_out = 0
            _recheck: asyncio.TimerHandle | None = None
            _told_ready = False

            @property
            def expect(self) -> int:
                return int(os.environ.get(ENV_EXPECT, "0") or default_pool_size)

            @property
            def at_start(self) -> int:
                return int(os.environ.get(ENV_READY, "0") or default_pool_size)

            async def get_rendered_notebook(self, notebook_name: str, *args: Any,
                                            **kwargs: Any) -> Any:
                self.handed_out += 1  # before Voilà takes one and asks for a refill
                return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

            async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
                if (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "False":
                    self.handed_out += 1  # the pool was empty: a page started its own
                return await super().start_kernel(*args, **kwargs)

            def fill_if_needed(self, delay: float | None = None,
                               notebook_name: str | None = None,
                               extra_kernel_env_variables: dict | None = None,
                               **kwargs: Any) -> None:
                target = ready_target(self.expect, self.handed_out, self.at_start)
                pool = self._pools.get(notebook_name, [])
                starting = sum(not task.done() for task in pool)
                size = min(target, len(pool) + max(0, starts_at_once() - starting))
                self.kernel_pools_config.setdefault("default", {})["pool_size"] = size
                super().fill_if_needed(delay, notebook_name,
                                       dict(extra_kernel_env_variables or {}), **dict(kwargs))
                pool = self._pools.get(notebook_name, [])
                if len(pool) < target or not all(task.done() for task in pool):
                    self._check_again(notebook_name, extra_kernel_env_variables, kwargs)
                elif not self._told_ready:
                    self._told_ready = True
                    log.info("The room is ready: %s pages are waiting for people.", len(pool))

            def _check_again(self, notebook_name: str | None, extra: dict | None,
                             kwargs: dict) -> None:
                if self._recheck is not None:
                    return
                loop = asyncio.get_event_loop()

                def again() -> None:
                    self._recheck = None
                    self.fill_if_needed(0, notebook_name, extra, **kwargs)

                self._recheck = loop.call_later(RECHECK_SECONDS, again)

        return RoomPool

    return factory
