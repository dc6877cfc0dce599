"""Every notebook in notebooks/ runs headless from top to bottom (later stages join as added)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# What our pages show instead of a traceback: none of it may appear in a healthy run.
FAILURE_TEXTS = ("could not start", "something went wrong", "Traceback")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path: Path, mm_home: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    client.execute()  # raises CellExecutionError on any error
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert views, f"{path.name} showed no widget"
    state = json.dumps(nb.metadata.get("widgets", {}))
    for text in FAILURE_TEXTS:
        assert text not in state, f"{path.name} shows a failure message: {text!r}"
    # the kernel wrote into the test's own data folder, never the user's
    assert any(mm_home.iterdir()), "the notebook did not use MENTORING_MOSAIC_HOME"
