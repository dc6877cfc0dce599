"""The mosaic editor and stages 4-5, driven without a browser.

Node clicks and drags go through ipycytoscape's own interaction handler
(``CytoscapeWidget._handle_interaction``), exactly as the browser's messages arrive.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest

from mentoring_mosaic.analysis.layout import ME_ID
from mentoring_mosaic.model import Person
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.mosaic_editor import MosaicEditor
from mentoring_mosaic.widgets.mosaic_summary import MosaicSummary
from mentoring_mosaic.widgets.stage4_mosaic import MosaicView
from mentoring_mosaic.widgets.stage5_expand import ExpandView


@pytest.fixture
def session(store) -> Session:
    return Session(store=store, key="t")


def browser_event(editor: MosaicEditor, event: str, node_id: str, x=None, y=None) -> None:
    """What ipycytoscape's front end sends for a node event."""
    payload = {"data": {"id": node_id, "label": "x"}, "group": "nodes", "classes": "person"}
    if x is not None:
        payload["position"] = {"x": x, "y": y}
    cyto = editor.graph.cyto
    cyto._handle_interaction(cyto, {"widget": "node", "event": event, "data": payload}, [])


def add(editor: MosaicEditor, name: str, *domains: str, who: str = "", **fields) -> Person:
    """Fill the "Add a person" form and press its button, as a participant would."""
    form = editor.add_form
    form.name.value = name
    for d in domains:
        form.domains.boxes[d].value = True
    if who:
        form.who.value = who
    for key, value in fields.items():
        getattr(form, key).value = value
    editor.add_button.click()
    return next(p for p in editor.session.workbook.people if p.name == name)


def test_add_person_saves_every_field(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    person = add(
        editor,
        "Dr <i>Ruiz</i>",
        "research",
        "sponsorship",
        who="mentor:peer",
        place="external",
        status_choice="potential",
        tie=3,
        frequency="monthly",
        qualities=("honest",),
        title="Program director",
        next_step="Coffee",
        next_step_date=dt.date(2026, 12, 1),
    )
    assert person.domains == ["research", "sponsorship"]
    assert (person.level, person.place, person.status, person.tie_strength, person.title) == (
        "peer", "external", "potential", 3, "Program director"
    )
    assert person.qualities == ["honest"] and person.next_step_date == dt.date(2026, 12, 1)
    stored = store.load("t").person(person.id)
    assert stored == person
    # drawn on the map with its name whole and its pie of kinds of support
    assert person.id in editor.graph.node_ids
    node = editor.graph.node_data(person.id)
    assert node["data"]["label"] == "Dr <i>Ruiz</i>"
    assert "potential" in node["classes"] and "current" not in node["classes"]
    pie = urllib.parse.unquote(node["data"]["pie"])
    assert pie.startswith("data:image/svg+xml;utf8,<svg")
    assert pie.count("<path") == 2
    assert content.domain_colors["research"] in pie and content.domain_colors["sponsorship"] in pie
    # the add form is empty again and says who was added; nobody is open for changes
    assert editor.add_form.name.value == "" and editor.add_form.domains.value == ()
    assert editor.editing is None and editor.drawer.layout.display == "none"
    assert "Added Dr &lt;i&gt;Ruiz&lt;/i&gt; to your mosaic" in editor.status.value


def test_add_without_a_name_shows_an_error_and_saves_nothing(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    editor.add_form.name.value = "   "
    editor.add_button.click()
    assert "name" in editor.status.value and "mm-status-error" in editor.status.value
    assert store.load("t").people == []


def test_typing_the_next_name_after_adding_never_renames_anyone(session, store, content) -> None:
    """The bug this editor was rebuilt for: add A, type B, press the primary button."""
    editor = MosaicEditor(session, content)
    add(editor, "Probe One", "research")
    editor.add_form.name.value = "Probe Two"
    editor.add_button.click()
    assert sorted(p.name for p in store.load("t").people) == ["Probe One", "Probe Two"]
    # Enter in the add form's name adds too (the browser sends Enter, then the name)
    submit = {"event": "submit"}
    editor._on_name_message(editor.add_form.name, submit, [])
    editor.add_form.name.value = "Probe Three"
    assert sorted(p.name for p in store.load("t").people) == [
        "Probe One", "Probe Three", "Probe Two"
    ]
    assert editor.add_form.name.value == ""
    # the name already arrived (nothing new typed): the first Enter waits, a second one adds
    editor.add_form.name.value = "Probe Four"
    editor._on_name_message(editor.add_form.name, submit, [])
    assert len(store.load("t").people) == 3
    editor._on_name_message(editor.add_form.name, submit, [])
    assert len(store.load("t").people) == 4
    # Enter on an empty name adds nobody, and a name typed much later is not added by it
    editor._on_name_message(editor.add_form.name, submit, [])
    editor._submit_at -= 10
    editor.add_form.name.value = "Later"
    assert len(store.load("t").people) == 4


def test_cancel_keeps_the_person_and_the_next_add_is_a_new_person(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    one = add(editor, "Probe One", "research")
    browser_event(editor, "tap", one.id)  # choose A on the map
    assert editor.editing == one.id and editor.drawer.layout.display == ""
    assert editor.save_button.description == "Save changes to Probe One"
    assert "Change Probe One" in editor.drawer_title.value
    editor.edit_form.name.value = "Probe Two"  # typed into the drawer, then cancelled
    editor.cancel_button.click()
    assert editor.editing is None and editor.drawer.layout.display == "none"
    assert [p.name for p in store.load("t").people] == ["Probe One"]
    editor.add_form.name.value = "Probe Two"  # the primary button of the page adds
    editor.add_button.click()
    assert sorted(p.name for p in store.load("t").people) == ["Probe One", "Probe Two"]


def test_the_drawer_saves_only_the_person_named_on_its_button(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    one = add(editor, "Ana", "teaching")
    two = add(editor, "Bo", "research")
    editor.open_person(one.id)
    editor.edit_form.name.value = "Ana Ruiz"
    editor.edit_form.domains.boxes["teaching"].value = False
    editor.edit_form.domains.boxes["feedback"].value = True
    editor.edit_form.who.value = "mentor:junior"
    editor.save_button.click()
    stored = store.load("t")
    assert stored.person(one.id).name == "Ana Ruiz"
    assert stored.person(one.id).domains == ["feedback"]
    assert stored.person(one.id).level == "junior"
    assert stored.person(two.id).name == "Bo", "the other person is untouched"
    assert editor.graph.node_data(one.id)["data"]["label"] == "Ana Ruiz"
    # saved: the drawer closes, so the only name box left open is the one that adds
    assert editor.editing is None and editor.drawer.layout.display == "none"
    assert "Saved changes to Ana Ruiz." in editor.map_status.value
    assert "current" not in editor.graph.node_data(one.id)["classes"]


def test_a_name_already_in_the_mosaic_is_not_added_again(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    one = add(editor, "Dr Lee", "research")
    editor.add_form.name.value = "  dr   LEE "
    editor.add_button.click()
    assert [p.name for p in store.load("t").people] == ["Dr Lee"]
    assert "already in your mosaic" in editor.status.value
    assert editor.add_form.name.value == "  dr   LEE ", "what was typed stays to be corrected"
    editor.open_person(one.id)  # as the refusal says: choose them to change them
    assert editor.add_form.name.value == "", "no second form with the same name on screen"
    assert editor.edit_form.name.value == "Dr Lee"
    editor.cancel_button.click()
    two = add(editor, "Dr Lee, surgery")
    editor.open_person(two.id)
    editor.edit_form.name.value = "Dr Lee"  # renaming onto someone else is refused too
    editor.save_button.click()
    assert store.load("t").person(two.id).name == "Dr Lee, surgery"
    assert store.load("t").person(one.id).name == "Dr Lee"
    assert "already in your mosaic" in editor.drawer_status.value


def test_see_the_whole_map_and_back(session, content) -> None:
    editor = MosaicEditor(session, content)
    assert editor.graph.cyto.min_zoom >= 0.8  # names at least 12 px by default
    editor.fit_button.click()
    assert editor.graph.cyto.min_zoom < 0.2
    assert editor.fit_button.description == "Back to readable names"
    editor.fit_button.click()
    assert editor.graph.cyto.min_zoom >= 0.8


def test_saving_someone_removed_meanwhile_adds_nobody(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    one = add(editor, "Gone", "research")
    editor.open_person(one.id)
    other = Session(store=store, key="t")  # another tab removes them
    other.remove_person(one.id)
    session.reload()
    editor.edit_form.name.value = "Gone again"
    editor.save_button.click()
    assert store.load("t").people == []


def test_remove_asks_first(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    person = add(editor, "Bo", "research")
    editor.open_person(person.id)
    assert editor.remove_button.description == "Remove Bo…"
    editor.remove_button.click()
    assert editor.confirm_box.layout.display == ""
    editor.confirm_no.click()
    assert store.load("t").person(person.id) is not None
    editor.remove_button.click()
    editor.confirm_yes.click()
    assert store.load("t").person(person.id) is None
    assert person.id not in editor.graph.node_ids
    assert editor.editing is None and editor.drawer.layout.display == "none"


def test_node_click_opens_person_in_the_drawer(session, content) -> None:
    editor = MosaicEditor(session, content)
    first = add(editor, "First", "research", who="mentor:peer")
    add(editor, "Second", "teaching")
    assert editor.editing is None
    browser_event(editor, "tap", first.id)
    assert editor.editing == first.id
    assert editor.edit_form.name.value == "First" and editor.edit_form.who.value == "mentor:peer"
    boxes = editor.edit_form.domains.boxes
    assert boxes["research"].value and not boxes["teaching"].value
    assert editor.person_buttons[first.id].button_style == "warning"  # marked in the list
    assert editor.add_form.name.value == "", "the add form is not touched"
    browser_event(editor, "tap", ME_ID)  # the centre opens nothing
    assert editor.editing == first.id


def test_node_drag_keeps_new_place(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    person = add(editor, "Mover", "research")
    x, y = editor._layout.positions[person.id]
    browser_event(editor, "tapend", person.id, x, y)  # a click: no move
    assert store.load("t").person(person.id).position is None
    browser_event(editor, "tapend", person.id, 321.5, -87.5)
    saved = store.load("t").person(person.id).position
    assert (saved.x, saved.y) == (321.5, -87.5)
    assert editor.graph.node_data(person.id)["position"] == {"x": saved.x, "y": saved.y}
    # adding someone else does not move the dragged node
    add(editor, "Other", "research")
    assert editor.graph.node_data(person.id)["position"] == {"x": saved.x, "y": saved.y}


def test_keyboard_does_what_the_canvas_does(session, store, content) -> None:
    editor = MosaicEditor(session, content)
    first = add(editor, "Keyboard", "teaching")
    add(editor, "Other")
    editor.person_buttons[first.id].click()  # choosing in the list = clicking the node
    assert editor.editing == first.id and editor.edit_form.name.value == "Keyboard"
    x, y = editor._layout.positions[first.id]
    editor.move_buttons["right"].click()  # moving by button = dragging
    moved = store.load("t").person(first.id).position
    assert (moved.x, moved.y) == (x + 40, y)
    assert not editor.reset_button.disabled
    editor.reset_button.click()
    assert store.load("t").person(first.id).position is None


def test_show_who_gives_lights_up_one_kind_of_support(session, content) -> None:
    editor = MosaicEditor(session, content)
    research = add(editor, "Researcher", "research")
    teacher = add(editor, "Teacher", "teaching")
    editor.highlight.value = "research"
    assert "faded" not in editor.graph.node_data(research.id)["classes"]
    assert "faded" in editor.graph.node_data(teacher.id)["classes"]
    editor.highlight.value = ""
    assert "faded" not in editor.graph.node_data(teacher.id)["classes"]


def test_names_are_whole_up_to_30_characters(session, content) -> None:
    editor = MosaicEditor(session, content)
    name = "Prof. Maximilian Oberhauser-Sm"  # 30 characters
    person = add(editor, name, "research")
    assert editor.graph.node_data(person.id)["data"]["label"] == name
    session.update("profile", session.workbook.profile.model_copy(
        update={"display_name": "Dr Ana Ruiz-Fernandez"}))
    assert editor.graph.node_data(ME_ID)["data"]["label"] == "Dr Ana Ruiz-Fernandez"


def test_people_from_stage_2_are_already_there(session, content) -> None:
    session.save_person(Person(name="Chief", domains=["leadership"], tie_strength=3))
    view = MosaicView(session, content)
    chief = session.workbook.people[0]
    assert chief.id in view.editor.graph.node_ids
    assert list(view.editor.person_buttons) == [chief.id]
    assert view.editor.person_buttons[chief.id].description.startswith("Chief — senior")
    assert "Leadership" in view.summary.value


def test_guided_prompt_prefills_the_form(session, content) -> None:
    view = MosaicView(session, content)
    prompt = content.mosaic_prompts[0]
    editor = view.editor
    editor.prompt_use.click()
    assert list(editor.add_form.domains.value) == list(prompt.domains)
    if prompt.level:
        assert editor.add_form.who.value == f"mentor:{prompt.level}"
    editor.prompt_next.click()
    assert content.mosaic_prompts[1].text in editor.prompt_text.value.replace("&#x27;", "'")


def test_mosaic_view_updates_live_and_escapes(session, content) -> None:
    summary = MosaicSummary(session, content)
    assert "Add the mentors you talk with now" in summary.value
    session.save_person(Person(name="<script>x</script>", domains=["research"], tie_strength=3))
    assert "<script>" not in summary.value
    assert "1 of 12" in summary.value
    assert ("Mentors you talk with now, at 1 of 3 levels (senior, peer, junior) and in 1 of 4 "
            "places") in summary.value
    for jargon in ("breadth)", "levels · places", "tie strengths added up"):
        assert jargon not in summary.value
    assert "network" in summary.value and summary.metrics.kind is not None


def test_stage4_files_are_made_at_the_click(session, content) -> None:
    view = MosaicView(session, content)
    view.download_svg.click()
    before = view.download_svg.last_payload
    assert view.download_svg.last_filename == "my-mosaic.svg"
    view.editor.add_form.name.value = "Someone"
    view.editor.add_button.click()
    view.download_svg.click()
    assert view.download_svg.last_payload != before and b"Someone" in _bytes(
        view.download_svg.last_payload)
    view.download_graphml.click()
    assert view.download_graphml.last_filename == "my-mosaic.graphml"
    assert b"Someone" in _bytes(view.download_graphml.last_payload)


def _bytes(payload) -> bytes:
    return payload if isinstance(payload, bytes) else payload.encode("utf-8")


def test_stage5_one_click_potential_mentor(session, store, content) -> None:
    view = ExpandView(session, content)
    (domain_id, suggestion_id), button = next(iter(view.add_buttons.items()))
    button.click()
    people = store.load("t").people
    assert len(people) == 1
    p = people[0]
    suggestion = next(s for s in content.suggestions if s.id == suggestion_id)
    assert (p.status, p.role, p.level, p.domains) == (
        "potential", "mentor", suggestion.level, [domain_id]
    )
    assert p.next_step == suggestion.first_step and p.next_step_date is not None
    assert button.disabled, "the same suggestion is not added twice"
    assert p.id in view.rows
    # the first step and date are editable
    name, step, date = view.rows[p.id]
    name.value = "Dr Lee"
    step.value = "Email about grand rounds"
    date.value = dt.date(2027, 1, 15)
    stored = store.load("t").person(p.id)
    assert (stored.name, stored.next_step, stored.next_step_date) == (
        "Dr Lee", "Email about grand rounds", dt.date(2027, 1, 15)
    )


def test_stage5_gaps_follow_needs_and_before_after(session, content) -> None:
    from mentoring_mosaic.model import DomainRating, Needs

    session.update("needs", Needs(ratings={"sponsorship": DomainRating(need=4)},
                                  top_needs=["sponsorship"]))
    session.save_person(Person(name="Has", domains=["research"]))
    session.save_person(Person(name="Maybe", domains=["teaching"], status="potential"))
    view = ExpandView(session, content)
    first_card = view.gaps_box.children[0]
    assert "Sponsorship" in first_card.children[0].value
    assert all(key[0] != "research" for key in view.add_buttons)
    assert 'alt="Your mosaic today' in view.before.value
    assert "data:image/svg+xml;base64," in view.after.value
    view.download.click()
    assert view.download.last_filename == "my-mosaic.svg"
    import base64

    before_svg = base64.b64decode(view.before.value.split("base64,")[1].split('"')[0]).decode()
    after_svg = base64.b64decode(view.after.value.split("base64,")[1].split('"')[0]).decode()
    assert "Maybe" not in before_svg and "Maybe" in after_svg


def test_full_replace_refreshes_the_editor(session, content) -> None:
    editor = MosaicEditor(session, content)
    person = add(editor, "Old")
    wb = session.workbook.model_copy(deep=True)
    wb.people = [Person(name="New one")]
    session.replace(wb)
    assert person.id not in editor.graph.node_ids
    assert [b.description.split(" — ")[0] for b in editor.people_rows.children] == ["New one"]
    assert editor.editing is None


def test_stage5_shows_one_gap_at_a_time_most_needed_first(session, content) -> None:
    from mentoring_mosaic.model import DomainRating, Needs

    session.update("needs", Needs(ratings={"teaching": DomainRating(need=4)},
                                  top_needs=["teaching"]))
    view = ExpandView(session, content)
    assert len(view.gaps_box.children) == 1
    assert view.gap_picker.value == "teaching"
    assert view.gap_picker.options[0][0] == "Teaching (a top need)"
    assert len(view.gap_picker.options) == len(content.domains)
    view.gap_picker.value = "research"
    assert "Research" in view.gaps_box.children[0].children[0].value
    session.save_person(Person(name="Prof", domains=["teaching"]))  # fills the first gap
    assert view.gap_picker.value == "research", "the chosen gap stays chosen"
    assert "teaching" not in view.gap_ids


def test_stage5_buttons_and_fields_say_what_and_whose(session, content) -> None:
    from mentoring_mosaic.model import DomainRating, Needs

    session.update("needs", Needs(ratings={"sponsorship": DomainRating(need=4)},
                                  top_needs=["sponsorship"]))
    view = ExpandView(session, content)
    labels = [b.description for b in view.add_buttons.values()]
    assert len(labels) == len(set(labels)), "no two suggestion buttons read the same"
    assert "+ Add a potential senior mentor for Sponsorship (idea 1)" in labels
    button = next(b for b in view.add_buttons.values()
                  if b.description == "+ Add a potential senior mentor for Sponsorship (idea 1)")
    button.click()
    person = session.workbook.people[0]
    name, step, date = view.rows[person.id]
    assert name.description == f"Name of {person.name}"
    assert step.description == f"First step for {person.name}"
    assert date.description == f"By when, for {person.name}"
    name.value = "Dr Lee"
    assert view.rows[person.id][1].description == "First step for Dr Lee"
    # the new person fills the sponsorship gap: marked on the picture and named below it
    assert "Orange rings mark" in view.after.value and "Dr Lee: Sponsorship" in view.after.value


def test_depth_is_said_as_kinds_of_support_with_two_mentors(content) -> None:
    """The depth figure is one a participant can picture: kinds of support that would survive
    one mentor leaving (two or more current mentors), not a sum of tie strengths."""
    from mentoring_mosaic.analysis.mosaic import mosaic_metrics
    from mentoring_mosaic.model import Workbook
    from mentoring_mosaic.widgets.mosaic_summary import figures

    wb = Workbook(people=[
        Person(id="a", name="A", domains=["research", "teaching"], tie_strength=3),
        Person(id="b", name="B", domains=["research"], tie_strength=1),
        Person(id="c", name="C", domains=["teaching"], status="potential"),
    ])
    value, words = figures(mosaic_metrics(wb, content))[2]
    assert value == f"1 of {len(content.domains)}"  # research: A and B; teaching: A only
    assert "two or more current mentors" in words and "depth" in words


def test_choosing_someone_else_keeps_what_was_typed_for_the_first(session, store,
                                                                   content) -> None:
    """Typing a change for one person, then choosing another on the map without "Save":
    the change is saved for the first person (only them), never dropped, never given to the
    second. A change that cannot be saved keeps the drawer on the first person and says so."""
    editor = MosaicEditor(session, content)
    sam = add(editor, "Sam Lee", "teaching")
    jo = add(editor, "Jordan Park", "research")
    editor.open_person(sam.id)
    editor.edit_form.domains.boxes["feedback"].value = True
    editor.open_person(jo.id)  # a node click on Jordan
    stored = store.load("t")
    assert stored.person(sam.id).domains == ["teaching", "feedback"]
    assert stored.person(jo.id).domains == ["research"], "Jordan is untouched"
    assert editor.editing == jo.id and editor.edit_form.name.value == "Jordan Park"
    assert "Saved changes to Sam Lee." in editor.map_status.value

    editor.edit_form.name.value = "Sam Lee"  # Jordan renamed to a name already there
    editor.open_person(sam.id)
    assert editor.editing == jo.id, "the drawer stays on Jordan"
    assert "Your changes to Jordan Park are not saved yet" in editor.drawer_status.value
    assert store.load("t").person(jo.id).name == "Jordan Park"
    editor.cancel_button.click()  # "Close without saving", then Sam opens
    editor.open_person(sam.id)
    assert editor.editing == sam.id and store.load("t").person(jo.id).name == "Jordan Park"
    unchanged = store.load("t").updated_at
    editor.open_person(jo.id)  # nothing typed for Sam: nothing saved
    assert store.load("t").updated_at == unchanged
