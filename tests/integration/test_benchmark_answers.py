"""The read benchmark (benchmarks/peers) compares this API with a raw-driver floor; this keeps
the comparison honest as the API changes: on a small generated account, in two tenants, the
API's answers to the benchmark's documents and the floor's Cypher give the same canonical
answer (the peer needs Node and is checked by the benchmark itself)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from graph_api.db.driver import Database

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.generate import generate_account_document
from benchmarks.peers import workloads as w

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

TENANT, OTHER = "bench-answers", "bench-answers-other"
IMPORT = "mutation($d: JSON!) { importDocument(document: $d) { __typename } }"
IDS = """query($a: String!) { account(externalId: $a) { id
  opportunities(first: 1) { edges { node { id } } } } }"""


async def post(client: httpx.AsyncClient, key: str, query: str, variables: Any) -> Any:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ids(client: httpx.AsyncClient, make_key: Any) -> tuple[w.Ids, str]:
    document = generate_account_document(40, seed=3)
    for tenant in (OTHER, TENANT):  # the same externalIds in another tenant must not leak
        body = await post(client, await make_key(tenant, "editor"), IMPORT, {"d": document})
        assert body["data"]["importDocument"]["__typename"] == "ImportResult", body
    key = await make_key(TENANT, "viewer")
    account = document["accounts"][0]
    found = (await post(client, key, IDS, {"a": account["externalId"]}))["data"]["account"]
    opportunity = found["opportunities"]["edges"][0]["node"]["id"]
    return w.Ids(
        account["stakeholders"][7]["externalId"],
        account["externalId"],
        found["id"],
        opportunity,
        opportunity,
    ), key


async def floor_answer(database: Database, name: str, variables: dict[str, Any]) -> Any:
    async with database.driver.session(database=database.database) as session:
        result = await session.run(w.FLOOR_CYPHER[name], {**variables, "tenantId": TENANT})
        record = await result.single(strict=True)
        return record.data()


@pytest.mark.parametrize("name", ["stakeholder", "first_stakeholders", "account_graph"])
async def test_the_api_and_the_floor_answer_each_benchmark_read_alike(
    ids: tuple[w.Ids, str], database: Database, client: httpx.AsyncClient, name: str
) -> None:
    workload_ids, key = ids
    workload = next(x for x in w.workloads(workload_ids, first=25) if x.name == name)
    request = workload.requests["api"].body
    api = workload.answers["api"](await post(client, key, request["query"], request["variables"]))
    floor = workload.answers["floor"](
        await floor_answer(database, name, workload.requests["floor"].body)
    )
    w.check_same(name, {"api": api, "floor": floor})
    assert api, "the benchmark compared an empty answer"
