"""What a page's kernel imports at start, guarded (issue 16; ``benchmarks/bench_pages.py``).

Every page is its own kernel, so whatever a page imports is paid again at every page load.
``test_page_memory.py`` keeps the heavy data and export libraries out of every page; these
tests keep out the ``anywidget`` package (its base class brings ``psygnal``, about 2.5 MB a
kernel: the page's browser module speaks anywidget's protocol without it), and check that a
stage's module alone pulls in neither pandas nor networkx.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_by(code: str, tmp_path: Path) -> set[str]:
    """Top-level packages in ``sys.modules`` after ``code`` runs in a fresh interpreter."""
    script = (code + "\nimport json, sys\n"
              "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n")
    env = {**os.environ, "MENTORING_MOSAIC_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for var in ("MENTORING_MOSAIC_DB", "MENTORING_MOSAIC_ROOM", "QUERY_STRING"):
        env.pop(var, None)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_pages_use_the_browser_module_without_the_anywidget_package(tmp_path: Path) -> None:
    imported = imported_by(
        "from mentoring_mosaic.widgets.app import WorkshopApp\n"
        "from mentoring_mosaic.widgets.pages import STAGES, StagePage\n"
        "from mentoring_mosaic.widgets.browser_actions import BrowserActions\n"
        "pages = [StagePage(entry.id) for entry in STAGES]\n"
        "app = WorkshopApp()\n"
        "from ipywidgets.widgets.widget import _instances\n"
        "mine = [w for w in _instances.values() if isinstance(w, BrowserActions)]\n"
        "assert len(mine) == 1, mine  # one per kernel, shared by every part of every page\n",
        tmp_path,
    )
    assert "mentoring_mosaic" in imported
    assert imported.isdisjoint({"anywidget", "psygnal"}), sorted(imported & {"anywidget",
                                                                             "psygnal"})


@pytest.mark.parametrize("module", ["stage1_needs", "stage4_mosaic", "stage7_wrapup"])
def test_a_stage_module_alone_imports_no_data_libraries(tmp_path: Path, module: str) -> None:
    imported = imported_by(f"import mentoring_mosaic.widgets.{module}", tmp_path)
    assert imported.isdisjoint({"pandas", "networkx", "icalendar", "sqlalchemy", "anywidget"}), (
        sorted(imported & {"pandas", "networkx", "icalendar", "sqlalchemy", "anywidget"})
    )
