"""importDocument and exportDocument through HTTP with real keys."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

DOCUMENT: dict[str, Any] = {
    "playbook": {
        "concerns": [
            {"externalId": "c-downtime", "name": "Operational downtime", "category": "RISK"}
        ],
        "arguments": [
            {
                "externalId": "a-outages",
                "title": "No more 3 a.m. outages",
                "kind": "GERMAN_SHEPHERD",
                "talkTrack": "Say \"never again\" — \\o/ 'quoted'",
                "proofPoints": ["MTTR -60%"],
                "addresses": [{"concern": "c-downtime", "fit": 0.7}],
            }
        ],
    },
    "accounts": [
        {
            "externalId": "acct-acme",
            "name": "Acme Logistics",
            "industry": "Logistics",
            "stakeholders": [
                {
                    "externalId": "p-cfo",
                    "name": "Chris Novak",
                    "title": "CFO",
                    "concerns": [{"concern": "c-downtime", "weight": 0.9}],
                },
                {
                    "externalId": "p-dana",
                    "name": "Dana Whitfield",
                    "title": "VP Operations",
                    "reportsTo": "p-cfo",
                    "coachedOn": [{"argument": "a-outages", "readiness": 0.4}],
                },
            ],
            "influences": [{"from": "p-dana", "to": "p-cfo", "strength": 0.8}],
            "opportunities": [
                {
                    "externalId": "opp-fleet",
                    "name": "Fleet telematics",
                    "decisionRule": "UNANIMOUS",
                    "alternatives": [{"externalId": "alt-us", "name": "Ours", "kind": "OURS"}],
                    "committee": [
                        {
                            "stakeholder": "p-cfo",
                            "role": "ECONOMIC_BUYER",
                            "stance": "NEUTRAL",
                            "veto": True,
                        },
                        {"stakeholder": "p-dana", "role": "INFLUENCER", "stance": "CHAMPION"},
                    ],
                    "advocacy": [
                        {"stakeholder": "p-dana", "alternative": "alt-us", "strength": 0.9}
                    ],
                }
            ],
        }
    ],
}
IMPORT = """
mutation Import($doc: JSON!, $mode: ImportMode) {
  importDocument(document: $doc, mode: $mode) {
    __typename
    ... on ImportResult { changed accounts { id externalId created } }
    ... on UserError { code message }
    ... on InvalidInputError { problems { path message } }
  }
}
"""
COUNT = "{ accounts(first: 100) { totalCount } }"


async def test_editor_imports_and_exports_the_same_document(
    gql: Any, make_key: Any, tenant: str
) -> None:
    editor = await make_key(tenant, "editor")
    written_on = {dt.datetime.now(dt.UTC).date().isoformat()}
    first = (await gql(editor, IMPORT, {"doc": DOCUMENT}))["data"]["importDocument"]
    written_on.add(dt.datetime.now(dt.UTC).date().isoformat())  # midnight may pass meanwhile
    assert first["__typename"] == "ImportResult"
    assert first["changed"] is True
    again = (await gql(editor, IMPORT, {"doc": DOCUMENT}))["data"]["importDocument"]
    assert again["changed"] is False
    account_id = first["accounts"][0]["id"]
    exported = (
        await gql(
            editor, "query E($id: ID!) { exportDocument(accountId: $id) }", {"id": account_id}
        )
    )["data"]["exportDocument"]
    assert exported["accounts"][0]["stakeholders"][1]["externalId"] in {"p-cfo", "p-dana"}
    argument = exported["playbook"]["arguments"][0]
    assert argument["talkTrack"] == DOCUMENT["playbook"]["arguments"][0]["talkTrack"]
    # the influence as sent, dated the day it was written (the document gave no verifiedAt)
    (influence,) = exported["accounts"][0]["influences"]
    assert influence.pop("verifiedAt") in written_on
    assert [influence] == DOCUMENT["accounts"][0]["influences"]


async def test_bad_document_lists_every_problem_and_writes_nothing(
    gql: Any, make_key: Any, tenant: str
) -> None:
    editor = await make_key(tenant, "editor")
    before = (await gql(editor, COUNT))["data"]["accounts"]["totalCount"]
    bad = copy.deepcopy(DOCUMENT)
    bad["accounts"][0]["externalId"] = "acct-new"
    bad["accounts"][0]["influences"][0]["strength"] = 2
    bad["accounts"][0]["stakeholders"][1]["reportsTo"] = "p-nobody"
    bad["accounts"][0]["opportunities"][0]["decisionRule"] = "COIN_TOSS"
    bad["accounts"][0]["stakeholders"][0]["concerns"][0]["concern"] = "c-nowhere"
    result = (await gql(editor, IMPORT, {"doc": bad}))["data"]["importDocument"]
    assert result["__typename"] == "InvalidInputError"
    paths = {p["path"] for p in result["problems"]}
    assert "$.accounts[0].influences[0].strength" in paths
    assert "$.accounts[0].stakeholders[1].reportsTo" in paths
    assert "$.accounts[0].opportunities[0].decisionRule" in paths
    # a reference only the store can settle is checked there too, in the same answer
    assert "$.accounts[0].stakeholders[0].concerns[0].concern" in paths
    assert (await gql(editor, COUNT))["data"]["accounts"]["totalCount"] == before


async def test_viewer_cannot_import(gql: Any, make_key: Any, tenant: str) -> None:
    viewer = await make_key(tenant, "viewer")
    other = copy.deepcopy(DOCUMENT)
    other["accounts"][0]["externalId"] = "acct-viewer"
    result = (await gql(viewer, IMPORT, {"doc": other}))["data"]["importDocument"]
    assert result["__typename"] == "ForbiddenError"
    found = await gql(viewer, '{ account(externalId: "acct-viewer") { id } }')
    assert found["data"]["account"] is None


async def test_export_of_another_tenants_account_is_not_found(
    gql: Any, make_key: Any, tenant: str
) -> None:
    editor = await make_key(tenant, "editor")
    await gql(editor, IMPORT, {"doc": DOCUMENT})
    account = (await gql(editor, '{ account(externalId: "acct-acme") { id } }'))["data"]
    stranger = await make_key(f"{tenant}-other", "admin")
    body = await gql(
        stranger,
        "query E($id: ID!) { exportDocument(accountId: $id) }",
        {"id": account["account"]["id"]},
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
