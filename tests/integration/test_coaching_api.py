"""The coaching plan from GraphQL down to Neo4j, on the demo data."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import pytest_asyncio

from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories.documents import import_document

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

PLAN = """
query Plan($id: ID!, $options: CoachingOptions) {
  coachingPlan(opportunityId: $id, options: $options) {
    opportunity { externalId } decisionRule winProbability winProbabilityWithPlan warnings
    approvers {
      approver { externalId name } role stance status
      approvalProbability approvalProbabilityWithPlan
      plays { champion { externalId } argument { externalId kind } approver { externalId }
              action path { externalId } reach fit value explanation }
      threats { opponent { externalId } reach path { externalId } alternative { kind } }
      developCandidates { stakeholder { externalId } reach path { externalId }
                          reachableBy { externalId } }
    }
    plan { champion { externalId } argument { externalId } approver { externalId } value }
  }
}
"""


async def seed(database: Database, tenant: str, *names: str) -> None:
    """The demo documents (those named, else all) imported for ``tenant``."""
    principal = Principal(tenant, Role.ADMIN, "test")
    folder = DEMO_SEEDS_DIR
    for path in [folder / name for name in names] or sorted(folder.glob("*.json")):
        await import_document(
            database, principal, json.loads(path.read_text("utf-8")), ImportMode.REPLACE
        )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded(database: Database, new_tenant: Callable[[str], str]) -> str:
    """A tenant holding the demo documents, which the tests here only read."""
    tenant = new_tenant("coaching")
    await seed(database, tenant)
    return tenant


async def _id(gql: Any, key: str, kind: str, external_id: str) -> str:
    body = await gql(key, f'{{ {kind}(externalId: "{external_id}") {{ id }} }}')
    return str(body["data"][kind]["id"])


async def test_tessaro_plan_matches_the_hand_computed_readme_example(
    seeded: str, gql: Any, make_key: Any
) -> None:
    key = await make_key(seeded, "viewer")
    body = await gql(key, PLAN, {"id": await _id(gql, key, "opportunity", "opp-tessaro-lines")})
    assert "errors" not in body, body
    plan = body["data"]["coachingPlan"]
    assert plan["decisionRule"] == "ECONOMIC_BUYER"
    assert plan["winProbability"] == pytest.approx(0.5)
    [giulia] = plan["approvers"]
    assert giulia["approver"]["externalId"] == "p-tessaro-giulia"
    assert giulia["status"] == "COVERED"
    best = giulia["plays"][0]
    assert best["argument"]["externalId"] == "a-roi-payback"
    assert [p["externalId"] for p in best["path"]] == [
        "p-tessaro-stefan",
        "p-tessaro-matteo",
        "p-tessaro-giulia",
    ]
    assert best["reach"] == pytest.approx(0.7 * 0.8 * 0.8)
    assert best["fit"] == pytest.approx(1.38 / 2.3)
    assert best["value"] == pytest.approx(0.448 * 0.6)
    assert best["action"] == "COACH"
    assert "Matteo Ricci" in best["explanation"]
    assert "Pays for itself in nine months" in best["explanation"]
    assert giulia["threats"][0]["opponent"]["externalId"] == "p-tessaro-jakob"
    assert giulia["threats"][0]["alternative"]["kind"] == "BUILD"
    lifts = [0.6 * play["value"] for play in plan["plan"]]
    remaining = 1.0
    for lift in lifts:
        remaining *= 1 - lift
    assert plan["winProbabilityWithPlan"] == pytest.approx(0.5 + 0.5 * (1 - remaining))
    assert plan["winProbabilityWithPlan"] == pytest.approx(0.6275, abs=1e-4)


async def test_blocker_and_rival_champion_show_as_threats(
    seeded: str, gql: Any, make_key: Any
) -> None:
    key = await make_key(seeded, "viewer")
    body = await gql(key, PLAN, {"id": await _id(gql, key, "opportunity", "opp-halden-clinical")})
    assert "errors" not in body, body
    plan = body["data"]["coachingPlan"]
    threats = {t["opponent"]["externalId"] for a in plan["approvers"] for t in a["threats"]}
    assert "p-halden-nadia" in threats  # neutral seat, but carries the competitor's flag
    for approver in plan["approvers"]:
        mine = approver["approver"]["externalId"]
        assert all(t["opponent"]["externalId"] != mine for t in approver["threats"])
        for candidate in approver["developCandidates"]:
            assert candidate["stakeholder"]["externalId"] not in {"p-halden-victor", mine}
    assert 0 <= plan["winProbability"] <= plan["winProbabilityWithPlan"] <= 1


async def test_fallback_warning_without_economic_buyer(
    seeded: str, gql: Any, make_key: Any
) -> None:
    key = await make_key(seeded, "viewer")
    body = await gql(key, PLAN, {"id": await _id(gql, key, "opportunity", "opp-tessaro-group")})
    plan = body["data"]["coachingPlan"]
    assert plan["decisionRule"] == "UNANIMOUS"
    assert any("economic buyer" in w.lower() for w in plan["warnings"])


async def test_options_are_validated_with_named_errors(
    seeded: str, gql: Any, make_key: Any
) -> None:
    key = await make_key(seeded, "viewer")
    opportunity = await _id(gql, key, "opportunity", "opp-tessaro-lines")
    body = await gql(
        key, PLAN, {"id": opportunity, "options": {"maxHops": 9, "capacityPerChampion": 0}}
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    paths = {p["path"] for p in error["extensions"]["problems"]}
    assert paths == {"options.maxHops", "options.capacityPerChampion"}


async def test_another_tenants_opportunity_is_not_found(
    seeded: str, gql: Any, make_key: Any
) -> None:
    mine = await make_key(seeded, "viewer")
    opportunity = await _id(gql, mine, "opportunity", "opp-tessaro-lines")
    stranger = await make_key("someone-else", "admin")
    body = await gql(stranger, PLAN, {"id": opportunity})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["data"] is None


async def test_influence_paths_and_account_graph(seeded: str, gql: Any, make_key: Any) -> None:
    key = await make_key(seeded, "viewer")
    stefan = await _id(gql, key, "stakeholder", "p-tessaro-stefan")
    giulia = await _id(gql, key, "stakeholder", "p-tessaro-giulia")
    body = await gql(
        key,
        "query P($a: ID!, $b: ID!) { influencePaths(fromId: $a, toId: $b, first: 2) "
        "{ reach path { externalId } } }",
        {"a": stefan, "b": giulia},
    )
    paths = body["data"]["influencePaths"]
    # without an argument every edge counts: the direct 0.5 beats 0.7 x 0.8 (Matteo relays) x 0.8
    assert paths[0]["reach"] == pytest.approx(0.5)
    assert [p["externalId"] for p in paths[0]["path"]] == ["p-tessaro-stefan", "p-tessaro-giulia"]
    assert paths[1]["reach"] == pytest.approx(0.448)
    assert [p["externalId"] for p in paths[1]["path"]] == [
        "p-tessaro-stefan",
        "p-tessaro-matteo",
        "p-tessaro-giulia",
    ]

    account = await _id(gql, key, "account", "acct-tessaro")
    opportunity = await _id(gql, key, "opportunity", "opp-tessaro-lines")
    body = await gql(
        key,
        "query G($a: ID!, $o: ID) { accountGraph(accountId: $a, opportunityId: $o) {"
        " nodes { id kind isApprover isChampion isOpponent stance }"
        " edges { source target kind weight } } }",
        {"a": account, "o": opportunity},
    )
    graph = body["data"]["accountGraph"]
    tessaro = json.loads((DEMO_SEEDS_DIR / "50-tessaro-packaging.json").read_text("utf-8"))
    document = tessaro["accounts"][0]
    people = [n for n in graph["nodes"] if n["kind"] == "Stakeholder"]
    assert len(people) == len(document["stakeholders"])
    influences = [e for e in graph["edges"] if e["kind"] == "INFLUENCES"]
    assert len(influences) == len(document["influences"])
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    assert any(n["isApprover"] for n in people)
    assert any(n["isOpponent"] for n in people)


async def test_tenant_settings_are_the_default_options(
    database: Database, tenant: str, gql: Any, make_key: Any
) -> None:
    # in a tenant of this test's own, since it changes the tenant's settings
    await seed(database, tenant, "00-playbook.json", "50-tessaro-packaging.json")
    admin = await make_key(tenant, "admin")
    opportunity = await _id(gql, admin, "opportunity", "opp-tessaro-lines")
    update = (
        "mutation S($h: Int) { updateTenantSettings(maxHops: $h) {"
        " ... on TenantSettings { maxHops } } }"
    )
    assert (await gql(admin, update, {"h": 1}))["data"]["updateTenantSettings"]["maxHops"] == 1
    one_hop = (await gql(admin, PLAN, {"id": opportunity}))["data"]["coachingPlan"]
    [giulia] = one_hop["approvers"]
    # the payback argument needed two hops (via the CEO); within one it cannot travel
    assert all(len(p["path"]) == 2 for p in giulia["plays"])
    assert "a-roi-payback" not in {p["argument"]["externalId"] for p in giulia["plays"]}
    explicit = await gql(admin, PLAN, {"id": opportunity, "options": {"maxHops": 3}})
    best = explicit["data"]["coachingPlan"]["approvers"][0]["plays"][0]
    assert best["argument"]["externalId"] == "a-roi-payback"
