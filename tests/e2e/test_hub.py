"""An institution's JupyterHub, for real: JupyterHub 5/6 with configurable-http-proxy, the
DummyAuthenticator, a local spawner and PostgreSQL as the shared store.

Two participants log in, each works in their own single-user server (the Voilà app is the
server's default URL), and the facilitator's dashboard sees both workbooks, without names.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .conftest import shot, wait_for_app
from .hub import PASSWORD, Hub, start_hub
from .room_steps import (
    check_dashboard,
    evaluate_and_share,
    seed_earlier_participant,
    type_name,
    wait_until_shared,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

USERS = {"ana": "Ana Secretname", "ben": "Ben Hiddenname"}


def own_database(url: str) -> str:
    """A new, empty database on the test PostgreSQL server, so no other test's rows count."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"hub_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password,
        dbname=parsed.database, autocommit=True,
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def hub(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    workdir = tmp_path_factory.mktemp("hub")
    server = start_hub(workdir, own_database(postgres_url), {*USERS, "facilitator"})
    yield server
    server.stop()


def log_in(page: Page, hub: Hub, user: str) -> None:
    """Log in through the hub's own login form; the hub then starts the user's server."""
    page.goto(hub.url + "hub/login")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_each_user_works_in_their_own_server_and_the_dashboard_sees_both(
    hub: Hub, browser: Browser
) -> None:
    from mentoring_mosaic.store import Store

    for user, name in USERS.items():
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        try:
            log_in(page, hub, user)
            # the hub starts the user's own server, whose default URL is the Voilà app
            page.wait_for_url(f"**/user/{user}/voila/render/notebooks/workshop.ipynb*",
                              timeout=120_000)
            wait_for_app(page)
            type_name(page, name)
            evaluate_and_share(page)
            shot(page, f"hub-{user}")
            # another user's server is not reachable with this user's login
            other = next(u for u in USERS if u != user)
            response = page.request.get(
                hub.url + f"user/{other}/voila/render/notebooks/workshop.ipynb"
            )
            assert response.status in {403, 404}, (response.status, response.url)
            assert "kernelId" not in response.text()
        finally:
            context.close()

    # both servers wrote to the one PostgreSQL database, each under its own key
    keys = [f"hub-{user}" for user in USERS]
    wait_until_shared(hub.db_url, keys)
    store = Store(hub.db_url)
    try:
        for user, name in USERS.items():
            assert store.load(f"hub-{user}").profile.display_name == name
    finally:
        store.dispose()

    seed_earlier_participant(hub.db_url)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        log_in(page, hub, "facilitator")
        page.wait_for_url("**/user/facilitator/**", timeout=120_000)
        page.goto(hub.url + "user/facilitator/voila/render/facilitator/dashboard.ipynb")
        check_dashboard(page, [*USERS.values(), "Cara Seededname"], participants=3)
        shot(page, "hub-dashboard")
    finally:
        context.close()
