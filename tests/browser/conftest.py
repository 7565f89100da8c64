"""Browser tests of the graph explorer: the real app on a free port, driven in Chromium.

The app runs under uvicorn in a background thread against the tests' Neo4j
(``neo4j_settings``), with the demo documents imported for a tenant of its own. Chromium is
Debian's (``FLAGBEARER_CHROMIUM``, else the binary behind Debian's ``/usr/bin/chromium``
launcher script): the tests never download a browser, and fail (not skip) when there is none,
since ``.ci/run`` installs it. The explorer is built first by ``scripts/build-explorer``,
which returns at once when its build (``graph_api/static/explorer``) is up to date.

Chromium's own stderr goes to ``test-artifacts/chromium-<worker>.log``; when a browser test
fails, the lines Chromium wrote during that test, the page's console and errors, and a note
if the renderer crashed are added to the test's report (section "Captured Chromium ...").
Every xdist worker runs its own app server, on a port it holds, and its own Chromium.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

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
# What a container needs (Playwright adds --headless, a fresh temporary --user-data-dir per
# launch, and --no-sandbox, which root needs, itself; --no-sandbox is repeated to be explicit).
CHROMIUM_ARGS = [
    "--no-sandbox",
    # Shared memory in /tmp, not /dev/shm: a container's /dev/shm is often 64 MB, and running
    # out of it kills the renderer or GPU process. Debian's launcher script adds this flag only
    # when its check of /dev/shm works, which it does not when /dev/shm is mounted twice.
    "--disable-dev-shm-usage",
    "--disable-gpu",  # no GPU here; Debian's launcher would turn on GPU rasterisation
    "--disable-quic",
    "--no-first-run",
    # The machine's network is closed: no update, sync or metrics connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-crash-reporter",
    # A page that runs away with memory fails within seconds with "V8 javascript OOM" in
    # the log, instead of growing to Chromium's default of several GB on a shared machine.
    "--js-flags=--max-old-space-size=512",
]
# Debian's /usr/bin/chromium is a shell script that adds flags of its own (GPU rasterisation,
# extension loading) before exec'ing this binary; the tests start the binary directly.
DEBIAN_CHROMIUM = Path("/usr/lib/chromium/chromium")
LOG_TAIL_LINES = 200
# Waits that only a broken page should exhaust, even on a loaded shared machine (Playwright's
# defaults are 5 s for expect() and 30 s for actions); a passing test never waits them out.
EXPECT_TIMEOUT_MS = 30_000
ACTION_TIMEOUT_MS = 90_000
SERVER_START_TIMEOUT = 300.0


def chromium_executable() -> str:
    """Debian's Chromium; a clear failure, not a skip, when it is missing."""
    wanted = os.environ.get("FLAGBEARER_CHROMIUM")
    if wanted is None:
        found = str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.is_file() else shutil.which("chromium")
    else:
        found = shutil.which(wanted) or (wanted if Path(wanted).is_file() else None)
    if found is None:
        pytest.fail(
            f"Chromium not found at {wanted or DEBIAN_CHROMIUM}: the browser tests need "
            "Debian's chromium package (as root: apt-get update && apt-get install -y "
            "chromium), or set FLAGBEARER_CHROMIUM to a Chromium binary. Never download a "
            "browser for these tests.",
            pytrace=False,
        )
    return found


class ChromiumLog:
    """Chromium's stderr, kept in a file by a launcher script that Playwright starts.

    Playwright talks to Chromium over a pipe (file descriptors 3 and 4), so the script can
    send stderr to a file and ``exec`` the browser with everything else untouched.
    """

    def __init__(self, path: Path, launcher: Path, executable: str) -> None:
        self.path = path
        self.launcher = launcher
        path.parent.mkdir(parents=True, exist_ok=True)
        launcher.write_text(
            f'#!/bin/sh\nexec {shlex.quote(executable)} "$@" 2>>{shlex.quote(str(path))}\n',
            encoding="utf-8",
        )
        launcher.chmod(0o755)

    def offset(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def since(self, offset: int) -> str:
        """What Chromium wrote since ``offset``: its last lines, or a note that it was quiet."""
        try:
            with self.path.open("rb") as log:
                log.seek(offset)
                lines = log.read().decode("utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            lines = []
        if not lines:
            return f"(Chromium wrote nothing to {self.path})"
        skipped = len(lines) - LOG_TAIL_LINES
        head = [f"({skipped} earlier lines in {self.path})"] if skipped > 0 else []
        return "\n".join(head + lines[-LOG_TAIL_LINES:])


@dataclass
class PageEvidence:
    """What one test's tab and Chromium said, attached to the report when the test fails."""

    log: ChromiumLog
    log_offset: int
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crashed: bool = False

    def render(self) -> str:
        parts = []
        if self.crashed:
            parts.append(
                "The page's renderer process crashed (Playwright: 'Target crashed'); "
                "Chromium's log below says why (e.g. 'V8 javascript OOM')."
            )
        parts.append("--- page errors ---\n" + ("\n".join(self.errors) or "(none)"))
        parts.append("--- page console ---\n" + ("\n".join(self.console) or "(none)"))
        parts.append("--- Chromium's stderr during the test ---")
        parts.append(self.log.since(self.log_offset))
        return "\n".join(parts)


PAGE_EVIDENCE = pytest.StashKey[PageEvidence]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed browser test's report carries Chromium's side of the story."""
    evidence = item.stash.get(PAGE_EVIDENCE, None)
    failed = call.excinfo is not None and not call.excinfo.errisinstance(pytest.skip.Exception)
    if evidence is not None and failed:
        item.add_report_section(call.when, "Chromium", evidence.render())
    return (yield)


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


@pytest.fixture(scope="module")
def server(neo4j_settings: Settings, demo_keys: DemoKeys, explorer_dist: Path) -> Iterator[str]:
    """The whole app on a free loopback port; its own driver, in its own thread and loop.

    The socket is bound here and handed to uvicorn, so no other worker or process can take
    the port between choosing it and serving on it.
    """
    del demo_keys, explorer_dist  # set-up order only: data and build before the server
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    # a module's tests share one editor key: its rate budget is that of a module of seller
    # sessions (one explorer load costs some 4,000), not of one seller (the default, 60,000)
    settings = neo4j_settings.model_copy(update={"rate_limit_cost_per_minute": 600_000})
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(
        target=instance.run,
        kwargs={"sockets": [listener]},
        name="explorer-test-server",
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while not instance.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            listener.close()
            pytest.fail("the app did not start under uvicorn", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=30)
        listener.close()


Api = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def api(server: str) -> Iterator[Api]:
    """``api(key, query, variables)``: the GraphQL answer's ``data`` (errors fail the test)."""
    with httpx.Client(base_url=server, timeout=120, follow_redirects=True) as client:

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


@pytest.fixture(scope="session")
def chromium_log(tmp_path_factory: pytest.TempPathFactory) -> ChromiumLog:
    """This worker's Chromium stderr file and the launcher script that fills it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return ChromiumLog(
        path=PROJECT_ROOT / "test-artifacts" / f"chromium-{worker}.log",
        launcher=tmp_path_factory.mktemp("chromium") / "chromium",
        executable=chromium_executable(),
    )


@pytest.fixture(scope="module")
def browser(playwright: Playwright, chromium_log: ChromiumLog) -> Iterator[Browser]:
    start = chromium_log.offset()
    try:
        launched = playwright.chromium.launch(
            executable_path=chromium_log.launcher, args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        pytest.fail(
            f"Chromium did not start: {error.message}\n{chromium_log.since(start)}",
            pytrace=False,
        )
    yield launched
    launched.close()


@pytest.fixture
def page_evidence(chromium_log: ChromiumLog, request: pytest.FixtureRequest) -> PageEvidence:
    """This test's tab console, errors and crash, and Chromium's log from now on."""
    evidence = PageEvidence(chromium_log, chromium_log.offset())
    request.node.stash[PAGE_EVIDENCE] = evidence
    return evidence


@pytest.fixture
def page(browser: Browser, page_evidence: PageEvidence) -> Iterator[Page]:
    """A fresh tab (own session storage) with uncaught errors on ``page.errors``; the tab's
    console, errors and crash, and Chromium's log, go into the report if the test fails."""
    evidence = page_evidence
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    tab = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        where = message.location
        evidence.console.append(
            f"{message.type}: {message.text} ({where['url']}:{where['lineNumber']})"
        )

    def on_crash(_: Page) -> None:
        evidence.crashed = True

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: evidence.errors.append(str(error)))
    tab.on("crash", on_crash)
    tab.errors = evidence.errors  # type: ignore[attr-defined]
    yield tab
    context.close()
