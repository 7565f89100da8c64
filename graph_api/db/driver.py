"""The Neo4j driver's lifecycle, transactions and the one mapping of driver errors.

The driver is passed explicitly (never a global). Reads run in read transactions and writes
in write transactions, so a ``neo4j://`` URI routes them correctly across a cluster or Aura.

When Neo4j goes away, requests fail fast and plainly: connecting gives up after
``NEO4J_CONNECTION_TIMEOUT``, waiting for a pooled connection after
``NEO4J_CONNECTION_ACQUISITION_TIMEOUT``, and the driver's retries of a managed transaction
stop starting after ``NEO4J_MAX_TRANSACTION_RETRY_TIME`` (the retries wait 1 s, then 2 s: with
the defaults a request gets its UNAVAILABLE answer within about 3 s when the database refuses
connections). Pooled connections idle for longer than ``NEO4J_LIVENESS_CHECK_TIMEOUT`` are
checked before use, so after Neo4j restarts the same process serves again at once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph_api.config import Settings
from graph_api.errors import Conflict, LimitExceeded, Unavailable
from graph_api.observability.metrics import NEO4J_POOLS
from graph_api.observability.timing import observed_transaction

T = TypeVar("T")
Work = Callable[[AsyncManagedTransaction], Awaitable[T]]
log = logging.getLogger("graph_api.db")

NOT_ANSWERING = "the database is not answering; retry in a few seconds"
# "Node(29744) already exists with label `Stakeholder` and properties `tenantId` = 'a', …"
DUPLICATE = re.compile(
    r"already exists with (?P<kind>label|type) `(?P<name>[^`]+)` and propert(?:y|ies) (?P<rest>.*)",
    re.DOTALL,
)
PROPERTY = re.compile(r"`([^`]+)` = ")
SCOPE_PROPERTIES = frozenset({"tenantId"})


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
            except (Neo4jError, ServiceUnavailable, SessionExpired) as error:
                raise map_error(error) from error

    async def write(self, work: Work[T]) -> T:
        """Run ``work`` in a managed write transaction: it lands whole or not at all."""
        with observed_transaction("write", work, self.database):
            try:
                async with self.driver.session(database=self.database) as session:
                    return await session.execute_write(work)
            except (Neo4jError, ServiceUnavailable, SessionExpired) as error:
                raise map_error(error) from error

    async def ping(self) -> None:
        try:
            await self.driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, SessionExpired) as error:
            raise map_error(error) from error
        except OSError as error:
            log.warning("Neo4j is not answering: %s", error)
            raise Unavailable(NOT_ANSWERING) from error

    async def close(self) -> None:
        await self.driver.close()


def map_error(error: Neo4jError | ServiceUnavailable | SessionExpired) -> Exception:
    """Translate a driver error into the package's own errors (the only place that does).

    Messages are plain sentences without the database's internals (node ids, addresses,
    Cypher); the driver's own words go to the log. An error not mapped here is a bug and is
    returned as it is, for the API to mask and log.
    """
    if isinstance(error, IncompleteCommit):
        log.warning("Neo4j connection lost while committing: %s", error)
        return Unavailable(
            "the database connection was lost while committing: the change may or may not"
            " have been saved; read it back before retrying"
        )
    if isinstance(error, ServiceUnavailable | SessionExpired):
        log.warning("Neo4j is not answering: %s", error)
        return Unavailable(NOT_ANSWERING)
    if isinstance(error, ConstraintError):
        return Conflict(duplicate_key_message(error.message or ""))
    if isinstance(error, AuthError):
        log.error("Neo4j refused the credentials: %s", error.message)
        return Unavailable("the database refused this service's credentials")
    if error.code is not None and "MemoryPoolOutOfMemoryError" in error.code:
        return LimitExceeded(
            "the change is too large for one transaction on this Neo4j (raise its"
            " db.memory.transaction.max, or send it in parts)",
            limit="transactionMemory",
        )
    if isinstance(error, TransientError):
        log.warning("Neo4j transient failure outlasted the retries: %s", error)
        return Unavailable(
            "the database is busy (a lock or a transient failure outlasted the retries);"
            " retry in a few seconds"
        )
    return error


def duplicate_key_message(message: str) -> str:
    """A plain sentence naming the duplicated key, from a constraint violation's message.

    Example:
        >>> duplicate_key_message(
        ...     "Node(29744) already exists with label `Stakeholder` and properties"
        ...     " `tenantId` = 'demo', `externalId` = 'p-dana'"
        ... )
        'that would duplicate a unique key: another Stakeholder already has this externalId'
    """
    found = DUPLICATE.search(message)
    if found is None:
        return "that would duplicate a unique key"
    keys = [p for p in PROPERTY.findall(found.group("rest")) if p not in SCOPE_PROPERTIES]
    what = found.group("name") + ("" if found.group("kind") == "label" else " relationship")
    if not keys:
        return f"that would duplicate a unique key of {what}"
    key = " and ".join(keys)
    return f"that would duplicate a unique key: another {what} already has this {key}"


def open_database(settings: Settings) -> Database:
    driver = AsyncGraphDatabase.driver(
        settings.effective_neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password),
        max_connection_pool_size=50,
        connection_timeout=settings.neo4j_connection_timeout,
        connection_acquisition_timeout=settings.neo4j_connection_acquisition_timeout,
        max_transaction_retry_time=settings.neo4j_max_transaction_retry_time,
        liveness_check_timeout=settings.neo4j_liveness_check_timeout,
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
