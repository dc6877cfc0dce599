"""The demo personas: workbook files in the content library, checked like an uploaded workbook,
every section filled with real content ids, dated from today, stored by `demo`; a facilitator's
content folder adds its own, and a bad file is named and skipped."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from importlib import resources
from pathlib import Path, PurePosixPath

import pytest

from mentoring_mosaic import demo
from mentoring_mosaic.demo import (
    DEMO_KEYS,
    DEMO_WORKBOOK_IDS,
    demo_personas,
    is_demo_workbook,
    load_personas,
    store_demo_personas,
)
from mentoring_mosaic.exports.basic import to_json
from mentoring_mosaic.model import LEVELS, SCHEMA_VERSION, Workbook
from mentoring_mosaic.serve import cli
from mentoring_mosaic.validation import parse_workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
PERSONAS = demo_personas()
WORKSHOP_DAY = ("demo-pgy3", "demo-junior", "demo-midcareer")
"""The three personas shown on the workshop day (every section filled, all dates ahead); more
packaged persona files (a review three months on, say) may follow them."""


def test_three_personas_with_stable_keys() -> None:
    assert tuple(PERSONAS) == DEMO_KEYS
    assert DEMO_KEYS[:3] == WORKSHOP_DAY
    labels = " ".join(label for label, _ in PERSONAS.values())
    for word in ("PGY-3", "junior faculty", "Mid-career"):
        assert word in labels


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_persona_is_valid_and_round_trips(key: str) -> None:
    _label, wb = PERSONAS[key]
    again = Workbook.model_validate_json(wb.model_dump_json())
    assert again == wb


@pytest.mark.parametrize("key", WORKSHOP_DAY)
def test_every_section_is_filled_with_real_ids(key: str, content) -> None:
    _label, wb = PERSONAS[key]
    today = dt.date.today()
    domains = {d.id for d in content.domains}
    qualities = {q.id for q in content.qualities}
    habits = {h.id for h in content.habits}
    scenarios = {s.id for s in content.scenarios}
    skills = {s.id for s in content.skills}
    objectives = {o.id for o in content.objectives}
    competencies = {c.id for c in content.competencies}

    p = wb.profile
    assert p.display_name and p.current_role and p.next_role and p.whats_new
    assert p.transition_date and p.transition_date > today

    assert set(wb.needs.ratings) == domains
    assert all(1 <= r.need <= 4 and 1 <= r.support <= 4 for r in wb.needs.ratings.values())
    assert 1 <= len(wb.needs.top_needs) <= 3 and set(wb.needs.top_needs) <= domains

    assert len(wb.goals) >= 2
    for goal in wb.goals:
        assert goal.need in wb.needs.top_needs
        assert goal.goal and goal.steps and goal.measure and goal.partner and goal.barriers
        assert goal.deadline and goal.deadline > today

    assert 5 <= len(wb.people) <= 12
    assert {p.level for p in wb.mentors} == set(LEVELS)
    assert len({p.place for p in wb.people}) >= 3
    assert any(p.status == "potential" for p in wb.mentors)
    for person in wb.people:
        assert person.name and person.domains and set(person.domains) <= domains
        assert set(person.qualities) <= qualities
        assert person.next_step and person.next_step_date and person.next_step_date > today

    existing = {p.id for p in wb.current_mentors}
    assert wb.managing_up and set(wb.managing_up) <= existing
    for plan in wb.managing_up.values():
        assert plan.need_from and plan.offer_back and plan.one_ask and plan.one_change
        assert plan.agenda_setter and plan.channel and plan.meeting_frequency
        assert plan.next_meeting and plan.next_meeting > today
        assert plan.last_meeting and plan.last_meeting < today
        assert plan.habits and set(plan.habits) <= habits
        assert 1 <= plan.self_rating <= 4

    assert wb.qualities.ratings and set(wb.qualities.ratings) <= existing
    for ratings in wb.qualities.ratings.values():
        assert ratings and set(ratings) <= qualities
    assert wb.qualities.priorities and set(wb.qualities.priorities) <= qualities
    assert set(wb.qualities.self_check) <= competencies

    assert wb.scenarios and set(wb.scenarios) <= scenarios
    assert all(note.strategy for note in wb.scenarios.values())

    assert len(wb.actions) >= 3
    assert all(a.text and a.due and a.due > today for a in wb.actions)

    ev = wb.evaluation
    assert ev.headline in (4, 5)
    assert set(ev.objectives_met) == objectives
    assert set(ev.confidence_before) == skills == set(ev.confidence_after)
    assert ev.change_30_days and ev.submitted_at
    assert wb.consent.share_anonymised and wb.consent.decided_at


def test_the_mid_career_persona_mentors_others(content) -> None:
    _label, wb = PERSONAS["demo-midcareer"]
    assert wb.profile.mentors_others
    assert len(wb.mentees) >= 2
    assert set(wb.qualities.self_check) == {c.id for c in content.competencies}


def test_dates_follow_today() -> None:
    later = dt.date.today() + dt.timedelta(days=400)
    _label, wb = demo_personas(later)["demo-pgy3"]
    assert all(goal.deadline > later for goal in wb.goals)


def test_store_demo_personas_marks_them_as_demo(store) -> None:
    stored = store_demo_personas(store)
    assert [key for key, _ in stored] == list(DEMO_KEYS)
    infos = {info.key: info for info in store.participants()}
    assert all(infos[key].is_demo for key in DEMO_KEYS)
    assert store.load("demo-junior").profile.display_name == "Dr Daniel Reyes"
    assert list(store.load_all()) == []  # demo personas stay out of the room's figures
    assert len(list(store.load_all(include_demo=True))) == len(DEMO_KEYS)
    # Running it again refreshes them instead of adding more.
    store_demo_personas(store)
    assert len(store.participants()) == len(DEMO_KEYS)


def test_demo_command_stores_and_list_shows_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    for key in DEMO_KEYS:
        assert key in out
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    keys = {line.split("\t")[0] for line in lines}
    assert keys == set(DEMO_KEYS)
    assert any("Dr Maya Okafor" in line and "(demo)" in line for line in lines)


# -- the persona files ------------------------------------------------------------------------


def test_persona_files_ship_with_the_package() -> None:
    """Found through the installed package (importlib.resources), and named by package-data."""
    folder = resources.files("mentoring_mosaic") / "content" / "personas"
    names = {item.name for item in folder.iterdir()}
    assert "personas.toml" in names
    assert {f"{key}.json" for key in DEMO_KEYS} <= names
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["mentoring_mosaic"]
    for name in names - {"__pycache__"}:
        path = f"content/personas/{name}"
        assert any(PurePosixPath(path).match(g) for g in globs), f"{path} is not package data"


def test_packaged_personas_all_load_with_their_fixed_ids() -> None:
    found = load_personas()
    assert found.problems == []
    assert {k: p.workbook.workbook_id for k, p in found.personas.items()} == DEMO_WORKBOOK_IDS
    assert DEMO_WORKBOOK_IDS["demo-pgy3"] == "de000000000000000000000000000001"
    assert DEMO_WORKBOOK_IDS["demo-junior"] == "de000000000000000000000000000002"
    assert DEMO_WORKBOOK_IDS["demo-midcareer"] == "de000000000000000000000000000003"
    assert len(set(DEMO_WORKBOOK_IDS.values())) == len(DEMO_KEYS)


@pytest.mark.parametrize("key", DEMO_KEYS)
def test_persona_file_is_an_ordinary_workbook_file(key: str) -> None:
    """The same checks as a participant's upload; an older version migrates to the current."""
    raw = (demo.PERSONAS_DIR / f"{key}.json").read_bytes()
    written = json.loads(raw)["schema_version"]
    assert 1 <= written <= SCHEMA_VERSION
    uploaded = parse_workbook_bytes(raw)
    assert uploaded.schema_version == SCHEMA_VERSION
    workshop_day = uploaded.updated_at.date()
    _label, persona = demo_personas(workshop_day)[key]
    # dated on its own workshop day, the persona is the file as a participant would upload it
    assert persona == uploaded.model_copy(update={"updated_at": None})


def test_every_date_moves_with_today() -> None:
    day = dt.date(2027, 3, 1)
    gap = dt.timedelta(days=45)
    before = demo.persona("demo-midcareer", day)
    after = demo.persona("demo-midcareer", day + gap)
    assert after.profile.transition_date == before.profile.transition_date + gap
    assert [a.due for a in after.actions] == [a.due + gap for a in before.actions]
    assert after.evaluation.submitted_at == before.evaluation.submitted_at + gap
    plan = next(iter(after.managing_up))
    assert after.managing_up[plan].last_meeting == before.managing_up[plan].last_meeting + gap
    # the workshop day is "today": the evaluation was handed in that day
    assert after.evaluation.submitted_at.date() == day + gap
    assert after.updated_at is None  # the store stamps the real save time


# -- a facilitator's own personas --------------------------------------------------------------


def _persona_file(folder: Path, name: str, display_name: str, **profile: str) -> Path:
    """A persona file as a facilitator makes it: a downloaded workbook, renamed and dropped in."""
    base = demo.junior(dt.date(2026, 2, 2))
    workbook = base.model_copy(update={
        "workbook_id": "0123456789abcdef0123456789abcdef",
        "updated_at": dt.datetime(2026, 2, 2, 12, tzinfo=dt.UTC),
        "profile": base.profile.model_copy(update={"display_name": display_name, **profile}),
    })
    path = folder / "personas" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_json(workbook))
    return path


@pytest.fixture
def my_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "my-content"
    folder.mkdir()
    monkeypatch.setenv("MENTORING_MOSAIC_CONTENT", str(folder))
    return folder


def test_a_persona_file_in_my_content_folder_is_added(my_content: Path) -> None:
    _persona_file(my_content, "nurse.json", "Alex Moreno, RN", current_role="Charge nurse, PICU")
    personas = demo_personas()
    assert tuple(personas)[: len(DEMO_KEYS)] == DEMO_KEYS  # the packaged ones come first
    label, workbook = personas["demo-nurse"]
    assert label == "Charge nurse, PICU (Alex Moreno, RN)"  # from the file's own profile
    assert workbook.profile.display_name == "Alex Moreno, RN"
    assert all(goal.deadline > dt.date.today() for goal in workbook.goals)  # dated from today
    assert is_demo_workbook(workbook)  # never counted as a participant


def test_my_persona_list_names_and_orders_my_personas(my_content: Path) -> None:
    _persona_file(my_content, "surgeon.json", "Dr Ana Ruiz")
    _persona_file(my_content, "demo-chief.json", "Dr Sam Lee")
    (my_content / "personas" / "personas.toml").write_text(
        '[[persona]]\nfile = "demo-chief.json"\ndescription = "Chief resident"\n'
        '[[persona]]\nfile = "demo-pgy3.json"\nname = "Dr M. Okafor"\n',
        encoding="utf-8",
    )
    found = load_personas()
    assert found.problems == []
    assert list(found.personas)[len(DEMO_KEYS):] == ["demo-chief", "demo-surgeon"]
    assert found.personas["demo-chief"].label == "Chief resident (Dr Sam Lee)"
    # an entry for a packaged file renames it; the packaged file is still the one loaded
    assert found.personas["demo-pgy3"].label == (
        "PGY-3 resident heading to fellowship (Dr M. Okafor)"
    )
    assert found.personas["demo-pgy3"].path == demo.PERSONAS_DIR / "demo-pgy3.json"


def test_my_file_replaces_the_packaged_persona_of_the_same_name(my_content: Path) -> None:
    _persona_file(my_content, "demo-junior.json", "Dr Kim Park")
    found = load_personas()
    assert list(found.personas) == list(DEMO_KEYS)
    assert found.personas["demo-junior"].workbook.profile.display_name == "Dr Kim Park"
    # the packaged words described the packaged person: the new file's profile names it
    assert found.personas["demo-junior"].label == (
        "Junior faculty (first year), general pediatrics (Dr Kim Park)"
    )


def test_a_bad_persona_file_is_named_and_skipped(my_content: Path) -> None:
    folder = my_content / "personas"
    _persona_file(my_content, "nurse.json", "Alex Moreno, RN")
    (folder / "broken.json").write_text('{"schema_version": 3, "profile": {', encoding="utf-8")
    wrong_id = json.loads(to_json(demo.pgy3()))
    wrong_id["needs"]["top_needs"] = ["knitting"]
    (folder / "wrong-id.json").write_text(json.dumps(wrong_id), encoding="utf-8")
    (folder / "personas.toml").write_text('[[persona]]\nfile = "gone.json"\n', encoding="utf-8")
    found = load_personas()
    assert set(found.personas) == {*DEMO_KEYS, "demo-nurse"}
    problems = "\n".join(found.problems)
    assert len(found.problems) == 3, problems
    assert f"demo persona file {folder / 'broken.json'}: The file is not valid JSON" in problems
    assert f"demo persona file {folder / 'wrong-id.json'}:" in problems and "knitting" in problems
    assert f"demo persona file {folder / 'gone.json'}: cannot be read" in problems
    assert all(p.endswith("This persona is skipped.") for p in found.problems)


def test_a_broken_persona_list_is_reported_and_the_files_still_load(my_content: Path) -> None:
    _persona_file(my_content, "nurse.json", "Alex Moreno, RN")
    index = my_content / "personas" / "personas.toml"
    index.write_text('[[persona]]\nfile = "nurse.json"\nname = "Alex\n', encoding="utf-8")
    found = load_personas()
    assert "demo-nurse" in found.personas
    assert len(found.problems) == 1 and str(index) in found.problems[0]
    index.write_text('[[persona]]\nfile = "nurse.json"\nrole = "nurse"\n', encoding="utf-8")
    found = load_personas()
    assert "demo-nurse" in found.personas
    assert "unknown field 'role'" in found.problems[0] and str(index) in found.problems[0]


def test_demo_command_adds_my_personas_and_names_a_bad_file(
    my_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _persona_file(my_content, "nurse.json", "Alex Moreno, RN", current_role="Charge nurse")
    (my_content / "personas" / "broken.json").write_text("{", encoding="utf-8")
    assert cli.main(["demo"]) == 0
    captured = capsys.readouterr()
    assert "demo-nurse\tCharge nurse (Alex Moreno, RN)" in captured.out.splitlines()
    assert "broken.json" in captured.err and "This persona is skipped." in captured.err
    assert cli.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("demo-nurse\t") and "(demo)" in line for line in lines)


def test_demo_command_fails_clearly_when_no_persona_loads(
    my_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in DEMO_KEYS:  # every packaged persona replaced by a broken file
        (my_content / "personas").mkdir(exist_ok=True)
        (my_content / "personas" / f"{key}.json").write_text("[]", encoding="utf-8")
    assert cli.main(["demo"]) == 2
    err = capsys.readouterr().err
    assert "no demo persona could be loaded" in err
    assert err.count("This persona is skipped.") == len(DEMO_KEYS)
