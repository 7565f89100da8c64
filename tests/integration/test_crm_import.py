"""CRM exports merged into the map, against a real Neo4j: counts, merge rules, re-runs, dry
runs, atomicity, and a round trip in which nothing made by hand in the map is lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from graph_api.crm import read_export
from graph_api.crm.csvfile import decode
from graph_api.crm.records import CrmReport, CrmSource, Severity
from graph_api.db.driver import Database
from graph_api.domain.enums import Role
from graph_api.domain.principal import Principal
from graph_api.repositories import crm as crm_repo
from graph_api.repositories.crm import merge_batch

pytestmark = pytest.mark.neo4j

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crm"
TODAY = date(2026, 6, 1)  # the fixtures' end dates are judged against this day

# The fixtures' ids in their 18-character form.
ACME, NORTHWIND, GLOBEX = "001A000000Acme1IAB", "001A000000NwindIAB", "001A000000GlobxIAB"
CARLA, DANA, LEE = "003A000000CarlaIAB", "003A000000DanaWIAR", "003A000000LeeChIAJ"
IVAN, ZOE, NORA = "003A000000IvanPIAR", "003A000000ZoeMuIAJ", "003A000000NurseIAB"
FLEET, ROBOTS = "006A000000FleetIAB", "006A000000RobotIAB"
OLD_WIN, LOST, HEALTH = "006A000000OldWnIAJ", "006A000000Lost1IAB", "006A000000Hlth1IAB"


def principal(tenant: str) -> Principal:
    return Principal(tenant, Role.EDITOR, f"key-{tenant}")


def export(source: str, **replaced: str) -> dict[str, str]:
    """The fixture export of ``source`` (bytes decoded as the CLI does), with files replaced."""
    files = {
        path.name: decode(path.name, path.read_bytes())
        for path in sorted((FIXTURES / source).glob("*.csv"))
    }
    files.update({name.replace("_", "."): text for name, text in replaced.items()})
    return files


async def run(
    database: Database,
    tenant: str,
    files: dict[str, str],
    source: CrmSource,
    mapping: Any = None,
    dry_run: bool = False,
) -> CrmReport:
    batch = read_export(source, files, mapping, TODAY)
    return await merge_batch(database, principal(tenant), batch, dry_run=dry_run, today=TODAY)


def counts(report: CrmReport) -> dict[str, dict[str, int]]:
    return {kind: dict(vars(c)) for kind, c in report.counts.items()}


async def query(database: Database, cypher: str, **params: Any) -> list[dict[str, Any]]:
    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        result = await tx.run(cypher, params)
        return [dict(r) async for r in result]

    return await database.read(work)


async def dump(database: Database, tenant: str) -> list[str]:
    """Every node and relationship of the tenant (audit records included), as sorted JSON."""
    rows = await query(
        database,
        "MATCH (n {tenantId: $t}) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN labels(n) AS labels, properties(n) AS props, type(r) AS type, "
        "properties(r) AS rel, m.id AS target",
        t=tenant,
    )
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


async def node(database: Database, tenant: str, label: str, key: str) -> dict[str, Any]:
    rows = await query(
        database,
        f"MATCH (n:{label} {{tenantId: $t, externalId: $k}}) RETURN properties(n) AS p",
        t=tenant,
        k=key,
    )
    assert rows, f"{label} {key} is not stored"
    return dict(rows[0]["p"])


async def seats(database: Database, tenant: str) -> dict[tuple[str, str], dict[str, Any]]:
    rows = await query(
        database,
        "MATCH (s:Stakeholder {tenantId: $t})-[r:SITS_ON]->(o:Opportunity) "
        "RETURN s.externalId AS s, o.externalId AS o, properties(r) AS p",
        t=tenant,
    )
    return {(r["s"], r["o"]): dict(r["p"]) for r in rows}


async def managers(database: Database, tenant: str) -> dict[str, str]:
    rows = await query(
        database,
        "MATCH (s:Stakeholder {tenantId: $t})-[:REPORTS_TO]->(m) "
        "RETURN s.externalId AS s, m.externalId AS m",
        t=tenant,
    )
    return {r["s"]: r["m"] for r in rows}


def problem_at(report: CrmReport, file: str, line: int) -> list[str]:
    return [
        f"{p.severity.value} col {p.location.column}: {p.message}"
        for p in report.problems
        if p.location.file == file and p.location.line == line
    ]


async def test_a_salesforce_export_lands_with_every_messy_row_reported(
    database: Database,
) -> None:
    report = await run(database, "sf-first", export("salesforce"), CrmSource.SALESFORCE)

    assert counts(report) == {
        "Account": {
            "created": 3,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 0,
            "skipped": 2,
        },
        "Stakeholder": {
            "created": 6,
            "updated": 0,
            "unchanged": 0,
            "departed": 1,
            "review": 0,
            "skipped": 3,
        },
        "ReportingLine": {
            "created": 2,
            "updated": 0,
            "unchanged": 2,
            "departed": 0,
            "review": 0,
            "skipped": 2,
        },
        "Opportunity": {
            "created": 5,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 1,
            "skipped": 0,
        },
        "Seat": {
            "created": 5,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 1,
            "skipped": 2,
        },
    }
    # the messy rows, each with its file, line and column
    assert problem_at(report, "Account.csv", 4) == [
        f"ERROR col 1: the same record as line 2 ({ACME}; a 15- and an 18-character Id name"
        " one record); row skipped"
    ]
    assert problem_at(report, "Account.csv", 5) == ["ERROR col 2: no name; row skipped"]
    assert problem_at(report, "Account.csv", 6) == [
        "WARNING col 4: not a number: 'lots'; employees left as it was"
    ]
    assert problem_at(report, "Contact.csv", 6) == [  # after a title spanning two lines
        "ERROR col 8: the manager 003A000000BossyIAB is not in the map, and this run did not"
        " import them (not in the export, or skipped); the reporting line is left as it was"
    ]
    assert problem_at(report, "Contact.csv", 7)[0].startswith("WARNING col 8: the contact")
    assert "private contact" in problem_at(report, "Contact.csv", 8)[0]
    assert "not a Salesforce Id" in problem_at(report, "Contact.csv", 10)[0]
    assert (
        "its account 001A000000UnkwnIAB is in neither" in problem_at(report, "Contact.csv", 11)[0]
    )
    assert problem_at(report, "Opportunity.csv", 5) == [
        "WARNING col 5: not a number: 'n/a'; amount left as it was",
        "WARNING col 7: not a date: '31/03/2025'; expected YYYY-MM-DD (a mapping file's"
        " dateFormat reads other formats); closeDate left as it was",
    ]
    several = problem_at(report, "OpportunityContactRole.csv", 3)
    assert several == [
        f"WARNING col 4: contact {DANA} on opportunity {FLEET} has several roles: 'Executive"
        " Sponsor' (APPROVER, line 4) outranks 'Influencer' (INFLUENCER), which is not used"
    ]
    assert "works at account" in problem_at(report, "OpportunityContactRole.csv", 8)[0]
    assert (
        "contact 003A000000ZzzzzIAB is in neither"
        in problem_at(report, "OpportunityContactRole.csv", 10)[0]
    )
    review = {(r.field, r.value): (r.suggestion, r.first.line) for r in report.review}
    assert review == {
        ("stage", "Technical Validation"): ("EVALUATION", 3),
        ("role", "Procurement Lead"): ("PROCUREMENT", 5),
    }

    # what landed
    dana = await node(database, "sf-first", "Stakeholder", DANA)
    assert dana["name"] == "Dana Whitfield"
    assert dana["title"] == "VP, Operations"
    lee = await node(database, "sf-first", "Stakeholder", LEE)
    assert lee["title"] == "Head of\nProcurement"
    zoe = await node(database, "sf-first", "Stakeholder", ZOE)
    assert (zoe["name"], zoe["title"]) == ("Zoë Müller-Łukasiewicz", 'Engineer "Platform"')
    assert (await node(database, "sf-first", "Stakeholder", IVAN))["leftAt"] == "2025-12-31"
    assert "leftAt" not in await node(database, "sf-first", "Stakeholder", LEE)
    acme = await node(database, "sf-first", "Account", ACME)
    assert (acme["name"], acme["employees"]) == ("Acme Logistics, Inc.", 5400)
    assert "employees" not in await node(database, "sf-first", "Account", GLOBEX)
    assert await managers(database, "sf-first") == {DANA: CARLA, LEE: DANA}
    fleet = await node(database, "sf-first", "Opportunity", FLEET)
    assert (fleet["stage"], fleet["amount"], fleet["currency"], fleet["closeDate"]) == (
        "PROPOSAL",
        480000.0,
        "USD",
        "2027-03-31",
    )
    assert fleet.get("outcome") is None
    assert "stage" not in await node(database, "sf-first", "Opportunity", ROBOTS)
    won = await node(database, "sf-first", "Opportunity", OLD_WIN)
    assert (won["outcome"], won["closedAt"]) == ("WON", "2024-06-30")
    lost = await node(database, "sf-first", "Opportunity", LOST)
    assert lost["outcome"] == "LOST"
    assert "closedAt" not in lost  # its close date could not be read
    committee = await seats(database, "sf-first")
    assert {k: (v["role"], v["stance"]) for k, v in committee.items()} == {
        (CARLA, FLEET): ("ECONOMIC_BUYER", "UNKNOWN"),
        (DANA, FLEET): ("APPROVER", "UNKNOWN"),
        (IVAN, FLEET): ("INFLUENCER", "UNKNOWN"),  # a row without a role: blankRole
        (LEE, ROBOTS): ("TECHNICAL_EVALUATOR", "UNKNOWN"),
        (NORA, HEALTH): ("DECISION_MAKER", "UNKNOWN"),
    }


async def test_re_running_the_same_files_changes_nothing(database: Database) -> None:
    files = export("salesforce")
    await run(database, "sf-again", files, CrmSource.SALESFORCE)
    before = await dump(database, "sf-again")
    again = await run(database, "sf-again", files, CrmSource.SALESFORCE)
    assert await dump(database, "sf-again") == before  # no property, no updatedAt, no audit
    assert not again.changed
    for kind, c in again.counts.items():
        assert (c.created, c.updated, c.departed) == (0, 0, 0), kind
    assert again.counts["Stakeholder"].unchanged == 6
    assert again.counts["Seat"].unchanged == 5
    assert again.counts["ReportingLine"].unchanged == 4


async def test_a_dry_run_reports_the_same_and_writes_nothing(database: Database) -> None:
    files = export("salesforce")
    dry = await run(database, "sf-dry", files, CrmSource.SALESFORCE, dry_run=True)
    assert dry.dry_run
    assert await dump(database, "sf-dry") == []
    real = await run(database, "sf-dry", files, CrmSource.SALESFORCE)
    assert counts(dry) == counts(real)
    assert [str(p) for p in dry.problems] == [str(p) for p in real.problems]
    # and a dry run over a stored map reports its changes without making them
    changed = export("salesforce")["Contact.csv"].replace("Chief Financial Officer", "CFO")
    stored = await dump(database, "sf-dry")
    dry_update = await run(
        database,
        "sf-dry",
        export("salesforce", Contact_csv=changed),
        CrmSource.SALESFORCE,
        dry_run=True,
    )
    assert dry_update.counts["Stakeholder"].updated == 1
    assert await dump(database, "sf-dry") == stored


async def test_a_mapping_file_brings_custom_values_into_the_map(database: Database) -> None:
    mapping = {
        "roles": {"Procurement Lead": "PROCUREMENT"},
        "stages": {"technical validation": "EVALUATION"},
    }
    await run(database, "sf-mapped", export("salesforce"), CrmSource.SALESFORCE)
    report = await run(database, "sf-mapped", export("salesforce"), CrmSource.SALESFORCE, mapping)
    assert report.review == []
    assert report.counts["Seat"].created == 1
    assert report.counts["Opportunity"].updated == 1
    assert (await seats(database, "sf-mapped"))[LEE, FLEET]["role"] == "PROCUREMENT"
    assert (await node(database, "sf-mapped", "Opportunity", ROBOTS))["stage"] == "EVALUATION"


async def test_crm_owned_fields_follow_the_crm_and_are_audited(database: Database) -> None:
    await run(database, "sf-owned", export("salesforce"), CrmSource.SALESFORCE)
    contacts = (
        export("salesforce")["Contact.csv"]
        .replace("Chief Financial Officer,Finance,carla.ortiz@", "Group CFO,Finance,carla@")
        .replace(",003A000000CarlaIAB\n", ",\n")  # Dana no longer reports to anyone
        .replace(",003A000000DanaW\n", ",003A000000CarlaIAB\n")  # Lee now reports to Carla
    )
    deals = (
        export("salesforce")["Opportunity.csv"]
        .replace(
            "Proposal/Price Quote,480000,USD,2027-03-31,false,false",
            "Closed Won,510000,USD,2026-05-20,true,true",
        )
        .replace(
            "Pilot 2024,Closed Won,50000,USD,2024-06-30,true,true",
            "Pilot 2024,Negotiation/Review,50000,USD,2024-06-30,false,false",
        )
    )
    report = await run(
        database,
        "sf-owned",
        export("salesforce", Contact_csv=contacts, Opportunity_csv=deals),
        CrmSource.SALESFORCE,
    )
    assert report.counts["Stakeholder"].updated == 1
    assert report.counts["Opportunity"].updated == 2
    assert report.counts["ReportingLine"].updated == 2
    carla = await node(database, "sf-owned", "Stakeholder", CARLA)
    assert (carla["title"], carla["email"]) == ("Group CFO", "carla@acme.example")
    assert carla["updatedBy"] == "key-sf-owned"
    assert await managers(database, "sf-owned") == {LEE: CARLA}
    fleet = await node(database, "sf-owned", "Opportunity", FLEET)
    assert (fleet["stage"], fleet["amount"], fleet["outcome"], fleet["closedAt"]) == (
        "CLOSED_WON",
        510000.0,
        "WON",
        "2026-05-20",
    )
    reopened = await node(database, "sf-owned", "Opportunity", OLD_WIN)
    assert (reopened["stage"], reopened.get("outcome"), reopened.get("closedAt")) == (
        "NEGOTIATION",
        None,
        None,
    )
    changes = await query(
        database,
        "MATCH (c:Change {tenantId: $t, action: 'UPDATE'}) "
        "RETURN c.entityKind AS kind, c.field AS field, c.oldValue AS old, c.newValue AS new, "
        "c.actor AS actor, c.reason AS reason",
        t="sf-owned",
    )
    by_field = {(c["kind"], c["field"], c["old"], c["new"]) for c in changes}
    assert ("Stakeholder", "title", '"Chief Financial Officer"', '"Group CFO"') in by_field
    assert ("Stakeholder", "reportsTo", f'"{CARLA}"', None) in by_field
    assert ("Stakeholder", "reportsTo", f'"{DANA}"', f'"{CARLA}"') in by_field
    assert ("Opportunity", "outcome", None, '"WON"') in by_field
    assert {c["actor"] for c in changes} == {"key-sf-owned"}
    assert {c["reason"] for c in changes} == {"Salesforce import"}


async def test_a_failure_mid_run_leaves_nothing_behind(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit could not be written")

    monkeypatch.setattr(crm_repo, "record_changes", broken)
    with pytest.raises(RuntimeError, match="audit"):
        await run(database, "sf-atomic", export("salesforce"), CrmSource.SALESFORCE)
    assert await dump(database, "sf-atomic") == []


async def test_tenants_do_not_share_crm_records(database: Database) -> None:
    files = export("salesforce")
    await run(database, "sf-tenant-a", files, CrmSource.SALESFORCE)
    other = await run(database, "sf-tenant-b", files, CrmSource.SALESFORCE)
    assert other.counts["Stakeholder"].created == 6  # the same CRM ids, another tenant
    a = await node(database, "sf-tenant-a", "Stakeholder", DANA)
    b = await node(database, "sf-tenant-b", "Stakeholder", DANA)
    assert a["id"] != b["id"]


async def test_a_contact_that_moved_account_is_marked_departed_not_moved(
    database: Database,
) -> None:
    await run(database, "sf-moved", export("salesforce"), CrmSource.SALESFORCE)
    moved = export("salesforce")["Contact.csv"].replace(
        "003A000000CarlaIAB,001A000000Acme1IAB", "003A000000CarlaIAB,001A000000NwindIAB"
    )
    report = await run(
        database, "sf-moved", export("salesforce", Contact_csv=moved), CrmSource.SALESFORCE
    )
    carla = await node(database, "sf-moved", "Stakeholder", CARLA)
    assert carla["leftAt"] == TODAY.isoformat()
    assert report.counts["Stakeholder"].departed == 1
    assert report.counts["Stakeholder"].review == 1
    assert any(
        p.severity is Severity.WARNING and "marked as departed" in p.message
        for p in report.problems
    )
    rows = await query(
        database,
        "MATCH (:Stakeholder {tenantId: $t, externalId: $k})-[:WORKS_AT]->(a) "
        "RETURN a.externalId AS a",
        t="sf-moved",
        k=CARLA,
    )
    assert rows == [{"a": ACME}]


async def test_a_hubspot_export_and_its_rerun(database: Database) -> None:
    files = export("hubspot")
    report = await run(database, "hs-first", files, CrmSource.HUBSPOT)
    assert counts(report) == {
        "Account": {
            "created": 3,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 0,
            "skipped": 0,
        },
        "Stakeholder": {
            "created": 5,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 0,
            "skipped": 1,
        },
        "ReportingLine": {
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 0,
            "skipped": 0,
        },
        "Opportunity": {
            "created": 3,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 1,
            "skipped": 0,
        },
        "Seat": {
            "created": 5,
            "updated": 0,
            "unchanged": 0,
            "departed": 0,
            "review": 1,
            "skipped": 1,
        },
    }
    committee = await seats(database, "hs-first")
    mia = committee["202", "301"]
    assert (mia["role"], mia["stance"], mia["crmStance"]) == (
        "DECISION_MAKER",
        "CHAMPION",
        "CHAMPION",
    )
    assert committee["204", "301"]["stance"] == "BLOCKER"
    assert committee["201", "301"]["stance"] == "UNKNOWN"
    imports = await query(
        database,
        "MATCH (c:Change {tenantId: $t, action: 'IMPORT'}) RETURN c.newValue AS v",
        t="hs-first",
    )
    summaries = sorted((json.loads(r["v"]) for r in imports), key=len)  # one per account
    assert summaries == [
        {"source": "HUBSPOT", "Account created": 1},
        {"source": "HUBSPOT", "Account created": 1},
        {
            "source": "HUBSPOT",
            "Account created": 1,
            "Opportunity created": 3,
            "Seat created": 5,
            "Stakeholder created": 5,
        },
    ]
    before = await dump(database, "hs-first")
    again = await run(database, "hs-first", files, CrmSource.HUBSPOT)
    assert not again.changed
    assert await dump(database, "hs-first") == before
