"""Time to the first readable view of the explorer on a generated enterprise account.

Generates an account (``benchmarks/generate.py``, 1,000 stakeholders by default, about 11,000
edges), imports it into a throwaway local Neo4j (or ``NEO4J_URI``: NOT wiped, each run uses a
fresh tenant), serves the whole app under uvicorn on a free loopback port and opens
``/explorer`` on that account in Debian's Chromium at 1280x720, ``--loads`` times, each in a
fresh browser context (cold: no saved layout, empty caches). For every load the page's own
clock gives the time from navigation to the first drawn view (``data-first-render-ms``), and
the page reports the smallest card text then on screen (readable means at least 12 px).
The two API requests behind the view (``accountGraph`` and ``coachingPlan``) are timed on
their own too, so a slow figure can be placed on the server or in the browser.

    .venv/bin/python benchmarks/explorer_bench.py [--people 1000] [--loads 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_account_document
from import_bench import neo4j_settings

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.db.driver import open_database, wait_until_ready
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.repositories.documents import import_document
from graph_api.repositories.keys import create_key

VIEWPORT = {"width": 1280, "height": 720}
CHROMIUM = [Path("/usr/lib/chromium/chromium"), Path("/usr/bin/chromium")]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

GRAPH = """query Graph($accountId: ID!, $opportunityId: ID) {
  accountGraph(accountId: $accountId, opportunityId: $opportunityId) {
    nodes { id kind label title department seniority role stance veto voteWeight
            isApprover isChampion isOpponent alternativeKind externalId }
    edges { source target kind weight }
  }
}"""
PLAN = """query Plan($opportunityId: ID!) {
  coachingPlan(opportunityId: $opportunityId) {
    winProbability winProbabilityWithPlan
    approvers { approver { id name } status plays { path { id name } explanation } }
    plan { path { id name } explanation }
  }
}"""
IDS = """query Ids($externalId: String!) {
  account(externalId: $externalId) { id opportunities { edges { node { id } } } }
}"""


def chromium() -> str:
    wanted = os.environ.get("FLAGBEARER_CHROMIUM")
    for candidate in [Path(wanted)] if wanted else CHROMIUM:
        if candidate.is_file():
            return str(candidate)
    sys.exit("Debian's chromium is needed (apt-get install chromium) or FLAGBEARER_CHROMIUM")


async def seed(settings: Settings, people: int, seed_value: int) -> tuple[str, str]:
    """The generated account imported for a fresh tenant; a viewer key and its externalId."""
    document = generate_account_document(people, seed_value)
    database = open_database(settings)
    try:
        await wait_until_ready(database)
        await apply_migrations(database)
        tenant = f"bench-explorer-{uuid.uuid4().hex[:8]}"
        await import_document(
            database, Principal(tenant, Role.ADMIN, "bench"), document, ImportMode.REPLACE
        )
        key = await create_key(database, tenant, Role.VIEWER, name="explorer-bench")
    finally:
        await database.close()
    return key.secret, str(document["accounts"][0]["externalId"])


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The whole app on a free loopback port, in a thread of its own."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            sys.exit("the app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


def api_seconds(base: str, key: str, account: str, runs: int) -> dict[str, float]:
    """Median seconds of the two requests the first view waits for, each on its own."""
    with httpx.Client(base_url=base, timeout=300) as client:

        def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            response = client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {key}"},
            )
            response.raise_for_status()
            body: dict[str, Any] = response.json()
            return body

        ids = post(IDS, {"externalId": account})["data"]["account"]
        opportunity = ids["opportunities"]["edges"][0]["node"]["id"]
        times: dict[str, list[float]] = {"accountGraph": [], "coachingPlan": []}
        for _ in range(runs):
            for name, query, variables in (
                ("accountGraph", GRAPH, {"accountId": ids["id"], "opportunityId": opportunity}),
                ("coachingPlan", PLAN, {"opportunityId": opportunity}),
            ):
                start = time.perf_counter()
                post(query, variables)
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def page_loads(base: str, key: str, account: str, loads: int) -> list[dict[str, float]]:
    """Each load in a fresh context: first view time, data wait and smallest text."""
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            for _ in range(loads):
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                page.goto(f"{base}/explorer/#key={key}&account={account}")
                page.wait_for_selector("#graph[data-state=ready]", timeout=120_000)
                results.append(
                    page.evaluate(
                        """() => {
                          const graphql = performance.getEntriesByType('resource')
                            .filter(r => r.name.endsWith('/graphql'));
                          const graph = document.querySelector('#graph');
                          return {
                            firstView: Number(graph.dataset.firstRenderMs),
                            dataDone: Math.max(...graphql.map(r => r.responseEnd)),
                            requests: graphql.length,
                            smallestPx: window.__explorer.smallestTextPx(),
                            people: window.__explorer.shown().length,
                          };
                        }"""
                    )
                )
                context.close()
        finally:
            browser.close()
    return results


def report(people: int, api: dict[str, float], loads: list[dict[str, float]]) -> None:
    first = [load["firstView"] / 1000 for load in loads]
    browser_side = [(load["firstView"] - load["dataDone"]) / 1000 for load in loads]
    print(f"account: {people:,} stakeholders; the view opens on {int(loads[0]['people'])} people")
    print(f"{'accountGraph request (median)':<44} {api['accountGraph']:>7.2f} s")
    print(f"{'coachingPlan request (median)':<44} {api['coachingPlan']:>7.2f} s")
    print(
        f"{'first readable view, 1280x720 (median)':<44} {statistics.median(first):>7.2f} s"
        f"   min {min(first):.2f}  max {max(first):.2f}  ({len(first)} cold loads)"
    )
    after = statistics.median(browser_side)
    print(f"{'  of which after the last answer (browser)':<44} {after:>7.2f} s")
    smallest = min(load["smallestPx"] for load in loads)
    print(f"{'smallest card text on screen':<44} {smallest:>7.1f} px (readable: >= 12)")
    print(f"{'GraphQL requests per load':<44} {int(loads[0]['requests']):>7d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    if not (PROJECT_ROOT / "explorer" / "dist" / "index.html").is_file():
        sys.exit("build the explorer first: scripts/build-explorer")
    if shutil.which("chromium") is None and not any(c.is_file() for c in CHROMIUM):
        sys.exit("Debian's chromium is needed: apt-get install chromium")
    with neo4j_settings() as settings:
        key, account = asyncio.run(seed(settings, arguments.people, arguments.seed))
        with serving(settings) as base:
            api = api_seconds(base, key, account, runs=3)
            loads = page_loads(base, key, account, arguments.loads)
    report(arguments.people, api, loads)


if __name__ == "__main__":
    main()
