"""Stage 2 (managing up) driven without a browser: fill in, click, and check the workbook AND
the store; the drafts show as escaped formatted text and copy as plain text."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from mentoring_mosaic.model import Goal, ManagingUpPlan, Needs, Person, Profile, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.stage2_managing_up import (
    PLAN_TITLE_LABEL,
    TITLE_LABEL,
    ManagingUpView,
)


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def stored(store) -> Workbook:
    return store.load("t")


def add_mentor(
    view: ManagingUpView, name: str, level: str = "senior", title: str = ""
) -> Person:
    view.new_name.value = name
    view.new_title.value = title
    view.new_level.value = level
    view.new_place.value = "division"
    view.add_button.click()
    return next(p for p in view.session.workbook.people if p.name == name)


def parse_copy_button(markup: str) -> dict:
    """What a browser would build from a CopyButton: tags, event handlers, textarea text."""
    found: dict = {"tags": [], "handlers": [], "textarea": ""}

    class Parser(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            found["tags"].append(tag)
            found["handlers"] += [(k, v) for k, v in attrs if k.startswith("on")]
            self.inside = tag == "textarea"

        def handle_endtag(self, tag):
            self.inside = False

        def handle_data(self, data):
            if self.inside:
                found["textarea"] += data

    Parser(convert_charrefs=True).feed(markup)
    return found


class TextAndTags(HTMLParser):
    """The text a browser shows for some markup, and the tags it builds."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.tags: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


def test_stage2_mentors_are_saved_as_existing_mentor_people(session, store, content) -> None:
    view = ManagingUpView(session, content)
    assert view.worksheet.layout.display == "none"
    lee = add_mentor(view, "Dr Lee", title="program director")
    kim = add_mentor(view, "Sam Kim", level="peer")
    people = stored(store).people
    assert [(p.name, p.title, p.role, p.status, p.level, p.place) for p in people] == [
        ("Dr Lee", "program director", "mentor", "existing", "senior", "division"),
        ("Sam Kim", "", "mentor", "existing", "peer", "division"),
    ]
    assert view.picker.value == kim.id  # the new one opens
    assert view.new_title.value == ""  # the add form is cleared for the next one
    assert view.worksheet.layout.display == ""
    assert len(view.mentor_list.children) == 2
    assert "<strong>Dr Lee</strong>, program director" in view.mentor_list.children[0]\
        .children[0].value
    assert view.picker.options[0] == ("Dr Lee, program director", lee.id)

    view.new_name.value = "   "
    view.add_button.click()
    assert "name" in view.status.value and len(stored(store).people) == 2
    view.new_name.value, view.new_title.value = "Dr Long", "x" * 201
    view.add_button.click()
    assert "too long" in view.status.value and len(stored(store).people) == 2

    # remove asks first, then removes the person and their plan
    view.picker.value = lee.id
    view.one_ask.value = "Read my aims"
    assert lee.id in stored(store).managing_up
    remove = view.mentor_list.children[0].children[1]
    remove.click()
    assert len(stored(store).people) == 2
    yes = view.mentor_list.children[0].children[2]
    assert yes.description == "Yes, remove"
    yes.click()
    assert [p.name for p in stored(store).people] == ["Sam Kim"]
    assert lee.id not in stored(store).managing_up


def test_stage2_labels_say_the_title_is_optional(session, content) -> None:
    view = ManagingUpView(session, content)
    assert view.new_title.description == TITLE_LABEL == "Role or title (optional)"
    assert view.title_field.description == PLAN_TITLE_LABEL


def test_stage2_worksheet_habits_and_drafts(session, store, content) -> None:
    session.update("needs", Needs(top_needs=["research"]))
    session.update(
        "goals", [Goal(need="research", goal="Submit a career development award", steps="a b")]
    )
    session.update("profile", Profile(display_name="Ana", next_role="junior faculty"))
    view = ManagingUpView(session, content)
    lee = add_mentor(view, "Dr <b>Lee</b>", title="## program <i>director</i>")
    view.need_from.value = "Feedback on my grant"
    view.offer_back.value = "Help with the journal club"
    view.frequency.value = "monthly"
    view.setter.value = "me"
    view.channel.value = "video call"
    view.last_meeting.value = dt.date(2026, 11, 1)
    view.next_meeting.value = dt.date.today() + dt.timedelta(days=10)
    view.one_ask.value = "# Can you read my specific aims?"
    view.self_rating.value = 2
    view.one_change.value = "Send an agenda first"
    first_habit = content.habits[0].id
    view.habits[first_habit].value = True
    plan = stored(store).managing_up[lee.id]
    assert plan == ManagingUpPlan(
        need_from="Feedback on my grant",
        offer_back="Help with the journal club",
        meeting_frequency="monthly",
        agenda_setter="me",
        channel="video call",
        last_meeting=dt.date(2026, 11, 1),
        next_meeting=dt.date.today() + dt.timedelta(days=10),
        one_ask="# Can you read my specific aims?",
        self_rating=2,
        one_change="Send an agenda first",
        habits=[first_habit],
    )
    # the page shows formatted text: our headings and lists, the answers escaped
    shown = TextAndTags(view.agenda.value)
    assert shown.text.startswith("Meeting with Dr <b>Lee</b>, ## program <i>director</i>")
    assert "Can you read my specific aims?" in shown.text
    assert "Submit a career development award" in shown.text
    assert {"h3", "h4", "ul", "li"} <= set(shown.tags) and "b" not in shown.tags
    assert "<b>" not in view.agenda.value and "&lt;b&gt;Lee&lt;/b&gt;" in view.agenda.value
    request = TextAndTags(view.request.value)
    assert "Dear Dr <b>Lee</b>," in request.text and "i" not in request.tags
    assert "To: Dr <b>Lee</b>, ## program <i>director</i>" in request.text
    # ... and the plain text the buttons copy and download has no Markdown symbols
    assert view.agenda_text.startswith(
        "Meeting with Dr <b>Lee</b>, ## program <i>director</i>\n"
    )
    assert "• Can you read my specific aims?" in view.agenda_text
    assert not re.search(r"^\s*(#|- |\* )", view.agenda_text, re.MULTILINE)
    assert "**" not in view.agenda_text + view.request_text
    assert 'download="agenda-dr--b-lee--b.txt"' in view.agenda_link.value
    assert "data:text/plain;base64," in view.agenda_link.value
    assert "<b>" not in view.agenda_link.value and "<b>" not in view.mentor_list.children[0]\
        .children[0].value

    # link the mentor to a top need: saved on the person, for the mosaic
    box = view.helps_with.children[1].children[0]
    box.value = True
    assert stored(store).person(lee.id).domains == ["research"]
    assert "Subject: Request: 20 minutes on research and scholarship" in view.request_text
    # the Copy buttons carry the same plain drafts, escaped, and no handler at all (the
    # page's browser module answers the click)
    for copy, text in ((view.agenda_copy, view.agenda_text),
                       (view.request_copy, view.request_text)):
        parsed = parse_copy_button(copy.value)
        assert parsed["textarea"] == text
        assert parsed["handlers"] == []
        assert parsed["tags"] == ["div", "textarea", "button", "span"]


def test_stage2_title_in_the_plan_saves_on_the_person_and_reaches_the_drafts(
    session, store, content
) -> None:
    view = ManagingUpView(session, content)
    lee = add_mentor(view, "Dr Lee")
    assert view.title_field.value == ""
    assert view.agenda_text.startswith("Meeting with Dr Lee\n")
    view.title_field.value = "  program director "
    assert stored(store).person(lee.id).title == "program director"
    assert view.agenda_text.startswith("Meeting with Dr Lee, program director\n")
    assert "To: Dr Lee, program director" in view.request_text
    assert view.picker.options == (("Dr Lee, program director", lee.id),)
    assert "program director" in view.mentor_list.children[0].children[0].value
    # too long: a message, and the stored title stays; the field keeps what was typed (it
    # saves while the person types: resetting it would throw away their words mid-sentence)
    view.title_field.value = "y" * 201
    assert "too long" in view.status.value
    assert stored(store).person(lee.id).title == "program director"
    assert view.title_field.value == "y" * 201
    view.title_field.value = "program director "  # a space typed: saved, and left in the field
    assert view.title_field.value == "program director "
    # the mosaic (or another page) changes the title: the plan follows
    person = session.workbook.person(lee.id)
    session.save_person(person.model_copy(update={"title": "division chief"}))
    assert view.title_field.value == "division chief"
    assert "division chief" in view.agenda_text


def test_stage2_one_draft_shows_at_a_time(session, content) -> None:
    view = ManagingUpView(session, content)
    add_mentor(view, "Dr Lee")

    def showing() -> list[str]:
        panels = {"agenda": view.agenda_panel, "request": view.request_panel}
        return [name for name, panel in panels.items() if panel.layout.display != "none"]

    assert view.draft_choice.value == "agenda" and showing() == ["agenda"]
    view.draft_choice.value = "request"
    assert showing() == ["request"]
    view.draft_choice.value = "agenda"
    assert showing() == ["agenda"]


def test_stage2_explanations_fold_away(session, content) -> None:
    view = ManagingUpView(session, content)
    markup = "".join(
        child.value for child in view.children if hasattr(child, "value")
    )
    folds = re.findall(r"<details[^>]*><summary>([^<]+)</summary>", markup)
    assert folds == ["Why this matters", "Sources"]
    assert "<details open" not in markup  # collapsed at first sight
    why = markup[markup.index("Why this matters"):]
    for habit in content.habits:  # each habit's reason sits in the fold, not on the page
        assert habit.why.replace("'", "&#x27;") in why
    assert "Zerzan" in markup[markup.index("<summary>Sources"):]
    # the habits themselves stay one tick box each, without their reasons beside them
    assert [box.description for box in view.habits.values()] == [
        h.text for h in content.habits
    ]


def test_stage2_switching_mentors_shows_each_plan(session, store, content) -> None:
    view = ManagingUpView(session, content)
    lee = add_mentor(view, "Dr Lee", title="program director")
    kim = add_mentor(view, "Sam Kim")
    assert view.title_field.value == ""
    view.one_ask.value = "Kim's ask"
    view.picker.value = lee.id
    assert view.one_ask.value == ""
    assert view.title_field.value == "program director"
    view.one_ask.value = "Lee's ask"
    view.picker.value = kim.id
    assert view.one_ask.value == "Kim's ask"
    plans = stored(store).managing_up
    assert plans[lee.id].one_ask == "Lee's ask" and plans[kim.id].one_ask == "Kim's ask"


def test_stage2_does_not_rebuild_rows_when_the_mosaic_saves_a_person(session, content) -> None:
    from mentoring_mosaic.model import Position

    session.update("needs", Needs(top_needs=["research"]))
    view = ManagingUpView(session, content)
    lee = add_mentor(view, "Dr Lee")
    rows, helps = view.mentor_list.children, view.helps_with.children
    moved = session.workbook.person(lee.id).model_copy(update={"position": Position(x=1, y=2)})
    session.save_person(moved)  # what a drag in the mosaic editor does
    assert view.mentor_list.children == rows and view.helps_with.children == helps
    session.save_person(moved.model_copy(update={"domains": ["research"]}))
    assert view.helps_with.children == helps
    assert view.helps_with.children[1].children[0].value  # the tick follows the person
    session.save_person(moved.model_copy(update={"name": "Dr Lee-Smith"}))
    assert view.mentor_list.children != rows
    assert "Dr Lee-Smith" in view.mentor_list.children[0].children[0].value
