"""Mutations against a real Neo4j: every node and relationship, its rules, tenancy and audit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph_api.api.context import Context
from graph_api.api.schema import schema
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.enums import Role
from graph_api.domain.kinds import RELATIONSHIP_KINDS
from graph_api.domain.principal import Principal
from graph_api.repositories.audit import relationship_key

pytestmark = pytest.mark.neo4j

FAILURE = """
fragment Failure on UserError {
  message code
  ... on InvalidInputError { problems { path message } }
  ... on NotFoundError { entityKind key }
}
"""  # aliased: NotFoundError.kind (String) and Alternative.kind (an enum) cannot share a name
DELETED = "... on DeletePayload { deletedId }"
NASTY = [
    'O\'Brien "the" \\ back\\slash \\n not-a-newline',
    "'}) MATCH (n) DETACH DELETE n //",
    "$tenantId {id: 1} `label` ${x} {{y}}",
    "Ünïcødé — 中文 — العربية — 🚩\nsecond line\ttab",
]


def _variable_type(mutation: str, argument: str) -> str:
    if argument == "input":
        return f"{mutation[0].upper()}{mutation[1:]}Input!"
    return "String" if argument == "reason" else "ID!"


@dataclass(frozen=True)
class Api:
    """GraphQL calls as one principal of one tenant, straight into the schema."""

    database: Database
    settings: Settings
    tenant: str
    role: str = "editor"
    actor: str = "key_editor"

    def as_(self, role: str | None = None, tenant: str | None = None) -> Api:
        return replace(
            self,
            role=role or self.role,
            tenant=tenant or self.tenant,
            actor=f"key_{role or self.role}",
        )

    async def execute(self, document: str, **variables: Any) -> dict[str, Any]:
        principal = Principal(self.tenant, Role(self.role), self.actor)
        context = Context(self.database, principal, self.settings, "test")
        result = await schema.execute(document, variable_values=variables, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    async def mutate(self, mutation: str, selection: str = "", **arguments: Any) -> dict[str, Any]:
        """``mutation(arguments) { __typename ...Failure selection }`` — its result."""
        declared = ", ".join(f"${a}: {_variable_type(mutation, a)}" for a in arguments)
        passed = ", ".join(f"{a}: ${a}" for a in arguments)
        head = f"mutation Run({declared})" if arguments else "mutation Run"
        document = (
            f"{head} {{ result: {mutation}({passed}) {{ __typename ...Failure {selection} }} }}"
            + FAILURE
        )
        result: dict[str, Any] = (await self.execute(document, **arguments))["result"]
        return result

    async def ok(self, mutation: str, selection: str = "", **arguments: Any) -> dict[str, Any]:
        result = await self.mutate(mutation, selection, **arguments)
        assert "code" not in result, result
        return result

    async def fails(
        self, code: str, mutation: str, selection: str = "", **arguments: Any
    ) -> dict[str, Any]:
        result = await self.mutate(mutation, selection, **arguments)
        assert result.get("code") == code, result
        return result

    async def new(self, label: str, /, **values: Any) -> str:
        created = await self.ok(f"create{label}", f"... on {label} {{ id }}", input=values)
        return str(created["id"])


async def rows(database: Database, cypher: str, **params: Any) -> list[dict[str, Any]]:
    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        return await (await tx.run(cypher, params)).data()

    return await database.read(work)


async def changes(api: Api, entity_id: str | None = None) -> list[dict[str, Any]]:
    """The tenant's audit records (of one entity), oldest first, values decoded."""
    found = await rows(
        api.database,
        "MATCH (c:Change) WHERE c.tenantId = $tenant AND ($id IS NULL OR c.entityId = $id) "
        "RETURN properties(c) AS c ORDER BY c.at, c.field",
        tenant=api.tenant,
        id=entity_id,
    )
    decoded = []
    for r in found:
        # Neo4j stores no nulls: an absent property reads as None
        c = dict.fromkeys(("accountId", "field", "evidence", "reason")) | r["c"]
        for key in ("oldValue", "newValue"):
            c[key] = None if c.get(key) is None else json.loads(c[key])
        decoded.append(c)
    return decoded


async def tenant_nodes(api: Api) -> dict[str, int]:
    found = await rows(
        api.database,
        "MATCH (n) WHERE n.tenantId = $tenant AND NOT n:Change AND NOT n:ApiKey "
        "RETURN labels(n)[0] AS label, count(*) AS n",
        tenant=api.tenant,
    )
    return {r["label"]: r["n"] for r in found}


async def tenant_edges(api: Api) -> int:
    found = await rows(
        api.database,
        "MATCH (a)-[r]->(b) WHERE a.tenantId = $tenant RETURN count(r) AS n",
        tenant=api.tenant,
    )
    return int(found[0]["n"])


@dataclass
class World:
    """One tenant's map: an account with three people, a deal, a playbook, and a second
    account (with its own person and deal) that the first account's edges may not reach."""

    api: Api
    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


@pytest.fixture
def api(database: Database, neo4j_settings: Settings) -> Api:
    return Api(database, neo4j_settings, tenant=f"t-{uuid.uuid4().hex[:10]}")


@pytest.fixture
async def world(api: Api) -> World:
    w = World(api)
    w.ids["account"] = await api.new("Account", name="Acme Logistics", externalId="acct-acme")
    w.ids["other_account"] = await api.new("Account", name="Globex")
    w.ids["reference"] = await api.new("Account", name="Northwind", isReference=True)
    for name in ("dana", "cfo", "ivan"):
        w.ids[name] = await api.new("Stakeholder", accountId=w["account"], name=name.title())
    w.ids["outsider"] = await api.new("Stakeholder", accountId=w["other_account"], name="Olga")
    w.ids["opportunity"] = await api.new("Opportunity", accountId=w["account"], name="Fleet")
    w.ids["ours"] = await api.new(
        "Alternative", opportunityId=w["opportunity"], name="Us", kind="OURS"
    )
    w.ids["other_opportunity"] = await api.new(
        "Opportunity", accountId=w["other_account"], name="Globex deal"
    )
    w.ids["other_alternative"] = await api.new(
        "Alternative", opportunityId=w["other_opportunity"], name="Them", kind="COMPETITOR"
    )
    w.ids["concern"] = await api.new("Concern", name="Downtime", category="RISK")
    w.ids["argument"] = await api.new("Argument", title="Peers run on us", kind="HERD")
    return w


# --- nodes ----------------------------------------------------------------------------

ACCOUNT_FIELDS = (
    "... on Account { id externalId name industry employees region domain "
    "isReference createdAt updatedAt updatedBy }"
)


async def test_create_account_stores_every_field_and_audits_each(api: Api) -> None:
    values = {
        "externalId": "crm-1",
        "name": "Acme",
        "industry": "Logistics",
        "employees": 5400,
        "region": "EMEA",
        "domain": "acme.example",
        "isReference": False,
    }
    created = await api.ok("createAccount", ACCOUNT_FIELDS, input=values, reason="new logo")
    assert {k: created[k] for k in values} == values
    assert created["updatedBy"] == "key_editor"
    assert created["createdAt"] == created["updatedAt"]

    records = await changes(api, created["id"])
    assert {r["field"]: r["newValue"] for r in records} == values
    assert {(r["action"], r["actor"], r["reason"], r["accountId"]) for r in records} == {
        ("CREATE", "key_editor", "new logo", created["id"])
    }
    assert all(r["entityKind"] == "Account" and r["oldValue"] is None for r in records)


async def test_update_changes_only_what_differs_and_audits_old_and_new(api: Api) -> None:
    account = await api.new("Account", name="Acme", industry="Logistics", region="EMEA")
    before = await changes(api, account)

    updated = await api.ok(
        "updateAccount",
        ACCOUNT_FIELDS,
        id=account,
        input={"name": "Acme Group", "region": "EMEA"},
        reason="rebrand",
    )
    assert (updated["name"], updated["region"], updated["industry"]) == (
        "Acme Group",
        "EMEA",
        "Logistics",
    )
    assert updated["updatedAt"] > updated["createdAt"]
    [record] = (await changes(api, account))[len(before) :]
    assert (record["action"], record["field"], record["oldValue"], record["newValue"]) == (
        "UPDATE",
        "name",
        "Acme",
        "Acme Group",
    )
    assert record["reason"] == "rebrand"


async def test_an_update_that_changes_nothing_records_nothing(api: Api) -> None:
    account = await api.new("Account", name="Acme", industry="Logistics")
    first = await api.ok("updateAccount", ACCOUNT_FIELDS, id=account, input={})
    before = await changes(api, account)
    same = await api.ok(
        "updateAccount", ACCOUNT_FIELDS, id=account, input={"name": "Acme", "industry": "Logistics"}
    )
    assert same["updatedAt"] == first["updatedAt"]
    assert await changes(api, account) == before


async def test_explicit_null_clears_an_optional_field_and_is_refused_for_a_required_one(
    api: Api,
) -> None:
    account = await api.new("Account", name="Acme", industry="Logistics")
    cleared = await api.ok("updateAccount", ACCOUNT_FIELDS, id=account, input={"industry": None})
    assert cleared["industry"] is None
    assert (await changes(api, account))[-1]["oldValue"] == "Logistics"

    refused = await api.fails(
        "INVALID_INPUT", "updateAccount", id=account, input={"name": None, "employees": -1}
    )
    assert refused["problems"] == [
        {"path": "input.name", "message": "is required and cannot be cleared"},
        {"path": "input.employees", "message": "must be between 0 and 100,000,000"},
    ]
    left_out = await api.ok("updateAccount", ACCOUNT_FIELDS, id=account, input={"region": "EMEA"})
    assert left_out["name"] == "Acme"


async def test_stakeholder_lifecycle_works_at_its_account(world: World) -> None:
    api = world.api
    created = await api.ok(
        "createStakeholder",
        "... on Stakeholder { id name seniority account { id } }",
        input={
            "accountId": world["account"],
            "name": "Erin",
            "seniority": "VP",
            "email": "erin@acme.example",
            "lastVerifiedAt": "2026-01-15",
        },
    )
    assert created["account"] == {"id": world["account"]}
    assert created["seniority"] == "VP"
    updated = await api.ok(
        "updateStakeholder",
        "... on Stakeholder { title seniority }",
        id=created["id"],
        input={"title": "CFO", "seniority": "C_LEVEL"},
    )
    assert updated == {"__typename": "Stakeholder", "title": "CFO", "seniority": "C_LEVEL"}
    assert {r["accountId"] for r in await changes(api, created["id"])} == {world["account"]}
    deleted = await api.ok("deleteStakeholder", DELETED, id=created["id"])
    assert deleted["deletedId"] == created["id"]
    found = await api.execute("query($id: ID!) { stakeholder(id: $id) { id } }", id=created["id"])
    assert found["stakeholder"] is None


async def test_a_child_needs_an_existing_parent_of_the_tenant(world: World) -> None:
    missing = await world.api.fails(
        "NOT_FOUND", "createStakeholder", input={"accountId": "acc_nope", "name": "X"}
    )
    assert (missing["entityKind"], missing["key"]) == ("Account", "acc_nope")
    stranger = world.api.as_(tenant=f"{world.api.tenant}-other")
    foreign = await stranger.fails(
        "NOT_FOUND",
        "createAlternative",
        input={"opportunityId": world["opportunity"], "name": "X", "kind": "BUILD"},
    )
    assert (foreign["entityKind"], foreign["key"]) == ("Opportunity", world["opportunity"])


async def test_opportunity_and_alternative_lifecycle(world: World) -> None:
    api = world.api
    opportunity = await api.ok(
        "createOpportunity",
        "... on Opportunity { id amount closeDate decisionRule threshold account { id } }",
        input={
            "accountId": world["account"],
            "name": "Renewal",
            "amount": 120000,
            "currency": "USD",
            "stage": "PROPOSAL",
            "closeDate": "2027-03-31",
            "decisionRule": "THRESHOLD",
            "threshold": 0.6,
        },
    )
    assert (opportunity["closeDate"], opportunity["decisionRule"], opportunity["threshold"]) == (
        "2027-03-31",
        "THRESHOLD",
        0.6,
    )
    assert opportunity["account"] == {"id": world["account"]}
    alternative = await api.ok(
        "createAlternative",
        "... on Alternative { id kind }",
        input={"opportunityId": opportunity["id"], "name": "Spreadsheets", "kind": "STATUS_QUO"},
    )
    renamed = await api.ok(
        "updateAlternative",
        "... on Alternative { name kind }",
        id=alternative["id"],
        input={"name": "Keep spreadsheets", "kind": "BUILD"},
    )
    assert (renamed["name"], renamed["kind"]) == ("Keep spreadsheets", "BUILD")
    # an alternative's audit belongs to the account of its opportunity
    assert {r["accountId"] for r in await changes(api, alternative["id"])} == {world["account"]}
    await api.ok("deleteAlternative", DELETED, id=alternative["id"])
    gone = await api.fails("NOT_FOUND", "updateAlternative", id=alternative["id"], input={})
    assert gone["entityKind"] == "Alternative"


async def test_deleting_an_opportunity_removes_its_alternatives_and_seats(world: World) -> None:
    api = world.api
    await api.ok(
        "createSeat",
        input={
            "stakeholderId": world["dana"],
            "opportunityId": world["opportunity"],
            "role": "APPROVER",
        },
    )
    await api.ok(
        "createAdvocacy",
        input={"stakeholderId": world["dana"], "alternativeId": world["ours"], "strength": 0.9},
    )
    await api.ok("deleteOpportunity", DELETED, id=world["opportunity"], reason="lost")
    nodes = await tenant_nodes(api)
    assert (nodes["Opportunity"], nodes["Alternative"], nodes["Stakeholder"]) == (1, 1, 4)
    seats = await rows(
        api.database,
        "MATCH (s:Stakeholder {id: $id})-[r]->() RETURN type(r) AS t",
        id=world["dana"],
    )
    assert [s["t"] for s in seats] == ["WORKS_AT"]
    deletions = [r for r in await changes(api) if r["action"] == "DELETE"]
    assert {(r["entityKind"], r["entityId"]) for r in deletions} == {
        ("Opportunity", world["opportunity"]),
        ("Alternative", world["ours"]),
    }
    assert {r["reason"] for r in deletions} == {"lost"}


async def test_deleting_an_account_removes_everything_under_it(world: World) -> None:
    api = world.api
    await api.ok(
        "createInfluence", input={"fromId": world["dana"], "toId": world["cfo"], "strength": 0.5}
    )
    await api.ok(
        "createCitation", input={"argumentId": world["argument"], "accountId": world["reference"]}
    )
    await api.ok("deleteAccount", DELETED, id=world["account"])
    nodes = await tenant_nodes(api)
    assert nodes == {
        "Account": 2,
        "Stakeholder": 1,
        "Opportunity": 1,
        "Alternative": 1,
        "Concern": 1,
        "Argument": 1,
    }
    deleted = {r["entityId"] for r in await changes(api) if r["action"] == "DELETE"}
    assert deleted == {world[k] for k in ("account", "dana", "cfo", "ivan", "opportunity", "ours")}
    assert await tenant_edges(api) == 4  # two WORKS_AT/HAS_OPPORTUNITY/CONSIDERS + citation


async def test_playbook_concern_and_argument_lifecycle(api: Api) -> None:
    concern = await api.ok(
        "createConcern",
        "... on Concern { id category }",
        input={"name": "Downtime", "category": "RISK", "externalId": "c-downtime"},
    )
    argument = await api.ok(
        "createArgument",
        "... on Argument { id title kind talkTrack proofPoints }",
        input={
            "title": "Peers",
            "kind": "HERD",
            "talkTrack": "Three of your peers…",
            "proofPoints": ["Northwind", "Initech"],
        },
    )
    assert argument["proofPoints"] == ["Northwind", "Initech"]
    changed = await api.ok(
        "updateConcern",
        "... on Concern { category }",
        id=concern["id"],
        input={"category": "FINANCIAL"},
    )
    assert changed["category"] == "FINANCIAL"
    points = await api.ok(
        "updateArgument",
        "... on Argument { proofPoints talkTrack }",
        id=argument["id"],
        input={"proofPoints": ["Northwind"], "talkTrack": None},
    )
    assert points["proofPoints"] == ["Northwind"]
    assert points["talkTrack"] is None
    # playbook entries belong to no account
    assert {r["accountId"] for r in await changes(api, argument["id"])} == {None}
    await api.ok("deleteConcern", DELETED, id=concern["id"])
    await api.ok("deleteArgument", DELETED, id=argument["id"])
    assert await tenant_nodes(api) == {}


# --- relationships --------------------------------------------------------------------


@dataclass(frozen=True)
class RelationshipCase:
    kind: str
    source_arg: str
    target_arg: str
    source: str
    target: str
    create: dict[str, Any]
    update: dict[str, Any] | None
    account: str | None = "account"  # the world key of the account its audit belongs to

    @property
    def selection(self) -> str:
        names = sorted({*self.create, *(self.update or {})})
        return f"... on {self.kind} {{ id {' '.join(names)} }}"


RELATIONSHIPS = [
    RelationshipCase(
        "Influence",
        "fromId",
        "toId",
        "dana",
        "cfo",
        {"strength": 0.8, "topics": ["RISK"], "evidence": "ex-colleagues"},
        {"strength": 0.5, "topics": []},
    ),
    RelationshipCase(
        "Conflict",
        "fromId",
        "toId",
        "ivan",
        "cfo",
        {"strength": 0.6},
        {"strength": 0.3, "evidence": "budget fight"},
    ),
    RelationshipCase("ReportingLine", "stakeholderId", "managerId", "dana", "cfo", {}, None),
    RelationshipCase(
        "Seat",
        "stakeholderId",
        "opportunityId",
        "cfo",
        "opportunity",
        {"role": "ECONOMIC_BUYER", "stance": "NEUTRAL", "veto": True},
        {"stance": "SUPPORTER", "voteWeight": 2.0},
    ),
    RelationshipCase(
        "Advocacy",
        "stakeholderId",
        "alternativeId",
        "dana",
        "ours",
        {"strength": 0.9},
        {"strength": 0.4},
    ),
    RelationshipCase(
        "StakeholderConcern",
        "stakeholderId",
        "concernId",
        "cfo",
        "concern",
        {"weight": 0.9},
        {"weight": 0.2},
    ),
    RelationshipCase(
        "ArgumentFit",
        "argumentId",
        "concernId",
        "argument",
        "concern",
        {"fit": 0.7},
        {"fit": 1.0},
        account=None,
    ),
    RelationshipCase(
        "Citation", "argumentId", "accountId", "argument", "reference", {}, None, account=None
    ),
    RelationshipCase(
        "Coaching",
        "stakeholderId",
        "argumentId",
        "dana",
        "argument",
        {"readiness": 0.4},
        {"readiness": 0.8},
    ),
    RelationshipCase(
        "Hearing",
        "stakeholderId",
        "argumentId",
        "cfo",
        "argument",
        {"reception": "NEGATIVE"},
        {"reception": "POSITIVE"},
    ),
]


@pytest.mark.parametrize("case", RELATIONSHIPS, ids=lambda c: c.kind)
async def test_relationship_lifecycle(world: World, case: RelationshipCase) -> None:
    api = world.api
    source, target = world[case.source], world[case.target]
    ends = {case.source_arg: source, case.target_arg: target}
    edge_id = f"{RELATIONSHIP_KINDS[case.kind].type}:{source}:{target}"
    key = relationship_key(source, target)

    made = await api.ok(
        f"create{case.kind}", case.selection, input={**ends, **case.create}, reason="mapped"
    )
    assert made["id"] == edge_id
    assert {k: made[k] for k in case.create} == case.create
    twice = await api.fails("CONFLICT", f"create{case.kind}", input={**ends, **case.create})
    assert case.kind in twice["message"]

    if case.update is not None:
        updated = await api.ok(f"update{case.kind}", case.selection, input={**ends, **case.update})
        assert {k: updated[k] for k in case.update} == case.update

    deleted = await api.ok(f"delete{case.kind}", DELETED, **ends)
    assert deleted["deletedId"] == edge_id
    again = await api.fails("NOT_FOUND", f"delete{case.kind}", **ends)
    assert (again["entityKind"], again["key"]) == (case.kind, key)
    if case.update is not None:
        await api.fails("NOT_FOUND", f"update{case.kind}", input={**ends, **case.update})

    records = await changes(api, key)
    assert {r["entityKind"] for r in records} == {case.kind}
    assert {r["accountId"] for r in records} == {world[case.account] if case.account else None}
    created = {r["field"]: r["newValue"] for r in records if r["action"] == "CREATE"}
    # a relationship without properties is created in one record without a field
    assert created == (case.create if case.create else {None: None})
    updated_fields = {r["field"] for r in records if r["action"] == "UPDATE"}
    assert updated_fields == set(case.update or {})
    assert [r["action"] for r in records][-1] == "DELETE"
    assert {r["reason"] for r in records if r["action"] == "CREATE"} == {"mapped"}


async def test_a_missing_endpoint_is_named(world: World) -> None:
    missing = await world.api.fails(
        "NOT_FOUND",
        "createInfluence",
        input={"fromId": world["dana"], "toId": "stk_missing", "strength": 0.5},
    )
    assert (missing["entityKind"], missing["key"]) == ("Stakeholder", "stk_missing")
    wrong_label = await world.api.fails(
        "NOT_FOUND",
        "createSeat",
        input={"stakeholderId": world["dana"], "opportunityId": world["ours"], "role": "LEGAL"},
    )
    assert (wrong_label["entityKind"], wrong_label["key"]) == ("Opportunity", world["ours"])


SEAT = "... on Seat { role stance veto voteWeight stanceEvidence stanceUpdatedAt }"
HISTORY = """
query($id: ID!) { opportunity(id: $id) { committee {
  stakeholder { id }
  history { edges { node { action field oldValue newValue evidence actor reason } } }
} } }
"""


async def test_stance_changes_are_stamped_and_kept_with_their_evidence(world: World) -> None:
    api = world.api
    ends = {"stakeholderId": world["cfo"], "opportunityId": world["opportunity"]}
    seat = await api.ok(
        "createSeat",
        SEAT,
        input={
            **ends,
            "role": "ECONOMIC_BUYER",
            "stance": "SKEPTIC",
            "stanceEvidence": "pushed back on price",
        },
    )
    assert (seat["veto"], seat["voteWeight"]) == (False, 1.0)
    assert seat["stanceUpdatedAt"] is not None
    role_only = await api.ok("updateSeat", SEAT, input={**ends, "role": "APPROVER"})
    assert role_only["stanceUpdatedAt"] == seat["stanceUpdatedAt"]
    moved = await api.ok(
        "updateSeat",
        SEAT,
        input={**ends, "stance": "CHAMPION", "stanceEvidence": "asked for the contract"},
        reason="call on 3 March",
    )
    assert moved["stanceUpdatedAt"] > seat["stanceUpdatedAt"]

    data = await api.execute(HISTORY, id=world["opportunity"])
    [committee_seat] = data["opportunity"]["committee"]
    entries = [e["node"] for e in committee_seat["history"]["edges"]]
    stance = [e for e in entries if e["field"] == "stance"]
    assert [(e["oldValue"], e["newValue"], e["evidence"]) for e in stance] == [
        ("SKEPTIC", "CHAMPION", "asked for the contract"),
        (None, "SKEPTIC", "pushed back on price"),
    ]
    assert stance[0]["reason"] == "call on 3 March"
    assert {e["actor"] for e in entries} == {"key_editor"}


async def test_coaching_at_defaults_to_now_and_moves_with_readiness(world: World) -> None:
    api = world.api
    ends = {"stakeholderId": world["dana"], "argumentId": world["argument"]}
    first = await api.ok(
        "createCoaching", "... on Coaching { at readiness }", input={**ends, "readiness": 0.3}
    )
    assert first["at"] is not None
    later = await api.ok(
        "updateCoaching", "... on Coaching { at }", input={**ends, "readiness": 0.75}
    )
    assert later["at"] > first["at"]
    given = await api.ok(
        "updateCoaching",
        "... on Coaching { at }",
        input={**ends, "readiness": 0.9, "at": "2026-01-01T00:00:00Z"},
    )
    assert given["at"] == "2026-01-01T00:00:00.000000+00:00"  # stored in UTC, microseconds


# --- validation -----------------------------------------------------------------------

Inputs = Callable[[World], dict[str, Any]]
UNIT_OPEN = "must be in (0, 1]"
SAME_ACCOUNT = "must belong to the same account as"

INVALID: list[tuple[str, str, Inputs, str, str]] = [
    (
        "strength 0",
        "createInfluence",
        lambda w: {"fromId": w["dana"], "toId": w["cfo"], "strength": 0},
        "input.strength",
        UNIT_OPEN,
    ),
    (
        "strength above 1",
        "createInfluence",
        lambda w: {"fromId": w["dana"], "toId": w["cfo"], "strength": 1.5},
        "input.strength",
        UNIT_OPEN,
    ),
    (
        "conflict strength",
        "createConflict",
        lambda w: {"fromId": w["dana"], "toId": w["cfo"], "strength": -0.1},
        "input.strength",
        UNIT_OPEN,
    ),
    (
        "advocacy strength",
        "createAdvocacy",
        lambda w: {"stakeholderId": w["dana"], "alternativeId": w["ours"], "strength": 0},
        "input.strength",
        UNIT_OPEN,
    ),
    (
        "weight",
        "createStakeholderConcern",
        lambda w: {"stakeholderId": w["dana"], "concernId": w["concern"], "weight": 0},
        "input.weight",
        UNIT_OPEN,
    ),
    (
        "fit",
        "createArgumentFit",
        lambda w: {"argumentId": w["argument"], "concernId": w["concern"], "fit": 1.01},
        "input.fit",
        UNIT_OPEN,
    ),
    (
        "readiness above 1",
        "createCoaching",
        lambda w: {"stakeholderId": w["dana"], "argumentId": w["argument"], "readiness": 1.1},
        "input.readiness",
        "must be in [0, 1]",
    ),
    (
        "readiness below 0",
        "createCoaching",
        lambda w: {"stakeholderId": w["dana"], "argumentId": w["argument"], "readiness": -0.1},
        "input.readiness",
        "must be in [0, 1]",
    ),
    (
        "vote weight",
        "createSeat",
        lambda w: {
            "stakeholderId": w["dana"],
            "opportunityId": w["opportunity"],
            "role": "APPROVER",
            "voteWeight": 0,
        },
        "input.voteWeight",
        "must be greater than 0",
    ),
    (
        "threshold 0",
        "createOpportunity",
        lambda w: {"accountId": w["account"], "name": "X", "threshold": 0},
        "input.threshold",
        UNIT_OPEN,
    ),
    (
        "threshold above 1",
        "createOpportunity",
        lambda w: {"accountId": w["account"], "name": "X", "threshold": 1.2},
        "input.threshold",
        UNIT_OPEN,
    ),
    (
        "self-influence",
        "createInfluence",
        lambda w: {"fromId": w["dana"], "toId": w["dana"], "strength": 0.5},
        "input.toId",
        "must differ from fromId",
    ),
    (
        "self-conflict",
        "createConflict",
        lambda w: {"fromId": w["dana"], "toId": w["dana"], "strength": 0.5},
        "input.toId",
        "must differ from fromId",
    ),
    (
        "self-reporting",
        "createReportingLine",
        lambda w: {"stakeholderId": w["dana"], "managerId": w["dana"]},
        "input.managerId",
        "must differ from stakeholderId",
    ),
    (
        "influence across accounts",
        "createInfluence",
        lambda w: {"fromId": w["dana"], "toId": w["outsider"], "strength": 0.5},
        "input.toId",
        SAME_ACCOUNT,
    ),
    (
        "conflict across accounts",
        "createConflict",
        lambda w: {"fromId": w["outsider"], "toId": w["dana"], "strength": 0.5},
        "input.toId",
        SAME_ACCOUNT,
    ),
    (
        "reporting across accounts",
        "createReportingLine",
        lambda w: {"stakeholderId": w["dana"], "managerId": w["outsider"]},
        "input.managerId",
        SAME_ACCOUNT,
    ),
    (
        "seat outside the account",
        "createSeat",
        lambda w: {
            "stakeholderId": w["outsider"],
            "opportunityId": w["opportunity"],
            "role": "APPROVER",
        },
        "input.opportunityId",
        SAME_ACCOUNT,
    ),
    (
        "advocacy for another account's alternative",
        "createAdvocacy",
        lambda w: {
            "stakeholderId": w["dana"],
            "alternativeId": w["other_alternative"],
            "strength": 0.5,
        },
        "input.alternativeId",
        SAME_ACCOUNT,
    ),
    (
        "long name",
        "createAccount",
        lambda w: {"name": "x" * 501},
        "input.name",
        "must be at most 500 characters",
    ),
    (
        "long talk track",
        "createArgument",
        lambda w: {"title": "T", "kind": "ROI", "talkTrack": "x" * 10_001},
        "input.talkTrack",
        "must be at most 10,000 characters",
    ),
    (
        "long evidence",
        "createInfluence",
        lambda w: {
            "fromId": w["dana"],
            "toId": w["cfo"],
            "strength": 0.5,
            "evidence": "x" * 10_001,
        },
        "input.evidence",
        "must be at most 10,000 characters",
    ),
    (
        "blank name",
        "createConcern",
        lambda w: {"name": "  ", "category": "RISK"},
        "input.name",
        "must not be blank",
    ),
    (
        "negative amount",
        "createOpportunity",
        lambda w: {"accountId": w["account"], "name": "X", "amount": -5},
        "input.amount",
        "must be between 0 and",
    ),
    (
        "too many proof points",
        "createArgument",
        lambda w: {"title": "T", "kind": "ROI", "proofPoints": ["p"] * 101},
        "input.proofPoints",
        "has 101 items; the cap is 100",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "inputs", "path", "message"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
async def test_each_rule_is_reported_by_path_and_nothing_is_written(
    world: World, mutation: str, inputs: Inputs, path: str, message: str
) -> None:
    before = (
        await tenant_nodes(world.api),
        await tenant_edges(world.api),
        len(await changes(world.api)),
    )
    refused = await world.api.fails("INVALID_INPUT", mutation, input=inputs(world))
    assert [p["path"] for p in refused["problems"]] == [path]
    assert message in refused["problems"][0]["message"]
    assert path in refused["message"]
    after = (
        await tenant_nodes(world.api),
        await tenant_edges(world.api),
        len(await changes(world.api)),
    )
    assert after == before


async def test_the_bounds_themselves_are_accepted(world: World) -> None:
    api = world.api
    await api.ok(
        "createInfluence", input={"fromId": world["dana"], "toId": world["cfo"], "strength": 1}
    )
    await api.ok(
        "createCoaching",
        input={"stakeholderId": world["dana"], "argumentId": world["argument"], "readiness": 0},
    )
    await api.ok(
        "createOpportunity",
        input={
            "accountId": world["account"],
            "name": "X",
            "decisionRule": "THRESHOLD",
            "threshold": 1,
        },
    )


async def test_every_problem_is_reported_at_once(world: World) -> None:
    refused = await world.api.fails(
        "INVALID_INPUT",
        "createInfluence",
        input={
            "fromId": world["dana"],
            "toId": world["outsider"],
            "strength": 2,
            "evidence": "x" * 10_001,
        },
        reason="r" * 10_001,
    )
    assert sorted(p["path"] for p in refused["problems"]) == [
        "input.evidence",
        "input.strength",
        "input.toId",
        "reason",
    ]
    update = await world.api.fails(
        "INVALID_INPUT",
        "updateArgument",
        id=world["argument"],
        input={"title": "t" * 501, "kind": None, "proofPoints": ["ok", "p" * 10_001]},
    )
    assert [p["path"] for p in update["problems"]] == [
        "input.title",
        "input.kind",
        "input.proofPoints[1]",
    ]


async def test_an_update_of_a_relationship_is_validated(world: World) -> None:
    ends = {"fromId": world["dana"], "toId": world["cfo"]}
    await world.api.ok("createInfluence", input={**ends, "strength": 0.5})
    refused = await world.api.fails(
        "INVALID_INPUT", "updateInfluence", input={**ends, "strength": 0}
    )
    assert refused["problems"] == [{"path": "input.strength", "message": UNIT_OPEN}]
    cleared = await world.api.fails(
        "INVALID_INPUT", "updateInfluence", input={**ends, "strength": None}
    )
    assert cleared["problems"][0]["message"] == "is required and cannot be cleared"


# --- uniqueness, tenancy, roles -------------------------------------------------------


async def test_a_duplicate_external_id_is_a_conflict_naming_it(api: Api) -> None:
    first = await api.new("Account", name="Acme", externalId="crm-42")
    taken = await api.fails(
        "CONFLICT", "createAccount", input={"name": "Other", "externalId": "crm-42"}
    )
    assert "crm-42" in taken["message"]
    second = await api.new("Account", name="Other", externalId="crm-43")
    moved = await api.fails("CONFLICT", "updateAccount", id=second, input={"externalId": "crm-42"})
    assert "crm-42" in moved["message"]
    # unique per tenant and label: another label or tenant may use it, and so may its owner
    await api.new("Stakeholder", accountId=first, name="Dana", externalId="crm-42")
    await api.as_(tenant=f"{api.tenant}-b").new("Account", name="Acme", externalId="crm-42")
    await api.ok("updateAccount", id=first, input={"externalId": "crm-42", "name": "Acme 2"})


async def test_another_tenants_ids_look_missing_and_stay_untouched(world: World) -> None:
    stranger = world.api.as_(tenant=f"{world.api.tenant}-stranger")
    before = await tenant_nodes(world.api)
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("updateAccount", {"id": world["account"], "input": {"name": "Mine now"}}),
        ("deleteAccount", {"id": world["account"]}),
        ("updateStakeholder", {"id": world["dana"], "input": {"name": "X"}}),
        ("deleteStakeholder", {"id": world["dana"]}),
        ("deleteArgument", {"id": world["argument"]}),
    ]
    for mutation, arguments in attempts:
        foreign = await stranger.fails("NOT_FOUND", mutation, **arguments)
        missing = await world.api.fails("NOT_FOUND", mutation, **{**arguments, "id": "acc_0000"})
        assert foreign.keys() == missing.keys()
        assert foreign["key"] == arguments["id"]
    ends = {"fromId": world["dana"], "toId": world["cfo"]}
    await stranger.fails("NOT_FOUND", "createInfluence", input={**ends, "strength": 0.5})
    await world.api.ok("createInfluence", input={**ends, "strength": 0.5})
    await stranger.fails("NOT_FOUND", "updateInfluence", input={**ends, "strength": 0.9})
    await stranger.fails("NOT_FOUND", "deleteInfluence", **ends)
    influence = await world.api.ok("updateInfluence", "... on Influence { strength }", input=ends)
    assert influence["strength"] == 0.5
    assert await tenant_nodes(world.api) == before
    account = await world.api.execute(
        "query($id: ID!) { account(id: $id) { name } }", id=world["account"]
    )
    assert account["account"]["name"] == "Acme Logistics"


async def test_a_viewer_is_refused_every_change_and_nothing_changes(world: World) -> None:
    viewer = world.api.as_(role="viewer")
    before = (
        await tenant_nodes(world.api),
        await tenant_edges(world.api),
        len(await changes(world.api)),
    )
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("createAccount", {"input": {"name": "Nope"}}),
        ("updateAccount", {"id": world["account"], "input": {"name": "Nope"}}),
        ("deleteAccount", {"id": world["account"]}),
        ("deleteStakeholder", {"id": world["dana"]}),
        (
            "createInfluence",
            {"input": {"fromId": world["dana"], "toId": world["cfo"], "strength": 0.5}},
        ),
        ("deleteSeat", {"stakeholderId": world["dana"], "opportunityId": world["opportunity"]}),
    ]
    for mutation, arguments in attempts:
        refused = await viewer.fails("FORBIDDEN", mutation, **arguments)
        assert refused["__typename"] == "ForbiddenError"
    after = (
        await tenant_nodes(world.api),
        await tenant_edges(world.api),
        len(await changes(world.api)),
    )
    assert after == before


# --- privacy, strings, freshness ------------------------------------------------------


async def test_deleting_a_stakeholder_erases_their_personal_data_everywhere(world: World) -> None:
    api = world.api
    person = await api.new(
        "Stakeholder",
        accountId=world["account"],
        name="Zelda Quist",
        title="Head of Ops",
        email="zelda@acme.example",
        department="Operations",
        externalId="crm-zq",
    )
    await api.ok("updateStakeholder", id=person, input={"title": "COO", "name": "Zelda Q."})
    await api.ok("createInfluence", input={"fromId": person, "toId": world["cfo"], "strength": 0.7})
    await api.ok(
        "createSeat",
        input={"stakeholderId": person, "opportunityId": world["opportunity"], "role": "APPROVER"},
    )

    await api.ok("deleteStakeholder", DELETED, id=person, reason="left the company")

    edges = await rows(api.database, "MATCH (s {id: $id})-[r]-() RETURN count(r) AS n", id=person)
    assert edges == [{"n": 0}]
    records = await changes(api, person)
    deletion = records[-1]
    assert (deletion["action"], deletion["oldValue"], deletion["newValue"]) == (
        "DELETE",
        {"externalId": "crm-zq"},
        None,
    )
    assert deletion["reason"] == "left the company"
    for personal in ("Zelda", "Head of Ops", "COO", "zelda@acme.example"):
        assert not [r for r in await changes(api) if personal in json.dumps(r)], personal
    # what is not personal survives for the account's feed
    assert {"field": "department", "newValue": "Operations"} in [
        {"field": r["field"], "newValue": r["newValue"]} for r in records
    ]


@pytest.mark.parametrize("text", NASTY)
async def test_strings_are_stored_verbatim(world: World, text: str) -> None:
    api = world.api
    account = await api.ok(
        "createAccount",
        "... on Account { id name industry externalId }",
        input={"name": text, "industry": text, "externalId": text},
        reason=text,
    )
    assert (account["name"], account["industry"], account["externalId"]) == (text, text, text)
    read = await api.execute("query($x: String!) { account(externalId: $x) { name } }", x=text)
    assert read["account"]["name"] == text
    influence = await api.ok(
        "createInfluence",
        "... on Influence { evidence }",
        input={"fromId": world["dana"], "toId": world["cfo"], "strength": 0.5, "evidence": text},
    )
    assert influence["evidence"] == text
    assert {r["reason"] for r in await changes(api, account["id"])} == {text}
    assert (await tenant_nodes(api))["Account"] == 4


async def test_later_fields_of_one_request_see_the_earlier_writes(world: World) -> None:
    document = """
    mutation($dana: ID!, $cfo: ID!, $ivan: ID!) {
      first: createInfluence(input: {fromId: $dana, toId: $cfo, strength: 0.5}) {
        ... on Influence { from { name } }
      }
      rename: updateStakeholder(id: $dana, input: {name: "Dana W."}) {
        ... on Stakeholder { name }
      }
      second: createConflict(input: {fromId: $dana, toId: $ivan, strength: 0.5}) {
        ... on Conflict { from { name } }
      }
    }
    """
    data = await world.api.execute(
        document, dana=world["dana"], cfo=world["cfo"], ivan=world["ivan"]
    )
    assert data["first"]["from"]["name"] == "Dana"
    assert data["rename"]["name"] == "Dana W."
    assert data["second"]["from"]["name"] == "Dana W."
