"""Writes stay correct under concurrency: no lost update, an exact audit chain, racing
creates that conflict, optimistic concurrency, deletes racing updates, finite numbers only.

Every test sends its writes at once through the HTTP app (20 editors on one record), then
checks what is stored against what each caller was told.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import pytest
import pytest_asyncio
from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

TENANT = "concurrency"
WRITERS = 20
FAILURE = "... on UserError { code message } ... on InvalidInputError { problems { path message } }"
STANCES = ["CHAMPION", "SUPPORTER", "NEUTRAL", "SKEPTIC", "BLOCKER", "UNKNOWN"]


@pytest_asyncio.fixture(loop_scope="session")
async def world(gql: Any, make_key: Any) -> dict[str, str]:
    key = await make_key(TENANT, "editor")

    async def made(mutation: str, input_type: str, values: dict[str, Any]) -> str:
        body = await gql(
            key,
            f"mutation($i: {input_type}!) {{ made: {mutation}(input: $i) {{ __typename"
            f" ... on Node {{ id }} {FAILURE} }} }}",
            {"i": values},
        )
        return str(body["data"]["made"]["id"])

    account = await made("createAccount", "CreateAccountInput", {"name": "Race Ltd"})
    people = {
        name: await made(
            "createStakeholder", "CreateStakeholderInput", {"accountId": account, "name": name}
        )
        for name in ("Ana", "Ben", "Cy")
    }
    deal = await made(
        "createOpportunity", "CreateOpportunityInput", {"accountId": account, "name": "Deal"}
    )
    seat = await gql(
        key,
        "mutation($s: ID!, $o: ID!) { createSeat(input: {stakeholderId: $s, opportunityId: $o,"
        " role: APPROVER}) { __typename } }",
        {"s": people["Ana"], "o": deal},
    )
    assert seat["data"]["createSeat"]["__typename"] == "Seat"
    return {"key": key, "account": account, "deal": deal, **people}


async def _rows(database: Database, cypher: str, **params: Any) -> list[dict[str, Any]]:
    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        return await (await tx.run(cypher, params)).data()

    return await database.read(work)


async def _audit(database: Database, entity_id: str, field: str) -> list[tuple[Any, Any]]:
    rows = await _rows(
        database,
        "MATCH (c:Change) WHERE c.tenantId = $t AND c.entityId = $e AND c.field = $f "
        "RETURN c.oldValue AS old, c.newValue AS new ORDER BY c.at, c.id",
        t=TENANT,
        e=entity_id,
        f=field,
    )
    decode = lambda v: None if v is None else json.loads(v)  # noqa: E731
    return [(decode(r["old"]), decode(r["new"])) for r in rows]


UPDATE_SEAT = (
    "mutation($s: ID!, $o: ID!, $stance: Stance, $e: DateTime) { updateSeat(input:"
    " {stakeholderId: $s, opportunityId: $o, stance: $stance, expectedUpdatedAt: $e}) {"
    f" __typename ... on Seat {{ stance updatedAt }} {FAILURE} }} }}"
)


async def test_twenty_editors_on_one_seat_lose_nothing_and_audit_exactly(
    world: dict[str, str], gql: Any, database: Database
) -> None:
    key, ana, deal = world["key"], world["Ana"], world["deal"]
    stances = [STANCES[i % len(STANCES)] for i in range(WRITERS)]
    answers = await asyncio.gather(
        *(gql(key, UPDATE_SEAT, {"s": ana, "o": deal, "stance": s}) for s in stances)
    )
    results = [a["data"]["updateSeat"] for a in answers]
    assert all(r["__typename"] == "Seat" for r in results), results
    # each caller was told the stance it wrote
    assert [r["stance"] for r in results] == stances
    # the audit chain is exact: each change starts from the previous one's value
    chain = await _audit(database, f"{ana}|{deal}", "stance")
    assert len(chain) >= 2
    for (_, before), (after_old, _) in itertools.pairwise(chain):
        assert after_old == before, chain
    stored = await _rows(
        database,
        "MATCH (:Stakeholder {id: $s})-[r:SITS_ON]->(:Opportunity {id: $o}) "
        "RETURN coalesce(r.stance, 'UNKNOWN') AS stance, r.updatedAt AS at",
        s=ana,
        o=deal,
    )
    assert stored[0]["stance"] == chain[-1][1]  # the last audited write is what is stored
    # every answer's version is distinct: updatedAt strictly increases
    assert len({r["updatedAt"] for r in results}) == len(
        {(r["stance"], r["updatedAt"]) for r in results}
    )


async def test_racing_creates_of_one_influence_give_one_success_and_conflicts(
    world: dict[str, str], gql: Any, database: Database
) -> None:
    key, ben, cy = world["key"], world["Ben"], world["Cy"]
    create = (
        "mutation($f: ID!, $t: ID!) { createInfluence(input: {fromId: $f, toId: $t,"
        f" strength: 0.5}}) {{ __typename {FAILURE} }} }}"
    )
    answers = await asyncio.gather(*(gql(key, create, {"f": ben, "t": cy}) for _ in range(WRITERS)))
    kinds = [a["data"]["createInfluence"]["__typename"] for a in answers]
    assert kinds.count("Influence") == 1, kinds
    assert kinds.count("ConflictError") == WRITERS - 1, kinds
    stored = await _rows(
        database,
        "MATCH (:Stakeholder {id: $f})-[r:INFLUENCES]->(:Stakeholder {id: $t})"
        " RETURN count(r) AS n",
        f=ben,
        t=cy,
    )
    assert stored[0]["n"] == 1
    created = await _rows(
        database,
        "MATCH (c:Change) WHERE c.tenantId = $tenant AND c.entityId = $e AND c.action = 'CREATE'"
        " RETURN count(DISTINCT c.at) AS n",
        tenant=TENANT,
        e=f"{ben}|{cy}",
    )
    assert created[0]["n"] == 1  # one creation audited, not twenty


async def test_a_stale_expected_updated_at_is_a_conflict_not_an_overwrite(
    world: dict[str, str], gql: Any
) -> None:
    key, ana, deal = world["key"], world["Ana"], world["deal"]
    first = await gql(key, UPDATE_SEAT, {"s": ana, "o": deal, "stance": "NEUTRAL"})
    read = first["data"]["updateSeat"]["updatedAt"]
    mine = await gql(key, UPDATE_SEAT, {"s": ana, "o": deal, "stance": "SKEPTIC", "e": read})
    assert mine["data"]["updateSeat"]["stance"] == "SKEPTIC"
    theirs = await gql(key, UPDATE_SEAT, {"s": ana, "o": deal, "stance": "CHAMPION", "e": read})
    refused = theirs["data"]["updateSeat"]
    assert refused["code"] == "CONFLICT"
    assert "changed since you read it" in refused["message"]
    again = await gql(key, f'{{ opportunity(id: "{deal}") {{ committee {{ stance }} }} }}')
    assert again["data"]["opportunity"]["committee"] == [{"stance": "SKEPTIC"}]

    person = await gql(
        key,
        'mutation($id: ID!) { updateStakeholder(id: $id, input: {title: "VP"}) {'
        " ... on Stakeholder { updatedAt } } }",
        {"id": ana},
    )
    version = person["data"]["updateStakeholder"]["updatedAt"]
    stale = await gql(
        key,
        "mutation($id: ID!, $e: DateTime) { updateStakeholder(id: $id, input:"
        f' {{title: "CFO", expectedUpdatedAt: $e}}) {{ __typename {FAILURE} }} }}',
        {"id": ana, "e": "2001-01-01T00:00:00Z"},
    )
    assert stale["data"]["updateStakeholder"]["code"] == "CONFLICT"
    fresh = await gql(
        key,
        "mutation($id: ID!, $e: DateTime) { updateStakeholder(id: $id, input:"
        f' {{title: "CFO", expectedUpdatedAt: $e}}) {{ __typename {FAILURE} }} }}',
        {"id": ana, "e": version},
    )
    assert fresh["data"]["updateStakeholder"]["__typename"] == "Stakeholder"


async def test_an_update_racing_a_delete_is_not_found_never_internal(
    world: dict[str, str], gql: Any
) -> None:
    key = world["key"]
    for round_ in range(5):
        made = await gql(
            key,
            "mutation($a: ID!, $n: String!) { createStakeholder(input: {accountId: $a,"
            " name: $n}) { ... on Stakeholder { id } } }",
            {"a": world["account"], "n": f"Temp {round_}"},
        )
        person = made["data"]["createStakeholder"]["id"]
        update = gql(
            key,
            "mutation($id: ID!, $t: String) { updateStakeholder(id: $id, input:"
            f" {{title: $t}}) {{ __typename {FAILURE} }} }}",
            {"id": person, "t": "x"},
        )
        delete = gql(
            key,
            f"mutation($id: ID!) {{ deleteStakeholder(id: $id) {{ __typename {FAILURE} }} }}",
            {"id": person},
        )
        updated, deleted = await asyncio.gather(update, delete)
        assert "errors" not in updated, updated
        assert updated["data"]["updateStakeholder"]["__typename"] in {
            "Stakeholder",
            "NotFoundError",
        }
        assert deleted["data"]["deleteStakeholder"]["__typename"] == "DeletePayload"


async def test_only_finite_numbers_are_stored(world: dict[str, str], gql: Any, client: Any) -> None:
    key, ana, deal = world["key"], world["Ana"], world["deal"]
    literal = await gql(
        key,
        "mutation($s: ID!, $o: ID!) { updateSeat(input: {stakeholderId: $s,"
        f" opportunityId: $o, voteWeight: 1e400}}) {{ __typename {FAILURE} }} }}",
        {"s": ana, "o": deal},
    )
    answer = literal.get("data") or {}
    if answer:  # graphql-core read the literal: the validator refuses it by its path
        assert answer["updateSeat"]["code"] == "INVALID_INPUT"
        assert answer["updateSeat"]["problems"][0]["path"] == "input.voteWeight"
    else:  # or the literal itself was refused as the GraphQL error it is
        assert literal["errors"]
    query = (
        "mutation($s: ID!, $o: ID!, $w: Float) { updateSeat(input: {stakeholderId: $s,"
        " opportunityId: $o, voteWeight: $w}) { __typename } }"
    )
    variables = json.dumps({"s": ana, "o": deal}).replace("}", ', "w": 1e400}')
    raw = f'{{"query": {json.dumps(query)}, "variables": {variables}}}'
    response = await client.post(
        "/graphql",
        content=raw,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "finite" in response.text
    seat = await gql(key, f'{{ opportunity(id: "{deal}") {{ committee {{ voteWeight }} }} }}')
    assert seat["data"]["opportunity"]["committee"] == [{"voteWeight": 1.0}]
