"""Deal risk over GraphQL on the demo data: criticality, the champion test, single threads,
what-if, departures, freshness, verification, pipeline, and why a play is left out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import pytest_asyncio
from dying_worker import plan_batch_and_die

from graph_api import processes
from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories.documents import import_document

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

FAILURE = "... on UserError { code message } ... on InvalidInputError { problems { path message } }"
RISK = """
query Risk($id: ID!, $options: CoachingOptions) {
  coachingPlan(opportunityId: $id, options: $options) {
    winProbability winProbabilityWithPlan warnings
    without { externalId }
    approvers {
      approver { externalId } status criticality criticalityWithPlan criticalityExplanation
      singleThreaded singleThreadExplanation keyPeople { externalId }
      plays { champion { externalId } argument { externalId } inPlan
              exclusion { reason explanation } }
    }
    plan { champion { externalId } }
    champions { champion { externalId } influence verdict explanation }
    dealDependencies { stakeholder { externalId } winProbabilityWithout drop explanation }
    staleFacts { kind stakeholder { externalId } target { externalId } verifiedAt ageDays warning }
  }
}
"""


DEMO = ("00-playbook.json", "10-corvane-logistics.json", "30-harborline-bank.json")


@pytest_asyncio.fixture(loop_scope="session")
async def seeded(database: Database, tenant: str) -> str:
    """A tenant of the test's own, holding the demo documents it needs."""
    principal = Principal(tenant, Role.ADMIN, "test")
    for name in DEMO:
        document = json.loads((DEMO_SEEDS_DIR / name).read_text("utf-8"))
        await import_document(database, principal, document, ImportMode.REPLACE)
    return tenant


async def _id(gql: Any, key: str, kind: str, external_id: str) -> str:
    body = await gql(key, f'{{ {kind}(externalId: "{external_id}") {{ id }} }}')
    return str(body["data"][kind]["id"])


async def _risk(gql: Any, key: str, opportunity: str, **options: Any) -> dict[str, Any]:
    body = await gql(key, RISK, {"id": opportunity, "options": options or None})
    assert "errors" not in body, body
    plan: dict[str, Any] = body["data"]["coachingPlan"]
    return plan


async def _paths(gql: Any, key: str, source: str, target: str) -> list[list[str]]:
    body = await gql(
        key,
        "query($a: ID!, $b: ID!) { influencePaths(fromId: $a, toId: $b, maxHops: 4) {"
        " path { externalId } } }",
        {"a": source, "b": target},
    )
    assert "errors" not in body, body
    return [[s["externalId"] for s in p["path"]] for p in body["data"]["influencePaths"]]


def _by_approver(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["approver"]["externalId"]: a for a in plan["approvers"]}


async def test_corvane_hangs_on_its_one_champion(seeded: str, gql: Any, make_key: Any) -> None:
    key = await make_key(seeded, "viewer")
    opportunity = await _id(gql, key, "opportunity", "opp-corvane-fleet")
    plan = await _risk(gql, key, opportunity)

    (priya,) = plan["champions"]
    assert priya["champion"]["externalId"] == "p-corvane-priya"
    assert priya["verdict"] in {"CHAMPION", "COACH"}
    assert 0 < priya["influence"] <= 1
    assert "Priya" in priya["explanation"]

    approvers = _by_approver(plan)
    # UNANIMOUS: each approver's criticality is the product of the others' probabilities
    assert all(0 < a["criticality"] <= 1 for a in approvers.values())
    assert all(a["criticalityExplanation"] for a in approvers.values())
    threaded = [a for a in approvers.values() if a["singleThreaded"]]
    assert threaded, "Corvane reaches its approvers only through Priya"
    for approver in threaded:
        assert {p["externalId"] for p in approver["keyPeople"]} >= {"p-corvane-priya"}
        assert "Priya" in approver["singleThreadExplanation"]

    losing = {d["stakeholder"]["externalId"]: d for d in plan["dealDependencies"]}
    assert "p-corvane-priya" in losing
    priya_loss = losing["p-corvane-priya"]
    assert priya_loss["drop"] == pytest.approx(
        plan["winProbabilityWithPlan"] - priya_loss["winProbabilityWithout"]
    )
    assert priya_loss["drop"] >= 0.02


async def test_what_if_without_the_champion_and_a_real_departure(
    seeded: str, gql: Any, make_key: Any
) -> None:
    key = await make_key(seeded, "editor")
    opportunity = await _id(gql, key, "opportunity", "opp-corvane-fleet")
    priya = await _id(gql, key, "stakeholder", "p-corvane-priya")
    before = await _risk(gql, key, opportunity)

    what_if = await _risk(gql, key, opportunity, without=[priya])
    assert [p["externalId"] for p in what_if["without"]] == ["p-corvane-priya"]
    assert what_if["plan"] == []
    assert what_if["champions"] == []
    expected = next(
        d["winProbabilityWithout"]
        for d in before["dealDependencies"]
        if d["stakeholder"]["externalId"] == "p-corvane-priya"
    )
    assert what_if["winProbabilityWithPlan"] == pytest.approx(expected)

    kwame = await _id(gql, key, "stakeholder", "p-corvane-kwame")
    marcus = await _id(gql, key, "stakeholder", "p-corvane-marcus")
    paths = await _paths(gql, key, kwame, marcus)
    assert paths
    assert all("p-corvane-priya" in path for path in paths), paths

    # she really leaves: the plan drops her reach at once and says so
    today = dt.datetime.now(dt.UTC).date().isoformat()
    left = await gql(
        key,
        "mutation($id: ID!, $on: Date) { updateStakeholder(id: $id, input: {leftAt: $on}) {"
        f" __typename {FAILURE} }} }}",
        {"id": priya, "on": today},
    )
    assert left["data"]["updateStakeholder"]["__typename"] == "Stakeholder", left
    after = await _risk(gql, key, opportunity)
    assert [p["externalId"] for p in after["without"]] == ["p-corvane-priya"]
    assert after["plan"] == []
    assert any("left on" in w and "Priya" in w for w in after["warnings"]), after["warnings"]
    assert await _paths(gql, key, kwame, marcus) == []  # she relays nothing any more
    back = await gql(
        key,
        "mutation($id: ID!) { updateStakeholder(id: $id, input: {leftAt: null}) { __typename } }",
        {"id": priya},
    )
    assert back["data"]["updateStakeholder"]["__typename"] == "Stakeholder"
    assert (await _risk(gql, key, opportunity))["plan"] == before["plan"]


async def test_stale_facts_follow_the_tenant_setting_and_verifying_clears_them(
    seeded: str, gql: Any, make_key: Any
) -> None:
    admin = await make_key(seeded, "admin")
    opportunity = await _id(gql, admin, "opportunity", "opp-corvane-fleet")
    marcus = await _id(gql, admin, "stakeholder", "p-corvane-marcus")
    old = "2020-01-01"
    dated = await gql(
        admin,
        "mutation($s: ID!, $o: ID!, $on: Date) { updateSeat(input: {stakeholderId: $s,"
        f" opportunityId: $o, verifiedAt: $on}}) {{ __typename {FAILURE} }} }}",
        {"s": marcus, "o": opportunity, "on": old},
    )
    assert dated["data"]["updateSeat"]["__typename"] == "Seat", dated
    plan = await _risk(gql, admin, opportunity)
    stale = [f for f in plan["staleFacts"] if f["stakeholder"]["externalId"] == "p-corvane-marcus"]
    assert stale
    assert (stale[0]["kind"], stale[0]["verifiedAt"]) == ("SEAT", old)
    assert stale[0]["ageDays"] > 90
    assert any(stale[0]["warning"] == w for w in plan["warnings"])

    # verify the whole committee today: nothing on it is stale any more
    verified = await gql(
        admin,
        "mutation($o: ID!) { markCommitteeVerified(opportunityId: $o) {"
        " ... on VerifiedFacts { on seats stakeholders influences conflicts }"
        f" {FAILURE} }} }}",
        {"o": opportunity},
    )
    marked = verified["data"]["markCommitteeVerified"]
    assert (marked["seats"], marked["stakeholders"]) == (7, 7)
    assert marked["influences"] > 0
    assert (await _risk(gql, admin, opportunity))["staleFacts"] == []


async def test_mark_verified_refuses_what_does_not_exist_and_writes_nothing(
    seeded: str, gql: Any, make_key: Any
) -> None:
    key = await make_key(seeded, "editor")
    helen = await _id(gql, key, "stakeholder", "p-corvane-helen")
    body = await gql(
        key,
        "mutation($input: MarkVerifiedInput!) { markVerified(input: $input) {"
        f" ... on VerifiedFacts {{ stakeholders }} {FAILURE} }} }}",
        {"input": {"stakeholderIds": [helen, "stk_nobody"], "on": "2026-01-02"}},
    )
    refused = body["data"]["markVerified"]
    assert refused["code"] == "INVALID_INPUT"
    assert refused["problems"] == [
        {"path": "input.stakeholderIds[1]", "message": "no such stakeholder"}
    ]
    person = await gql(key, f'{{ stakeholder(id: "{helen}") {{ lastVerifiedAt }} }}')
    assert person["data"]["stakeholder"]["lastVerifiedAt"] != "2026-01-02"

    future = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat()
    body = await gql(
        key,
        "mutation($input: MarkVerifiedInput!) { markVerified(input: $input) {"
        f" ... on VerifiedFacts {{ stakeholders }} {FAILURE} }} }}",
        {"input": {"stakeholderIds": [helen], "on": future}},
    )
    assert body["data"]["markVerified"]["code"] == "INVALID_INPUT"

    body = await gql(
        key,
        "mutation($input: MarkVerifiedInput!) { markVerified(input: $input) {"
        f" ... on VerifiedFacts {{ on stakeholders }} {FAILURE} }} }}",
        {"input": {"stakeholderIds": [helen], "on": "2026-01-02"}},
    )
    assert body["data"]["markVerified"] == {"on": "2026-01-02", "stakeholders": 1}
    person = await gql(key, f'{{ stakeholder(id: "{helen}") {{ lastVerifiedAt }} }}')
    assert person["data"]["stakeholder"]["lastVerifiedAt"] == "2026-01-02"


async def test_every_listed_play_left_out_says_why(seeded: str, gql: Any, make_key: Any) -> None:
    key = await make_key(seeded, "viewer")
    opportunity = await _id(gql, key, "opportunity", "opp-harborline-observability")
    plan = await _risk(gql, key, opportunity)
    plays = [p for a in plan["approvers"] for p in a["plays"]]
    assert any(p["inPlan"] for p in plays)
    left_out = [p for p in plays if not p["inPlan"]]
    assert left_out, "Harborline lists more plays than a plan runs"
    for play in left_out:
        assert play["exclusion"]["reason"] in {
            "CHAMPION_CAPACITY",
            "BELOW_MIN_GAIN",
            "ARGUMENT_ALREADY_PLANNED",
        }
        assert play["exclusion"]["explanation"]
    assert all(p["exclusion"] is None for p in plays if p["inPlan"])


PIPELINE = """
query Pipeline($first: Int, $after: String, $filter: PipelineFilter) {
  pipeline(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node {
      opportunity { externalId closeDate }
      winProbability winProbabilityWithPlan secured covered weak uncovered singleThreaded
      championVerdicts { verdict count } staleFacts topRisk
    } }
  }
}
"""


async def test_pipeline_pages_every_opportunity_with_its_risks(
    seeded: str, gql: Any, make_key: Any
) -> None:
    key = await make_key(seeded, "viewer")
    everything = (await gql(key, PIPELINE, {"first": 100}))["data"]["pipeline"]
    entries = [e["node"] for e in everything["edges"]]
    assert everything["totalCount"] == len(entries) == 2  # Corvane and Harborline
    dates = [e["opportunity"]["closeDate"] for e in entries if e["opportunity"]["closeDate"]]
    assert dates == sorted(dates)
    for entry in entries:
        assert 0 <= entry["winProbability"] <= entry["winProbabilityWithPlan"] <= 1
        assert [v["verdict"] for v in entry["championVerdicts"]] == [
            "CHAMPION",
            "COACH",
            "CONFLICTED",
            "ISOLATED",
        ]
    corvane = next(e for e in entries if e["opportunity"]["externalId"] == "opp-corvane-fleet")
    assert corvane["singleThreaded"] >= 1
    assert corvane["topRisk"]

    first = (await gql(key, PIPELINE, {"first": 1}))["data"]["pipeline"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await gql(key, PIPELINE, {"first": 100, "after": first["pageInfo"]["endCursor"]})
    keys = [e["node"]["opportunity"]["externalId"] for e in first["edges"]]
    keys += [e["node"]["opportunity"]["externalId"] for e in rest["data"]["pipeline"]["edges"]]
    assert keys == [e["opportunity"]["externalId"] for e in entries]

    corvane_account = await _id(gql, key, "account", "acct-corvane")
    only = await gql(key, PIPELINE, {"filter": {"accountIds": [corvane_account]}})
    assert [e["node"]["opportunity"]["externalId"] for e in only["data"]["pipeline"]["edges"]] == [
        "opp-corvane-fleet"
    ]
    ended = await gql(key, PIPELINE, {"filter": {"open": False}})
    assert ended["data"]["pipeline"]["totalCount"] == 0


async def test_a_pipeline_page_over_worker_processes_reads_as_in_threads(
    seeded: str, gql: Any, make_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = await make_key(seeded, "viewer")
    monkeypatch.setattr(processes, "MIN_PLANS", 10**6)
    in_threads = await gql(key, PIPELINE, {"first": 100})
    monkeypatch.setattr(processes, "MIN_PLANS", 1)
    monkeypatch.setattr(processes, "PROCESSES", 2)
    monkeypatch.setattr(processes, "BATCH_PLANS", 1)  # two batches, loaded and planned at once
    try:
        in_processes = await gql(key, PIPELINE, {"first": 100})
        assert processes._Workers.pool is not None  # the page did go to the workers
    finally:
        processes.shutdown()
    assert in_processes == in_threads
    assert len(in_threads["data"]["pipeline"]["edges"]) == 2


async def test_a_pipeline_page_whose_worker_is_killed_still_answers_in_full(
    seeded: str, gql: Any, make_key: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed while it plans a batch (SIGKILL: the out-of-memory killer, an
    operator) breaks the pool: the page's batches are planned in the engine's threads instead
    and the page answers as it would have; the next page starts a fresh pool."""
    key = await make_key(seeded, "viewer")
    monkeypatch.setattr(processes, "MIN_PLANS", 10**6)
    in_threads = await gql(key, PIPELINE, {"first": 100})
    monkeypatch.setattr(processes, "MIN_PLANS", 1)
    monkeypatch.setattr(processes, "PROCESSES", 2)
    monkeypatch.setattr(processes, "BATCH_PLANS", 1)  # two batches, both sent to workers
    planner = processes._plan_batch
    monkeypatch.setattr(processes, "_plan_batch", plan_batch_and_die)
    try:
        killed = await gql(key, PIPELINE, {"first": 100})
        assert processes._Workers.pool is None  # the broken pool was let go
        monkeypatch.setattr(processes, "_plan_batch", planner)
        again = await gql(key, PIPELINE, {"first": 100})
        assert processes._Workers.pool is not None  # a fresh pool planned this page
    finally:
        processes.shutdown()
    assert killed == in_threads
    assert again == in_threads
    assert len(in_threads["data"]["pipeline"]["edges"]) == 2
