"""The facilitator guide's agenda table matches the content agenda (agenda.toml)."""

from __future__ import annotations

import re
from pathlib import Path

from mentoring_mosaic.content import load_content

GUIDE = Path(__file__).resolve().parents[2] / "facilitator" / "guide.md"


def guide_agenda() -> tuple[list[list[str]], list[str]]:
    """The rows of the guide's agenda table (stage rows, then the total row's cells)."""
    text = GUIDE.read_text("utf-8")
    section = text.split("## The agenda", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|") and not line.startswith("|---")
    ]
    header, *body = rows
    assert header == ["Stage", "Title", "Format", "60 min", "90 min", "120 min"]
    total = next(r for r in body if "Total" in r[1])
    return [r for r in body if r[0].isdigit()], total


def test_guide_minutes_match_agenda_toml() -> None:
    agenda = load_content().agenda  # the packaged files, not a facilitator override
    stages, total = guide_agenda()
    assert len(stages) == len(agenda)
    for row, stage in zip(stages, agenda, strict=True):
        assert int(row[0]) == stage.number
        assert row[1] == stage.title
        assert row[2] == stage.format
        assert [int(x) for x in row[3:6]] == [stage.minutes_60, stage.minutes, stage.minutes_120]
    sums = [sum(getattr(s, col) for s in agenda) for col in ("minutes_60", "minutes",
                                                            "minutes_120")]
    assert [int(re.sub(r"\D", "", x)) for x in total[3:6]] == sums == [60, 90, 120]


def test_guide_covers_what_the_issue_asks() -> None:
    text = GUIDE.read_text("utf-8")
    for heading in (
        "## The agenda",
        "## Setting up the room",
        "## Stage by stage: what to say and ask",
        "## How participants launch it",
        "## When Binder is slow or a kernel dies",
        "## Collecting the room's results",
        "## References",
    ):
        assert heading in text
    assert "docs/deploy.md" in text and "10.15766/mep_2374-8265.10201" in text
