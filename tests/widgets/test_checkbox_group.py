"""Tick boxes that read like a multi-select (qualities and kinds of support in the mosaic)."""

from __future__ import annotations

import pytest
import traitlets

from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.common import CheckboxGroup
from mentoring_mosaic.widgets.mosaic_editor import MosaicEditor


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def group() -> CheckboxGroup:
    return CheckboxGroup([("Honest", "honest"), ("Available", "available"), ("Kind", "kind")])


def test_ticking_boxes_sets_the_value_in_option_order() -> None:
    g = group()
    g.boxes["kind"].value = True
    g.boxes["honest"].value = True
    assert g.value == ("honest", "kind")
    g.boxes["kind"].value = False
    assert g.value == ("honest",)


def test_setting_the_value_ticks_the_boxes() -> None:
    g = group()
    g.value = ("kind", "available")
    assert g.value == ("available", "kind")
    assert [b.value for b in g.boxes.values()] == [False, True, True]
    g.value = ()
    assert not any(b.value for b in g.boxes.values())


def test_unknown_choices_are_refused_and_nothing_changes() -> None:
    g = group()
    g.value = ("honest",)
    with pytest.raises(traitlets.TraitError, match="not an option"):
        g.value = ("honest", "<script>")
    assert g.value == ("honest",) and g.boxes["honest"].value


def test_each_box_has_its_own_accessible_name() -> None:
    assert [b.description for b in group().boxes.values()] == ["Honest", "Available", "Kind"]


def test_qualities_ticked_in_the_mosaic_form_are_saved(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    editor.add_form.name.value = "Dr Ruiz"
    first, second = content.qualities[0].id, content.qualities[1].id
    editor.add_form.qualities.boxes[second].value = True
    editor.add_form.qualities.boxes[first].value = True
    editor.add_button.click()
    person = next(p for p in store.load("t").people if p.name == "Dr Ruiz")
    assert person.qualities == [first, second]
    editor.new_person()
    assert editor.add_form.qualities.value == ()
    editor.open_person(person.id)
    assert editor.edit_form.qualities.value == (first, second)
    assert editor.edit_form.qualities.boxes[first].value
