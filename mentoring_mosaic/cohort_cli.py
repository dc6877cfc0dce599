"""``mentoring-mosaic cohort``: the room's aggregates on the command line (no names)."""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

HELP = (
    "aggregate many workbooks without names (only consenting participants; counts under 3 "
    "show as <3)"
)

EPILOG = """\
Sources: workbook files (.json or notebook copies .ipynb), folders (read recursively) and zips,
in any mix; or --store for the shared store (the room server, or a hub's PostgreSQL database
in MENTORING_MOSAIC_DB). A bad file is listed with its reason on stderr and never stops the
rest. Exit 0 when at least one workbook was read, 2 when none was.

--csv OUT writes every table as CSV: if OUT ends in .zip, one zip of CSV files; otherwise a
folder (created if needed) holding summary.csv, needs.csv, gaps.csv, mosaic_size.csv,
levels.csv, places.csv, scenarios.csv, evaluation.csv, confidence.csv and rejected_files.csv.
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
        help="with --store, count the demo personas too (for rehearsing)",
    )
    parser.add_argument(
        "--csv", metavar="OUT", help="write every table as CSV: a folder, or OUT.zip"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")


def _print_table(title: str, df: object) -> None:
    print(f"\n== {title} ==")
    if getattr(df, "empty", True):
        print("(nothing to show)")
        return
    print(df.to_string(index=False))  # type: ignore[attr-defined]


def write_csv(report: object, out: str) -> str:
    """Write the report's CSV files to a folder or a zip; returns what was written."""
    files = report.csv_files()  # type: ignore[attr-defined]
    target = Path(out)
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(report.csv_zip())  # type: ignore[attr-defined]
        return f"{target} ({len(files)} tables in a zip)"
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (target / name).write_bytes(data)
    return f"{target}/ ({len(files)} CSV files)"


def run(args: argparse.Namespace) -> int:
    """Load, aggregate, print (text or JSON) and optionally write CSVs."""
    from .analysis.cohort import TABLE_TITLES, LoadResult, load_paths, load_store, report_from
    from .cli import CommandError
    from .store import StoreError

    if not args.sources and not args.store:
        raise CommandError("give workbook files, a folder or a zip, or --store (see --help).")
    result = LoadResult()
    if args.store:
        try:
            result = load_store(include_demo=args.include_demo)
        except (StoreError, OSError) as exc:
            raise CommandError(f"cannot read the shared store: {exc}") from None
        except Exception as exc:  # e.g. a database that is not reachable
            raise CommandError(f"cannot read the shared store ({type(exc).__name__}).") from None
    if args.sources:
        result.extend(load_paths(args.sources))
    for bad in result.rejected:
        print(f"skipped {bad.name}: {bad.reason}", file=sys.stderr)
    if not result.workbooks:
        raise CommandError(
            f"no valid workbook found ({len(result.rejected)} file(s) skipped, reasons above)."
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
        print(
            f"{len(result.workbooks)} workbook(s) read; {report.participants} counted "
            f"(consented), {len(result.rejected)} file(s) skipped."
        )
        if not report.enough:
            print(
                "Fewer than 3 participants agreed to share their answers, so nothing more is "
                "shown (nobody can be identified)."
            )
        else:
            h = report.headline
            print(
                f"Headline item: “{report.headline_text}”: {h['agree']} of {h['answered']} "
                f"agree or strongly agree ({h['agree_percent']}%)."
            )
        for name, title in TABLE_TITLES.items():
            _print_table(title, report.tables[name])
    if written:
        print(f"wrote {written}", file=sys.stderr)
    return 0
