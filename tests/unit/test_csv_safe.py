"""Every CSV the project writes keeps a spreadsheet from running a cell (one shared helper)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from mentoring_mosaic.csv_safe import FORMULA_STARTS, csv_text, safe_cell
from mentoring_mosaic.exports.basic import to_csv
from mentoring_mosaic.model import Consent, Evaluation, Profile, Workbook

HOSTILE = ['=HYPERLINK("http://x.example","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_becomes_text(text: str) -> None:
    assert safe_cell(text) == "'" + text
    parsed = list(csv.reader(io.StringIO(csv_text(["h"], [[text]]), newline="")))[1]
    assert parsed == ["'" + text]


@pytest.mark.parametrize("value", ["plain", "", "0-2", "a=b", " =1", 3, -1, 2.5, True])
def test_other_cells_are_unchanged(value: object) -> None:
    assert safe_cell(value) == value
    assert safe_cell(None) == ""


def test_the_header_is_neutralised_too() -> None:
    assert csv_text(["=x", "ok"], []).startswith("'=x,ok")


def read_cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for c in row]


def test_workbook_export_uses_the_helper() -> None:
    wb = Workbook(profile=Profile(display_name=HOSTILE[0], whats_new=HOSTILE[3]))
    cells = read_cells(to_csv(wb))
    assert "'" + HOSTILE[0] in cells and "'" + HOSTILE[3] in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


def test_room_csv_and_dashboard_download_use_the_helper(content) -> None:
    import dataclasses

    from mentoring_mosaic.analysis.cohort import aggregate

    headline = content.headline.model_copy(update={"text": "=1+1 the workshop helped"})
    hostile = dataclasses.replace(content, headline=headline, domains=[
        d.model_copy(update={"name": HOSTILE[i % len(HOSTILE)]})
        for i, d in enumerate(content.domains)
    ])
    room = [Workbook(evaluation=Evaluation(headline=5), consent=Consent(share_anonymised=True))
            for _ in range(3)]
    report = aggregate(room, hostile)
    with zipfile.ZipFile(io.BytesIO(report.csv_zip())) as archive:  # the dashboard's download
        for name in archive.namelist():
            cells = read_cells(archive.read(name))
            assert not [c for c in cells if c.startswith(FORMULA_STARTS)], name
    needs = read_cells(report.csv_files()["needs.csv"])
    assert "'" + HOSTILE[0] in needs
