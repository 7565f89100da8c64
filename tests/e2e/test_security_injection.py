"""Cypher and JSON metacharacters in names, evidence and talk tracks: stored and returned
verbatim, and never part of a query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import pytest_asyncio
from neo4j import AsyncManagedTransaction
from test_security_walk import dump, seed

from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.repositories.documents import export_document, import_document

pytestmark = pytest.mark.neo4j

HOSTILE = [
    "x'}) MATCH (n) DETACH DELETE n //",
    'x"}) MATCH (n) DETACH DELETE n //',
    "`) DETACH DELETE n RETURN `",
    "$tenantId } ) WITH 1 AS x MATCH (m) SET m.tenantId = 'inject-a' //",
    '{"name": "}", "$ne": null, "a": [1, {"b": "]"}]}',
    '\\"}]}\\\\ \\u0000 \\n',
    "' OR 1=1 -- ; DROP CONSTRAINT account_id",
    "CALL db.clearQueryCaches() // 🚩 ${jndi:x} <script>alert(1)</script>",
]


async def count_nodes(database: Database) -> int:
    async def work(tx: AsyncManagedTransaction) -> int:
        result = await tx.run("MATCH (n) WHERE NOT n:Change RETURN count(n) AS c")
        record = await result.single()
        assert record is not None
        return int(record["c"])

    return await database.read(work)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def setup(
    database: Database, make_key: Any, new_tenant: Callable[[str], str]
) -> dict[str, Any]:
    """A tenant to write hostile text in, and a seeded tenant B that must not change."""
    tenant, tenant_b = new_tenant("inject-a"), new_tenant("inject-b")
    await seed(database, tenant_b, mark=True)
    return {
        "tenant": tenant,
        "key": await make_key(tenant, "editor"),
        "tenant_b": tenant_b,
        "b": await dump(database, tenant_b),
    }


CREATE_ACCOUNT = """mutation($name: String!, $industry: String) {
  createAccount(input: {name: $name, industry: $industry}) {
    __typename ... on Account { id name industry } } }"""
CREATE_STAKEHOLDER = """mutation($account: ID!, $name: String!) {
  createStakeholder(input: {accountId: $account, name: $name, title: $name}) {
    __typename ... on Stakeholder { id name title } } }"""
CREATE_INFLUENCE = """mutation($from: ID!, $to: ID!, $evidence: String) {
  createInfluence(input: {fromId: $from, toId: $to, strength: 0.5, evidence: $evidence}) {
    __typename ... on Influence { evidence } } }"""
CREATE_ARGUMENT = """mutation($text: String!) {
  createArgument(input: {title: $text, kind: ROI, talkTrack: $text}) {
    __typename ... on Argument { id title talkTrack } } }"""


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_hostile_text_is_stored_verbatim_and_changes_no_query(
    gql: Any, database: Database, setup: dict[str, Any], hostile: str
) -> None:
    key = setup["key"]
    before = await count_nodes(database)
    account = (await gql(key, CREATE_ACCOUNT, {"name": hostile, "industry": hostile}))["data"]
    assert account["createAccount"]["name"] == hostile, account
    assert account["createAccount"]["industry"] == hostile
    account_id = account["createAccount"]["id"]
    people = []
    for _ in range(2):
        body = await gql(key, CREATE_STAKEHOLDER, {"account": account_id, "name": hostile})
        assert body["data"]["createStakeholder"]["name"] == hostile, body
        assert body["data"]["createStakeholder"]["title"] == hostile
        people.append(body["data"]["createStakeholder"]["id"])
    body = await gql(
        key, CREATE_INFLUENCE, {"from": people[0], "to": people[1], "evidence": hostile}
    )
    assert body["data"]["createInfluence"] == {"__typename": "Influence", "evidence": hostile}
    body = await gql(key, CREATE_ARGUMENT, {"text": hostile})
    assert body["data"]["createArgument"]["talkTrack"] == hostile, body

    read = await gql(
        key,
        """query($id: ID!) { account(id: $id) { name stakeholders { edges { node {
          name influences { evidence } } } } } }""",
        {"id": account_id},
    )
    assert read["data"]["account"]["name"] == hostile, read
    nodes = [e["node"] for e in read["data"]["account"]["stakeholders"]["edges"]]
    assert [n["name"] for n in nodes] == [hostile, hostile]
    assert [i["evidence"] for n in nodes for i in n["influences"]] == [hostile]
    assert await count_nodes(database) == before + 4  # account, two people, argument
    assert await dump(database, setup["tenant_b"]) == setup["b"], "tenant B untouched"


async def test_hostile_text_in_an_imported_document_round_trips(
    database: Database, setup: dict[str, Any]
) -> None:
    principal = Principal(setup["tenant"], Role.EDITOR, "test")
    document = {
        "accounts": [
            {
                "externalId": "acct-hostile",
                "name": HOSTILE[0],
                "industry": HOSTILE[4],
                "stakeholders": [
                    {"externalId": "p-1", "name": HOSTILE[1], "title": HOSTILE[2]},
                    {"externalId": "p-2", "name": HOSTILE[3]},
                ],
                "influences": [
                    {"from": "p-1", "to": "p-2", "strength": 0.5, "evidence": HOSTILE[5]}
                ],
            }
        ]
    }
    before = await count_nodes(database)
    await import_document(database, principal, document, ImportMode.MERGE)
    assert await count_nodes(database) == before + 3
    exported = await export_document(database, principal, account_external_id="acct-hostile")
    [account] = exported["accounts"]
    assert (account["name"], account["industry"]) == (HOSTILE[0], HOSTILE[4])
    assert {p["name"] for p in account["stakeholders"]} == {HOSTILE[1], HOSTILE[3]}
    assert account["influences"][0]["evidence"] == HOSTILE[5]
    assert await dump(database, setup["tenant_b"]) == setup["b"]
