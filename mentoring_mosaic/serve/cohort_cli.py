"""``mentoring-mosaic cohort``: the room's aggregates on the command line (no names).

Start-up matters here (a facilitator may run it on 10,000 files): this module and the loader
import neither pandas nor the widgets; the text tables are formatted here.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

HELP = (
    "aggregate many workbooks without names (only consenting participants; counts under 3 "
    "show as <3)"
)

EPILOG = """\
Sources: workbook files (.json or notebook copies .ipynb), folders (read recursively) and zips,
in any mix; or --store for the shared store (the room server, or a hub's PostgreSQL database
in MENTORING_MOSAIC_DB). A bad file is listed on stderr by its position ("file 3 of 40") and
its reason, never by its name, and never stops the rest. Exit 0 when at least one workbook was
read, 2 when none was.

--csv OUT writes every table as CSV: if OUT ends in .zip, one zip of CSV files; otherwise a
folder (created if needed) holding summary.csv, needs.csv, gaps.csv, mosaic_size.csv,
levels.csv, places.csv, scenarios.csv, evaluation.csv, confidence.csv, the follow-up tables
(follow_up_summary.csv, follow_up_actions.csv, follow_up_support.csv, follow_up_mentors.csv,
follow_up_outcome.csv, follow_up_items.csv), rejected_files.csv and how_to_read.csv (what each
table's shares and means are out of). No cell can run as a formula in a spreadsheet.

Three months on: workbooks whose participant reviewed their plan ("Three months on") and agreed,
in that review, to share it are counted in the follow-up section (--json: the "follow_up" key);
workbooks without review answers are counted as not reviewed yet.

Every figure is defined in facilitator/guide.md, "How each figure is worked out".
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "sources",
        nargs="*",
        metavar="FILES|DIR|ZIP",
        help="workbook files, folders of them, or zips",
    )
    parser.add_argument(
        "--store", action="store_true", help="also read every workbook in the shared store"
    )
    parser.add_argument(
        "--include-demo",
        action="store_true",
        help="count the demo personas too, from files or the store (for rehearsing)",
    )
    parser.add_argument(
        "--csv", metavar="OUT", help="write every table as CSV: a folder, or OUT.zip"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)


def format_table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """A plain-text table: numbers right-aligned, words left-aligned (no pandas needed)."""
    if not rows:
        return "(nothing to show)"
    cells = [[_shown(r.get(c)) for c in columns] for r in rows]
    numeric = [
        all(isinstance(r.get(c), int | float) or r.get(c) in ("<3", "n<3", "") for r in rows)
        for c in columns
    ]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = []
    for row in [columns, *cells]:
        parts = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def write_csv(report: Any, out: str) -> str:
    """Write the report's CSV files to a folder or a zip; returns what was written."""
    files = report.csv_files()
    target = Path(out)
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(report.csv_zip())
        return f"{target} ({len(files)} tables in a zip)"
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (target / name).write_bytes(data)
    return f"{target}/ ({len(files)} CSV files)"


def summary_lines(read: int, skipped: int, report: Any) -> list[str]:
    """The sentences above the tables, in plain words; every count obeys the under-3 rule."""
    from ..analysis.cohort import MIN_COUNT, SUPPRESSED, count_cell

    lines = [
        f"Workbooks read: {count_cell(read)}",
        f"Files skipped (each listed above with its reason): {count_cell(skipped)}",
        f"Participants counted: {count_cell(report.participants)} (they agreed to share their "
        "answers without their name)",
        f"Not counted: {count_cell(report.not_consented)} (they did not agree to share)",
        f"Any count under {MIN_COUNT} shows as {SUPPRESSED}, so that nobody can be identified.",
    ]
    if not report.enough:
        lines.append(
            f"Fewer than {MIN_COUNT} participants agreed to share their answers, so nothing "
            "more is shown."
        )
    else:
        h = report.headline
        share = h["agree_percent"]
        lines.append(
            f"Headline item: “{report.headline_text}”: {h['agree']} of {h['answered']} who "
            f"answered agree or strongly agree"
            + (f" ({share:g}%)." if isinstance(share, float) else " (share hidden).")
        )
    return lines


def follow_up_lines(follow: Any) -> list[str]:
    """The follow-up section's sentences (three months on), every count under the 3 rule."""
    from ..analysis.cohort import MIN_COUNT, count_cell

    lines = [
        f"Reviewed and counted: {count_cell(follow.counted)} (they agreed, in their review, "
        "to share it without their name)",
        f"Not reviewed yet: {count_cell(follow.not_reviewed)}",
        f"Reviewed, not counted: {count_cell(follow.reviewed_not_shared)} (they did not agree "
        "to share their review)",
    ]
    if follow.without_baseline:
        lines.append(
            f"Counted without a copy of the workshop day (older files): "
            f"{count_cell(follow.without_baseline)}; they have no then-and-now figures"
        )
    if not follow.enough:
        lines.append(
            f"Fewer than {MIN_COUNT} participants shared their review, so no follow-up figures "
            "are shown."
        )
        return lines
    h = follow.headline

    def pct(value: Any) -> str:
        return f" ({value:g}%)" if isinstance(value, float) else " (share hidden)"

    lines += [
        f"Actions done: {h['actions_done']} of {h['actions_answered']} actions with an "
        f"answer{pct(h['actions_done_percent'])}.",
        "New mentors per participant since the workshop: "
        + (f"{h['new_mentors_mean']:g} on average."
           if isinstance(h["new_mentors_mean"], float) else "hidden (fewer than 3 compared)."),
        f"Outcome item: “{follow.outcome_text}”: {h['outcome_agree']} of "
        f"{h['outcome_answered']} who answered agree or strongly agree"
        f"{pct(h['outcome_agree_percent'])}.",
    ]
    return lines


def follow_up_text(follow: Any) -> str:
    """The follow-up section of the text report: its sentences, then its tables."""
    from ..analysis.cohort import FOLLOW_UP_COLUMNS, FOLLOW_UP_TITLES

    out = ["== Three months on: the follow-up ==", *follow_up_lines(follow)]
    if follow.enough:
        for name, title in FOLLOW_UP_TITLES.items():
            if name == "summary":  # the sentences above say it
                continue
            out.append(f"\n== {title} ==")
            if follow.notes.get(name):
                out.append(follow.notes[name])
            out.append(format_table(FOLLOW_UP_COLUMNS[name], follow.rows.get(name, [])))
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    """Load, aggregate, print (text or JSON) and optionally write CSVs."""
    from ..analysis.cohort import (
        COLUMNS,
        TABLE_TITLES,
        LoadResult,
        load_paths,
        load_store,
        report_from,
    )
    from ..store import StoreError
    from .cli import CommandError

    if not args.sources and not args.store:
        raise CommandError("give workbook files, a folder or a zip, or --store (see --help).")
    # A short run that holds thousands of workbooks and makes no reference cycles: the cyclic
    # garbage collector would only walk them again and again (about a third of the time).
    gc.disable()
    result = LoadResult(include_demo=args.include_demo)
    if args.store:
        try:
            result = load_store(include_demo=args.include_demo)
        except (StoreError, OSError) as exc:
            raise CommandError(f"cannot read the shared store: {exc}") from None
        except Exception as exc:  # e.g. a database that is not reachable
            raise CommandError(f"cannot read the shared store ({type(exc).__name__}).") from None
    if args.sources:
        # Files are validated in as many processes as there are cores (see cohort._Reader).
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        result.extend(load_paths(args.sources, include_demo=args.include_demo, workers=workers))
    for bad in result.rejected:
        print(f"skipped {bad.name}: {bad.reason}", file=sys.stderr)
    if not result.workbooks:
        raise CommandError(
            "no participant's workbook found (every file was skipped; the reasons are above)."
        )
    report = report_from(result)
    written = None
    if args.csv:
        try:
            written = write_csv(report, args.csv)
        except (OSError, zipfile.BadZipFile) as exc:
            raise CommandError(f"cannot write {args.csv}: {exc}") from None
    if args.json:
        print(json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2))
    else:
        out = summary_lines(len(result.workbooks), len(result.rejected), report)
        for name, title in TABLE_TITLES.items():
            out.append(f"\n== {title} ==")
            if report.notes.get(name) and report.rows.get(name):
                out.append(report.notes[name])
            out.append(format_table(COLUMNS[name], report.rows.get(name, [])))
        out.append("\n" + follow_up_text(report.follow_up))
        print("\n".join(out))
    if written:
        print(f"wrote {written}", file=sys.stderr)
    return 0
