"""Stage 3 without a browser: mark what matters, rate only that per mentor, self-check with
one-tap answers, pick one competency to grow, and find it in the action plan and the exports."""

from __future__ import annotations

import html
import json

import ipywidgets as ipw
import nbformat
import pytest

from mentoring_mosaic.analysis.actions import commitments, suggested_actions
from mentoring_mosaic.exports.basic import to_csv
from mentoring_mosaic.exports.notebook import to_ipynb
from mentoring_mosaic.exports.pack import to_html
from mentoring_mosaic.model import Person, Profile, Qualities, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.stage3_qualities import (
    CONFIDENCE_OPTIONS,
    QUALITY_OPTIONS,
    SOURCES_SUMMARY,
    WHY_SUMMARY,
    QualitiesView,
)
from mentoring_mosaic.widgets.stage7_wrapup import WrapUpView


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def stored(store) -> Workbook:
    return store.load("t")


def shown(widget) -> bool:
    return widget.layout.display != "none"


def test_each_quality_has_a_one_line_why_and_the_rest_is_folded(session, content) -> None:
    view = QualitiesView(session, content)
    for q in content.qualities:
        assert q.why, f"{q.id} has no one-line why"
        assert len(q.why.split()) <= 12, f"{q.id}: the why is longer than a line"
        assert view.priorities[q.id].description == q.name
    chips = "".join(chip.children[1].value for chip in view.chips.children)
    assert all(q.why in chips for q in content.qualities)
    assert "Straus" not in chips and "Acad Med" not in chips  # no citation at first sight
    folds = view.folds.value
    # both folds are closed <details> (no "open" attribute), with the cards and citations
    assert folds.count("<details") == 2 and " open" not in folds
    assert f"<summary>{WHY_SUMMARY}</summary>" in folds
    assert f"<summary>{SOURCES_SUMMARY}</summary>" in folds
    for card in content.cards:
        assert card.title in folds
    for sid in {c.source for c in content.cards}:
        assert html.escape(content.source(sid).citation.split(".")[0]) in folds


def test_rate_only_the_marked_qualities_one_mentor_at_a_time(session, store, content) -> None:
    view = QualitiesView(session, content)
    lee = session.save_person(Person(name="Dr Lee", title="program director"))
    kim = session.save_person(Person(name="Sam Kim"))
    assert shown(view.rate_box) and not shown(view.no_mentors)
    assert [label for label, _ in view.picker.options] == ["Dr Lee (program director)", "Sam Kim"]
    # nothing marked: nothing to rate yet, and a hint says why
    assert shown(view.no_marked)
    assert not any(shown(r) for r in view.ratings.values())

    view.priorities["sponsor"].value = True
    view.priorities["honest"].value = True
    assert stored(store).qualities.priorities == ["sponsor", "honest"]
    assert not shown(view.no_marked)
    assert {q for q, r in view.ratings.items() if shown(r)} == {"honest", "sponsor"}
    assert "2 of 5 marked" in view.prio_count.value
    # one tap: the rating rows are radio buttons with words, nothing chosen yet
    assert view.ratings["honest"].options == tuple(QUALITY_OPTIONS)
    assert view.ratings["honest"].value is None

    assert view.picker.value == lee.id
    view.ratings["honest"].value = 4
    view.ratings["sponsor"].value = 1
    view.next_mentor.click()
    assert view.picker.value == kim.id
    assert view.ratings["honest"].value is None  # Kim's own (empty) ratings
    view.ratings["honest"].value = 3
    view.next_mentor.click()
    assert view.picker.value == lee.id  # wraps round
    assert view.ratings["honest"].value == 4

    wb = stored(store)
    assert wb.qualities.ratings == {lee.id: {"honest": 4, "sponsor": 1}, kim.id: {"honest": 3}}
    assert "Dr Lee, Sam Kim" in view.summary.value
    assert "none yet" in view.summary.value  # sponsor: rated, but no one shows it strongly

    # unmarking hides the row but keeps the ratings; marking again shows them
    view.priorities["honest"].value = False
    assert not shown(view.ratings["honest"])
    assert stored(store).qualities.ratings[lee.id] == {"honest": 4, "sponsor": 1}
    assert stored(store).person(lee.id).qualities == ["honest"]  # still in the mosaic
    view.priorities["honest"].value = True
    assert shown(view.ratings["honest"]) and view.ratings["honest"].value == 4


def test_ratings_of_unmarked_qualities_survive_a_reload(store, content) -> None:
    lee = Person(id="lee", name="Dr Lee")
    Session(store=store, key="t").replace(
        Workbook(
            people=[lee],
            qualities=Qualities(
                ratings={"lee": {"honest": 2, "enthusiasm": 4}}, priorities=["honest"]
            ),
        )
    )
    view = QualitiesView(Session(store=store, key="t"), content)
    assert shown(view.ratings["honest"]) and not shown(view.ratings["enthusiasm"])
    assert view.ratings["enthusiasm"].value == 4  # loaded, only hidden
    view.ratings["honest"].value = 3
    assert stored(store).qualities.ratings == {"lee": {"honest": 3, "enthusiasm": 4}}


def test_self_check_one_tap_and_pick_one_to_grow(session, store, content) -> None:
    session.update("profile", Profile(mentors_others=True))
    view = QualitiesView(session, content)
    assert shown(view.check_box) and not shown(view.check_note)
    first, second = (c.id for c in content.competencies[:2])
    assert view.self_check[first].options == tuple(CONFIDENCE_OPTIONS)
    assert all(radio.value is None for radio in view.self_check.values())
    view.self_check[first].value = 3
    view.self_check[second].value = 0
    assert stored(store).qualities.self_check == {first: 3, second: 0}

    assert [label for label, _ in view.grow.options] == [c.name for c in content.competencies]
    assert view.grow.value is None and stored(store).qualities.grow == ""
    view.grow.value = second
    assert stored(store).qualities.grow == second
    view.grow.value = first  # a change of mind replaces the choice
    assert stored(store).qualities.grow == first

    fresh = QualitiesView(Session(store=store, key="t"), content)
    assert fresh.grow.value == first and fresh.self_check[first].value == 3
    session.replace(Workbook())
    assert view.grow.value is None and view.self_check[first].value is None


def test_the_grow_choice_reaches_the_action_plan_and_every_export(
    session, store, content
) -> None:
    session.update("profile", Profile(mentors_others=True))
    view = QualitiesView(session, content)
    lee = session.save_person(Person(name="Dr Lee"))
    view.priorities["trustworthy"].value = True
    view.ratings["trustworthy"].value = 2
    view.self_check["fostering_independence"].value = 1
    view.grow.value = "fostering_independence"
    text = "Grow as a mentor this year: Fostering independence"

    # the wrap-up offers it, and one click puts it in the plan
    wrap = WrapUpView(session, content)
    assert text in [a.text for a in suggested_actions(session.workbook)]
    assert any(text in str(getattr(w, "value", "")) for w in _walk(wrap))
    (add,) = [
        w for w in _walk(wrap) if isinstance(w, ipw.Button) and text in (w.tooltip or "")
    ]
    add.click()
    assert [a.text for a in stored(store).actions] == [text]
    assert [a.text for a in commitments(stored(store)).items] == [text]

    wb = stored(store)
    pack = to_html(wb, content).decode()
    assert text in pack  # in the printed action plan
    assert "The one I will grow as a mentor this year:</strong> Fostering independence" in pack
    assert "What matters most to me in a mentor:</strong> Trustworthy" in pack
    nb = nbformat.reads(to_ipynb(wb, content).decode(), as_version=4)
    cells = "\n".join(c.source for c in nb.cells)
    assert "**The one I will grow this year:** Fostering independence" in cells
    assert "Trustworthy 2" in cells and "Fostering independence 1" in cells
    csv = to_csv(wb).decode()
    assert "qualities.grow,fostering_independence" in csv
    assert f"qualities.ratings.{lee.id}.trustworthy,2" in csv
    assert "qualities.priorities,trustworthy" in csv
    assert "qualities.self_check.fostering_independence,1" in csv
    assert json.loads(wb.model_dump_json())["qualities"]["grow"] == "fostering_independence"


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
