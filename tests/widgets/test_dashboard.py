"""The facilitator's dashboard, presenter view and demo loader, driven without a browser."""

from __future__ import annotations

import base64
import datetime
import io
import json
import re
import zipfile

import pytest

from mentoring_mosaic.demo import DEMO_KEYS, demo_personas, store_demo_personas
from mentoring_mosaic.model import Consent, Evaluation, Profile, Workbook
from mentoring_mosaic.session import Session
from mentoring_mosaic.widgets.dashboard import (
    SOURCE_FILES,
    SOURCE_STORE,
    Bar,
    Dashboard,
    bar_chart_svg,
    dashboard_page,
    shared_text,
)
from mentoring_mosaic.widgets.demo_loader import DemoLoader, demo_panel
from mentoring_mosaic.widgets.presenter import Countdown, Presenter, Ticker, format_seconds


def participant(i: int, *, consent: bool = True, name: str = "") -> Workbook:
    return Workbook(
        profile=Profile(display_name=name or f"Secret Name {i}"),
        evaluation=Evaluation(headline=5 if i % 2 else 4),
        consent=Consent(share_anonymised=consent),
    )


def upload(*files: tuple[str, bytes]) -> tuple[dict, ...]:
    return tuple(
        {
            "name": n,
            "type": "",
            "size": len(b),
            "content": memoryview(b),
            "last_modified": datetime.datetime.now(datetime.UTC),
        }
        for n, b in files
    )


def payload(link_html: str) -> bytes:
    match = re.search(r"base64,([^\"]+)\"", link_html)
    assert match, link_html
    return base64.b64decode(match.group(1))


def charts(dash: Dashboard) -> str:
    """Every chart card's HTML, in order."""
    return "".join(
        dash.chart_heads[key].value + dash.chart_bodies[key].value for key in dash.chart_cards
    )


def tables(dash: Dashboard) -> str:
    """Every table's HTML, in order."""
    return "".join(block.value for block in dash.table_blocks.values())


# -- dashboard -----------------------------------------------------------------------------------
def test_refresh_reads_the_store_without_names(store) -> None:
    dash = Dashboard(store=store)
    assert "The figures appear once at least 3" in dash.kpis.value
    for i in range(4):
        store.save_workbook(f"p{i}", participant(i))
    store.save_workbook("nope", participant(9, consent=False))
    dash.refresh_button.click()
    assert dash.report is not None and dash.report.participants == 4
    assert ">4<" in dash.kpis.value and "100%" in dash.kpis.value
    assert "<svg" in charts(dash) and "Gaps across the room" in charts(dash)
    everything = dash.kpis.value + charts(dash) + tables(dash)
    assert "Secret Name" not in everything
    # every table downloads as CSV, in one zip
    with zipfile.ZipFile(io.BytesIO(payload(dash.download_all.value))) as z:
        names = z.namelist()
    assert "mentoring-mosaic-room/needs.csv" in names
    assert len(names) == len(dash.report.csv_files())


def test_demo_personas_counted_only_when_asked(store) -> None:
    store_demo_personas(store)
    dash = Dashboard(store=store)
    assert dash.report.participants == 0
    dash.include_demo.value = True
    assert dash.report.participants == len(DEMO_KEYS)


def test_file_drop_lists_bad_files_and_counts_the_rest(store) -> None:
    dash = Dashboard(store=store)
    good = [(f"p{i}.json", json.dumps(participant(i).to_json_dict()).encode()) for i in range(3)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("more/p3.json", json.dumps(participant(3).to_json_dict()))
        z.writestr("../evil.json", json.dumps(participant(4).to_json_dict()))
    dash.upload.value = upload(
        *good,
        ("room.zip", buffer.getvalue()),
        ("broken.json", b"{"),
        ('<img src=x onerror="alert(1)">.json', b"[]"),
    )
    assert dash.upload.value == ()
    assert dash.source.value == SOURCE_FILES
    assert dash.report.participants == 4
    assert "Files not counted (3)" in dash.bad_files.value
    assert "climbs out" in dash.bad_files.value and "not valid JSON" in dash.bad_files.value
    assert "<img" not in dash.bad_files.value  # a hostile file name is never markup
    assert "not counted" in dash.status.value
    # Binder rooms project dropped files the same way; the store's refresh leaves them alone
    dash.projector_button.click()
    assert "<strong>4</strong> participants have shared so far" in dash.shared.value
    dash.reveal_button.click()
    assert "%" in dash.slide.value
    store.save_workbook("p-store", participant(8))
    assert not dash.tick() and dash.report.participants == 4
    dash.projector_button.click()
    dash.clear_files.click()
    assert dash.report.participants == 0 and dash.bad_files.value == ""


def test_bar_chart_escapes_and_hides_suppressed() -> None:
    svg = bar_chart_svg(
        [Bar("<script>x</script>", 50.0), Bar("Hidden", "n<3"), Bar("A" * 80, 100.0)],
        "Title & more",
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "fewer than 3: hidden" in svg
    assert "Title &amp; more" in svg
    assert "A" * 80 not in svg and "…" in svg
    assert svg.count("<rect") == 5  # three tracks, two bars


def test_dashboard_refuses_without_the_facilitator_link(
    monkeypatch: pytest.MonkeyPatch, store
) -> None:
    monkeypatch.setenv("MENTORING_MOSAIC_ROOM", "1")
    monkeypatch.setenv("MENTORING_MOSAIC_FACILITATOR_KEY", "s3cret")
    monkeypatch.setenv("QUERY_STRING", "key=abc")
    page = dashboard_page(store=store)
    assert not isinstance(page, Dashboard)
    assert "For facilitators only" in page.children[1].value
    monkeypatch.setenv("QUERY_STRING", "fkey=s3cret")
    assert isinstance(dashboard_page(store=store), Dashboard)


# -- live refresh ----------------------------------------------------------------------------------
class Sent:
    """Counts the values a widget trait sends (traitlets fire, and sync, only on a change)."""

    def __init__(self, *widgets) -> None:
        self.changes: list[str] = []
        for w in widgets:
            w.observe(lambda c, w=w: self.changes.append(c["new"]), names="value")


def test_tick_redraws_only_what_changed(store) -> None:
    for i in range(3):
        store.save_workbook(f"p{i}", participant(i))
    dash = Dashboard(store=store)
    assert "3</span>" in dash.kpis.value
    assert not dash.tick()  # nothing saved since: no read, nothing sent
    cards = Sent(*dash.chart_heads.values(), *dash.chart_bodies.values())
    drawings = Sent(*dash.chart_bodies.values())
    kpis = Sent(dash.kpis)
    download = Sent(dash.download_all)
    # a workbook without consent changes the store but none of the figures on screen
    store.save_workbook("no-consent", participant(7, consent=False))
    assert dash.tick()
    assert cards.changes == [] and kpis.changes == []
    assert "Workbooks not counted" in dash.table_blocks["summary"].value
    zips = len(download.changes)  # 0 or 1: the summary may count it, under the 3-rule
    # a fourth participant shares: the count and the headline change, nothing else is resent
    store.save_workbook("p3", participant(3))
    assert dash.tick() and dash.ticks == 2
    assert len(kpis.changes) == 1 and ">4<" in kpis.changes[0]
    assert drawings.changes == []  # four people drawn the same as three: no chart resent
    assert len(download.changes) == zips + 1  # the tables changed, so the zip did
    assert not dash.tick()
    assert len(kpis.changes) == 1 and len(download.changes) == zips + 1
    # paused, or showing dropped files: the store is not read
    dash.auto.value = False
    store.save_workbook("p4", participant(4))
    assert not dash.tick() and dash.report.participants == 4
    dash.auto.value = True
    dash.source.value = SOURCE_FILES
    assert not dash.tick()
    dash.source.value = SOURCE_STORE  # back to the store: read at once
    assert dash.report.participants == 5


def test_shared_count_hides_counts_under_three(store) -> None:
    assert shared_text(0) == shared_text(2) == "Fewer than 3 participants have shared so far"
    assert shared_text(12) == "12 participants have shared so far"
    dash = Dashboard(store=store)
    dash.projector_button.click()
    for i in range(2):
        store.save_workbook(f"p{i}", participant(i))
    dash.tick()
    for shown in (dash.shared.value, dash.kpis.value):
        assert "Fewer than 3 participants have shared so far" in shown
        assert "2" not in shown
    assert "The figures appear once at least 3" in dash.slide.value
    dash.toggle_reveal()  # revealed or not, nothing is drawn for two people
    assert "<svg" not in dash.slide.value and "mm-big" not in dash.slide.value
    for i in range(2, 12):
        store.save_workbook(f"p{i}", participant(i))
    dash.tick()
    assert "<strong>12</strong> participants have shared so far" in dash.shared.value
    dash.projector_button.click()
    assert ">12<" in dash.kpis.value and "participants have shared so far" in dash.kpis.value


def test_projector_one_chart_at_a_time_revealed_by_the_facilitator(store) -> None:
    for i in range(4):
        store.save_workbook(f"p{i}", participant(i))
    dash = Dashboard(store=store)
    assert dash.slide.value == "" and dash.projector_box.layout.display == "none"
    dash.projector_button.click()
    assert dash.projecting and dash.projector_button.description == "Leave projector mode"
    for part in (dash.controls, dash.kpis, dash.chart_grid, dash.table_section):
        assert part.layout.display == "none"
    assert dash.shared.layout.display == ""
    # the first chart: only its title until revealed
    assert "Chart 1 of 6, not shown yet" in dash.slide.value
    assert "What the room thinks of the workshop" in dash.slide.value
    assert "Hidden until the facilitator reveals it" in dash.slide.value
    assert "%" not in dash.slide.value
    dash.reveal_button.click()
    assert "100%" in dash.slide.value and "Participating in this workshop" in dash.slide.value
    assert dash.reveal_button.description == "Hide again"
    # next: a chart not revealed yet shows its title only
    dash.next_button.click()
    assert dash.chart_key == "needs" and "<h2>Needs by domain</h2>" in dash.slide.value
    assert "<svg" not in dash.slide.value and dash.reveal_button.description == "Reveal"
    dash.reveal_button.click()
    assert "<svg" in dash.slide.value and "Career guidance" in dash.slide.value
    assert 'viewBox="0 0 1000 ' in dash.slide.value  # the wide, projector drawing
    assert "Secret Name" not in dash.slide.value
    # previous keeps what was revealed; the ends do not wrap round
    dash.prev_button.click()
    assert "100%" in dash.slide.value
    dash.prev_button.click()
    assert dash.chooser.value == 0
    dash.chooser.value = 5  # the chart list (arrow keys move it in the browser)
    assert "Scenarios chosen most often" in dash.slide.value
    dash.next_button.click()
    assert dash.chooser.value == 5 and "Chart 6 of 6" in dash.slide.value
    # hide again
    dash.chooser.value = 1
    dash.reveal_button.click()
    assert "<svg" not in dash.slide.value and "needs" not in dash.revealed
    # a revealed chart follows the room live
    dash.chooser.value = 0
    store.save_workbook("p-late", participant(8, consent=True).model_copy(
        update={"evaluation": Evaluation(headline=1)}))
    before = dash.slide.value
    assert dash.tick()
    assert dash.slide.value != before and "80%" in dash.slide.value
    # leaving projector mode brings everything back
    dash.projector_button.click()
    assert not dash.projecting and dash.slide.value == ""
    for part in (dash.controls, dash.kpis, dash.chart_grid, dash.table_section):
        assert part.layout.display == ""


def test_wide_chart_for_the_projector_escapes_and_hides_suppressed() -> None:
    svg = bar_chart_svg(
        [Bar("<b>x</b>", 40.0), Bar("Hidden", "<3"), Bar("N" * 60, 100.0)], "T", wide=True
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "fewer than 3: hidden" in svg and "N" * 60 not in svg
    assert svg.count("<rect") == 5
    assert 'font-size="22"' in svg


def test_auto_refresh_runs_by_itself_on_the_event_loop(store, monkeypatch) -> None:
    """What Voilà's kernel does: a task on the running loop reads the store in a thread."""
    import asyncio

    async def scenario() -> tuple[int, str, str]:
        for i in range(3):
            store.save_workbook(f"p{i}", participant(i))
        dash = Dashboard(store=store, interval=0.05)
        assert dash._task is not None
        try:
            store.save_workbook("p3", participant(3))
            for _ in range(100):
                await asyncio.sleep(0.05)
                if dash.report.participants == 4:
                    break
            seen = dash.report.participants
            # the store fails for a while: one message, the last figures stay, then it recovers
            real = store.participants
            monkeypatch.setattr(store, "participants", lambda: 1 / 0)
            await asyncio.sleep(0.3)
            failed = dash.status.value
            monkeypatch.setattr(store, "participants", real)
            await asyncio.sleep(0.3)
            return seen, failed, dash.status.value
        finally:
            dash.close()
            assert dash._task is None

    seen, failed, after = asyncio.run(scenario())
    assert seen == 4
    assert "Could not read the shared store" in failed
    assert after == ""


def test_tick_on_a_hubs_postgresql(postgres_url: str) -> None:
    """A hub's store: the same cheap check of save times, then a read only when one changed."""
    import uuid

    from mentoring_mosaic.store import Store

    store = Store(postgres_url)
    run = uuid.uuid4().hex[:8]
    dash = Dashboard(store=store)
    try:
        before = dash.report.participants
        assert not dash.tick()
        for i in range(3):
            store.save_workbook(f"hub-{run}-{i}", participant(i))
        assert dash.tick() and dash.report.participants == before + 3
        assert not dash.tick()
        store.save_section(f"hub-{run}-0", "evaluation", Evaluation(headline=1))
        assert dash.tick() and dash.report.participants == before + 3
    finally:
        for i in range(3):
            store.delete_participant(f"hub-{run}-{i}")
        dash.close()
        store.dispose()


def test_no_refresh_task_outside_a_kernel(store) -> None:
    dash = Dashboard(store=store)
    assert dash._task is None and not dash.start_auto_refresh()


# -- presenter -----------------------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_countdown_alerts_amber_then_times_up() -> None:
    clock = FakeClock()
    c = Countdown(300, clock=clock)
    c.start()
    clock.now += 170
    assert c.state() == "ok" and format_seconds(c.remaining()) == "2:10"
    clock.now += 15
    assert c.state() == "amber"
    c.pause()
    clock.now += 500
    assert format_seconds(c.remaining()) == "1:55"
    c.start()
    clock.now += 130
    assert c.state() == "up" and format_seconds(c.remaining()) == "+0:15"
    c.add(60)
    assert c.state() == "amber"


def test_presenter_follows_the_agenda_and_the_keys(content) -> None:
    clock = FakeClock()
    p = Presenter(content, clock=clock, interval=0.01)
    try:
        assert "Welcome" in p.stage_html.value and "5:00" in p.timer_html.value
        assert p.prev_button.disabled
        p.next_button.click()
        needs = content.stage("needs")
        assert needs.title in p.stage_html.value
        assert content.stage("managing_up").title in p.next_html.value
        assert f"{needs.minutes}:00" in p.timer_html.value
        p.run.value = "60 minutes"
        assert f"{needs.minutes_60}:00" in p.timer_html.value
        p.run.value = "120 minutes"
        assert f"{needs.minutes_120}:00" in p.timer_html.value
        p.start_button.click()
        assert p.countdown.running and p.start_button.description == "Pause"
        assert p.ticker.alive
        clock.now += needs.minutes_120 * 60 - 90
        p.show_timer()
        assert "mm-time-amber" in p.timer_html.value and "2 minutes or less" in p.timer_html.value
        clock.now += 100
        p.show_timer()
        assert "mm-time-up" in p.timer_html.value and "Time&#x27;s up" in p.timer_html.value
        p.more_button.click()
        assert "mm-time-amber" in p.timer_html.value
        # the keyboard box: what is typed accumulates; each new character acts once
        p.key_box.value = "s"
        assert not p.countdown.running and not p.ticker.alive
        assert "S: start or pause" in p.key_echo.value
        p.key_box.value = "sn"
        assert p.index == 2
        p.key_box.value = "snpp"  # two keys arriving in one message both count
        assert p.index == 0
        p.key_box.value = "snpp+"
        assert format_seconds(p.countdown.remaining()) == "6:00"
        p.key_box.value = "snpp+r"
        assert format_seconds(p.countdown.remaining()) == "5:00"
        p.key_box.value = "snpp+r--x"
        assert format_seconds(p.countdown.remaining()) == "3:00"
        assert "does nothing" in p.key_echo.value
        p.key_box.value = ""  # cleared by hand: nothing happens
        assert format_seconds(p.countdown.remaining()) == "3:00"
        for _ in range(20):
            p.next_button.click()
        assert p.next_button.disabled and "the end" in p.next_html.value
    finally:
        p.close()
    assert not p.ticker.alive


def test_ticker_thread_ticks_and_stops() -> None:
    import threading

    ticked = threading.Event()
    t = Ticker(ticked.set, interval=0.01)
    t.start()
    assert ticked.wait(2)
    t.stop()
    assert not t.alive


# -- demo loader -----------------------------------------------------------------------------------
def test_demo_loader_replaces_and_undo_brings_answers_back(store) -> None:
    session = Session(store=store, key="t")
    session.update("profile", Profile(display_name="Real Person"))
    loader = DemoLoader(session)
    assert [key for _label, key in loader.persona.options] == list(DEMO_KEYS)
    loader.persona.value = "demo-midcareer"
    loader.load.click()
    expected = demo_personas()["demo-midcareer"][1]
    assert session.workbook.profile.display_name == expected.profile.display_name
    assert len(store.load("t").people) == len(expected.people)
    assert "Loaded the demo persona" in loader.status.value
    assert loader.undo.layout.display == ""
    loader.undo.click()
    assert session.workbook.profile.display_name == "Real Person"
    assert store.load("t").profile.display_name == "Real Person"
    assert loader.undo.layout.display == "none"


def test_demo_panel_only_on_a_facilitator_link(store, monkeypatch) -> None:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert demo_panel(Session(store=store, key="t")) is None
    monkeypatch.setenv("QUERY_STRING", "facilitator=1")
    assert isinstance(demo_panel(Session(store=store, key="t")), DemoLoader)


# -- three months on (issue 17, 4) ---------------------------------------------------------------
def test_follow_up_section_shows_shared_reviews_and_counts_the_rest(store) -> None:
    from tests.unit.test_cohort_follow_up import make, room

    dash = Dashboard(store=store)
    assert "No reviews yet" in dash.follow_up.value and "<svg" not in dash.follow_up.value
    for i, wb in enumerate(room()):  # 4 reviews shared, 1 not shared, 2 not reviewed
        store.save_workbook(f"w{i}", wb.model_copy(update={"profile": Profile(
            display_name=f"Secret Name {i}")}))
    dash.refresh_button.click()
    html = dash.follow_up.value
    assert "<h2>Three months on</h2>" in html
    assert "<strong>4</strong> reviews shared" in html
    assert "not reviewed yet: <strong>&lt;3</strong>" in html  # 2 not reviewed: hidden
    assert '<span class="mm-big">62.5%</span>' in html  # 5 of 8 actions done
    assert "(5 of 8)" in html
    assert '<span class="mm-big">1</span>' in html  # new mentors per participant
    assert '<span class="mm-big">75%</span>' in html  # 3 of 4 agree (outcome item)
    assert "My mentoring relationships have improved since the workshop" in html
    assert "<svg" in html and "Career guidance" in html and "100%" in html
    assert "fewer than 3: hidden" in html  # research: 2 of 3 higher now
    assert '<details class="mm-follow-tables">' in html and "<table" in html
    assert "Secret Name" not in html and "W1" not in html
    # the follow-up is in the CSV zip too
    with zipfile.ZipFile(io.BytesIO(payload(dash.download_all.value))) as z:
        actions = z.read("mentoring-mosaic-room/follow_up_actions.csv").decode("utf-8-sig")
    assert "Done,5,62.5" in actions
    # projector mode leaves it out; back again it returns
    dash.projector_button.click()
    assert dash.follow_up_card.layout.display == "none"
    dash.projector_button.click()
    assert dash.follow_up_card.layout.display == ""
    # a fourth review not shared changes nothing shown but the count; one more shared review
    store.save_workbook("late", make("L", statuses=("dropped",), outcome=1))
    assert dash.tick()
    assert "<strong>5</strong> reviews shared" in dash.follow_up.value
    assert "(5 of 9)" in dash.follow_up.value


def test_follow_up_section_waits_for_three_shared_reviews(store) -> None:
    from tests.unit.test_cohort_follow_up import room

    for i, wb in enumerate(room()[:2] + room()[4:6]):  # 2 shared, 2 not reviewed
        store.save_workbook(f"w{i}", wb)
    dash = Dashboard(store=store)
    html = dash.follow_up.value
    assert "The follow-up figures appear once at least 3 participants have shared" in html
    assert "<strong>&lt;3</strong> reviews shared" in html
    assert "<svg" not in html and "%" not in html
