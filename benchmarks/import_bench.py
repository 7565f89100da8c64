"""Import and export throughput of the account document.

Generates an account of 5,000 stakeholders (``benchmarks/generate.py``: about 10 influence
edges each, a committee, the playbook), then times against a real Neo4j: validation alone,
the first import, a re-import of the same document (MERGE and REPLACE, both no-ops), a
re-import with one stakeholder in ten changed, and the export. Neo4j is a throwaway local
server (temporary home, a free port, stopped afterwards) unless ``NEO4J_URI`` is set; that
server is NOT wiped, each run uses a fresh tenant.

    .venv/bin/python benchmarks/import_bench.py [--stakeholders 5000] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import shutil
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_account_document
from neo4j.exceptions import TransientError

from graph_api.config import Settings
from graph_api.db.driver import open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations
from graph_api.domain.document import canonical, validate_document
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.repositories.documents import export_document, import_document

PASSWORD = "flagbearer-bench"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def neo4j_settings() -> Iterator[Settings]:
    if os.environ.get("NEO4J_URI"):
        yield Settings()
        return
    root = Path(tempfile.mkdtemp(prefix="flagbearer-import-bench-"))
    server = LocalNeo4j(root / "neo4j", bolt_port=_free_port(), password=PASSWORD)
    try:
        status = server.start()
        yield Settings(NEO4J_URI=status.bolt_uri, NEO4J_PASSWORD=PASSWORD)
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


async def timed(label: str, action: Callable[[], Awaitable[Any]], people: int) -> Any:
    start = time.perf_counter()
    result = await action()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:>8.2f} s {people / seconds:>12,.0f} stakeholders/s")
    return result


async def run(stakeholders: int, seed: int) -> None:
    document = generate_account_document(stakeholders, seed)
    main = document["accounts"][0]
    edges = len(main["influences"]) + len(main["conflicts"])
    print(
        f"account: {stakeholders:,} stakeholders, {edges:,} influence/conflict edges, "
        f"{len(main['opportunities'][0]['committee'])} seats"
    )

    start = time.perf_counter()
    validate_document(document)
    seconds = time.perf_counter() - start
    print(
        f"{'validate (no database)':<34} {seconds:>8.2f} s "
        f"{stakeholders / seconds:>12,.0f} stakeholders/s"
    )

    with neo4j_settings() as config:
        database = open_database(config)
        await wait_until_ready(database)
        await apply_migrations(database)
        who = Principal(f"bench-{uuid.uuid4().hex[:8]}", Role.ADMIN, "bench")
        try:
            first = await timed(
                "first import (MERGE)",
                lambda: import_document(database, who, document),
                stakeholders,
            )
            again = await timed(
                "re-import, unchanged (MERGE)",
                lambda: import_document(database, who, document),
                stakeholders,
            )
            replace = await timed(
                "re-import, unchanged (REPLACE)",
                lambda: import_document(database, who, document, ImportMode.REPLACE),
                stakeholders,
            )
            changed = copy.deepcopy(document)
            for person in changed["accounts"][0]["stakeholders"][::10]:
                person["title"] = f"{person['title']} (acting)"
            edited = await timed(
                "re-import, 1 in 10 changed (MERGE)",
                lambda: import_document(database, who, changed),
                stakeholders,
            )
            exported = await timed(
                "export",
                lambda: export_document(database, who, account_external_id=main["externalId"]),
                stakeholders,
            )
        finally:
            await database.close()

    assert first.nodes["Stakeholder"].created == stakeholders
    assert not again.changed
    assert not replace.changed
    assert edited.nodes["Stakeholder"].updated == len(changed["accounts"][0]["stakeholders"][::10])
    expected = canonical(validate_document(changed))["accounts"][0]
    assert exported["accounts"][0] == expected, "the export differs from the imported account"
    print(
        f"relationships created by the first import: {first.relationships.created:,}; "
        "export equals the imported account"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stakeholders", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    try:
        asyncio.run(run(arguments.stakeholders, arguments.seed))
    except TransientError as error:
        if "MemoryPoolOutOfMemoryError" not in str(error.code):
            raise
        # The document is imported in ONE transaction; its state must fit the server's cap.
        sys.exit(f"the server's per-transaction memory cap is too small: {error.message}")


if __name__ == "__main__":
    main()
