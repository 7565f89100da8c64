"""The one mapping of driver errors, against the real Neo4j: plain sentences, no internals."""

from __future__ import annotations

import pytest
from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database, duplicate_key_message
from graph_api.errors import Conflict

pytestmark = pytest.mark.neo4j

INTERNALS = ("Node(", "Relationship(", "tenantId", "`", "already exists with")


async def create_account(tx: AsyncManagedTransaction) -> None:
    await tx.run(
        "CREATE (:Account {tenantId: $t, id: randomUUID(), externalId: 'acct-twice', name: 'A'})",
        t="driver-errors",
    )


async def test_a_violated_uniqueness_constraint_is_a_plain_conflict(database: Database) -> None:
    await database.write(create_account)
    with pytest.raises(Conflict) as caught:
        await database.write(create_account)
    message = caught.value.message
    assert message == (
        "that would duplicate a unique key: another Account already has this externalId"
    )
    for internal in INTERNALS:
        assert internal not in message
    assert caught.value.__cause__ is not None, "the driver's own error stays attached for the log"


async def test_a_duplicate_opaque_id_names_the_id(database: Database) -> None:
    async def create(tx: AsyncManagedTransaction) -> None:
        await tx.run("CREATE (:Stakeholder {tenantId: 'driver-errors', id: 'stk-fixed'})")

    await database.write(create)
    with pytest.raises(Conflict) as caught:
        await database.write(create)
    assert caught.value.message.endswith("another Stakeholder already has this id")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Relationship(12) already exists with type `SITS_ON` and property `key` = 'x'",
            "that would duplicate a unique key: another SITS_ON relationship already has this key",
        ),
        (
            "Node(3) already exists with label `Account` and property `tenantId` = 'x'",
            "that would duplicate a unique key of Account",
        ),
        ("something the server says differently", "that would duplicate a unique key"),
    ],
)
def test_other_constraint_messages_stay_plain(message: str, expected: str) -> None:
    assert duplicate_key_message(message) == expected
