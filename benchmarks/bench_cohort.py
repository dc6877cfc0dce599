"""How long the room's figures take, in-process and on the command line, 10 to 10,000 workbooks.

Run: ``.venv/bin/python benchmarks/bench_cohort.py [--sizes 10 100 1000 10000] [--repeat 3]``

The workbooks are generated (seeded) and **varied**, not copies of one: each participant rates
a different subset of the domains (answers of 0 included), names 0 to 14 people with their own
domains, writes goals, notes and actions of different lengths (accents and emoji too), picks
scenarios, answers the evaluation or not; 85 % consent. Files are written as the app writes
them (indented JSON) or compact, and a room also holds what a facilitator really collects:
about 2 % sent again after an edit (same anonymous id, a later save), 1 % identical copies,
0.5 % broken files, and a stray ``notes.txt``.

Timings per size:

- ``aggregate``: :func:`cohort.aggregate` on workbooks already in memory (the dashboard's
  redraw), best of ``--repeat``;
- ``load + aggregate`` and ``zip + aggregate``: the files, or one zip of them, read in-process
  (:func:`cohort.load_paths`), best of ``--repeat``;
- ``command line``: ``mentoring-mosaic cohort DIR``, ``DIR --json``, ``ZIP`` and ``ZIP --json``
  as a facilitator runs them (a new Python process each time: start-up, imports, reading every
  file, printing), median of ``--repeat`` runs, alternating the four. The target is at most 3 s
  at 10,000 files, ``--json`` included.

Results go to ``benchmarks/results/cohort.json`` and ``benchmarks/results/cohort.md`` with a
description of the machine and its load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentoring_mosaic.analysis.cohort import aggregate, load_paths  # noqa: E402
from mentoring_mosaic.content import get_content  # noqa: E402
from mentoring_mosaic.model import (  # noqa: E402
    LEVELS,
    PLACES,
    ActionItem,
    Consent,
    DomainRating,
    Evaluation,
    Goal,
    Needs,
    Person,
    Profile,
    ScenarioNote,
    Workbook,
)

RESULTS = ROOT / "benchmarks" / "results"
TARGET_S = 3.0
WORDS = [
    "mentor", "sponsor", "research", "grant", "clinic", "résumé", "fellowship", "teaching",
    "feedback", "écho", "niño", "leadership", "paper", "deadline", "promotion", "🙂", "network",
    "balance", "coffee", "division", "chief",
]


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def make_workbook(rng: random.Random, i: int, content) -> Workbook:
    """One plausible participant, different from the next."""
    domains = [d.id for d in content.domains]
    scenarios = [s.id for s in content.scenarios]
    qualities = [q.id for q in content.qualities]
    skills = [s.id for s in content.skills]
    rated = rng.sample(domains, rng.randint(0, len(domains)))
    people = [
        Person(
            name=f"{_text(rng, 1, 2).title()} {j}",
            title=_text(rng, 0, 3),
            role="mentee" if rng.random() < 0.1 else "mentor",
            status="potential" if rng.random() < 0.25 else "existing",
            level=rng.choice(LEVELS),
            place=rng.choice(list(PLACES)),
            domains=rng.sample(domains, rng.randint(0, 4)),
            tie_strength=rng.randint(1, 3),
            qualities=rng.sample(qualities, rng.randint(0, 3)),
            notes=_text(rng, 0, 30),
        )
        for j in range(rng.randint(0, 14))
    ]
    before = {s: rng.randint(1, 4) for s in rng.sample(skills, rng.randint(0, len(skills)))}
    after = {k: min(5, v + rng.randint(0, 2)) for k, v in before.items() if rng.random() < 0.9}
    return Workbook(
        updated_at=dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC) + dt.timedelta(seconds=i),
        profile=Profile(display_name=f"Participant {i} {_text(rng, 1, 2)}",
                        current_role=rng.choice(["PGY-2", "Fellow", "Assistant professor"]),
                        whats_new=_text(rng, 0, 40)),
        needs=Needs(
            ratings={d: DomainRating(support=rng.randint(0, 4), need=rng.randint(0, 4))
                     for d in rated},
            top_needs=rng.sample(rated, min(3, len(rated))),
        ),
        goals=[Goal(need=rng.choice(rated) if rated else "", goal=_text(rng, 5, 25),
                    steps=_text(rng, 0, 40)) for _ in range(rng.randint(0, 3))],
        people=people,
        scenarios={s: ScenarioNote(strategy=_text(rng, 0, 30))
                   for s in rng.sample(scenarios, rng.randint(0, 4))},
        actions=[ActionItem(text=_text(rng, 3, 15)) for _ in range(rng.randint(0, 5))],
        evaluation=Evaluation(
            headline=rng.choice([None, 1, 2, 3, 4, 4, 5, 5, 5]),
            confidence_before=before,
            confidence_after=after,
            comments=_text(rng, 0, 20),
        ),
        consent=Consent(share_anonymised=rng.random() < 0.85),
    )


def make_room(n: int, seed: int = 7) -> list[Workbook]:
    """``n`` varied workbooks, the same for the same seed."""
    content = get_content()
    rng = random.Random(seed)
    return [make_workbook(rng, i, content) for i in range(n)]


def write_room(n: int, folder: Path, seed: int = 7) -> tuple[list[Workbook], Path]:
    """The room as a facilitator collects it: a folder of files, and one zip of them."""
    rng = random.Random(seed + 1)
    room = make_room(n, seed)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, bytes]] = []
    for i, wb in enumerate(room):
        data = wb.to_json_dict()
        indent = 2 if rng.random() < 0.7 else None
        files.append((f"workbook-{i:05d}.json", json.dumps(data, indent=indent).encode()))
        roll = rng.random()
        if roll < 0.02:  # sent again after an edit: same id, a later save
            edited = wb.model_copy(update={
                "updated_at": wb.updated_at + dt.timedelta(minutes=5),
                "evaluation": wb.evaluation.model_copy(update={"headline": 5}),
            })
            files.append((f"workbook-{i:05d}-again.json",
                          json.dumps(edited.to_json_dict()).encode()))
        elif roll < 0.03:  # the same file twice
            files.append((f"copy-of-workbook-{i:05d}.json", files[-1][1]))
        elif roll < 0.035:
            files.append((f"broken-{i:05d}.json", files[-1][1][: len(files[-1][1]) // 2]))
    files.append(("notes.txt", b"bring coffee"))
    for name, raw in files:
        (folder / name).write_bytes(raw)
    zipped = folder.with_suffix(".zip")
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        for name, raw in files:
            z.writestr(f"room/{name}", raw)
    return room, zipped


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def command_line(args: list[str]) -> float:
    """One ``mentoring-mosaic cohort`` run in a new process, as a facilitator types it."""
    command = [sys.executable, "-m", "mentoring_mosaic.serve.cli", "cohort", *args]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, cwd=ROOT, timeout=600, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {proc.stderr[-500:]!r}")
    return elapsed


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1_048_576:.1f} GiB"
                break
    except OSError:
        pass
    import pydantic

    return {
        "cpu": cpu,
        "cpus": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pydantic": pydantic.__version__,
    }


CLI_CASES = {"dir": [], "dir_json": ["--json"], "zip": [], "zip_json": ["--json"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    content = get_content()
    rows = []
    loads = []
    with tempfile.TemporaryDirectory(prefix="mm-bench-cohort-") as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"room-{n}"
            room, zipped = write_room(n, folder)
            files = len(list(folder.iterdir()))
            agg = best_of(args.repeat, lambda room=room: aggregate(room, content))
            loaded = best_of(args.repeat, lambda folder=folder: aggregate(
                load_paths([folder], content=content).workbooks, content))
            via_zip = best_of(args.repeat, lambda zipped=zipped: aggregate(
                load_paths([zipped], content=content).workbooks, content))
            samples: dict[str, list[float]] = {case: [] for case in CLI_CASES}
            loads.append(os.getloadavg()[0])
            for r in range(args.repeat):
                order = list(CLI_CASES) if r % 2 == 0 else list(reversed(CLI_CASES))
                for case in order:
                    source = str(zipped if case.startswith("zip") else folder)
                    samples[case].append(command_line([source, *CLI_CASES[case]]))
            result = load_paths([folder], content=content)
            report = aggregate(result.workbooks, content)
            row = {
                "workbooks": n,
                "files": files,
                "read": len(result.workbooks),
                "counted": report.participants,
                "aggregate_s": round(agg, 4),
                "load_and_aggregate_s": round(loaded, 4),
                "zip_and_aggregate_s": round(via_zip, 4),
                "zip_mb": round(zipped.stat().st_size / 1_048_576, 2),
                **{f"cli_{case}_s": round(statistics.median(v), 3) for case, v in samples.items()},
                "cli_samples": {case: [round(x, 3) for x in v] for case, v in samples.items()},
            }
            rows.append(row)
            print(
                f"{n:>6} workbooks ({files} files): aggregate {agg:.3f} s · load+aggregate "
                f"{loaded:.3f} s · zip {via_zip:.3f} s · command line dir "
                f"{row['cli_dir_s']:.2f} / --json {row['cli_dir_json_s']:.2f} s, zip "
                f"{row['cli_zip_s']:.2f} / --json {row['cli_zip_json_s']:.2f} s",
                flush=True,
            )
    info = machine()
    big = next((r for r in rows if r["workbooks"] == 10000), None)
    if big:
        worst = max(big[f"cli_{case}_s"] for case in CLI_CASES)
        verdict = (
            f"10,000 workbooks on the command line: at most {worst:.2f} s (median) "
            f"({'meets' if worst <= TARGET_S else 'MISSES'} the {TARGET_S:g}-second target)"
        )
    else:
        verdict = "10,000 was not measured"
    print(verdict)
    if args.no_write:
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_text = ", ".join(f"{x:.1f}" for x in loads)
    (RESULTS / "cohort.json").write_text(
        json.dumps({"measured_at": stamp, "machine": info, "load_average_1min": loads,
                    "results": rows, "verdict": verdict}, indent=2) + "\n"
    )
    lines = [
        "# Cohort benchmark: the room's figures",
        "",
        f"Measured {stamp} with `benchmarks/bench_cohort.py --repeat {args.repeat}` on "
        "generated, varied workbooks (see the script). In-process: best of the repeats. "
        "Command line (`mentoring-mosaic cohort`, a new process each run): median.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items())
        + f"; 1-minute load average before each size: {load_text} (the machine is shared).",
        "",
        "| workbooks | files | read | counted | aggregate (s) | load + aggregate (s) "
        "| zip + aggregate (s) | cli DIR (s) | cli DIR --json (s) | cli ZIP (s) "
        "| cli ZIP --json (s) | zip (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['workbooks']:,} | {r['files']:,} | {r['read']:,} | {r['counted']:,} | "
        f"{r['aggregate_s']:.3f} | {r['load_and_aggregate_s']:.3f} | "
        f"{r['zip_and_aggregate_s']:.3f} | {r['cli_dir_s']:.2f} | {r['cli_dir_json_s']:.2f} | "
        f"{r['cli_zip_s']:.2f} | {r['cli_zip_json_s']:.2f} | {r['zip_mb']} |"
        for r in rows
    ]
    lines += ["", verdict + ".", ""]
    (RESULTS / "cohort.md").write_text("\n".join(lines))
    print(f"wrote {RESULTS / 'cohort.json'} and {RESULTS / 'cohort.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
