"""The compiled read path over HTTP: a document seen before is answered by one Cypher
statement with the executor's answer; errors, refusals and what it does not handle are the
executor's, unchanged; each request is charged once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.observability.metrics import COMPILED_READS
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories.documents import import_document

pytestmark = pytest.mark.neo4j

SPARSE = {  # values left out: the declared defaults must come back
    "accounts": [
        {
            "externalId": "acct-sparse",
            "name": "Sparse Ltd",
            "stakeholders": [
                {"externalId": "p-sparse-a", "name": "Ann"},
                {"externalId": "p-sparse-b", "name": "Ben"},
            ],
            "influences": [{"from": "p-sparse-a", "to": "p-sparse-b", "strength": 0.5}],
            "opportunities": [
                {
                    "externalId": "opp-sparse",
                    "name": "Sparse deal",
                    "committee": [{"stakeholder": "p-sparse-b", "role": "APPROVER"}],
                }
            ],
        }
    ]
}


def answered() -> float:
    return COMPILED_READS.labels("answered")._value.get()  # type: ignore[no-any-return]


def executed() -> float:
    return COMPILED_READS.labels("executor")._value.get()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Tenants:
    ours: str
    theirs: str


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded(database: Database, new_tenant: Callable[[str], str]) -> Tenants:
    tenants = Tenants(new_tenant("compiled-http"), new_tenant("compiled-http-other"))
    for tenant in (tenants.ours, tenants.theirs):
        principal = Principal(tenant, Role.ADMIN, "test")
        for path in sorted(DEMO_SEEDS_DIR.glob("*.json")):
            document = json.loads(path.read_text("utf-8"))
            await import_document(database, principal, document, ImportMode.REPLACE)
    await import_document(database, Principal(tenants.ours, Role.ADMIN, "test"), SPARSE)
    return tenants


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def key(seeded: Tenants, make_key: Any) -> str:
    return str(await make_key(seeded.ours, "viewer"))


async def post(
    client: httpx.AsyncClient,
    key: str,
    query: str,
    variables: dict[str, Any] | None = None,
    **headers: str,
) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {key}", **headers},
    )


async def twice(
    client: httpx.AsyncClient,
    key: str,
    query: str,
    variables: dict[str, Any] | None = None,
    **headers: str,
) -> tuple[httpx.Response, httpx.Response, bool]:
    """The executor's answer (a document's first sight), the next one, and whether the
    compiled path gave the next one."""
    first = await post(client, key, query, variables, **headers)
    before = answered()
    second = await post(client, key, query, variables, **headers)
    return first, second, answered() == before + 1


async def test_a_read_seen_before_is_compiled_and_answers_the_same(
    client: httpx.AsyncClient, key: str
) -> None:
    query = """query Person($e: String!, $withSeats: Boolean!, $skipTitle: Boolean!) {
      who: stakeholder(externalId: $e) {
        __typename ...Names title @skip(if: $skipTitle)
        influences { id strength topics to { ...Names } from { externalId } }
        seats @include(if: $withSeats) { role stance veto voteWeight opportunity { name } }
        ... on Entity { createdAt updatedBy }
        account { name stakeholders(first: 2) { totalCount edges { cursor node { name } } } }
      }
      again: stakeholder(externalId: $e) { name }
    }
    fragment Names on Stakeholder { id externalId name }"""
    variables = {"e": "p-tessaro-stefan", "withSeats": True, "skipTitle": False}
    first, second, compiled = await twice(client, key, query, variables)
    assert compiled
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    who = second.json()["data"]["who"]
    assert who["__typename"] == "Stakeholder"
    assert who["influences"]
    assert who["seats"]
    assert list(who) == [
        "__typename",
        "id",
        "externalId",
        "name",
        "title",
        "influences",
        "seats",
        "createdAt",
        "updatedBy",
        "account",
    ]  # the selection's order
    skipped = await post(client, key, query, {**variables, "withSeats": False, "skipTitle": True})
    assert "seats" not in skipped.json()["data"]["who"]
    assert "title" not in skipped.json()["data"]["who"]


async def test_absent_values_come_back_as_their_declared_defaults(
    client: httpx.AsyncClient, key: str
) -> None:
    query = """{ opportunity(externalId: "opp-sparse") {
        decisionRule committee { stance veto voteWeight verifiedAt }
        account { isReference stakeholders { edges { node { name influences { topics } } } } }
    } }"""
    first, second, compiled = await twice(client, key, query)
    assert compiled
    assert first.json() == second.json()
    opportunity = second.json()["data"]["opportunity"]
    assert opportunity["decisionRule"] == "UNANIMOUS"
    [seat] = opportunity["committee"]
    assert (seat["stance"], seat["veto"], seat["voteWeight"]) == ("UNKNOWN", False, 1.0)
    assert opportunity["account"]["isReference"] is False
    people = opportunity["account"]["stakeholders"]["edges"]
    assert [p["node"]["influences"] for p in people] == [[{"topics": []}], []]


async def test_another_tenants_ids_and_unknown_ids_give_null(
    client: httpx.AsyncClient, key: str, make_key: Any, seeded: Tenants
) -> None:
    other = await make_key(seeded.theirs, "viewer")
    found = await post(client, other, '{ account(externalId: "acct-halden") { id } }')
    theirs = found.json()["data"]["account"]["id"]
    query = """query Look($id: ID!) { node(id: $id) { id } account(id: $id) { name }
      byExternal: account(externalId: "acct-halden") { id } }"""
    for node_id in (theirs, "acc_nothing", "not-an-id"):
        first, second, compiled = await twice(client, key, query, {"id": node_id})
        assert first.json() == second.json()
        data = second.json()["data"]
        assert data["node"] is None
        assert data["account"] is None
        assert data["byExternal"]["id"] != theirs
    assert compiled


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ stakeholder(id: "stk_x", externalId: "p-x") { name } }', {}),
        ("{ stakeholder { name } }", {}),
        (
            '{ account(externalId: "acct-halden") { stakeholders(after: "nope") { totalCount } } }',
            {},
        ),
        ("query P($n: Int) { accounts(first: $n) { totalCount } }", {"n": 101}),
        ("query P($n: Int) { accounts(first: $n) { totalCount } }", {"n": -1}),
        ("query P($n: Int!) { accounts(first: $n) { totalCount } }", {}),
        ("query P($n: Int) { accounts(first: $n) { totalCount } }", {"n": "many"}),
        ('{ account(externalId: "acct-halden") { history { totalCount } } }', {}),
        ("{ __schema { queryType { name } } }", {}),
        ("{ noSuchField }", {}),
    ],
)
async def test_errors_and_what_is_not_compiled_are_the_executors(
    client: httpx.AsyncClient, key: str, query: str, variables: dict[str, Any]
) -> None:
    first, second, compiled = await twice(client, key, query, variables)
    assert not compiled
    assert first.status_code == second.status_code
    assert first.json() == second.json()


async def test_media_types_are_negotiated_as_the_executor_does(
    client: httpx.AsyncClient, key: str
) -> None:
    query = '{ account(externalId: "acct-halden") { name } }'
    for accept in ("application/graphql-response+json", "application/json", "*/*"):
        first, second, compiled = await twice(client, key, query, Accept=accept)
        assert compiled
        assert first.headers["content-type"] == second.headers["content-type"]
        assert first.content == second.content or first.json() == second.json()


async def test_a_compiled_read_is_charged_its_cost_once(
    database: Database, neo4j_settings: Settings, key: str
) -> None:
    query = "{ accounts(first: 10) { edges { node { name } } } }"  # cost 1 + 10 * 3 = 31
    settings = neo4j_settings.model_copy(update={"rate_limit_cost_per_minute": 100})
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        statuses = [(await post(client, key, query)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def production_client(
    database: Database, neo4j_settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    settings = neo4j_settings.model_copy(update={"environment": "production"})
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_production_answers_compiled_reads_and_still_refuses_introspection(
    production_client: httpx.AsyncClient, key: str, seeded: Tenants
) -> None:
    _, second, compiled = await twice(production_client, key, "{ __typename viewer { tenant } }")
    assert compiled
    assert second.json() == {"data": {"__typename": "Query", "viewer": {"tenant": seeded.ours}}}
    before = executed()
    refused = await post(production_client, key, "{ __schema { queryType { name } } }")
    again = await post(production_client, key, "{ __schema { queryType { name } } }")
    assert "introspection" in again.json()["errors"][0]["message"].lower()
    assert refused.json() == again.json()
    assert executed() == before + 2


GRAPH = """query Graph($a: ID!, $o: ID) { accountGraph(accountId: $a, opportunityId: $o) {
  __typename account { id name isReference } opportunity { name decisionRule }
  nodes { id externalId kind label title department seniority role stance veto voteWeight
          stanceEvidence isApprover isChampion isOpponent alternativeKind }
  edges { id source target kind weight topics evidence }
  again: edges { kind } } }"""
PLAN = """query Plan($id: ID!, $options: CoachingOptions) {
  coachingPlan(opportunityId: $id, options: $options) {
    opportunity { externalId name } decisionRule winProbability winProbabilityWithPlan warnings
    approvers { approver { id name title } role stance status criticality criticalityWithPlan
      approvalProbability approvalProbabilityWithPlan singleThreaded keyPeople { name }
      plays { action champion { name } argument { title kind proofPoints } path { id }
              reach fit value credibility readiness explanation inPlan
              exclusion { reason explanation } }
      threats { opponent { name } reach path { name } alternative { name kind } }
      developCandidates { stakeholder { name } reach path { id } reachableBy { name } } }
    plan { action champion { name } argument { title } approver { name } value }
    champions { champion { name } influence verdict explanation }
    dealDependencies { stakeholder { name } winProbabilityWithout drop explanation }
    staleFacts { kind stakeholder { name } target { name } verifiedAt ageDays warning }
    without { name }
  } }"""


async def test_the_account_graph_and_the_plan_are_shaped_without_the_executor(
    client: httpx.AsyncClient, key: str
) -> None:
    found = await post(
        client,
        key,
        """{ account(externalId: "acct-harborline") { id
        opportunities { edges { node { id } } } } }""",
    )
    account = found.json()["data"]["account"]
    opportunity = account["opportunities"]["edges"][0]["node"]["id"]
    for variables in ({"a": account["id"], "o": opportunity}, {"a": account["id"]}):
        first, second, compiled = await twice(client, key, GRAPH, variables)
        assert compiled
        assert first.json() == second.json()
        graph = second.json()["data"]["accountGraph"]
        assert graph["nodes"]
        assert graph["edges"]
        assert any(n["isApprover"] for n in graph["nodes"]) == ("o" in variables)
    for options in (None, {"maxHops": 2, "capacityPerChampion": 1}, {"without": []}):
        first, second, compiled = await twice(
            client, key, PLAN, {"id": opportunity, "options": options}
        )
        assert compiled
        assert first.json() == second.json()
        assert second.json()["data"]["coachingPlan"]["approvers"]


@pytest.mark.parametrize(
    "variables",
    [
        {"id": "opp_nothing"},
        {"id": "opp_nothing", "options": {"maxHops": 9}},
    ],
)
async def test_a_plan_refused_by_the_service_is_answered_by_the_executor(
    client: httpx.AsyncClient, key: str, variables: dict[str, Any]
) -> None:
    query = (
        "query Plan($id: ID!, $options: CoachingOptions) {"
        " coachingPlan(opportunityId: $id, options: $options) { winProbability } }"
    )
    first, second, compiled = await twice(client, key, query, variables)
    assert not compiled
    assert first.json() == second.json()
    assert second.json()["errors"]
