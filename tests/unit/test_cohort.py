"""The room's aggregates, checked against figures worked out by hand on small sets."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from mentoring_mosaic.analysis import cohort
from mentoring_mosaic.analysis.cohort import (
    SUPPRESSED,
    SUPPRESSED_SHARE,
    aggregate,
    load_files,
    load_paths,
    load_store,
    load_zip,
)
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


def make(
    name: str,
    *,
    needs: dict[str, tuple[int, int]] | None = None,
    people: list[tuple[str, str, list[str]]] | None = None,
    scenarios: list[str] = (),  # type: ignore[assignment]
    headline: int | None = None,
    consent: bool = True,
) -> Workbook:
    """A workbook; needs: domain -> (support, need); people: (status, level, domains)."""
    return Workbook(
        profile=Profile(display_name=name),
        needs=Needs(
            ratings={d: DomainRating(support=s, need=n) for d, (s, n) in (needs or {}).items()}
        ),
        people=[
            Person(name=f"{name} mentor {i}", status=status, level=level, domains=domains)
            for i, (status, level, domains) in enumerate(people or [])
        ],
        scenarios={s: ScenarioNote(strategy=f"{name}'s plan") for s in scenarios},
        evaluation=Evaluation(headline=headline),
        consent=Consent(share_anonymised=consent),
    )


def room() -> list[Workbook]:
    """Four consenting participants and one who did not consent (worked by hand below)."""
    return [
        make(
            "P1",
            needs={"sponsorship": (1, 4), "research": (3, 2)},
            people=[
                ("existing", "senior", ["sponsorship", "research"]),
                ("existing", "peer", ["emotional_support"]),
                ("potential", "junior", ["research"]),
            ],
            scenarios=["no_sponsor", "limited_time"],
            headline=5,
        ),
        make(
            "P2",
            needs={"sponsorship": (2, 3), "research": (4, 1)},
            people=[("existing", "senior", ["research"]), ("existing", "peer", ["research"])],
            scenarios=["no_sponsor"],
            headline=4,
        ),
        make(
            "P3",
            needs={"sponsorship": (2, 3), "research": (0, 0)},
            people=[("existing", "junior", ["sponsorship"])],
            scenarios=["no_sponsor", "limited_time"],
            headline=2,
        ),
        make(
            "P4",
            needs={"sponsorship": (1, 4), "research": (1, 4)},
            scenarios=["no_sponsor"],
        ),
        make(
            "NoConsent",
            needs={"sponsorship": (1, 4), "research": (1, 4)},
            people=[("existing", "senior", ["career_guidance"])] * 1,
            scenarios=["limited_time"],
            headline=1,
            consent=False,
        ),
    ]


def row(df, column: str, value: str) -> dict:
    return df[df[column] == value].iloc[0].to_dict()


def test_needs_by_domain_by_hand(content) -> None:
    report = aggregate(room(), content)
    assert report.participants == 4 and report.not_consented == 1
    needs = report.tables["needs"]
    # sponsorship: needs 4,3,3,4 -> mean 3.5; support 1,2,2,1 -> 1.5; all four rate need >= 3
    s = row(needs, "domain", "sponsorship")
    assert (s["rated"], s["mean_need"], s["mean_support"]) == (4, 3.5, 1.5)
    assert (s["need_3_or_more"], s["percent_need_3_or_more"]) == (4, 100.0)
    # research: P3 answered 0 and 0 ("none", "not needed"), which count as answers:
    # needs 2,1,0,4 -> 1.75; support 3,4,0,1 -> 2.0; one >= 3
    r = row(needs, "domain", "research")
    assert (r["rated"], r["mean_need"], r["mean_support"]) == (4, 1.75, 2.0)
    assert (r["need_3_or_more"], r["percent_need_3_or_more"]) == (SUPPRESSED, SUPPRESSED_SHARE)
    # a domain nobody rated: everything suppressed
    c = row(needs, "domain", "clinical_skills")
    assert c["rated"] == SUPPRESSED and c["mean_need"] == SUPPRESSED_SHARE
    assert list(needs["domain"]) == [d.id for d in content.domains]
    assert "name" in needs and "P1" not in needs.to_csv()


def test_gaps_mosaic_levels_by_hand(content) -> None:
    report = aggregate(room(), content)
    gaps = report.tables["gaps"]
    # career guidance: no consenting participant has an existing mentor for it (4 of 4)
    assert row(gaps, "domain", "career_guidance")["without_existing_mentor"] == 4
    assert row(gaps, "domain", "career_guidance")["percent_without"] == 100.0
    # emotional support: only P1 is covered -> 3 without, 75 %
    e = row(gaps, "domain", "emotional_support")
    assert (e["without_existing_mentor"], e["percent_without"]) == (3, 75.0)
    # sponsorship: P1 and P3 covered -> 2 without -> suppressed; research: P1, P2 (the
    # potential junior does not count) -> 2 without -> suppressed
    for domain in ("sponsorship", "research"):
        assert row(gaps, "domain", domain)["without_existing_mentor"] == SUPPRESSED
        assert row(gaps, "domain", domain)["percent_without"] == SUPPRESSED_SHARE

    size = dict(zip(report.tables["mosaic_size"]["measure"],
                    report.tables["mosaic_size"]["value"], strict=True))
    # mentors per participant: 3, 2, 1, 0
    assert size["Mentors per participant, median"] == 1.5
    assert size["Mentors per participant, mean"] == 1.5
    assert size["Participants with 0-2 mentors"] == 3
    assert size["Participants with 3-5 mentors"] == SUPPRESSED

    levels = report.tables["levels"]
    # 6 mentors in all: 2 senior, 2 peer, 2 junior -> each suppressed
    assert set(levels["people"]) == {SUPPRESSED}
    assert set(levels["percent_of_people"]) == {SUPPRESSED_SHARE}


def test_scenarios_and_consent_filtering(content) -> None:
    report = aggregate(room(), content)
    scenarios = report.tables["scenarios"]
    top = scenarios.iloc[0].to_dict()
    assert (top["scenario"], top["participants"], top["percent"]) == ("no_sponsor", 4, 100.0)
    # limited_time: P1 and P3 (the non-consenting participant would have made it 3)
    assert row(scenarios, "scenario", "limited_time")["participants"] == SUPPRESSED
    with_everyone = aggregate([w.model_copy(update={"consent": Consent(share_anonymised=True)})
                               for w in room()], content)
    assert row(with_everyone.tables["scenarios"], "scenario", "limited_time")["participants"] == 3
    # ordering never reveals hidden counts: all suppressed rows follow content order
    hidden = [s for s, c in zip(scenarios["scenario"], scenarios["participants"], strict=True)
              if c == SUPPRESSED]
    order = [s.id for s in content.scenarios]
    assert hidden == sorted(hidden, key=order.index)


def test_headline_share_by_hand(content) -> None:
    wbs = [make(f"E{i}", headline=h) for i, h in enumerate([5, 4, 4, 3, None, 5])]
    report = aggregate(wbs, content)
    # answered 5; agree (4 or 5): 5, 4, 4, 5 -> 4 of 5 = 80 %
    assert report.headline == {"answered": 5, "agree": 4, "agree_percent": 80.0}
    ev = report.tables["evaluation"]
    assert row(ev, "answer", "4 Agree")["count"] == SUPPRESSED  # two answers
    assert row(ev, "answer", "1 Strongly disagree")["count"] == SUPPRESSED  # zero answers
    # the room() set: 3 answered, 2 agree -> the count and its share are suppressed
    small = aggregate(room(), content).headline
    assert small == {"answered": 3, "agree": SUPPRESSED, "agree_percent": SUPPRESSED_SHARE}


def test_fewer_than_three_consenting_shows_nothing(content) -> None:
    wbs = [make("A", headline=5), make("B", headline=5), make("C", consent=False)]
    report = aggregate(wbs, content)
    assert not report.enough
    assert report.to_json_dict()["participants"] == SUPPRESSED
    for name, df in report.tables.items():
        if name != "summary":
            assert df.empty, name
    assert report.headline["agree"] == SUPPRESSED


def test_suppression_helpers() -> None:
    assert [cohort.count_cell(c) for c in (0, 1, 2, 3, 10)] == [SUPPRESSED] * 3 + [3, 10]
    assert cohort.share_cell(2, 10) == SUPPRESSED_SHARE
    assert cohort.share_cell(3, 2) == SUPPRESSED_SHARE
    assert cohort.share_cell(1, 3) == SUPPRESSED_SHARE
    assert cohort.share_cell(3, 4) == 75.0
    assert cohort.mean_cell([1, 2]) == SUPPRESSED_SHARE
    assert cohort.mean_cell([1, 2, 4]) == 2.33


# -- loading files and zips ------------------------------------------------------------------------
def as_bytes(wb: Workbook) -> bytes:
    return json.dumps(wb.to_json_dict()).encode()


def hostile_zip() -> bytes:
    good = room()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("room/p1.json", as_bytes(good[0]))
        z.writestr("room/deeper/still/p2.json", as_bytes(good[1]))  # nested folders are fine
        z.writestr("room/", b"")  # a folder entry
        z.writestr("../escape.json", as_bytes(good[2]))  # path traversal
        z.writestr("/etc/abs.json", as_bytes(good[2]))  # absolute path
        z.writestr("C:\\windows\\p.json", as_bytes(good[2]))  # drive letter
        z.writestr("copy-of-p1.json", as_bytes(good[0]))  # the same workbook twice
        z.writestr("notes.txt", b"not a workbook")
        z.writestr("photo.png", b"\x89PNG...")
        z.writestr("__MACOSX/._p1.json", b"junk")
        z.writestr("broken.json", b'{"profile": ')
        z.writestr("huge.json", b" " * (cohort.MAX_MEMBER_BYTES + 10))  # oversize member
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as z2:
            z2.writestr("p3.json", as_bytes(good[2]))
        z.writestr("inner.zip", inner.getvalue())  # a zip inside the zip
        z.writestr("p4.ipynb", b'{"cells": []}')  # a notebook without a workbook
    return buffer.getvalue()


HOSTILE_MEMBERS = [
    "room/p1.json", "room/deeper/still/p2.json", "../escape.json", "/etc/abs.json",
    "C:\\windows\\p.json", "copy-of-p1.json", "notes.txt", "photo.png", "__MACOSX/._p1.json",
    "broken.json", "huge.json", "inner.zip", "p4.ipynb",
]
"""The zip's files in the order it holds them (its folder entry is not a file)."""


def item(member: str) -> str:
    """How the room lists a member of the one zip given: by position, never by name."""
    return f"file 1 of 1 (a zip), item {HOSTILE_MEMBERS.index(member) + 1} of 13"


def test_hostile_zip_is_handled() -> None:
    result = load_zip("room.zip", hostile_zip())
    assert [name for name, _ in result.workbooks] == [
        item("room/p1.json"),
        item("room/deeper/still/p2.json"),
    ]
    by_item = {r.name: r.reason for r in result.rejected}
    reasons = {m: by_item[item(m)] for m in HOSTILE_MEMBERS if item(m) in by_item}
    assert "climbs out" in reasons["../escape.json"]
    assert "absolute path" in reasons["/etc/abs.json"]
    assert "absolute path" in reasons["C:\\windows\\p.json"]
    assert f"same workbook as {item('room/p1.json')}" in reasons["copy-of-p1.json"]
    assert "not a workbook file" in reasons["notes.txt"]
    assert "not a workbook file" in reasons["photo.png"]
    assert "hidden system file" in reasons["__MACOSX/._p1.json"]
    assert "not valid JSON" in reasons["broken.json"]
    assert "MB uncompressed" in reasons["huge.json"]
    assert "zip inside the zip" in reasons["inner.zip"]
    assert "does not carry" in reasons["p4.ipynb"]
    assert len(result.rejected) == 11


def test_zip_total_uncompressed_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cohort, "MAX_ZIP_TOTAL_BYTES", 3000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for i, wb in enumerate(room()):
            z.writestr(f"p{i}.json", as_bytes(wb))
    result = load_zip("big.zip", buffer.getvalue())
    assert 1 <= len(result.workbooks) < 5
    assert any("unpacks to more than" in r.reason for r in result.rejected)


def test_a_member_that_lies_about_its_size_is_not_decompressed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.json", b"[" + b"0," * 4_000_000 + b"0]")  # 8 MB of JSON
    raw = bytearray(buffer.getvalue())
    # Rewrite the central directory's uncompressed size to 100 bytes.
    cd = raw.rfind(b"PK\x01\x02")
    raw[cd + 24 : cd + 28] = (100).to_bytes(4, "little")
    result = load_zip("bomb.zip", bytes(raw))
    assert not result.workbooks
    assert [r.name for r in result.rejected] == ["file 1 of 1 (a zip), item 1 of 1"]


def test_load_files_mixes_json_and_zip_and_never_stops() -> None:
    good = room()
    result = load_files(
        [
            ("a.json", as_bytes(good[3])),
            ("bad.json", b"\xff\xfe not utf8"),
            ("room.zip", hostile_zip()),
            ("not-a.zip", b"PK\x03\x04 garbage"),
            ("slides.pptx", b"..."),
            ("again.json", as_bytes(good[3])),
        ]
    )
    names = [n for n, _ in result.workbooks]
    assert names[0] == "file 1 of 6" and len(names) == 3
    rejected = {r.name: r.reason for r in result.rejected}
    assert "UTF-8" in rejected["file 2 of 6"]
    assert "not a readable zip" in rejected["file 4 of 6"]
    assert "not a workbook file" in rejected["file 5 of 6"]
    assert "same workbook as file 1 of 6" in rejected["file 6 of 6"]
    assert any(n.startswith("file 3 of 6 (a zip), item ") for n in rejected)


def test_load_paths_reads_folders_and_zips(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    (folder / "sub").mkdir(parents=True)
    for i, wb in enumerate(room()):
        (folder / ("sub" if i % 2 else ".") / f"p{i}.json").write_bytes(as_bytes(wb))
    (folder / ".hidden.json").write_bytes(b"{}")
    (folder / "readme.md").write_text("hello")
    result = load_paths([folder, tmp_path / "missing.json"])
    assert len(result.workbooks) == 5
    # in name order: p0, p2, p4, readme.md, sub/p1, sub/p3, then the missing file
    reasons = {r.name: r.reason for r in result.rejected}
    assert reasons == {"file 4 of 7": "not a workbook file (only .json, .ipynb and .zip are read)",
                       "file 7 of 7": "no such file or folder"}


def test_load_store_skips_demo_unless_asked(store) -> None:
    from mentoring_mosaic.demo import DEMO_KEYS, store_demo_personas

    for i, wb in enumerate(room()):
        store.save_workbook(f"p{i}", wb)
    store_demo_personas(store)
    assert len(load_store(store).workbooks) == 5
    assert len(load_store(store, include_demo=True).workbooks) == 5 + len(DEMO_KEYS)
    report = aggregate(load_store(store).workbooks)
    assert report.participants == 4


def test_csv_export_holds_every_table(content) -> None:
    report = aggregate(room(), content)
    files = report.csv_files()
    assert set(files) == {f"{n}.csv" for n in cohort.TABLE_TITLES} | {
        f"follow_up_{n}.csv" for n in cohort.FOLLOW_UP_TITLES} | {
        "rejected_files.csv", "how_to_read.csv"}
    with zipfile.ZipFile(io.BytesIO(report.csv_zip())) as z:
        assert len(z.namelist()) == len(files)
        gaps = z.read("mentoring-mosaic-room/gaps.csv").decode("utf-8-sig")
    assert "career_guidance,Career guidance,4,100.0" in gaps
    assert "P1" not in "".join(f.decode("utf-8-sig") for f in files.values())


# -- the command ---------------------------------------------------------------------------------
@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    for i, wb in enumerate(room()):
        (folder / f"p{i}.json").write_bytes(as_bytes(wb))
    (folder / "broken.json").write_text("{")
    return folder


def test_cli_json(drop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["cohort", str(drop), "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["participants"] == 4
    assert data["not_counted_without_consent"] == SUPPRESSED
    assert data["tables"]["scenarios"][0]["scenario"] == "no_sponsor"
    assert [r["file"] for r in data["rejected"]] == ["file 1 of 6"]  # broken.json, by position
    assert "skipped file 1 of 6: The file is not valid JSON" in captured.err
    assert "broken" not in captured.err and "broken" not in captured.out


def test_cli_text_and_csv_folder_and_zip(
    drop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tables"
    assert cli.main(["cohort", str(drop), "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Needs by domain" in text and "Participants counted: 4 " in text
    assert (out / "needs.csv").exists() and (out / "rejected_files.csv").exists()
    archive = tmp_path / "tables.zip"
    assert cli.main(["cohort", str(drop / "p0.json"), str(drop / "p1.json"), "--csv",
                     str(archive)]) == 0
    assert "Fewer than 3" in capsys.readouterr().out
    with zipfile.ZipFile(archive) as z:
        assert "mentoring-mosaic-room/summary.csv" in z.namelist()


def test_cli_no_valid_workbook_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("nope")
    assert cli.main(["cohort", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("mentoring-mosaic: no participant's workbook found")
    assert cli.main(["cohort"]) == 2


def test_cli_store(store, capsys: pytest.CaptureFixture[str]) -> None:
    from mentoring_mosaic.demo import DEMO_KEYS, store_demo_personas

    store_demo_personas(store)
    assert cli.main(["cohort", "--store"]) == 2  # demo personas are not the room
    capsys.readouterr()
    assert cli.main(["cohort", "--store", "--include-demo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["participants"] == len(DEMO_KEYS)


def test_demo_personas_are_never_counted_as_participants(store) -> None:
    from mentoring_mosaic.demo import demo_personas

    personas = [wb for _label, wb in demo_personas().values()]
    files = load_files([(f"d{i}.json", as_bytes(wb)) for i, wb in enumerate(personas)])
    assert not files.workbooks
    assert all("demo persona" in r.reason for r in files.rejected)
    # a participant who loaded a persona into their own workbook to look around
    store.save_workbook("curious", personas[0])
    for i, wb in enumerate(room()):
        store.save_workbook(f"p{i}", wb)
    result = load_store(store)
    assert len(result.workbooks) == 5
    rejected = {r.name: r.reason for r in result.rejected}  # by position, never by key
    assert list(rejected) == ["workbook 1 of 6 in the shared store"]
    assert "demo persona" in rejected["workbook 1 of 6 in the shared store"]


def test_every_file_gets_an_outcome_even_an_empty_zip() -> None:
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w"):
        pass
    result = load_files([("empty.zip", empty.getvalue()), ("disguised.json", empty.getvalue())])
    reasons = {r.name: r.reason for r in result.rejected}
    assert reasons["file 1 of 2"] == "the zip holds no files"
    assert "not valid JSON" in reasons["file 2 of 2"]
