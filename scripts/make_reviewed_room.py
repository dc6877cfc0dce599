"""A generated room three months on: workbook files, most of them with a review.

Run: ``.venv/bin/python scripts/make_reviewed_room.py OUT_DIR [--n 30] [--seed 17]``, then
``mentoring-mosaic cohort OUT_DIR`` shows the room's follow-up figures (the "Three months on"
section; ``--json``: the ``follow_up`` key).

Each participant is the cohort benchmark's varied workshop-day workbook
(:func:`benchmarks.bench_cohort.make_workbook`), kept as the baseline on the workshop day, then
lived through three months (seeded, so the same seed gives the same room): about 4 in 5 review
their plan; each action is marked done, partly, not yet or dropped (or left unanswered);
support for the rated domains moves a little (mostly up); some potential mentors become
existing ones and some new mentors are added; the outcome item and the two yes/no questions
are answered; about 85 % agree, in the review, to share it. The rest have not reviewed yet.
Nothing here is real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_cohort import make_workbook  # noqa: E402
from mentoring_mosaic.content import Content, get_content  # noqa: E402
from mentoring_mosaic.model import (  # noqa: E402
    LEVELS,
    ActionItem,
    ActionReview,
    Baseline,
    Consent,
    Person,
    Review,
    Workbook,
)

WORKSHOP = dt.date(2026, 9, 1)
"""The generated room's workshop day; the reviews come about 90 days later."""
STATUSES = ("done", "done", "done", "partly", "partly", "not_yet", "not_yet", "dropped", None)
"""How the generated participants answer for an action (None: left unanswered)."""


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def workshop_day(rng: random.Random, i: int, content: Content) -> Workbook:
    """One participant on the workshop day, with a plan and its baseline."""
    wb = make_workbook(rng, i, content)
    actions = [
        a.model_copy(update={"due": WORKSHOP + dt.timedelta(days=rng.randint(7, 80))})
        for a in wb.actions
    ]
    if not actions:  # everyone leaves with at least one action
        actions = [ActionItem(text="Ask a mentor for 20 minutes",
                              due=WORKSHOP + dt.timedelta(days=14))]
    wb = wb.model_copy(update={"actions": actions,
                               "updated_at": _at(WORKSHOP, 11) + dt.timedelta(seconds=i)})
    wb.baseline = Baseline(
        taken_on=WORKSHOP,
        taken_at=_at(WORKSHOP, 11),
        needs=wb.needs.model_copy(deep=True),
        goals=[g.model_copy(deep=True) for g in wb.goals],
        people=[p.model_copy(deep=True) for p in wb.people],
        actions=[a.model_copy(deep=True) for a in wb.actions],
    )
    return Workbook.model_validate(wb.model_dump())


def three_months_on(
    rng: random.Random, wb: Workbook, content: Content, *, consent: bool
) -> Workbook:
    """The same participant's review about 90 days later (mosaic updated, plan reviewed)."""
    domains = [d.id for d in content.domains]
    day = WORKSHOP + dt.timedelta(days=90 + rng.randint(0, 21))
    people = []
    for p in wb.people:
        if p.role == "mentor" and p.status == "potential" and rng.random() < 0.4:
            p = p.model_copy(update={"status": "existing"})
        people.append(p)
    for j in range(rng.choice((0, 0, 1, 1, 2, 3))):
        people.append(Person(name=f"New mentor {j + 1}", level=rng.choice(LEVELS),
                             status="existing", domains=rng.sample(domains, rng.randint(1, 2))))
    rated = list(wb.needs.ratings)
    support = {
        d: max(0, min(4, wb.needs.ratings[d].support + rng.choice((-1, 0, 0, 1, 1, 2))))
        for d in rng.sample(rated, min(len(rated), rng.randint(2, 4)))
    }
    added = len(people) - len(wb.people)
    review = Review(
        reviewed_on=day,
        completed_at=_at(day, 19) if rng.random() < 0.8 else None,
        actions={a.id: ActionReview(status=status)
                 for a in wb.actions if (status := rng.choice(STATUSES)) is not None},
        support_today=support,
        relationships_improved=rng.choice((None, 2, 3, 3, 4, 4, 4, 5, 5)),
        met_new_mentor=added > 0 or rng.random() < 0.15,
        managing_up_conversation=rng.choice((None, True, True, True, False)),
        consent=Consent(share_anonymised=consent, decided_at=_at(day, 19)),
    )
    return Workbook.model_validate(
        {**wb.model_dump(), "people": [p.model_dump() for p in people],
         "review": review.model_dump(), "updated_at": _at(day, 19)}
    )


def reviewed_room(n: int = 30, seed: int = 17, reviewed: float = 0.8,
                  consent: float = 0.85) -> list[Workbook]:
    """``n`` workbooks three months on: about ``reviewed`` of them with a review, and about
    ``consent`` of those agreeing to share it. The same seed gives the same room."""
    content = get_content()
    rng = random.Random(seed)
    room = []
    for i in range(n):
        wb = workshop_day(rng, i, content)
        if rng.random() < reviewed:
            wb = three_months_on(rng, wb, content, consent=rng.random() < consent)
        room.append(wb)
    return room


def write_room(folder: Path, n: int = 30, seed: int = 17) -> list[Path]:
    """Write the room as a facilitator collects it: one workbook file per participant."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, wb in enumerate(reviewed_room(n, seed)):
        path = folder / f"workbook-{i:03d}.json"
        path.write_text(json.dumps(wb.to_json_dict(), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write the workbook files into")
    parser.add_argument("--n", type=int, default=30, help="participants (default 30)")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    paths = write_room(args.out, args.n, args.seed)
    print(f"wrote {len(paths)} workbook files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
