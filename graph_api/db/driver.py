"""The Neo4j driver's lifecycle, transactions and the one mapping of driver errors.

The driver is passed explicitly (never a global). Reads run in read transactions and writes
in write transactions, so a ``neo4j://`` URI routes them correctly across a cluster or Aura.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph_api.config import Settings
from graph_api.errors import Conflict, LimitExceeded, Unavailable
from graph_api.observability.metrics import NEO4J_POOLS
from graph_api.observability.timing import observed_transaction

T = TypeVar("T")
Work = Callable[[AsyncManagedTransaction], Awaitable[T]]


class Database:
    """One Neo4j database reached through one driver."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database
        NEO4J_POOLS.track(driver)  # its pool's connections show in /metrics

    async def read(self, work: Work[T]) -> T:
        """Run ``work`` in a managed read transaction (retried on transient errors)."""
        with observed_transaction("read", work, self.database):
            try:
                async with self.driver.session(database=self.database) as session:
                    return await session.execute_read(work)
            except Neo4jError as error:
                raise map_error(error) from error
            except (ServiceUnavailable, SessionExpired) as error:
                raise Unavailable(f"Neo4j is not answering: {error}") from error

    async def write(self, work: Work[T]) -> T:
        """Run ``work`` in a managed write transaction: it lands whole or not at all."""
        with observed_transaction("write", work, self.database):
            try:
                async with self.driver.session(database=self.database) as session:
                    return await session.execute_write(work)
            except Neo4jError as error:
                raise map_error(error) from error
            except (ServiceUnavailable, SessionExpired) as error:
                raise Unavailable(f"Neo4j is not answering: {error}") from error

    async def ping(self) -> None:
        try:
            await self.driver.verify_connectivity()
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise Unavailable(f"Neo4j is not answering: {error}") from error
        except AuthError as error:
            raise Unavailable(f"Neo4j refused the credentials: {error.message}") from error

    async def close(self) -> None:
        await self.driver.close()


def map_error(error: Neo4jError) -> Exception:
    """Translate a driver error into the package's own errors (the only place that does)."""
    if isinstance(error, ConstraintError):
        return Conflict(f"that would duplicate a unique key: {error.message}")
    if isinstance(error, AuthError):
        return Unavailable(f"Neo4j refused the credentials: {error.message}")
    if error.code is not None and "MemoryPoolOutOfMemoryError" in error.code:
        return LimitExceeded(
            "the change is too large for one transaction on this Neo4j (raise its"
            " db.memory.transaction.max, or send it in parts)",
            limit="transactionMemory",
        )
    return error


def open_database(settings: Settings) -> Database:
    driver = AsyncGraphDatabase.driver(
        settings.effective_neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password),
        max_connection_pool_size=50,
        connection_acquisition_timeout=30.0,
        # "unknown relationship type" hints on an empty database are noise, not problems
        notifications_min_severity="OFF",
    )
    return Database(driver, settings.neo4j_database)


async def wait_until_ready(database: Database, timeout: float = 60.0) -> None:
    """Wait until Neo4j answers, so a service started beside its database does not fail."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            await database.ping()
        except Unavailable:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
        else:
            return
