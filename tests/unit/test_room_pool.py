"""The room's ready kernels (``serve/room_pool.py``): how many, and Voilà's pool following
that, with kernels that start in a moment instead of real ones."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from traitlets.config import Configurable, LoggingConfigurable
from voila.voila_kernel_manager import voila_kernel_manager_factory

from mentoring_mosaic.serve import room_pool
from mentoring_mosaic.serve.room_pool import (
    latecomer_reserve,
    ready_at_start,
    ready_target,
    room_pool_factory,
)


def test_one_ready_kernel_per_expected_person_within_half_the_free_memory() -> None:
    assert ready_at_start(30, 16_000) == 30
    assert ready_at_start(100, 16_000) == 100
    assert ready_at_start(100, 6_000) == 40  # 3 GB for ready kernels, 75 MB each
    assert ready_at_start(100, 0) == 1
    assert ready_at_start(10_000, 10**6) == room_pool.MAX_READY


def test_taken_kernels_are_replaced_only_down_to_the_latecomers_reserve() -> None:
    assert latecomer_reserve(1) == 1 and latecomer_reserve(30) == 6
    assert latecomer_reserve(500) == 20
    assert ready_target(30, 0, 30) == 30  # nobody came yet: all ready
    assert ready_target(30, 20, 30) == 10  # those still expected
    assert ready_target(30, 29, 30) == 6  # the reserve for latecomers and reloads
    assert ready_target(100, 0, 40) == 40  # memory allowed only 40 at the start
    assert ready_target(100, 70, 40) == 30


class Server(Configurable):
    """The parts of the Voilà app the pooled kernel manager reads."""

    root_dir = "/tmp"
    notebook_path = "/tmp/room.ipynb"
    base_url = "/"
    server_url = "/"
    port = 8866


def make_pool(monkeypatch: pytest.MonkeyPatch, *, expect: int, ready: int) -> tuple[Any, dict]:
    """Voilà's own pooled manager through our factory; kernels 'start' in 20 ms."""
    monkeypatch.setenv(room_pool.ENV_EXPECT, str(expect))
    monkeypatch.setenv(room_pool.ENV_READY, str(ready))
    monkeypatch.setattr(room_pool, "starts_at_once", lambda: 2)
    monkeypatch.setattr(room_pool, "RECHECK_SECONDS", 0.01)
    stats = {"running": 0, "most_at_once": 0, "started": 0}
    pooled = room_pool_factory(voila_kernel_manager_factory)(LoggingConfigurable, True, ready)

    class Quick(pooled):  # type: ignore[misc, valid-type]
        async def _initialize(self, notebook_name: str, kernel_id: Any = None,
                              **kwargs: Any) -> dict:
            stats["running"] += 1
            stats["most_at_once"] = max(stats["most_at_once"], stats["running"])
            await asyncio.sleep(0.02)
            stats["running"] -= 1
            stats["started"] += 1
            renderer = SimpleNamespace(stop_generator=False, rendered_cache=[])
            return {"kernel_id": f"k{stats['started']}", "renderer": renderer, "task": None}

    return Quick(parent=Server(), fill_delay=0), stats


async def settle(manager: Any) -> None:
    for _ in range(200):
        await asyncio.sleep(0.02)
        pool = manager._pools["room.ipynb"]
        if manager._recheck is None and all(task.done() for task in pool):
            return


def test_the_pool_fills_for_everyone_a_few_at_a_time_and_refills_only_the_reserve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        manager, stats = make_pool(monkeypatch, expect=10, ready=10)
        await settle(manager)
        assert manager.get_pool_size("room.ipynb") == 10
        assert stats["most_at_once"] <= 2  # never all ten starting together
        for _ in range(8):  # eight people arrive: nothing is started for them
            await manager.get_rendered_notebook("room.ipynb")
        await settle(manager)
        assert stats["started"] == 10
        assert manager.get_pool_size("room.ipynb") == 2  # the reserve for 10 people
        await manager.get_rendered_notebook("room.ipynb")  # a ninth: below the reserve
        await settle(manager)
        assert stats["started"] == 11
        assert manager.get_pool_size("room.ipynb") == 2

    asyncio.run(scenario())
