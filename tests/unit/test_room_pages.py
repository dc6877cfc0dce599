"""The room's pages the server writes without a kernel (``serve/room_pages.py``) and the
start pages' handing out of private links (``room_guard.StartPages``), without a server."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from mentoring_mosaic.serve.room_pages import (
    StartPages,
    is_start_request,
    link_page,
    private_link,
    room_full_page,
    start_page,
)
from mentoring_mosaic.session import room_base_url
from mentoring_mosaic.store import Store

TOKEN = "room-token-0123456789abcdef"
XSRF = '<input type="hidden" name="_xsrf" value="2|abc|def|123"/>'


class Visible(HTMLParser):
    """The text a person reads, and the page's tags, to check what the HTML says."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in {"style", "script"}

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in {"style", "script"}

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())


def parse(html: str) -> Visible:
    page = Visible()
    page.feed(html)
    return page


@pytest.mark.parametrize(
    ("query", "start"),
    [("", True), (f"token={TOKEN}", True), (f"token={TOKEN}&made=x", True),
     (f"token={TOKEN}&key=abc", False), (f"token={TOKEN}&fkey=f", False), ("key=", False),
     ("fkey=&view=agenda", False)],
)
def test_only_the_shared_link_is_a_start_request(query: str, start: bool) -> None:
    assert is_start_request(query) is start


def test_the_start_page_is_a_form_with_one_button_and_no_script() -> None:
    page = parse(start_page(XSRF))
    assert "Mentoring Mosaic: join the workshop" in page.text
    assert "Get my private link" in page.text
    forms = [attrs for tag, attrs in page.tags if tag == "form"]
    assert forms == [{"method": "post"}]  # posts back to the same address (token included)
    assert ("input", {"type": "hidden", "name": "_xsrf", "value": "2|abc|def|123"}) in page.tags
    assert "script" not in {tag for tag, _ in page.tags}  # nothing runs
    fetched = [a.get("href") or a.get("src") for _, a in page.tags if "href" in a or "src" in a]
    assert all(url.startswith("data:") for url in fetched), fetched  # nothing is fetched
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert ("main", {"class": "mm-room-start"}) in page.tags


def test_the_link_page_shows_the_link_escaped_in_a_labelled_field() -> None:
    link = 'http://10.0.0.5:8866/?token=t&key=k"><script>alert(1)</script>'
    html = link_page(link)
    assert "<script>" not in html
    page = parse(html)
    field = next(attrs for tag, attrs in page.tags if tag == "input")
    assert field["value"] == link and "readonly" in field  # the exact link, to copy
    label = next(attrs for tag, attrs in page.tags if tag == "label")
    assert label["for"] == field["id"]
    assert "Your private link: bookmark it or copy it" in page.text
    anchors = [attrs for tag, attrs in page.tags if tag == "a"]
    assert [a["href"] for a in anchors] == [link]
    assert "Open my workbook →" in page.text


def test_the_room_full_page_is_plain_and_escapes_the_link() -> None:
    html = room_full_page('key=<script>"x"', 120)
    assert "The room is full — please ask the facilitator" in html
    assert "(120)" in html and "<script>" not in html
    assert "Traceback" not in html and "http" not in html.replace("http-equiv", "")


def test_links_use_the_public_address_when_given() -> None:
    assert room_base_url("http://10.0.0.5:8866/?token=x&made=y") == "http://10.0.0.5:8866/"
    assert room_base_url("http://10.0.0.5:8866/?token=x", "https://room.example.org/mm") == (
        "https://room.example.org/mm/"
    )
    assert private_link("http://h/", TOKEN, "k" * 24) == f"http://h/?token={TOKEN}&key={'k' * 24}"
    assert private_link("http://h/", "", "k" * 24) == f"http://h/?key={'k' * 24}"


def test_the_button_stores_a_participant_and_the_page_shows_that_link(store: Store) -> None:
    pages = StartPages(token=TOKEN)
    pages._store = store
    key = pages.new_participant()
    assert len(key) >= 24 and store.exists(key)
    redirect = pages.after_post(key)
    assert redirect == f"?token={TOKEN}&made={key}"
    html = pages.page(redirect[1:], f"http://10.0.0.5:8866/{redirect}", XSRF)
    field = next(attrs for tag, attrs in parse(html).tags if tag == "input")
    assert field["value"] == f"http://10.0.0.5:8866/?token={TOKEN}&key={key}"
    # showing the page again (a reload, a bookmark) makes nobody new
    pages.page(redirect[1:], f"http://10.0.0.5:8866/{redirect}", XSRF)
    assert [p.key for p in store.participants()] == [key]


@pytest.mark.parametrize("made", ["default", "A" * 24, "../etc/passwd", "<b>x</b>" * 4, ""])
def test_a_made_key_the_room_never_issued_shows_the_start_page(store: Store, made: str) -> None:
    store.create_participant("default")
    pages = StartPages(token=TOKEN)
    pages._store = store
    html = pages.page(f"token={TOKEN}&made={made}", "http://h/", XSRF)
    assert "Get my private link" in parse(html).text
    assert not re.search(r"key=", html)
