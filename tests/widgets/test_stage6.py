"""Stage 6 without a browser: one scenario at a time, biggest gap first, notes kept.

A small group looks at one scenario together, so the page shows exactly one card (with the
group's timer in it); choosing another scenario swaps the card, and nothing typed in a card
that is put away is lost: it is saved as typed and comes back with the card.
"""

from __future__ import annotations

import html

import pytest

from mentoring_mosaic import demo
from mentoring_mosaic.analysis.actions import ordered_scenarios
from mentoring_mosaic.model import DomainRating, Needs, ScenarioNote, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.stage6_scenarios import (
    NOTED,
    ScenariosView,
    sources_html,
    why_html,
)


@pytest.fixture
def session(store):
    return Session(store=store, key="t")


@pytest.fixture
def view(session: Session, content):
    v = ScenariosView(session, content)
    yield v
    v.close()


def open_ids(view: ScenariosView) -> list[str]:
    return [sid for sid, card in view.cards.items() if card.is_open]


def with_timer(view: ScenariosView) -> list[str]:
    return [sid for sid, card in view.cards.items() if view.timer in card.timer_slot.children]


def sponsorship_gap(session: Session) -> None:
    """A rated need with no mentor for it: sponsorship is the biggest gap."""
    session.replace(Workbook(needs=Needs(ratings={"sponsorship": DomainRating(need=4)})))


def test_one_scenario_shows_at_a_time_with_the_timer_in_it(view: ScenariosView) -> None:
    first = view.order[0]
    assert open_ids(view) == [first] and with_timer(view) == [first]
    assert view.picker.value == first
    # the picker offers every scenario, in the order of the cards
    assert [value for _label, value in view.picker.options] == view.order
    for sid in view.order[1:4]:
        view.picker.value = sid
        assert open_ids(view) == [sid] and with_timer(view) == [sid]
        assert view.open_id == sid
    # a running timer keeps running when the group switches scenario
    view.timer.start()
    view.picker.value = first
    assert view.timer.running and with_timer(view) == [first]


def test_the_biggest_gap_opens_first_and_a_chosen_scenario_stays_open(
    view: ScenariosView, session: Session, content
) -> None:
    assert view.order == [s.id for s in content.scenarios]  # no gap yet: the file's order
    assert "Rate your needs (stage 1)" in view.intro.value
    sponsorship_gap(session)  # a resumed workbook: re-ordered, the gap's scenario open
    gap_first = ordered_scenarios(session.workbook, content)[0].id
    assert "sponsorship" in content.scenario(gap_first).domains
    assert view.order[0] == gap_first and open_ids(view) == [gap_first]
    assert "your biggest gap, <strong>Sponsorship</strong>" in view.intro.value
    assert "Matches your biggest gap: Sponsorship" in view.cards[gap_first].header.value
    # the group takes another scenario; coming back to the stage keeps it open
    other = view.order[5]
    view.picker.value = other
    view.on_show()
    assert open_ids(view) == [other] and view.picker.value == other
    # a resumed file or a demo starts again from the biggest gap
    session.replace(session.workbook.model_copy())
    assert open_ids(view) == [gap_first] and view.picker.value == gap_first


def test_notes_are_saved_as_typed_and_kept_when_another_scenario_opens(
    view: ScenariosView, session: Session, store, content
) -> None:
    first, second = view.order[:2]
    card = view.cards[first]
    card.strategy.value = "Ask for 20 minutes about <b>one</b> question"
    card.discussed.value = True
    view.picker.value = second  # the group moves on
    view.cards[second].strategy.value = "Send two questions ahead"
    saved = store.load("t").scenarios
    assert saved[first] == ScenarioNote(
        strategy="Ask for 20 minutes about <b>one</b> question", discussed=True
    )
    assert saved[second] == ScenarioNote(strategy="Send two questions ahead", discussed=False)
    # the picker marks the scenarios holding notes, as plain text (no markup in an option)
    labels = dict((value, label) for label, value in view.picker.options)
    assert labels[first] == NOTED + content.scenario(first).title
    assert labels[second] == NOTED + content.scenario(second).title
    assert not labels[view.order[2]].startswith(NOTED)
    assert "✓ marks a scenario with your notes" in view.pick_hint.value
    assert view.picker.value == second  # re-labelling kept the choice
    # back to the first: the notes are there; a fresh page shows both again
    view.picker.value = first
    assert view.cards[first].strategy.value.startswith("Ask for 20 minutes")
    again = ScenariosView(Session(store=store, key="t"), content)
    try:
        assert again.cards[first].discussed.value is True
        assert again.cards[second].strategy.value == "Send two questions ahead"
        assert open_ids(again) == [first]
    finally:
        again.close()


def test_clearing_a_note_keeps_the_discussed_tick_and_drops_the_mark(
    view: ScenariosView, store
) -> None:
    sid = view.order[0]
    card = view.cards[sid]
    card.strategy.value = "A first move"
    card.discussed.value = True
    card.strategy.value = ""
    assert store.load("t").scenarios[sid] == ScenarioNote(strategy="", discussed=True)
    assert not view.picker.options[0][0].startswith(NOTED)
    assert view.pick_hint.value == ""


def test_a_demo_persona_notes_show_in_their_cards(session: Session, content) -> None:
    wb = demo.pgy3()
    session.replace(wb)
    view = ScenariosView(session, content)
    try:
        assert len(open_ids(view)) == 1
        for sid, note in wb.scenarios.items():
            assert view.cards[sid].strategy.value == note.strategy
            assert view.cards[sid].discussed.value == note.discussed
        noted = [label for label, _v in view.picker.options if label.startswith(NOTED)]
        assert len(noted) == len([n for n in wb.scenarios.values() if n.strategy.strip()])
        # opening a card saves nothing new: the stored notes stay as they were
        for sid in view.order:
            view.picker.value = sid
        assert session.store.load("t").scenarios == wb.scenarios
    finally:
        view.close()


def test_explanations_and_sources_wait_in_closed_folds(view: ScenariosView, content) -> None:
    why, sources = why_html(content), sources_html(content)
    for fold, summary in ((why, "Why this matters"), (sources, "Sources")):
        assert fold.startswith(f'<details class="mm-fold"><summary>{summary}</summary>')
        assert "<details open" not in fold
    assert content.stage("scenarios").key_points[0] in why
    for s in content.scenarios:  # every scenario's source is cited once
        citation = content.source(s.source).citation
        assert sources.count(html.escape(citation)) == 1, s.source
    # no workshop jargon on the card: questions to talk through, ideas to compare
    card = view.cards[view.order[0]]
    assert "Talk it through" in card.body.value
    assert "debrief" not in card.body.value.lower() + card.debrief.value.lower()
    assert "Ideas to compare, after your talk" in card.debrief.value
