"""Only the content's ids: a file coming in (validate, import, resume, a notebook copy) may use
only the domains, qualities, habits, scenarios, competencies, objectives and confidence
questions the workshop's content defines, the facilitator's own folder included. An older
file's keys that its schema version never had are refused too. What is stored is never
checked, so nothing a participant saved is dropped."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mentoring_mosaic.demo import demo_personas
from mentoring_mosaic.model import Person, Workbook
from mentoring_mosaic.serve.cli import main
from mentoring_mosaic.session import Session
from mentoring_mosaic.store import DEFAULT_KEY, Store
from mentoring_mosaic.validation import (
    UnknownContentId,
    WorkbookError,
    parse_workbook_bytes,
    parse_workbook_data,
    read_workbook_file,
    stored_content_ids,
)

from .test_cli import stored_state
from .test_model import DATA, full_workbook

Edit = Callable[[dict[str, Any]], None]


def _set(path: tuple[Any, ...], value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


UNKNOWN: dict[str, tuple[Edit, str, str, str]] = {
    # name: (change to a valid workbook, the field the message names, the id, the kind's words)
    "needs rating": (
        _set(("needs", "ratings"), {"Free text need": {"support": 1, "need": 4}}),
        "needs › ratings", "Free text need", "domains",
    ),
    "top need": (_set(("needs", "top_needs"), ["made_up"]), "needs › top needs", "made_up",
                 "domains"),
    "goal's need": (_set(("goals", 0, "need"), "made_up"), "goals › #1 › need", "made_up",
                    "domains"),
    "person's domain": (
        _set(("people", 0, "domains"), ["research", "made_up"]), "people › #1 › domains",
        "made_up", "domains",
    ),
    "person's quality": (
        _set(("people", 1, "qualities"), ["made_up"]), "people › #2 › qualities", "made_up",
        "qualities",
    ),
    "habit": (
        _set(("managing_up", "p1", "habits"), ["made_up"]),
        "managing up › plan #1 › habits", "made_up", "habits",
    ),
    "quality rating": (
        _set(("qualities", "ratings"), {"p1": {"made_up": 3}}),
        "qualities › ratings › mentor #1", "made_up", "qualities",
    ),
    "priority": (_set(("qualities", "priorities"), ["made_up"]), "qualities › priorities",
                 "made_up", "qualities"),
    "self-check": (_set(("qualities", "self_check"), {"made_up": 2}), "qualities › self check",
                   "made_up", "competencies"),
    "competency to grow": (_set(("qualities", "grow"), "made_up"), "qualities › grow",
                           "made_up", "competencies"),
    "scenario": (
        _set(("scenarios",), {'=HYPERLINK("x")': {"strategy": "mine"}}), "scenarios",
        '=HYPERLINK("x")', "scenarios",
    ),
    "objective": (
        _set(("evaluation", "objectives_met"), {"made_up": 4}),
        "evaluation › objectives met", "made_up", "objectives",
    ),
    "confidence before": (
        _set(("evaluation", "confidence_before"), {"Dr Smith": 2}),
        "evaluation › confidence before", "Dr Smith", "confidence questions",
    ),
    "confidence after": (
        _set(("evaluation", "confidence_after"), {"made_up": 4}),
        "evaluation › confidence after", "made_up", "confidence questions",
    ),
}


def with_unknown(name: str) -> tuple[dict[str, Any], str, str, str]:
    """A valid workbook's JSON with one unknown id put in; and the field, id and kind words."""
    data = full_workbook().to_json_dict()
    edit, field, value, kind = UNKNOWN[name]
    edit(data)
    Workbook.model_validate(data)  # the model itself accepts it: stored data may hold it
    return data, field, value, kind


def write(folder: Path, name: str, data: Any) -> str:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return str(path)


# -- what a workbook may use ------------------------------------------------------------------
def test_every_content_field_of_the_model_is_checked() -> None:
    """A guard for the future: every place the model keeps a content id is in the list."""
    wb = full_workbook()
    fields = {where.split(" › ")[0] for where, _kind, _v in stored_content_ids(wb)}
    assert {"needs", "goals", "people", "managing up", "qualities", "scenarios"} <= fields
    for name in UNKNOWN:
        data, field, value, _kind = with_unknown(name)
        found = {(w, v) for w, _k, v in stored_content_ids(Workbook.model_validate(data))}
        assert (field, value) in found, name


def test_the_real_ids_pass(content) -> None:
    parse_workbook_data(full_workbook().to_json_dict())
    for _label, persona in demo_personas().values():
        assert parse_workbook_data(persona.to_json_dict()) == persona
    parse_workbook_bytes((DATA / "workbook-v1.json").read_bytes())
    nothing_chosen = full_workbook().to_json_dict()
    nothing_chosen["goals"][0]["need"] = ""  # "" means none chosen, not an id
    nothing_chosen["qualities"]["grow"] = ""
    parse_workbook_data(nothing_chosen)


@pytest.mark.parametrize("name", sorted(UNKNOWN))
def test_an_unknown_id_is_refused_naming_the_field_and_the_id(name: str) -> None:
    data, field, value, kind = with_unknown(name)
    with pytest.raises(UnknownContentId) as caught:
        parse_workbook_data(data)
    message = str(caught.value)
    assert message.startswith("Not a valid workbook: ")
    assert f"{field}: {json.dumps(value)} is not one of this workshop's" in message, message
    assert kind in message
    assert (caught.value.field, caught.value.value) == (field, value)
    # the same words from a .json file and from a notebook copy
    raw = json.dumps(data).encode()
    for reader in (
        lambda: read_workbook_file("mine.json", raw),
        lambda: read_workbook_file(
            "copy.ipynb", json.dumps({"metadata": {"mentoring_mosaic": {"workbook": data}}})
            .encode()),
    ):
        with pytest.raises(UnknownContentId, match="is not one of this workshop's"):
            reader()


def test_the_message_counts_the_rest_and_keeps_a_hostile_id_short_and_on_one_line() -> None:
    data = full_workbook().to_json_dict()
    data["scenarios"] = {("<b>evil</b>\n" * 10): {"strategy": ""}, "other": {"strategy": ""}}
    data["evaluation"]["confidence_after"] = {"x": 3}
    with pytest.raises(UnknownContentId) as caught:
        parse_workbook_data(data)
    message = str(caught.value)
    assert "\n" not in message and message.count("<b>evil</b>") <= 5
    assert "…" in message and "(and 2 more unknown ids)" in message
    # a key too long for the model is named on one line too
    data["scenarios"] = {("<b>evil</b>\n" * 20): {"strategy": ""}}
    with pytest.raises(WorkbookError) as caught:
        parse_workbook_data(data)
    assert "\n" not in str(caught.value) and "too long" in str(caught.value)


# -- validate, import, resume -----------------------------------------------------------------
def test_validate_and_import_refuse_an_unknown_id_and_change_nothing(
    tmp_path: Path, mm_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store()
    store.save_workbook(DEFAULT_KEY, full_workbook())
    store.dispose()
    before = stored_state(mm_home)
    data, field, value, _kind = with_unknown("scenario")
    path = write(tmp_path, "mine.json", data)
    for command in (["validate", path], ["import", path], ["import", "--new", path],
                    ["import", "--force", path]):
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert f"{field}: {json.dumps(value)} is not one of this workshop's scenarios" in err
        assert "MENTORING_MOSAIC_CONTENT" in err  # where a facilitator adds ids
    assert stored_state(mm_home) == before


FACILITATOR_DOMAIN = """
[[domain]]
id = "advocacy"
name = "Advocacy"
description = "Help speaking up for patients and communities."
color = "#123456"
source = "mentoring_mosaic_team"
"""


def test_the_facilitators_own_content_defines_more_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = full_workbook().to_json_dict()
    data["needs"]["top_needs"] = ["research", "advocacy"]
    data["people"][0]["domains"] = ["advocacy"]
    path = write(tmp_path, "ours.json", data)
    assert main(["validate", path]) == 2
    assert '"advocacy" is not one of this workshop\'s domains' in capsys.readouterr().err
    folder = tmp_path / "our-content"
    folder.mkdir()
    (folder / "domains.toml").write_text(FACILITATOR_DOMAIN, encoding="utf-8")
    monkeypatch.setenv("MENTORING_MOSAIC_CONTENT", str(folder))
    assert main(["validate", path]) == 0, capsys.readouterr().err
    assert main(["import", "--new", path]) == 0
    capsys.readouterr()
    data["needs"]["top_needs"] = ["global_health"]
    assert main(["validate", write(tmp_path, "other.json", data)]) == 2
    err = capsys.readouterr().err
    assert f"neither the packaged content nor {folder.resolve()} defines it" in err


def test_stored_workbooks_keep_ids_the_content_does_not_know(store: Store) -> None:
    """Refusing is for files coming in: a stored mosaic from another content set is kept."""
    wb = full_workbook()
    wb.people = [Person(id="p1", name="Dr Lee", domains=["research", "from_another_set"])]
    store.save_workbook("kept", wb)
    session = Session(store=store, key="kept")
    session.update("profile", session.workbook.profile.model_copy(update={"next_role": "Chief"}))
    session.save_person(session.workbook.people[0].model_copy(update={"notes": "met"}))
    again = store.load("kept")
    assert again.people[0].domains == ["research", "from_another_set"]
    assert again.profile.next_role == "Chief"


def test_a_notebook_copy_with_an_unknown_id_is_not_resumed(
    mm_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mentoring_mosaic.exports.notebook import resume

    store = Store()
    store.save_workbook(DEFAULT_KEY, full_workbook())
    store.dispose()
    before = stored_state(mm_home)
    data, field, value, _kind = with_unknown("confidence before")
    resume(json.dumps(data))
    out = capsys.readouterr().out
    assert "could not be loaded, and nothing was changed" in out
    assert f"{field}: {json.dumps(value)}" in out
    assert stored_state(mm_home) == before


def test_the_room_does_not_count_a_file_with_an_unknown_id() -> None:
    from mentoring_mosaic.analysis.cohort import load_files

    data, _field, _value, _kind = with_unknown("needs rating")
    result = load_files([("a.json", json.dumps(data).encode())])
    assert not result.workbooks and len(result.rejected) == 1


# -- an older file's keys that its version never had ----------------------------------------
OLD_FILES: dict[str, tuple[dict[str, Any], str]] = {
    "v1 people": ({"schema_version": 1, "people": "everyone"}, '"people" is not part of a '
                  "version 1 workbook"),
    "v1 typo": ({"schema_version": 1, "mentros": []}, '"mentros" is not part of a version 1'),
    "v1 no version": ({"profle": {}}, '"profle" is not part of a version 1'),
    "v1 profile display name": (
        {"schema_version": 1, "profile": {"name": "A", "display_name": "B"}},
        "profile: 'display_name' is not part of a version 1 workbook file (version 1 called "
        "it 'name')",
    ),
    "v1 mentor status": (
        {"schema_version": 1, "mentors": [{"name": "Dr Lee", "kind": "prospective",
                                           "status": "existing"}]},
        "mentors › #1: 'status' is not part of a version 1",
    ),
    "v2 workbook id": (
        {"schema_version": 2, "workbook_id": "0" * 32}, '"workbook_id" is not part of a '
        "version 2 workbook",
    ),
    "v1 profile text": ({"schema_version": 1, "profile": "Ana"}, "profile: must be an object"),
    "v2 unknown": ({"schema_version": 2, "notes": "x"}, '"notes" is not part of a version 2'),
}


@pytest.mark.parametrize("name", sorted(OLD_FILES))
def test_an_older_files_unknown_keys_are_refused(name: str) -> None:
    data, words = OLD_FILES[name]
    with pytest.raises(WorkbookError) as caught:
        parse_workbook_data(data)
    assert words in str(caught.value), str(caught.value)


def test_a_current_files_unknown_key_is_named_in_plain_words() -> None:
    data = full_workbook().to_json_dict()
    data["people_everyone"] = True
    with pytest.raises(WorkbookError, match="people everyone: is not part of a workbook"):
        parse_workbook_data(data)


def test_validate_refuses_the_version_1_file_from_the_issue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "old.json", b'{"schema_version": 1, "people": "everyone"}')
    assert main(["validate", path]) == 2
    assert '"people" is not part of a version 1 workbook' in capsys.readouterr().err
    assert main(["validate", str(DATA / "workbook-v1.json")]) == 0
