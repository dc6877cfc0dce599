"""A resume file that is too big is refused in the browser, with a clear message, before any
byte is sent; the page stays connected and a right file still resumes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import Profile, Workbook
from mentoring_mosaic.validation import MAX_FILE_BYTES

from .conftest import ConsoleErrors, VoilaServer, shot, wait_for_app

pytestmark = pytest.mark.browser


def choose(page: Page, path: Path) -> None:
    """Press the visible 'Resume from a file' and pick ``path``, as a participant does."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Resume from a file", exact=False).click()
    chooser.value.set_files(str(path))


@pytest.mark.parametrize("width", [1280, 390])
def test_a_too_big_resume_file_is_refused_before_it_is_sent(
    page: Page, voila: VoilaServer, console_errors: ConsoleErrors, tmp_path: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800 if width > 400 else 844})
    sent: list[int] = []  # sizes of what the page sends to its kernel
    page.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: sent.append(len(payload))))
    page.goto(voila.page("00_welcome.ipynb"))
    wait_for_app(page)
    big = tmp_path / "holiday-video.json"
    with big.open("wb") as f:  # 20 MB: today it closes the page's connection, silently
        f.truncate(20 * 1_048_576)
    before = len(sent)
    choose(page, big)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("“holiday-video.json” is 20.0 MB")
    expect(alert).to_contain_text(f"at most {MAX_FILE_BYTES // 1_048_576} MB, so it was not sent")
    shot(page, f"upload-too-big-{width}")
    page.wait_for_timeout(1000)
    assert max(sent[before:], default=0) < 100_000, "the file went to the kernel anyway"

    # just over the limit is refused the same way; the page is still connected and works
    over = tmp_path / "over.json"
    with over.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    choose(page, over)
    expect(page.get_by_role("alert")).to_contain_text("“over.json” is 5.0 MB")
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(Workbook(profile=Profile(display_name="Dr Right File"))
                               .to_json_dict()))
    choose(page, mine)
    expect(page.get_by_text("Welcome back! Loaded “mine.json”")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("textbox", name="Your name (optional)")).to_have_value(
        "Dr Right File")
    expect(page.get_by_role("alert")).to_have_count(0)
