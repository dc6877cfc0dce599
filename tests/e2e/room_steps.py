"""Steps shared by the room and hub tests: a participant's work, consent, the dashboard."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from .conftest import wait_for_app

HEADLINE_ANSWER = "Strongly agree"


def type_name(page: Page, name: str) -> None:
    """Stage 0 of the workshop app: the participant's name, saved."""
    box = page.get_by_role("textbox", name="Your name (optional)")
    box.fill(name)
    box.press("Tab")
    expect(page.get_by_text("✓ Saved")).to_be_visible(timeout=30_000)


def evaluate_and_share(page: Page) -> None:
    """Wrap-up in the workshop app: answer the headline item and agree to share."""
    page.get_by_role("button", name=re.compile(r"^7\. ")).click()
    page.get_by_role("radio", name=HEADLINE_ANSWER, exact=True).check()
    consent = page.get_by_role(
        "checkbox", name="Share my anonymised answers with the facilitator"
    )
    consent.check()
    expect(consent).to_be_checked()


def wait_until_shared(store_url: str, keys: list[str], timeout: float = 30) -> None:
    """Block until every workbook has reached the store with consent and the headline answer."""
    from mentoring_mosaic.store import Store

    store = Store(store_url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            books = [store.load(k) for k in keys]
            if all(b.consent.share_anonymised and b.evaluation.headline == 5 for b in books):
                return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"not saved: {[(b.consent, b.evaluation.headline) for b in books]}"
                )
            time.sleep(0.5)
    finally:
        store.dispose()


def seed_earlier_participant(store_url: str) -> str:
    """A third consenting workbook, so the room passes the dashboard's 3-person threshold."""
    from mentoring_mosaic.model import Consent, Evaluation, Profile
    from mentoring_mosaic.store import Store

    store = Store(store_url)
    try:
        key = store.create_participant()
        store.save_section(key, "profile", Profile(display_name="Cara Seededname"))
        store.save_section(key, "evaluation", Evaluation(headline=5))
        store.save_section(key, "consent", Consent(share_anonymised=True))
    finally:
        store.dispose()
    return key


def check_dashboard(page: Page, names: list[str], participants: int) -> None:
    """The dashboard counts everyone who shared and shows no name."""
    wait_for_app(page, ".mm-dash")
    kpis = page.locator(".mm-kpi .mm-big")
    expect(kpis.first).to_have_text(str(participants), timeout=30_000)
    expect(kpis.nth(1)).to_have_text("100%")  # every counted answer was "Strongly agree"
    expect(page.get_by_text(f"{participants} of {participants} who answered")).to_be_visible()
    html = page.content()
    for name in names:
        assert name not in html, f"{name} appears on the dashboard"
