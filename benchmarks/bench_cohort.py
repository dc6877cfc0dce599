"""How long the facilitator's cohort aggregation takes at 10, 100, 1,000 and 10,000 workbooks.

Run: ``.venv/bin/python benchmarks/bench_cohort.py [--sizes 10 100 1000 10000] [--repeat 5]``

Workbooks are generated (seeded, realistic sizes: 12 rated domains, 3-12 people, a few
scenarios, an evaluation; 85 % consent). Three timings per size, best of ``--repeat``:

- ``aggregate``: :func:`cohort.aggregate` on workbooks already in memory (the dashboard's
  Refresh after loading) — the target is 1,000 in under a second;
- ``load+aggregate``: reading the same workbooks as JSON files dropped in (validation
  included), then aggregating;
- ``zip``: the same through one zip (``load_zip``), then aggregating.

Results go to ``benchmarks/results/cohort.json`` and ``benchmarks/results/cohort.md`` with a
description of the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mentoring_mosaic.analysis.cohort import aggregate, load_files, load_zip  # noqa: E402
from mentoring_mosaic.content import get_content  # noqa: E402
from mentoring_mosaic.model import (  # noqa: E402
    LEVELS,
    PLACES,
    Consent,
    DomainRating,
    Evaluation,
    Needs,
    Person,
    Profile,
    ScenarioNote,
    Workbook,
)

RESULTS = ROOT / "benchmarks" / "results"


def make_room(n: int, seed: int = 7) -> list[Workbook]:
    """``n`` plausible workbooks, the same for the same seed."""
    content = get_content()
    rng = random.Random(seed)
    domains = [d.id for d in content.domains]
    scenarios = [s.id for s in content.scenarios]
    qualities = [q.id for q in content.qualities]
    out = []
    for i in range(n):
        people = [
            Person(
                id=f"p{j}",
                name=f"Person {j}",
                role="mentee" if rng.random() < 0.1 else "mentor",
                status="potential" if rng.random() < 0.25 else "existing",
                level=rng.choice(LEVELS),
                place=rng.choice(list(PLACES)),
                domains=rng.sample(domains, rng.randint(1, 4)),
                tie_strength=rng.randint(1, 3),
                qualities=rng.sample(qualities, rng.randint(0, 3)),
            )
            for j in range(rng.randint(3, 12))
        ]
        before = {s.id: rng.randint(1, 4) for s in content.skills}
        out.append(
            Workbook(
                profile=Profile(display_name=f"Participant {i}", current_role="Fellow"),
                needs=Needs(
                    ratings={
                        d: DomainRating(support=rng.randint(1, 4), need=rng.randint(1, 4))
                        for d in domains
                    },
                    top_needs=rng.sample(domains, 3),
                ),
                people=people,
                scenarios={
                    s: ScenarioNote(strategy="A plan.") for s in rng.sample(scenarios, 3)
                },
                evaluation=Evaluation(
                    headline=rng.choice([2, 3, 4, 4, 5, 5, 5]),
                    confidence_before=before,
                    confidence_after={k: min(5, v + rng.randint(0, 2)) for k, v in before.items()},
                ),
                consent=Consent(share_anonymised=rng.random() < 0.85),
            )
        )
    return out


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


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
    import pandas
    import pydantic

    return {
        "cpu": cpu,
        "cpus": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "pydantic": pydantic.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    content = get_content()
    rows = []
    for n in args.sizes:
        room = make_room(n)
        files = [
            (f"p{i}.json", json.dumps(wb.to_json_dict()).encode()) for i, wb in enumerate(room)
        ]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, raw in files:
                z.writestr(name, raw)
        zipped = buffer.getvalue()
        repeat = args.repeat if n <= 1000 else max(1, args.repeat // 2)
        agg = best_of(repeat, lambda room=room: aggregate(room, content))
        loaded = best_of(
            repeat, lambda files=files: aggregate(load_files(files).workbooks, content)
        )
        via_zip = best_of(
            repeat, lambda zipped=zipped: aggregate(load_zip("room.zip", zipped).workbooks, content)
        )
        report = aggregate(room, content)
        rows.append(
            {
                "workbooks": n,
                "counted": report.participants,
                "aggregate_s": round(agg, 4),
                "load_and_aggregate_s": round(loaded, 4),
                "zip_and_aggregate_s": round(via_zip, 4),
                "zip_mb": round(len(zipped) / 1_048_576, 2),
            }
        )
        print(
            f"{n:>6} workbooks: aggregate {agg:.3f} s · load+aggregate {loaded:.3f} s · "
            f"zip ({len(zipped) / 1_048_576:.1f} MB) {via_zip:.3f} s",
            flush=True,
        )
    info = machine()
    target = next((r for r in rows if r["workbooks"] == 1000), None)
    verdict = (
        f"1,000 workbooks aggregate in {target['aggregate_s']:.3f} s "
        f"({'meets' if target['aggregate_s'] < 1 else 'MISSES'} the 1-second target)"
        if target
        else "1,000 was not measured"
    )
    print(verdict)
    if args.no_write:
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    (RESULTS / "cohort.json").write_text(
        json.dumps({"measured_at": stamp, "machine": info, "results": rows, "verdict": verdict},
                   indent=2) + "\n"
    )
    lines = [
        "# Cohort aggregation benchmark",
        "",
        f"Measured {stamp} with `benchmarks/bench_cohort.py` (best of {args.repeat}; "
        "half as many repeats at 10,000).",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        "",
        "| workbooks | counted (consented) | aggregate (s) | load JSON + aggregate (s) "
        "| one zip + aggregate (s) | zip size (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['workbooks']:,} | {r['counted']:,} | {r['aggregate_s']:.3f} | "
        f"{r['load_and_aggregate_s']:.3f} | {r['zip_and_aggregate_s']:.3f} | {r['zip_mb']} |"
        for r in rows
    ]
    lines += ["", verdict + ".", ""]
    (RESULTS / "cohort.md").write_text("\n".join(lines))
    print(f"wrote {RESULTS / 'cohort.json'} and {RESULTS / 'cohort.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
