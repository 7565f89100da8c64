"""Browser tests of the graph explorer: the real app on a free port, driven in Chromium.

The app runs under uvicorn in a background thread against the tests' Neo4j
(``neo4j_settings``), with the demo documents imported for a tenant of its own. Chromium is
Debian's (``/usr/bin/chromium``, or ``FLAGBEARER_CHROMIUM``): the tests never download a
browser, and fail (not skip) when there is none, since ``.ci/run`` installs it. The
explorer is built first by ``scripts/build-explorer``, which returns at once when its build
(``graph_api/static/explorer``) is up to date.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.db.driver import open_database, wait_until_ready
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.package_data import DEMO_SEEDS_DIR, EXPLORER_DIST
from graph_api.repositories.documents import import_document
from graph_api.repositories.keys import create_key

T = TypeVar("T")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_executable() -> str:
    """Debian's Chromium; a clear failure, not a skip, when it is missing."""
    wanted = os.environ.get("FLAGBEARER_CHROMIUM", "/usr/bin/chromium")
    found = shutil.which(wanted) or (wanted if Path(wanted).is_file() else None)
    if found is None:
        pytest.fail(
            f"Chromium not found at {wanted}: the browser tests need Debian's chromium package "
            "(as root: apt-get update && apt-get install -y chromium), or set FLAGBEARER_CHROMIUM "
            "to a Chromium binary. Never download a browser for these tests.",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def explorer_dist() -> Path:
    """The explorer build in the package, built (or found up to date) by scripts/build-explorer."""
    script = PROJECT_ROOT / "scripts" / "build-explorer"
    result = subprocess.run(
        [str(script)], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    dist = EXPLORER_DIST
    if result.returncode != 0 or not (dist / "index.html").is_file():
        pytest.fail(
            f"scripts/build-explorer failed ({result.returncode}); the explorer cannot be "
            f"tested unbuilt:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}",
            pytrace=False,
        )
    return dist


@dataclass(frozen=True)
class DemoKeys:
    editor: str
    viewer: str


def _in_own_loop(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs ``work`` in a fresh event loop on a thread of its own.

    Playwright's sync API keeps an event loop running on the main thread, so nothing async
    (pytest-asyncio fixtures included) can run there once the browser is up.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(work())
        except BaseException as error:  # noqa: BLE001 - re-raised on the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="browser-test-setup")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


@pytest.fixture(scope="module")
def demo_keys(neo4j_settings: Settings) -> DemoKeys:
    """The demo documents imported, in name order, for a tenant of this module's own (so
    nothing is wiped and other tests' data is never touched); an editor and a viewer key."""
    tenant = f"browser-{uuid.uuid4().hex[:12]}"

    async def seed() -> DemoKeys:
        database = open_database(neo4j_settings)
        try:
            await wait_until_ready(database)
            await apply_migrations(database)
            principal = Principal(tenant, Role.ADMIN, actor="browser-tests")
            for path in sorted(DEMO_SEEDS_DIR.glob("*.json")):
                document = json.loads(path.read_text("utf-8"))
                await import_document(database, principal, document, ImportMode.REPLACE)
            editor = await create_key(database, tenant, Role.EDITOR, name="browser-editor")
            viewer = await create_key(database, tenant, Role.VIEWER, name="browser-viewer")
        finally:
            await database.close()
        return DemoKeys(editor=editor.secret, viewer=viewer.secret)

    return _in_own_loop(seed)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(
    neo4j_settings: Settings, demo_keys: DemoKeys, explorer_dist: Path
) -> Iterator[str]:
    """The whole app on a free loopback port; its own driver, in its own thread and loop."""
    del demo_keys, explorer_dist  # set-up order only: data and build before the server
    port = _free_port()
    # a module's tests share one editor key: its rate budget is that of a module of seller
    # sessions (one explorer load costs some 4,000), not of one seller (the default, 60,000)
    settings = neo4j_settings.model_copy(update={"rate_limit_cost_per_minute": 600_000})
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning",
        lifespan="on",
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, name="explorer-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the app did not start under uvicorn", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=30)


Api = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def api(server: str) -> Iterator[Api]:
    """``api(key, query, variables)``: the GraphQL answer's ``data`` (errors fail the test)."""
    with httpx.Client(base_url=server, timeout=30, follow_redirects=True) as client:

        def call(key: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
            response = client.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert response.status_code == 200, response.text
            body = response.json()
            assert not body.get("errors"), body["errors"]
            data: dict[str, Any] = body["data"]
            return data

        yield call


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Per module: while Playwright's sync API is up, its event loop runs on this thread and
    no other test's asyncio can, so it must stop before the next module starts."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = chromium_executable()
    launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab (own session storage) with console errors collected on ``page.errors``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors  # type: ignore[attr-defined]
    yield tab
    context.close()
