"""Tests for the content library: packaged files, overrides and error messages."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from mentoring_mosaic import content as content_pkg
from mentoring_mosaic.content import (
    ALLOWED_FILES,
    ENV_VAR,
    Content,
    ContentError,
    get_content,
    load_content,
)
from mentoring_mosaic.content import loader as loader_mod
from mentoring_mosaic.content import schema as schema_mod
from mentoring_mosaic.content.schema import (
    CRITERION_IDS,
    LEVELS,
    SCENARIO_CATEGORIES,
    SKILL_IDS,
    STAGE_IDS,
    contrast_ratio,
)

LIST_ATTRS = (
    "sources",
    "domains",
    "qualities",
    "habits",
    "suggestions",
    "scenarios",
    "criteria",
    "prompts",
    "barriers",
    "transitions",
    "scale",
    "objectives",
    "skills",
    "agenda",
    "cards",
    "competencies",
    "network_types",
    "mosaic_prompts",
)

DOMAIN_IDS = (
    "career_guidance",
    "clinical_skills",
    "research",
    "teaching",
    "leadership",
    "sponsorship",
    "emotional_support",
    "work_life",
    "role_model",
    "networking",
    "feedback",
    "accountability",
)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without a facilitator folder and with an empty cache."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    get_content.cache_clear()


@pytest.fixture(scope="module")
def packaged() -> Content:
    return load_content()


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(override: Path) -> str:
    with pytest.raises(ContentError) as info:
        load_content(override)
    return str(info.value)


# -- the packaged content ------------------------------------------------------------------


def test_packaged_content_loads(packaged: Content) -> None:
    for attr in LIST_ATTRS:
        value = getattr(packaged, attr)
        assert isinstance(value, list), attr
        assert value, f"{attr} is empty"
    assert packaged.override_dir is None
    assert packaged.headline.id == "headline"
    assert packaged.headline.text == (
        "Participating in this workshop will improve the quality of my mentoring relationships"
    )


def test_expected_sizes_and_ids(packaged: Content) -> None:
    assert tuple(d.id for d in packaged.domains) == DOMAIN_IDS
    assert tuple(s.id for s in packaged.agenda) == STAGE_IDS
    assert [s.number for s in packaged.agenda] == list(range(8))
    assert tuple(c.id for c in packaged.criteria) == CRITERION_IDS
    assert tuple(s.id for s in packaged.skills) == SKILL_IDS
    assert [p.value for p in packaged.scale] == [1, 2, 3, 4, 5]
    assert packaged.scale[0].label == "Strongly disagree"
    assert packaged.scale[-1].label == "Strongly agree"
    assert len(packaged.scenarios) == 10
    assert len(packaged.competencies) == 6
    assert 10 <= len(packaged.qualities) <= 12
    assert 9 <= len(packaged.habits) <= 12
    assert 5 <= len(packaged.transitions) <= 7
    assert len(packaged.barriers) >= 5
    assert len(packaged.prompts) >= 5
    assert len(packaged.mosaic_prompts) >= 10


def test_ids_are_unique_per_list(packaged: Content) -> None:
    for attr in LIST_ATTRS:
        if attr == "scale":
            continue
        ids = [e.id for e in getattr(packaged, attr)]
        assert len(ids) == len(set(ids)), attr


def test_every_entry_has_a_known_source(packaged: Content) -> None:
    known = {s.id for s in packaged.sources}
    for required in (
        "mededportal_10201",
        "li_burke_2010",
        "li_2010",
        "zerzan_2009",
        "lee_mentoring_up",
        "gabarro_kotter_1980",
        "straus_2013",
        "cho_2011",
        "fleming_2013",
        "higgins_kram_2001",
        "ncfdd_mentoring_map",
        "mededportal_10459",
        "mededportal_10441",
        "mentoring_mosaic_team",
    ):
        assert required in known
    for attr in LIST_ATTRS:
        if attr == "sources":
            continue
        for entry in getattr(packaged, attr):
            assert entry.source in known, (attr, entry)
    assert packaged.headline.source in known
    assert packaged.source("mededportal_10201").link.endswith("10.15766/mep_2374-8265.10201")


def test_every_domain_has_a_suggestion_at_each_level(packaged: Content) -> None:
    for level in LEVELS:
        at_level = [s for s in packaged.suggestions if s.level == level]
        assert len(at_level) >= 3, level
        for domain in packaged.domains:
            options = packaged.suggestions_for(domain.id, level)
            assert options, (domain.id, level)
            assert all(domain.id in s.domains or not s.domains for s in options)
        # specific suggestions come before generic ones
        options = packaged.suggestions_for("sponsorship", level)
        generic_seen = False
        for s in options:
            if not s.domains:
                generic_seen = True
            else:
                assert not generic_seen


def test_scenarios_are_complete(packaged: Content) -> None:
    ids = {s.id for s in packaged.scenarios}
    assert {"recruit_new_mentor", "limited_time"} <= ids
    for s in packaged.scenarios:
        assert s.category in SCENARIO_CATEGORIES
        assert 3 <= len(s.prompts) <= 4, s.id
        assert 3 <= len(s.debrief) <= 5, s.id
        assert s.domains, s.id
        assert set(s.domains) <= set(packaged.domain_names)
        assert "\\" not in s.situation
        assert "\n" not in s.situation
    assert {s.category for s in packaged.scenarios} == set(SCENARIO_CATEGORIES)
    # whatever a participant's biggest gap, there is a case about it
    for domain_id in DOMAIN_IDS:
        assert packaged.scenarios_for(domain_id), domain_id
    assert packaged.scenarios_for("sponsorship")[0].id == "chief_keeps_cancelling"


def test_domains_colours_and_helpers(packaged: Content) -> None:
    colors = list(packaged.domain_colors.values())
    assert len(set(colors)) == 12
    for d in packaged.domains:
        assert re.fullmatch(r"#[0-9a-f]{6}", d.color)
        assert contrast_ratio(d.color, d.text_color) >= 4.5, d.id
        assert packaged.domain(d.id) is d
        assert packaged.domain_names[d.id] == d.name
    assert packaged.stage("mosaic").number == 4
    assert packaged.quality("honest").group == "personal"
    with pytest.raises(KeyError, match="unknown domain id 'nope'"):
        packaged.domain("nope")


def test_agenda_minutes(packaged: Content) -> None:
    assert sum(s.minutes for s in packaged.agenda) == 90
    assert sum(s.minutes_60 for s in packaged.agenda) == 60
    assert sum(s.minutes_120 for s in packaged.agenda) == 120
    assert packaged.total_minutes == {"60": 60, "90": 90, "120": 120}
    for s in packaged.agenda:
        assert len(s.key_points) == 3
        assert len(s.short) <= 14


def test_network_types(packaged: Content) -> None:
    expected = {
        ("low", "weak"): "receptive",
        ("low", "strong"): "traditional",
        ("high", "weak"): "opportunistic",
        ("high", "strong"): "entrepreneurial",
    }
    for (diversity, ties), type_id in expected.items():
        assert packaged.network_type(diversity, ties).id == type_id


def test_entries_are_frozen(packaged: Content) -> None:
    with pytest.raises(ValidationError):
        packaged.domains[0].name = "changed"  # type: ignore[misc]


def test_loading_is_fast() -> None:
    load_content()  # warm up
    best = min(_timed_load() for _ in range(5))
    assert best < 0.05, f"loading took {best * 1000:.1f} ms"


def _timed_load() -> float:
    start = time.perf_counter()
    load_content()
    return time.perf_counter() - start


# -- overrides ------------------------------------------------------------------------------

NEW_DOMAIN = """
[[domain]]
id = "teaching"
name = "Teaching and education"
description = "Renamed by the facilitator."
color = "#44AA99"
source = "mentoring_mosaic_team"

[[domain]]
id = "advocacy"
name = "Advocacy"
description = "Help speaking up for patients and communities."
color = "#123456"
source = "local_programme"
"""

LOCAL_SOURCE = """
[[source]]
id = "local_programme"
citation = "Our programme's own additions."
"""


def test_override_merges_by_id(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write(folder, "domains.toml", NEW_DOMAIN)
    write(folder, "sources.toml", LOCAL_SOURCE)
    write(folder, "README.md", "notes for the facilitator are ignored")
    c = load_content(folder)
    ids = [d.id for d in c.domains]
    assert ids == [*DOMAIN_IDS, "advocacy"]
    assert c.domain("teaching").name == "Teaching and education"
    assert c.domain("teaching").color == "#44aa99"
    assert c.domain_names["advocacy"] == "Advocacy"
    assert c.source("local_programme").link == ""
    assert len(c.sources) == len(load_content().sources) + 1
    assert c.override_dir == folder.resolve()
    # lists without an override file are untouched; generic suggestions cover the new domain
    assert len(c.scenarios) == 10
    assert all(c.suggestions_for("advocacy", level) for level in LEVELS)


def test_override_replace_whole_list(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write(
        folder,
        "scenarios.toml",
        """
replace = true

[[scenario]]
id = "local_case"
title = "Our own case"
category = "expectations"
situation = "A resident and a mentor disagree about how often to meet."
prompts = ["What would you do?"]
debrief = ["Talk about it early."]
domains = ["accountability"]
source = "mentoring_mosaic_team"
""",
    )
    write(
        folder,
        "ilp.toml",
        """
replace = true

[[barrier]]
id = "no_time"
text = "No time"
tip = "Start small."
source = "li_2010"
""",
    )
    c = load_content(folder)
    assert [s.id for s in c.scenarios] == ["local_case"]
    assert [b.id for b in c.barriers] == ["no_time"]
    # other lists in the same file keep the packaged entries
    assert tuple(cr.id for cr in c.criteria) == CRITERION_IDS
    assert len(c.transitions) == len(load_content().transitions)


def test_override_headline_and_agenda_entry(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write(
        folder,
        "evaluation.toml",
        """
[headline]
text = "This session will help me get more from my mentors"
source = "mentoring_mosaic_team"
""",
    )
    base = load_content()
    stage = base.stage("welcome")
    write(
        folder,
        "agenda.toml",
        f"""
[[stage]]
id = "welcome"
number = 0
title = "Hello and welcome"
short = "Hello"
minutes = {stage.minutes}
minutes_60 = {stage.minutes_60}
minutes_120 = {stage.minutes_120}
format = "plenary"
key_points = ["One", "Two", "Three"]
facilitator_prompt = "Say hello."
source = "mededportal_10201"
""",
    )
    c = load_content(folder)
    assert c.headline.text.startswith("This session")
    assert c.stage("welcome").title == "Hello and welcome"
    assert [s.id for s in c.agenda] == list(STAGE_IDS)


def test_env_var_and_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = get_content()
    assert get_content() is plain
    folder = tmp_path / "mine"
    write(folder, "domains.toml", NEW_DOMAIN)
    write(folder, "sources.toml", LOCAL_SOURCE)
    monkeypatch.setenv(ENV_VAR, str(folder))
    custom = get_content()
    assert custom is not plain
    assert "advocacy" in custom.domain_names
    assert get_content() is custom
    monkeypatch.setenv(ENV_VAR, "")
    assert get_content() is plain
    # an explicit folder wins over the environment variable
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    assert "advocacy" in load_content(folder).domain_names
    with pytest.raises(ContentError, match="does not exist"):
        load_content()


# -- errors ---------------------------------------------------------------------------------


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "habits.toml", '[[habit]]\nid = "x"\ntext = "unterminated\n')
    message = error_of(tmp_path)
    assert str(path) in message
    assert "TOML syntax error" in message
    assert "line 3" in message


def test_bad_colour(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "domains.toml",
        """
[[domain]]
id = "teaching"
name = "Teaching"
description = "Teaching."
color = "teal"
source = "mentoring_mosaic_team"
""",
    )
    message = error_of(tmp_path)
    assert message == (
        f'content file {path}, [[domain]] entry 1 (id "teaching"): '
        'color: must be a colour like "#1f77b4"'
    )


def test_duplicate_id(tmp_path: Path) -> None:
    entry = """
[[habit]]
id = "send_agenda"
text = "Send an agenda"
why = "It helps."
source = "zerzan_2009"
"""
    path = write(tmp_path, "habits.toml", entry + entry)
    message = error_of(tmp_path)
    assert str(path) in message
    assert 'entry 2 (id "send_agenda")' in message
    assert "duplicate id" in message


def test_duplicate_colour(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "domains.toml",
        """
[[domain]]
id = "advocacy"
name = "Advocacy"
description = "Advocacy."
color = "#0072B2"
source = "mentoring_mosaic_team"
""",
    )
    message = error_of(tmp_path)
    assert str(path) in message
    assert 'entry 1 (id "advocacy")' in message
    assert "career_guidance" in message


def test_unknown_domain_reference(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "suggestions.toml",
        """
[[suggestion]]
id = "ok_one"
level = "peer"
domains = ["teaching"]
where = "Somewhere"
first_step = "Do something."
source = "mentoring_mosaic_team"

[[suggestion]]
id = "bad_one"
level = "peer"
domains = ["teaching", "cooking"]
where = "Somewhere"
first_step = "Do something."
source = "mentoring_mosaic_team"
""",
    )
    message = error_of(tmp_path)
    assert str(path) in message
    assert '[[suggestion]] entry 2 (id "bad_one")' in message
    assert "unknown domain id 'cooking'" in message


def test_unknown_domain_in_mosaic_prompt(tmp_path: Path) -> None:
    write(
        tmp_path,
        "mosaic_prompts.toml",
        """
[[prompt]]
id = "odd"
text = "Who do you go to when you are hungry?"
domains = ["food"]
source = "mentoring_mosaic_team"
""",
    )
    message = error_of(tmp_path)
    assert "mosaic_prompts.toml" in message
    assert "unknown domain id 'food'" in message


def test_unknown_source(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "qualities.toml",
        """
[[quality]]
id = "patient"
name = "Patient"
description = "Gives you time."
group = "personal"
source = "my_blog"
""",
    )
    message = error_of(tmp_path)
    assert str(path) in message
    assert 'entry 1 (id "patient")' in message
    assert "unknown source id 'my_blog'" in message


def test_bad_minutes(tmp_path: Path) -> None:
    stage = load_content().stage("needs")
    path = write(
        tmp_path,
        "agenda.toml",
        f"""
[[stage]]
id = "needs"
number = 1
title = "{stage.title}"
short = "{stage.short}"
minutes = {stage.minutes + 5}
minutes_60 = {stage.minutes_60}
minutes_120 = {stage.minutes_120}
format = "small groups"
key_points = ["a", "b", "c"]
facilitator_prompt = "Ask."
source = "li_burke_2010"
""",
    )
    message = error_of(tmp_path)
    assert str(path) in message
    assert "[[stage]]" in message
    assert "add up to 95" in message
    assert "must add up to 90" in message


def test_negative_minutes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "agenda.toml",
        """
[[stage]]
id = "needs"
number = 1
title = "Needs"
short = "Needs"
minutes = -5
minutes_60 = 5
minutes_120 = 5
format = "small groups"
key_points = ["a"]
facilitator_prompt = "Ask."
source = "li_burke_2010"
""",
    )
    message = error_of(tmp_path)
    assert f'{path}, [[stage]] entry 1 (id "needs"): minutes:' in message


def test_wrong_stage_order(tmp_path: Path) -> None:
    base = load_content()
    order = ["welcome", "managing_up", "needs", *STAGE_IDS[3:]]
    text = "replace = true\n"
    for number, stage_id in enumerate(order):
        s = base.stage(stage_id)
        text += f"""
[[stage]]
id = "{stage_id}"
number = {number}
title = "{s.title}"
short = "{s.short}"
minutes = {s.minutes}
minutes_60 = {s.minutes_60}
minutes_120 = {s.minutes_120}
format = "{s.format}"
key_points = ["a", "b", "c"]
facilitator_prompt = "Ask."
source = "{s.source}"
"""
    path = write(tmp_path, "agenda.toml", text)
    message = error_of(tmp_path)
    assert f'{path}, [[stage]] entry 2 (id "managing_up")' in message
    assert "expected stage 'needs' here" in message


def test_unknown_file_name(tmp_path: Path) -> None:
    write(tmp_path, "domain.toml", "")
    message = error_of(tmp_path)
    assert str(tmp_path.resolve()) in message
    assert "unknown file name 'domain.toml'" in message
    for name in ALLOWED_FILES:
        assert name in message


def test_unknown_table_and_field(tmp_path: Path) -> None:
    write(tmp_path, "habits.toml", '[[habbit]]\nid = "x"\n')
    assert "unknown table or key 'habbit'" in error_of(tmp_path)
    write(
        tmp_path,
        "habits.toml",
        '[[habit]]\nid = "x"\ntext = "T"\nwhy = "W"\nsource = "li_2010"\ncolour = "red"\n',
    )
    message = error_of(tmp_path)
    assert 'entry 1 (id "x"): colour: is not a known field' in message


def test_missing_field_and_bad_id(tmp_path: Path) -> None:
    write(
        tmp_path, "habits.toml", '[[habit]]\nid = "Send Agenda"\ntext = "T"\nsource = "li_2010"\n'
    )
    message = error_of(tmp_path)
    assert 'entry 1 (id "Send Agenda")' in message
    assert "id: must be a snake_case id" in message
    assert "why: is missing" in message


def test_single_brackets_for_a_list(tmp_path: Path) -> None:
    write(tmp_path, "habits.toml", '[habit]\nid = "x"\n')
    assert "[[habit]] (double brackets)" in error_of(tmp_path)


def test_replace_must_keep_required_ids(tmp_path: Path) -> None:
    write(
        tmp_path,
        "ilp.toml",
        """
replace = true

[[criterion]]
id = "important"
name = "Important"
question = "Does it matter?"
hint = "Say why."
source = "li_2010"
""",
    )
    message = error_of(tmp_path)
    assert "ilp.toml, [[criterion]]" in message
    assert "missing id(s) specific" in message


def test_scale_and_network_types_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        "evaluation.toml",
        'replace = true\n[[scale]]\nvalue = 1\nlabel = "No"\nsource = "mededportal_10201"\n',
    )
    assert "values 1, 2, 3, 4, 5" in error_of(tmp_path)
    shutil.rmtree(tmp_path)
    write(
        tmp_path,
        "network_types.toml",
        """
[[network_type]]
id = "receptive"
diversity = "high"
ties = "strong"
name = "Receptive"
description = "Wrong quadrant."
source = "higgins_kram_2001"
""",
    )
    assert "already described by 'entrepreneurial'" in error_of(tmp_path)


def test_suggestion_coverage_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        "suggestions.toml",
        """
replace = true

[[suggestion]]
id = "only_senior"
level = "senior"
domains = []
where = "Anyone senior"
first_step = "Ask."
source = "mentoring_mosaic_team"
""",
    )
    message = error_of(tmp_path)
    assert "no peer-level suggestion" in message


def test_missing_override_folder(tmp_path: Path) -> None:
    message = error_of(tmp_path / "nowhere")
    assert "does not exist" in message
    file_path = write(tmp_path, "x.txt", "")
    assert "is not a folder" in error_of(file_path)


def test_broken_packaged_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "pkg"
    copy.mkdir()
    for name in ALLOWED_FILES:
        shutil.copy(Path(content_pkg.__file__).parent / name, copy / name)
    text = (copy / "domains.toml").read_text(encoding="utf-8")
    (copy / "domains.toml").write_text(text.replace('"#332288"', '"#33228"'), encoding="utf-8")
    monkeypatch.setattr(loader_mod, "PACKAGE_DIR", copy)
    with pytest.raises(ContentError) as info:
        load_content()
    message = str(info.value)
    assert f'{copy / "domains.toml"}, [[domain]] entry 3 (id "research"): color:' in message


def test_content_error_is_value_error() -> None:
    assert issubclass(ContentError, ValueError)


def test_replace_with_no_entries_empties_the_list(tmp_path: Path) -> None:
    path = write(tmp_path, "scenarios.toml", "replace = true\n")
    message = error_of(tmp_path)
    assert message == (f"content file {path}: has no [[scenario]] entries; at least one is needed")


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "habits.toml").write_bytes(b'[[habit]]\nid = "caf\xe9"\n')
    assert "is not UTF-8 text" in error_of(tmp_path)


# -- the package's names: the loader re-exported, the models written once in .schema ----------


def test_the_package_exports_the_loader_and_reaches_the_models_in_schema() -> None:
    for name in content_pkg.__all__:
        assert getattr(content_pkg, name) is getattr(loader_mod, name)
    models = {spec.model for tables in loader_mod.FILES.values() for spec in tables.values()}
    for model in models:  # older imports (from mentoring_mosaic.content import Domain) still work
        assert getattr(content_pkg, model.__name__) is getattr(schema_mod, model.__name__)
    assert content_pkg.STAGE_IDS is schema_mod.STAGE_IDS
    with pytest.raises(AttributeError):
        content_pkg.re  # noqa: B018 - a helper module of schema is not part of the package
    with pytest.raises(AttributeError):
        content_pkg.NoSuchModel  # noqa: B018
