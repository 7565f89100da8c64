"""CRM files in and plans out over HTTP: importCrm, the round trip that keeps everything made
by hand in the map, coachingPlanExport, championBrief and the printable brief page."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph_api.cli import seed_tenant
from graph_api.crm.csvfile import decode
from graph_api.db.driver import Database

pytestmark = pytest.mark.neo4j

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crm"

IMPORT = """
mutation Import($source: CrmSource!, $files: [CrmFileInput!]!, $mapping: JSON,
                $dryRun: Boolean) {
  importCrm(source: $source, files: $files, mapping: $mapping, dryRun: $dryRun) {
    __typename
    ... on CrmImportResult {
      source dryRun changed
      counts { kind created updated unchanged departed needsReview skipped }
      review { kind field value message suggestion mappingSection occurrences file line }
      problems { severity kind file line column columnName message }
    }
    ... on UserError { code message }
    ... on InvalidInputError { problems { path message } }
  }
}
"""
PERSON = """
query Person($key: String!) { stakeholder(externalId: $key) {
  id name title
  seats { role stance veto stanceEvidence opportunity { id externalId } }
  influences { strength to { externalId } }
  concerns { weight concern { name } }
  advocacy { strength alternative { name } }
} }
"""


def files(source: str, **replaced: str) -> list[dict[str, str]]:
    found = {
        p.name: decode(p.name, p.read_bytes()) for p in sorted((FIXTURES / source).glob("*.csv"))
    }
    found.update({k.replace("_", "."): v for k, v in replaced.items()})
    return [{"name": name, "content": text} for name, text in found.items()]


def counts(result: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    return {
        c["kind"]: (
            c["created"],
            c["updated"],
            c["unchanged"],
            c["departed"],
            c["needsReview"],
            c["skipped"],
        )
        for c in result["counts"]
    }


async def mutate(gql: Any, key: str, query: str, **variables: Any) -> dict[str, Any]:
    body = await gql(key, query, variables)
    assert "errors" not in body, body
    (value,) = body["data"].values()
    assert not value.get("__typename", "").endswith("Error"), value
    result: dict[str, Any] = value
    return result


async def person(gql: Any, key: str, external_id: str) -> dict[str, Any]:
    body = await gql(key, PERSON, {"key": external_id})
    found: dict[str, Any] = body["data"]["stakeholder"]
    return found


async def test_import_crm_reports_per_kind_and_a_dry_run_writes_nothing(
    gql: Any, make_key: Any
) -> None:
    key = await make_key("crm-http", "editor")
    dry = await mutate(
        gql, key, IMPORT, source="SALESFORCE", files=files("salesforce"), dryRun=True
    )
    assert dry["dryRun"] is True
    assert counts(dry)["Stakeholder"] == (6, 0, 0, 1, 0, 3)
    nothing = await gql(key, '{ account(externalId: "001A000000Acme1IAB") { id } }')
    assert nothing["data"]["account"] is None

    mapping = {
        "roles": {"Procurement Lead": "PROCUREMENT"},
        "stages": {"Technical Validation": "EVALUATION"},
    }
    real = await mutate(
        gql, key, IMPORT, source="SALESFORCE", files=files("salesforce"), mapping=mapping
    )
    assert counts(real)["Seat"] == (6, 0, 0, 0, 0, 2)
    assert real["review"] == []
    assert {
        "severity": "ERROR",
        "kind": "Account",
        "file": "Account.csv",
        "line": 5,
        "column": 2,
        "columnName": "Name",
        "message": "no name; row skipped",
    } in (real["problems"])
    again = await mutate(
        gql, key, IMPORT, source="SALESFORCE", files=files("salesforce"), mapping=mapping
    )
    assert again["changed"] is False


async def test_import_crm_refuses_what_it_cannot_read(gql: Any, make_key: Any) -> None:
    editor = await make_key("crm-http-bad", "editor")
    viewer = await make_key("crm-http-bad", "viewer")
    forbidden = await gql(viewer, IMPORT, {"source": "HUBSPOT", "files": files("hubspot")})
    assert forbidden["data"]["importCrm"]["__typename"] == "ForbiddenError"

    wrong = (
        await gql(
            editor,
            IMPORT,
            {
                "source": "HUBSPOT",
                "files": [{"name": "Contact.csv", "content": "Id\n1\n"}],
            },
        )
    )["data"]["importCrm"]
    assert wrong["__typename"] == "InvalidInputError"
    assert wrong["problems"][0]["path"] == "Contact.csv, line 1"
    assert "not a HubSpot export file" in wrong["problems"][0]["message"]

    mapping = (
        await gql(
            editor,
            IMPORT,
            {
                "source": "HUBSPOT",
                "files": files("hubspot"),
                "mapping": {"roles": {"X": "BOSS"}},
            },
        )
    )["data"]["importCrm"]
    assert mapping["problems"][0]["path"] == 'mapping.roles["X"]'

    too_many = (
        await gql(
            editor,
            IMPORT,
            {
                "source": "HUBSPOT",
                "files": [{"name": f"f{i}.csv", "content": ""} for i in range(11)],
            },
        )
    )["data"]["importCrm"]
    assert too_many["__typename"] == "InvalidInputError"
    assert "at most 10 files" in too_many["problems"][0]["message"]


async def test_the_round_trip_keeps_everything_made_by_hand(gql: Any, make_key: Any) -> None:
    key = await make_key("crm-round-trip", "editor")
    first = await mutate(gql, key, IMPORT, source="HUBSPOT", files=files("hubspot"))
    assert counts(first)["Seat"] == (5, 0, 0, 0, 1, 1)

    mia, jonas, eva = [await person(gql, key, k) for k in ("202", "201", "204")]
    deal = next(
        s["opportunity"]["id"] for s in mia["seats"] if s["opportunity"]["externalId"] == "301"
    )
    assert {s["opportunity"]["externalId"]: s["stance"] for s in mia["seats"]} == {
        "301": "CHAMPION",
        "302": "CHAMPION",
    }  # HubSpot's explicit stance
    assert (
        next(s for s in mia["seats"] if s["opportunity"]["externalId"] == "301")["stanceEvidence"]
        == "HubSpot buying role: Decision Maker, Champion"
    )
    assert [s["stance"] for s in jonas["seats"]] == ["UNKNOWN"]  # never guessed from a role

    # the seller works on the map by hand
    await mutate(
        gql,
        key,
        """mutation($a: ID!, $b: ID!) { createInfluence(input:
        {fromId: $a, toId: $b, strength: 0.8, evidence: "weekly 1:1"}) { __typename } }""",
        a=mia["id"],
        b=jonas["id"],
    )
    await mutate(
        gql,
        key,
        """mutation($s: ID!, $o: ID!) { updateSeat(input: {stakeholderId: $s,
        opportunityId: $o, stance: SUPPORTER, stanceEvidence: "hedged in the demo"})
        { __typename } }""",
        s=mia["id"],
        o=deal,
    )
    await mutate(
        gql,
        key,
        """mutation($s: ID!, $o: ID!) { updateSeat(input: {stakeholderId: $s,
        opportunityId: $o, stance: SKEPTIC, role: APPROVER, veto: true}) { __typename } }""",
        s=jonas["id"],
        o=deal,
    )
    concern = await mutate(
        gql,
        key,
        """mutation { createConcern(input:
        {name: "Budget this year", category: FINANCIAL}) { ... on Concern { id } } }""",
    )
    await mutate(
        gql,
        key,
        """mutation($s: ID!, $c: ID!) { createStakeholderConcern(input:
        {stakeholderId: $s, concernId: $c, weight: 0.9}) { __typename } }""",
        s=jonas["id"],
        c=concern["id"],
    )
    rival = await mutate(
        gql,
        key,
        """mutation($o: ID!) { createAlternative(input:
        {name: "Spreadsheets", kind: STATUS_QUO, opportunityId: $o})
        { ... on Alternative { id } } }""",
        o=deal,
    )
    await mutate(
        gql,
        key,
        """mutation($s: ID!, $x: ID!) { createAdvocacy(input:
        {stakeholderId: $s, alternativeId: $x, strength: 0.6}) { __typename } }""",
        s=eva["id"],
        x=rival["id"],
    )
    hand_made = {k: await person(gql, key, k) for k in ("202", "201", "204")}

    # the CRM changes what it owns, and says Eva now champions us
    contacts = files("hubspot")[1]["content"].replace(
        'Nurse Lead,eva@halden.example,"101;102",END_USER;BLOCKER',
        'Head of Nursing,eva@halden.example,"101;102",END_USER;CHAMPION',
    )
    second = await mutate(
        gql, key, IMPORT, source="HUBSPOT", files=files("hubspot", contacts_csv=contacts)
    )
    assert counts(second)["Stakeholder"][1] == 1  # Eva's title
    assert counts(second)["Seat"][1] == 1  # Eva's stance: the CRM had set it, nobody since
    disagreements = {
        (r["field"], r["value"]) for r in second["review"] if r["mappingSection"] is None
    }
    assert ("stance", "CHAMPION") in disagreements  # Mia: HubSpot says CHAMPION, map SUPPORTER
    assert ("role", "ECONOMIC_BUYER") in disagreements  # Jonas: role changed in the map

    after = {k: await person(gql, key, k) for k in ("202", "201", "204")}
    for k in ("202", "201"):
        assert after[k] == hand_made[k], k  # nothing made by hand is lost
    eva_after = after["204"]
    assert eva_after["title"] == "Head of Nursing"
    assert eva_after["advocacy"] == hand_made["204"]["advocacy"]
    eva_seat = next(s for s in eva_after["seats"] if s["opportunity"]["externalId"] == "301")
    assert eva_seat["stance"] == "CHAMPION"
    jonas_seat = after["201"]["seats"][0]
    assert (jonas_seat["role"], jonas_seat["stance"], jonas_seat["veto"]) == (
        "APPROVER",
        "SKEPTIC",
        True,
    )
    assert after["202"]["influences"] == [{"strength": 0.8, "to": {"externalId": "201"}}]
    assert after["201"]["concerns"] == [{"weight": 0.9, "concern": {"name": "Budget this year"}}]

    third = await mutate(
        gql, key, IMPORT, source="HUBSPOT", files=files("hubspot", contacts_csv=contacts)
    )
    assert third["changed"] is False


EXPORT = """
query Export($id: ID!, $format: PlanExportFormat!) {
  coachingPlanExport(opportunityId: $id, format: $format) { content contentType filename }
}
"""
BRIEF = """
query Brief($id: ID!, $champion: ID!, $format: BriefFormat!) {
  championBrief(opportunityId: $id, championId: $champion, format: $format) {
    content contentType filename }
}
"""


async def _demo(database: Database, gql: Any, key: str) -> tuple[str, str]:
    await seed_tenant(database, "crm-plans")
    body = await gql(
        key,
        """{ opportunity(externalId: "opp-tessaro-lines") { id }
                              stakeholder(externalId: "p-tessaro-stefan") { id } }""",
    )
    return body["data"]["opportunity"]["id"], body["data"]["stakeholder"]["id"]


async def test_plans_out_in_every_format(
    database: Database, gql: Any, make_key: Any, client: httpx.AsyncClient
) -> None:
    viewer = await make_key("crm-plans", "viewer")
    opportunity, stefan = await _demo(database, gql, viewer)
    exports = {}
    for plan_format in ("TEXT", "JSON", "CSV", "MARKDOWN", "SALESFORCE_TASKS", "HUBSPOT_TASKS"):
        body = await gql(viewer, EXPORT, {"id": opportunity, "format": plan_format})
        assert "errors" not in body, body
        exports[plan_format] = body["data"]["coachingPlanExport"]
    assert "Win probability: 0.50 now, 0.63 with the plan" in exports["TEXT"]["content"]
    plays = list(csv.DictReader(io.StringIO(exports["CSV"]["content"])))
    assert [p["champion"] for p in plays] == [
        "Stefan Vogel",
        "Stefan Vogel",
        "Ines Carvalho",
        "Ines Carvalho",
    ]
    tasks = list(csv.DictReader(io.StringIO(exports["SALESFORCE_TASKS"]["content"])))
    assert len(tasks) == 4
    assert tasks[0]["Subject"] == (
        "Coach Stefan Vogel: 'Pays for itself in nine months' for Giulia Ferraro"
    )
    assert exports["HUBSPOT_TASKS"]["contentType"] == "text/csv; charset=utf-8"
    assert exports["MARKDOWN"]["filename"].endswith("-plan.md")

    brief = await gql(viewer, BRIEF, {"id": opportunity, "champion": stefan, "format": "HTML"})
    page = brief["data"]["championBrief"]
    assert page["contentType"] == "text/html; charset=utf-8"
    assert "Pays for itself in nine months" in page["content"]

    served = await client.get(
        f"/briefs/{opportunity}/{stefan}", headers={"Authorization": f"Bearer {viewer}"}
    )
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in served.headers["content-security-policy"]
    assert served.text == page["content"]
    markdown = await client.get(
        f"/briefs/{opportunity}/{stefan}?format=markdown",
        headers={"Authorization": f"Bearer {viewer}"},
    )
    assert markdown.text.startswith("# Champion brief: Stefan Vogel")
    assert (await client.get(f"/briefs/{opportunity}/{stefan}")).status_code == 401
    stranger = await make_key("crm-plans-other", "admin")
    hidden = await client.get(
        f"/briefs/{opportunity}/{stefan}", headers={"Authorization": f"Bearer {stranger}"}
    )
    assert hidden.status_code == 404
    assert "Tessaro" not in hidden.text
    missing = await gql(
        viewer, BRIEF, {"id": opportunity, "champion": "stk_none", "format": "MARKDOWN"}
    )
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
