"""Axe-core on every page: no serious or critical violation.

One Binder-like server rooted at the repository serves every participant page, the app and
the facilitator's dashboard and agenda. The store holds a full workbook (something in every
section), so the pages show their tables, lists and charts, not just empty forms; the
dashboard counts it. The app is checked at every stage of its stepper.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from mentoring_mosaic.model import Consent
from mentoring_mosaic.store import DEFAULT_KEY, Store
from mentoring_mosaic.widgets.pages import STAGES

from ..unit.test_model import full_workbook
from .conftest import ROOT, VoilaServer, assert_accessible, start_voila, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    home = tmp_path_factory.mktemp("a11y-home")
    store = Store(f"sqlite:///{home / 'workbooks.sqlite3'}")
    wb = full_workbook()
    wb.consent = Consent(share_anonymised=True)
    store.save_workbook(DEFAULT_KEY, wb)
    for i in range(3):  # enough consenting participants for the dashboard's charts
        store.save_workbook(f"p{i}", wb)
    store.dispose()
    srv = start_voila(home, mode="server", base_url="/user/a11y/")
    yield srv
    srv.stop()


STAGE_PAGES = [
    pytest.param(f"notebooks/{s.notebook}", id=s.id)
    for s in STAGES
    if (ROOT / "notebooks" / s.notebook).exists()
]


@pytest.mark.parametrize("notebook", STAGE_PAGES)
def test_stage_page(page: Page, server: VoilaServer, notebook: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server.page(notebook))
    wait_for_app(page)
    page.wait_for_selector(".mm-stage", timeout=60_000)
    page.wait_for_timeout(500)
    assert_accessible(page, "page-" + notebook.split("/")[-1].removesuffix(".ipynb"))


def test_the_app_at_every_stage(page: Page, server: VoilaServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server.page("notebooks/workshop.ipynb"))
    wait_for_app(page, ".mm-app .mm-stage")
    steps = page.locator(".mm-stepper button")
    assert steps.count() >= 2
    for i in range(steps.count()):
        steps.nth(i).click()
        expect(page.locator(".mm-app .mm-stage").first).to_be_visible(timeout=60_000)
        page.wait_for_timeout(800)
        assert_accessible(page, f"app-step-{i}")


@pytest.mark.parametrize(
    ("notebook", "ready"),
    [
        ("facilitator/dashboard.ipynb", ".mm-dash"),
        ("facilitator/agenda.ipynb", ".mm-page, .mm-presenter, .mm-agenda"),
    ],
    ids=["dashboard", "agenda"],
)
def test_facilitator_page(page: Page, server: VoilaServer, notebook: str, ready: str) -> None:
    if not (ROOT / notebook).exists():
        pytest.skip(f"{notebook} is not in this checkout")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server.page(notebook))
    wait_for_app(page, ready)
    page.wait_for_timeout(800)
    assert_accessible(page, notebook.split("/")[-1].removesuffix(".ipynb"))
