"""A page's kernel keeps only what the page needs (issue 16, item 5).

Every stage page is its own kernel, one per participant in a room: default style widgets are
shared instead of made one per control, and the memory freed while the page was built is
handed back. These check that the page still behaves the same.
"""

from __future__ import annotations

import ipywidgets as ipw
import pytest

from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.common import html_block, shared_style
from mentoring_mosaic.widgets.pages import release_free_memory
from mentoring_mosaic.widgets.stage1_needs import NeedsView


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def test_stage1_tick_boxes_share_one_default_style(session, content) -> None:
    view = NeedsView(session, content)
    boxes = [box for seg in (*view.support.values(), *view.need.values()) for box in seg.boxes]
    boxes += list(view.top.values())
    assert len(boxes) == 11 * len(content.domains)  # 5 + 5 segments and a chip per domain
    assert len({id(box.style) for box in boxes}) == 1
    assert isinstance(boxes[0].style, ipw.Checkbox.class_traits()["style"].klass)
    # tapping still works one box at a time: the shared style carries no state
    view.support["research"].boxes[2].value = True
    assert [b.value for b in view.support["research"].boxes] == [False, False, True, False, False]
    assert session.store.load("t").needs.ratings["research"].support == 2


def test_text_blocks_share_one_style_that_is_remade_after_closing() -> None:
    first, second = html_block("<b>a</b>", "x"), html_block("b")
    assert first.style is second.style
    assert first._dom_classes == ("x",) and first.value == "<b>a</b>"
    first.style.close()  # a test (or a page) closing widgets must not leave a dead style behind
    third = html_block("c")
    assert third.style is not first.style and third.style.comm is not None
    assert shared_style(ipw.HTML) is third.style


def test_release_free_memory_is_harmless() -> None:
    release_free_memory()  # glibc: gives memory back; elsewhere: does nothing, never raises
