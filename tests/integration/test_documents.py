"""Import and export of account documents against a real Neo4j."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain import kinds
from graph_api.domain.document import canonical, validate_document
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.errors import InvalidInput, NotFound
from graph_api.repositories import documents
from graph_api.repositories.documents import ChangeCounts, export_document, import_document

pytestmark = pytest.mark.neo4j


def principal(tenant: str) -> Principal:
    return Principal(tenant_id=tenant, role=Role.EDITOR, actor=f"key-{tenant}")


def account_document() -> dict[str, Any]:
    """A self-contained document: everything it references, it defines."""
    return {
        "playbook": {
            "concerns": [
                {"externalId": "c-downtime", "name": "Operational downtime", "category": "RISK"},
                {"externalId": "c-cost", "name": "Total cost", "category": "FINANCIAL"},
            ],
            "arguments": [
                {
                    "externalId": "a-peers",
                    "title": "Three of your peers run on us",
                    "kind": "HERD",
                    "talkTrack": "Name them.",
                    "proofPoints": ["Globex", "Initech"],
                    "cites": ["acct-acme"],
                    "addresses": [{"concern": "c-downtime", "fit": 0.7}],
                },
                {
                    "externalId": "a-roi",
                    "title": "Pays back in 9 months",
                    "kind": "ROI",
                    "addresses": [
                        {"concern": "c-cost", "fit": 0.9},
                        {"concern": "c-downtime", "fit": 0.2},
                    ],
                },
            ],
        },
        "accounts": [
            {
                "externalId": "acct-acme",
                "name": "Acme Logistics",
                "industry": "Logistics",
                "employees": 5400,
                "region": "EMEA",
                "domain": "acme.example",
                "isReference": True,
                "stakeholders": [
                    {
                        "externalId": "p-dana",
                        "name": "Dana Whitfield",
                        "title": "VP Operations",
                        "department": "Operations",
                        "seniority": "VP",
                        "reportsTo": "p-cfo",
                        "email": "dana@acme.example",
                        "lastVerifiedAt": "2026-01-15",
                        "concerns": [{"concern": "c-downtime", "weight": 0.9}],
                        "coachedOn": [
                            {
                                "argument": "a-peers",
                                "readiness": 0.4,
                                "at": "2026-02-01T09:00:00+00:00",
                            }
                        ],
                        "heard": [{"argument": "a-roi", "reception": "NEGATIVE"}],
                    },
                    {
                        "externalId": "p-cfo",
                        "name": "Carla Ortiz",
                        "title": "CFO",
                        "seniority": "C_LEVEL",
                        "concerns": [{"concern": "c-cost", "weight": 1}],
                    },
                    {"externalId": "p-ivan", "name": "Ivan Petrov", "reportsTo": "p-cfo"},
                    {"externalId": "p-lee", "name": "Lee Chen", "reportsTo": "p-dana"},
                ],
                "influences": [
                    {
                        "from": "p-dana",
                        "to": "p-cfo",
                        "strength": 0.8,
                        "topics": ["RISK"],
                        "evidence": "weekly 1:1",
                    },
                    {"from": "p-lee", "to": "p-dana", "strength": 0.5},
                    {"from": "p-ivan", "to": "p-lee", "strength": 0.3},
                ],
                "conflicts": [
                    {"from": "p-ivan", "to": "p-cfo", "strength": 0.6, "evidence": "budget fight"}
                ],
                "opportunities": [
                    {
                        "externalId": "opp-fleet",
                        "name": "Fleet telematics",
                        "amount": 480000,
                        "currency": "USD",
                        "stage": "PROPOSAL",
                        "closeDate": "2027-03-31",
                        "decisionRule": "UNANIMOUS",
                        "alternatives": [
                            {"externalId": "alt-us", "name": "Our platform", "kind": "OURS"},
                            {
                                "externalId": "alt-sq",
                                "name": "Keep spreadsheets",
                                "kind": "STATUS_QUO",
                            },
                        ],
                        "committee": [
                            {
                                "stakeholder": "p-cfo",
                                "role": "ECONOMIC_BUYER",
                                "stance": "NEUTRAL",
                                "veto": True,
                            },
                            {
                                "stakeholder": "p-dana",
                                "role": "INFLUENCER",
                                "stance": "CHAMPION",
                                "stanceEvidence": "asked for a pilot",
                            },
                            {
                                "stakeholder": "p-ivan",
                                "role": "TECHNICAL_EVALUATOR",
                                "stance": "SKEPTIC",
                                "voteWeight": 2,
                            },
                        ],
                        "advocacy": [
                            {"stakeholder": "p-dana", "alternative": "alt-us", "strength": 0.9},
                            {
                                "stakeholder": "p-ivan",
                                "alternative": "alt-sq",
                                "strength": 0.6,
                                "evidence": "built the spreadsheets",
                            },
                        ],
                    },
                    {
                        "externalId": "opp-vote",
                        "name": "Warehouse robots",
                        "decisionRule": "THRESHOLD",
                        "threshold": 0.66,
                        "alternatives": [
                            {"externalId": "alt-robots", "name": "Our robots", "kind": "OURS"}
                        ],
                        "committee": [
                            {"stakeholder": "p-lee", "role": "USER_BUYER", "stance": "UNKNOWN"}
                        ],
                    },
                ],
            }
        ],
    }


async def dump(database: Database) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with all properties, in a stable order."""

    async def work(tx: AsyncManagedTransaction) -> tuple[list[Any], list[Any]]:
        nodes = await tx.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "RETURN labels(n) AS labels, properties(n) AS props"
        )
        node_rows = [(r["labels"], r["props"]) async for r in nodes]
        rels = await tx.run(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p"
        )
        rel_rows = [(r["a"], r["t"], r["b"], r["p"]) async for r in rels]
        key = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
        return sorted(node_rows, key=key), sorted(rel_rows, key=key)

    return await database.read(work)


async def counts(database: Database) -> tuple[int, int]:
    async def work(tx: AsyncManagedTransaction) -> tuple[int, int]:
        result = await tx.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels"
        )
        record = await result.single()
        assert record is not None
        return record["nodes"], record["rels"]

    return await database.read(work)


async def changes(database: Database, tenant: str) -> list[dict[str, Any]]:
    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        result = await tx.run(
            "MATCH (c:Change) WHERE c.tenantId = $tenant RETURN properties(c) AS c "
            "ORDER BY c.entityKind, c.entityId, c.at",
            tenant=tenant,
        )
        return [r["c"] async for r in result]

    return await database.read(work)


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """The document as export writes it, compared without the server's stamps."""
    return unstamped(canonical(validate_document(document)))


STAMPS = {p.name for k in kinds.RELATIONSHIP_KINDS.values() for p in k.props if p.stamp}


def unstamped(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` without the stamps the server adds when it writes a fact the document
    did not date (``verifiedAt``, ``stanceUpdatedAt``, a coaching's ``at``)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in STAMPS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(document)  # type: ignore[no-any-return]


async def test_import_twice_leaves_the_graph_identical(database: Database) -> None:
    who = principal("t-idempotent")
    first = await import_document(database, who, account_document())
    assert first.changed
    assert first.nodes["Stakeholder"].created == 4
    assert first.accounts[0].external_id == "acct-acme"
    assert first.accounts[0].id.startswith("acc_")
    before = await dump(database)

    again = await import_document(database, who, account_document())
    assert not again.changed
    assert again.stance_changes == 0
    assert await dump(database) == before  # updatedAt, audit records and all

    replaced = await import_document(database, who, account_document(), ImportMode.REPLACE)
    assert not replaced.changed
    assert await dump(database) == before


async def test_only_changed_entities_get_a_new_updated_at(database: Database) -> None:
    who = principal("t-updated-at")
    await import_document(database, who, account_document())
    document = account_document()
    document["accounts"][0]["stakeholders"][0]["title"] = "COO"
    document["accounts"][0]["influences"][1]["strength"] = 0.55
    summary = await import_document(database, who, document)
    assert summary.nodes["Stakeholder"].updated == 1
    assert summary.nodes["Stakeholder"].created == 0
    assert summary.relationships.updated == 1

    async def work(tx: AsyncManagedTransaction) -> dict[str, tuple[str, str, str]]:
        result = await tx.run(
            "MATCH (s:Stakeholder {tenantId: $t}) "
            "RETURN s.externalId AS k, s.createdAt AS c, s.updatedAt AS u, s.updatedBy AS b",
            t=who.tenant_id,
        )
        return {r["k"]: (r["c"], r["u"], r["b"]) async for r in result}

    stamps = await database.read(work)
    assert stamps["p-dana"][1] > stamps["p-dana"][0]
    assert stamps["p-cfo"][1] == stamps["p-cfo"][0]
    assert stamps["p-dana"][2] == "key-t-updated-at"


async def test_a_bad_document_reports_every_problem_and_writes_nothing(
    database: Database,
) -> None:
    before = await counts(database)
    document = account_document()
    account = document["accounts"][0]
    account["influences"][0]["strength"] = 1.2
    account["influences"].append({"from": "p-lee", "to": "p-lee", "strength": 0.5})
    account["stakeholders"][1]["reportsTo"] = "p-ghost"
    account["stakeholders"].append({"externalId": "p-dana", "name": "Dana again"})
    account["opportunities"][0]["committee"][0]["role"] = "BOSS"
    with pytest.raises(InvalidInput) as caught:
        await import_document(database, principal("t-bad"), document, ImportMode.REPLACE)
    assert [str(p) for p in caught.value.problems] == [
        "$.accounts[0].influences[0].strength: must be in (0, 1]",
        "$.accounts[0].influences[3]: a stakeholder cannot influence themselves",
        "$.accounts[0].opportunities[0].committee[0].role: unknown value 'BOSS'; allowed: "
        "ECONOMIC_BUYER, APPROVER, DECISION_MAKER, TECHNICAL_EVALUATOR, USER_BUYER, "
        "INFLUENCER, GATEKEEPER, PROCUREMENT, LEGAL",
        "$.accounts[0].stakeholders[1].reportsTo: unknown stakeholder 'p-ghost'",
        "$.accounts[0].stakeholders[4].externalId: duplicate stakeholder externalId 'p-dana' "
        "(also at $.accounts[0].stakeholders[0])",
    ]
    assert await counts(database) == before


async def test_an_unknown_stored_reference_rolls_everything_back(database: Database) -> None:
    before = await counts(database)
    document = account_document()
    document["accounts"][0]["stakeholders"][2]["concerns"] = [
        {"concern": "c-not-stored", "weight": 0.5}
    ]
    document["playbook"]["arguments"][0]["cites"].append("acct-nowhere")
    with pytest.raises(InvalidInput) as caught:
        await import_document(database, principal("t-unknown"), document)
    assert [str(p) for p in caught.value.problems] == [
        "$.accounts[0].stakeholders[2].concerns[0].concern: unknown concern 'c-not-stored': "
        "not in this document's playbook nor stored in the tenant",
        "$.playbook.arguments[0].cites[1]: unknown account 'acct-nowhere': not in this "
        "document nor stored in the tenant",
    ]
    assert await counts(database) == before


async def test_playbook_references_resolve_against_the_stored_playbook(
    database: Database,
) -> None:
    who = principal("t-playbook-first")
    document = account_document()
    playbook_only = {"playbook": document.pop("playbook")}
    playbook_only["playbook"]["arguments"][0]["cites"] = []
    await import_document(database, who, playbook_only)
    summary = await import_document(database, who, document, ImportMode.REPLACE)
    assert summary.nodes["Stakeholder"].created == 4
    assert "Concern" not in summary.nodes  # the account document carries no playbook


async def test_playbook_import_refuses_cites_of_unknown_accounts(database: Database) -> None:
    document = {"playbook": account_document()["playbook"]}
    with pytest.raises(InvalidInput) as caught:
        await import_document(database, principal("t-cite-first"), document)
    assert [str(p) for p in caught.value.problems] == [
        "$.playbook.arguments[0].cites[0]: unknown account 'acct-acme': not in this document "
        "nor stored in the tenant"
    ]


async def test_a_stakeholder_cannot_move_to_another_account(database: Database) -> None:
    who = principal("t-move")
    await import_document(database, who, account_document())
    before = await counts(database)
    other = {
        "accounts": [
            {
                "externalId": "acct-globex",
                "name": "Globex",
                "stakeholders": [{"externalId": "p-dana", "name": "Dana Whitfield"}],
                "opportunities": [
                    {"externalId": "opp-fleet", "name": "Stolen", "decisionRule": "MAJORITY"}
                ],
            }
        ]
    }
    with pytest.raises(InvalidInput) as caught:
        await import_document(database, who, other)
    assert [str(p) for p in caught.value.problems] == [
        "$.accounts[0].opportunities[0].externalId: opportunity 'opp-fleet' is stored under "
        "account 'acct-acme', not 'acct-globex'; it cannot move (delete it there first, or use "
        "another externalId)",
        "$.accounts[0].stakeholders[0].externalId: stakeholder 'p-dana' is stored under "
        "account 'acct-acme', not 'acct-globex'; it cannot move (delete it there first, or use "
        "another externalId)",
    ]
    assert await counts(database) == before


def reduced_document() -> dict[str, Any]:
    """The account without Lee, one influence, a seat, an alternative, a concern, a deal."""
    document = account_document()
    account = document["accounts"][0]
    account["stakeholders"] = [s for s in account["stakeholders"] if s["externalId"] != "p-lee"]
    account["stakeholders"][0]["heard"] = []
    del account["stakeholders"][2]["reportsTo"]  # Ivan no longer reports to the CFO
    account["influences"] = [account["influences"][0]]
    account["conflicts"] = []
    deal = account["opportunities"][0]
    deal["alternatives"] = [deal["alternatives"][0]]
    deal["committee"] = deal["committee"][:2]
    deal["advocacy"] = deal["advocacy"][:1]
    account["opportunities"] = [deal]
    document["playbook"]["arguments"][1]["addresses"] = [{"concern": "c-cost", "fit": 0.9}]
    return document


async def test_merge_keeps_what_the_document_no_longer_lists(database: Database) -> None:
    who = principal("t-merge")
    await import_document(database, who, account_document())
    summary = await import_document(database, who, reduced_document())
    assert summary.nodes.get("Stakeholder") is None or summary.nodes["Stakeholder"].deleted == 0
    assert summary.relationships.deleted == 0
    exported = await export_document(database, who, account_external_id="acct-acme")
    assert unstamped(exported) == normalised(account_document())


async def test_replace_removes_what_the_document_no_longer_lists(database: Database) -> None:
    who = principal("t-replace")
    await import_document(database, who, account_document())
    summary = await import_document(database, who, reduced_document(), ImportMode.REPLACE)
    assert summary.nodes["Stakeholder"].deleted == 1
    assert summary.nodes["Opportunity"].deleted == 1
    assert summary.nodes["Alternative"].deleted == 2  # alt-sq, and opp-vote's alt-robots
    assert summary.relationships.deleted > 0
    exported = await export_document(database, who, account_external_id="acct-acme")
    assert unstamped(exported) == normalised(reduced_document())

    # Playbook entries stay: they are the tenant's, not the account's.
    async def work(tx: AsyncManagedTransaction) -> int:
        result = await tx.run(
            "MATCH (n) WHERE (n:Concern OR n:Argument) AND n.tenantId = $t RETURN count(n) AS n",
            t=who.tenant_id,
        )
        record = await result.single()
        assert record is not None
        return int(record["n"])

    assert await database.read(work) == 4


async def test_replace_keeps_citations_of_accounts_outside_the_document(
    database: Database,
) -> None:
    who = principal("t-cites")
    northwind = {
        "accounts": [
            {
                "externalId": "acct-northwind",
                "name": "Northwind",
                "industry": "Logistics",
                "isReference": True,
            }
        ]
    }
    await import_document(database, who, northwind)
    document = account_document()
    document["playbook"]["arguments"][0]["cites"] = ["acct-acme", "acct-northwind"]
    await import_document(database, who, document)
    exported = await export_document(database, who, account_external_id="acct-acme")
    # The export cites only accounts it contains (others would dangle elsewhere) ...
    assert exported["playbook"]["arguments"][0]["cites"] == ["acct-acme"]
    # ... and a REPLACE of that export leaves the citation of Northwind alone.
    before = await dump(database)
    summary = await import_document(database, who, exported, ImportMode.REPLACE)
    assert not summary.changed
    assert await dump(database) == before


async def test_merge_names_a_new_manager_and_may_reference_stored_stakeholders(
    database: Database,
) -> None:
    who = principal("t-small-merge")
    await import_document(database, who, account_document())
    small = {
        "accounts": [
            {
                "externalId": "acct-acme",
                "name": "Acme Logistics",
                "industry": "Logistics",
                "employees": 5400,
                "region": "EMEA",
                "domain": "acme.example",
                "isReference": True,
                "stakeholders": [{"externalId": "p-lee", "name": "Lee Chen", "reportsTo": "p-cfo"}],
                "influences": [{"from": "p-cfo", "to": "p-ivan", "strength": 0.4}],
            }
        ]
    }
    await import_document(database, who, small)
    exported = await export_document(database, who, account_external_id="acct-acme")
    people = {s["externalId"]: s for s in exported["accounts"][0]["stakeholders"]}
    assert people["p-lee"]["reportsTo"] == "p-cfo"  # replaced, not added
    assert {"from": "p-cfo", "to": "p-ivan", "strength": 0.4} in (
        unstamped(exported)["accounts"][0]["influences"]
    )
    with pytest.raises(InvalidInput) as caught:
        await import_document(database, who, small, ImportMode.REPLACE)
    assert "$.accounts[0].influences[0].from: unknown stakeholder 'p-cfo'" in [
        str(p) for p in caught.value.problems
    ]


async def test_export_of_an_import_is_the_document(database: Database) -> None:
    who = principal("t-export")
    document = account_document()
    await import_document(database, who, document)
    exported = await export_document(database, who, account_external_id="acct-acme")
    assert unstamped(exported) == normalised(document)
    assert canonical(exported) == exported  # already canonical
    by_id = await export_document(
        database, who, account_id=(await import_document(database, who, document)).accounts[0].id
    )
    assert by_id == exported


async def test_an_export_imported_elsewhere_reproduces_the_account(database: Database) -> None:
    source, target = principal("t-origin"), principal("t-copy")
    await import_document(database, source, account_document())
    exported = await export_document(database, source, account_external_id="acct-acme")
    await import_document(database, target, copy.deepcopy(exported), ImportMode.REPLACE)
    assert await export_document(database, target, account_external_id="acct-acme") == exported


async def test_export_includes_arguments_addressing_the_accounts_concerns(
    database: Database,
) -> None:
    who = principal("t-addressing")
    document = account_document()
    document["playbook"]["arguments"].append(
        {
            "externalId": "a-uptime",
            "title": "Five nines",
            "kind": "GERMAN_SHEPHERD",
            "addresses": [
                {"concern": "c-downtime", "fit": 1},
                {"concern": "c-unrelated", "fit": 1},
            ],
        }
    )
    document["playbook"]["concerns"].append(
        {"externalId": "c-unrelated", "name": "Unrelated", "category": "PERSONAL"}
    )
    document["playbook"]["arguments"].append(
        {"externalId": "a-unused", "title": "Unused", "kind": "STRATEGIC"}
    )
    await import_document(database, who, document)
    exported = await export_document(database, who, account_external_id="acct-acme")
    arguments = [a["externalId"] for a in exported["playbook"]["arguments"]]
    concerns = [c["externalId"] for c in exported["playbook"]["concerns"]]
    assert arguments == ["a-peers", "a-roi", "a-uptime"]  # a-unused is not referenced
    assert concerns == ["c-cost", "c-downtime", "c-unrelated"]  # a-uptime exported whole


async def test_tenants_never_see_each_other(database: Database) -> None:
    alpha, beta = principal("t-alpha"), principal("t-beta")
    imported = await import_document(database, alpha, account_document())
    with pytest.raises(NotFound):
        await export_document(database, beta, account_external_id="acct-acme")
    with pytest.raises(NotFound):
        await export_document(database, beta, account_id=imported.accounts[0].id)

    other = account_document()
    other["accounts"][0]["name"] = "Beta's Acme"
    other["accounts"][0]["stakeholders"] = other["accounts"][0]["stakeholders"][:2]
    other["accounts"][0]["stakeholders"][0]["coachedOn"] = []
    other["accounts"][0]["influences"] = other["accounts"][0]["influences"][:1]
    other["accounts"][0]["conflicts"] = []
    other["accounts"][0]["opportunities"] = []
    beta_summary = await import_document(database, beta, other, ImportMode.REPLACE)
    assert beta_summary.accounts[0].id != imported.accounts[0].id
    assert beta_summary.nodes["Stakeholder"].created == 2  # not "updated" alpha's

    alpha_export = await export_document(database, alpha, account_external_id="acct-acme")
    beta_export = await export_document(database, beta, account_external_id="acct-acme")
    assert unstamped(alpha_export) == normalised(account_document())
    assert unstamped(beta_export) == normalised(other)


METACHARACTERS = [
    'He said "no" twice',
    "back\\slash \\n not a newline",
    "MATCH (n) DETACH DELETE n",
    "'}) RETURN 1 //",
    "\"}) MATCH (x) SET x.tenantId = 'evil' //",
    "Дмитрий Иванов",
    "王小明 · 财务总监",
    "مدير العمليات",
    "🚀 champion 👩🏽‍💼",
    "line\nbreak\ttab",
    "$tenantId {tenantId} `label`",
]


async def test_strings_round_trip_unchanged(database: Database) -> None:
    who = principal("t-strings")
    document = account_document()
    account = document["accounts"][0]
    for i, text in enumerate(METACHARACTERS):
        key = f"{text} #{i}"
        account["stakeholders"].append(
            {"externalId": key, "name": text, "title": text, "department": text}
        )
        account["influences"].append(
            {"from": key, "to": "p-cfo", "strength": 0.5, "evidence": text}
        )
    account["name"] = METACHARACTERS[3]
    document["playbook"]["arguments"][0]["talkTrack"] = "\n".join(METACHARACTERS)
    document["playbook"]["arguments"][0]["proofPoints"] = METACHARACTERS
    before = await dump(database)
    await import_document(database, who, document)
    exported = await export_document(database, who, account_external_id="acct-acme")
    assert unstamped(exported) == normalised(document)
    names = {s["name"] for s in exported["accounts"][0]["stakeholders"]}
    assert set(METACHARACTERS) <= names
    # Nothing else was touched: every node and relationship stored before is still there.
    after = await dump(database)
    assert all(node in after[0] for node in before[0])
    assert all(rel in after[1] for rel in before[1])


async def test_stance_changes_are_audited(database: Database) -> None:
    who = principal("t-audit")
    first = await import_document(database, who, account_document(), reason="initial load")
    # three seats get a stance; p-lee's UNKNOWN is the default, which sets none
    assert first.stance_changes == 3
    after_first = await changes(database, who.tenant_id)
    imports = [c for c in after_first if c["action"] == "IMPORT"]
    assert [c["entityKind"] for c in imports] == ["Account", "Playbook"]
    account_record = imports[0]
    assert account_record["entityId"] == first.accounts[0].id
    assert account_record["accountId"] == first.accounts[0].id
    assert account_record["actor"] == "key-t-audit"
    assert account_record["reason"] == "initial load"
    assert json.loads(account_record["newValue"])["mode"] == "MERGE"
    assert json.loads(account_record["newValue"])["stakeholders"] == 4
    seats = [c for c in after_first if c["entityKind"] == "Seat"]
    assert len(seats) == 3
    assert {(c["field"], c.get("oldValue"), c["action"]) for c in seats} == {
        ("stance", None, "CREATE")
    }

    await import_document(database, who, account_document())
    assert len(await changes(database, who.tenant_id)) == len(after_first)  # no-op: no record

    document = account_document()
    seat = document["accounts"][0]["opportunities"][0]["committee"][0]
    seat["stance"] = "SUPPORTER"
    seat["stanceEvidence"] = "signed off the budget line"
    document["accounts"][0]["opportunities"][0]["committee"][1]["veto"] = True  # not a stance
    summary = await import_document(database, who, document)
    assert summary.stance_changes == 1
    new = [c for c in await changes(database, who.tenant_id) if c not in after_first]
    stance = [c for c in new if c["entityKind"] == "Seat"]
    assert len(stance) == 1
    assert stance[0]["oldValue"] == json.dumps("NEUTRAL")
    assert stance[0]["newValue"] == json.dumps("SUPPORTER")
    assert stance[0]["evidence"] == "signed off the budget line"
    assert stance[0]["action"] == "UPDATE"
    assert stance[0]["accountId"] == first.accounts[0].id
    assert stance[0]["entityId"].startswith("stk_")
    assert "|opp_" in stance[0]["entityId"]
    assert [c["action"] for c in new if c["entityKind"] == "Account"] == ["IMPORT"]


async def test_stance_updated_at_moves_only_with_the_stance(database: Database) -> None:
    who = principal("t-stance-at")
    await import_document(database, who, account_document())

    async def stamps(tx: AsyncManagedTransaction) -> dict[str, str]:
        result = await tx.run(
            "MATCH (s:Stakeholder {tenantId: $t})-[r:SITS_ON]->() "
            "RETURN s.externalId AS k, r.stanceUpdatedAt AS at",
            t=who.tenant_id,
        )
        return {r["k"]: r["at"] async for r in result}

    before = await database.read(stamps)
    document = account_document()
    committee = document["accounts"][0]["opportunities"][0]["committee"]
    committee[0]["stance"] = "CHAMPION"
    committee[1]["role"] = "APPROVER"
    await import_document(database, who, document)
    after = await database.read(stamps)
    assert after["p-cfo"] > before["p-cfo"]
    assert after["p-dana"] == before["p-dana"]


async def test_merge_mixes_new_and_stored_stakeholders_and_counts_each_change(
    database: Database,
) -> None:
    who = principal("t-mixed-merge")
    first = await import_document(database, who, account_document())
    small = {
        "accounts": [
            {
                "externalId": "acct-acme",
                "name": "Acme Logistics",
                "industry": "Logistics",
                "employees": 5400,
                "region": "EMEA",
                "domain": "acme.example",
                "isReference": True,
                "stakeholders": [
                    {"externalId": "p-new", "name": "Nia Okafor", "reportsTo": "p-dana"},
                    {"externalId": "p-lee", "name": "Lee Chen", "reportsTo": "p-dana"},  # unchanged
                ],
                "influences": [
                    {"from": "p-new", "to": "p-cfo", "strength": 0.7},  # a new endpoint
                    {"from": "p-lee", "to": "p-dana", "strength": 0.55},  # stored, changed
                    {"from": "p-ivan", "to": "p-lee", "strength": 0.3},  # stored, unchanged
                ],
                "conflicts": [{"from": "p-new", "to": "p-ivan", "strength": 0.2}],
            }
        ]
    }
    summary = await import_document(database, who, small)
    assert summary.nodes["Stakeholder"] == ChangeCounts(created=1)
    assert summary.nodes["Account"] == ChangeCounts()
    # WORKS_AT and REPORTS_TO of p-new, its influence and its conflict; one strength
    assert summary.relationships == ChangeCounts(created=4, updated=1)
    record = [
        c
        for c in await changes(database, who.tenant_id)
        if c["action"] == "IMPORT" and c["entityKind"] == "Account"
    ][-1]
    assert record["entityId"] == first.accounts[0].id
    new_value = json.loads(record["newValue"])
    assert (new_value["created"], new_value["updated"], new_value["deleted"]) == (5, 1, 0)

    exported = unstamped(await export_document(database, who, account_external_id="acct-acme"))
    account = exported["accounts"][0]
    people = {s["externalId"]: s for s in account["stakeholders"]}
    assert people["p-new"] == {"externalId": "p-new", "name": "Nia Okafor", "reportsTo": "p-dana"}
    assert {"from": "p-new", "to": "p-cfo", "strength": 0.7} in account["influences"]
    assert {"from": "p-lee", "to": "p-dana", "strength": 0.55} in account["influences"]
    assert {"from": "p-new", "to": "p-ivan", "strength": 0.2} in account["conflicts"]
    before = await dump(database)
    assert not (await import_document(database, who, small)).changed
    assert await dump(database) == before


# Operators whose work grows with the label or type, not with the rows: none of the import's
# statements may use one, however empty the store was when it was planned (a plan is cached
# and, inside the import's one transaction, a scan also walks every uncommitted node).
SCANS = {
    "AllNodesScan",
    "NodeByLabelScan",
    "NodeIndexScan",
    "NodeUniqueIndexScan",
    "DirectedRelationshipTypeScan",
    "UndirectedRelationshipTypeScan",
    "DirectedAllRelationshipsScan",
    "UndirectedAllRelationshipsScan",
}


def _operators(plan: Any) -> set[str]:
    found = {str(plan["operatorType"]).split("@")[0]}
    for child in plan.get("children", []):
        found |= _operators(child)
    return found


async def test_import_statements_seek_and_never_buffer(database: Database) -> None:
    statements = [documents.DROP_OTHER_MANAGERS]
    for node in documents.NODE_KINDS.values():
        statements += [node.diff, node.create, node.update]
        if node.parent is not None:
            statements.append(node.link)
    for rel in documents.RELATIONSHIP_KINDS.values():
        statements += [rel.diff, rel.create]
        if rel.kind.props:
            statements.append(rel.update)
    statements += [
        *documents.EXISTING.values(),
        *documents.RESOLVE.values(),
        *documents.ELSEWHERE.values(),
    ]

    async def explain(tx: AsyncManagedTransaction) -> dict[str, set[str]]:
        plans = {}
        for statement in statements:
            result = await tx.run(
                f"EXPLAIN {statement}", rows=[], keys=[], tenantId="t", now="n", actor="a"
            )
            plans[statement] = _operators((await result.consume()).plan)
        return plans

    plans = await database.read(explain)
    assert {s: ops & SCANS for s, ops in plans.items() if ops & SCANS} == {}
    # Deleting what it matches, DROP_OTHER_MANAGERS must buffer (its rows are one per manager)
    buffered = [s for s, ops in plans.items() if "Eager" in ops]
    assert buffered == [documents.DROP_OTHER_MANAGERS]
