"""The Salesforce and HubSpot adapters, pure: fixture exports and small inline ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph_api.crm import read_export
from graph_api.crm.csvfile import decode
from graph_api.crm.records import CrmBatch, CrmFilesRefused, CrmSource, Severity
from graph_api.domain.enums import CommitteeRole, Stance

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "crm"
TODAY = date(2026, 6, 1)
SF, HS = CrmSource.SALESFORCE, CrmSource.HUBSPOT
R = CommitteeRole


def fixture(source: str) -> dict[str, str]:
    return {
        p.name: decode(p.name, p.read_bytes()) for p in sorted((FIXTURES / source).glob("*.csv"))
    }


def sf(mapping: Any = None, **files: str) -> CrmBatch:
    return read_export(SF, {k.replace("_", "."): v for k, v in files.items()}, mapping, TODAY)


def messages(batch: CrmBatch) -> list[str]:
    return [f"{p.severity.value} {p}" for p in batch.problems]


def test_the_salesforce_fixture() -> None:
    batch = read_export(SF, fixture("salesforce"), None, TODAY)
    assert [a.external_id for a in batch.accounts] == [
        "001A000000Acme1IAB",
        "001A000000NwindIAB",
        "001A000000GlobxIAB",
    ]
    assert len(batch.stakeholders) == 7  # Ghost's account is checked against the map later
    assert batch.skipped == {"Account": 2, "Stakeholder": 2}
    seats = {
        (s.stakeholder[10:15], s.opportunity[10:15]): (s.role, s.stance, s.words)
        for s in batch.seats
    }
    assert seats[("DanaW", "Fleet")] == (
        R.APPROVER,
        None,
        "Salesforce contact role: Executive Sponsor",
    )
    assert seats[("IvanP", "Fleet")][0] is R.INFLUENCER
    assert ("LeeCh", "Fleet") not in seats  # Procurement Lead is unmapped
    assert batch.held == {"Seat": 1, "Opportunity": 1}
    assert [(d.stakeholder, d.left_at) for d in batch.departures] == [
        ("003A000000IvanPIAR", "2025-12-31"),
        ("003A000000DanaWIAR", "2022-01-01"),  # another account: the merge ignores it
    ]
    assert batch.rows["Contact.csv"] == 9


@pytest.mark.parametrize(
    ("columns", "row", "outcome", "closed_at"),
    [
        ("StageName,IsClosed,IsWon", "Closed Won,true,true", "WON", "2026-03-01"),
        ("StageName,IsClosed,IsWon", "Closed Lost,true,false", "LOST", "2026-03-01"),
        ("StageName,IsClosed,IsWon", "Negotiation/Review,false,false", None, None),
        ("StageName,IsClosed,IsWon", "Lost to a rival,true,false", "LOST", "2026-03-01"),
        ("StageName,IsClosed,IsWon", "Lost to a rival,true,", "absent", "absent"),
        ("StageName", "Closed Won", "WON", "2026-03-01"),
        ("StageName", "Prospecting", None, None),
        ("StageName", "Lost to a rival", "absent", "absent"),
        (
            "StageName,IsClosed,IsWon",
            "Closed - No Decision,true,false",
            "NO_DECISION",
            "2026-03-01",
        ),
    ],
)
def test_outcomes(columns: str, row: str, outcome: str | None, closed_at: str | None) -> None:
    mapping = {"stages": {"Closed - No Decision": "CLOSED_NO_DECISION"}}
    batch = sf(
        mapping,
        Opportunity_csv=f"Id,AccountId,Name,CloseDate,{columns}\n"
        f"006A000000Fleet,001A000000Acme1,Fleet,2026-03-01,{row}\n",
    )
    (deal,) = batch.opportunities
    assert deal.props.get("outcome", "absent") == outcome
    assert deal.props.get("closedAt", "absent") == closed_at


def test_files_that_are_not_the_export_are_refused_all_at_once() -> None:
    with pytest.raises(CrmFilesRefused) as refused:
        sf(Leads_csv="Id\n1\n", Contact_csv="Id,FirstName\n1,a\n", Account_csv="Id,Name,Name\n")
    assert [str(p) for p in refused.value.problems] == [
        "Leads.csv, line 1: not a Salesforce export file this import reads (expected"
        " Account.csv, Contact.csv, Opportunity.csv, OpportunityContactRole.csv,"
        " AccountContactRelation.csv)",
        "Account.csv, line 1, column 3 (Name): the column is named twice (also column 2,"
        " 'Name'); which one holds the data is not known",
        "Contact.csv, line 1: no 'AccountId' column (the header has 'Id', 'FirstName')",
        "Contact.csv, line 1: no 'LastName' or 'Name' column (the header has 'Id', 'FirstName')",
    ]


def test_custom_stance_values_and_several_roles_on_one_deal() -> None:
    roles = (
        "OpportunityId,ContactId,Role\n"
        "006A000000Fleet,003A000000DanaW,Champion\n"
        "006A000000Fleet,003A000000DanaW,Decision Maker\n"
        "006A000000Fleet,003A000000LeeCh,Champion\n"
        "006A000000Fleet,003A000000IvanP,Champion\n"
        "006A000000Fleet,003A000000IvanP,Detractor\n"
        "006A000000Fleet,003A000000Carla,Economic Buyer\n"
        "006A000000Fleet,003A000000Carla,Business User\n"
    )
    mapping = {
        "roles": {"Champion": {"stance": "CHAMPION"}, "Detractor": {"stance": "SKEPTIC"}},
        "rolePrecedence": ["USER_BUYER"],
    }
    batch = sf(mapping, OpportunityContactRole_csv=roles)
    seats = {s.stakeholder[10:15]: (s.role, s.stance, s.words) for s in batch.seats}
    assert seats["DanaW"] == (
        R.DECISION_MAKER,
        Stance.CHAMPION,
        "Salesforce contact role: Decision Maker, Champion",
    )
    assert seats["LeeCh"] == (
        R.INFLUENCER,
        Stance.CHAMPION,
        "Salesforce contact role: Champion",
    )  # blankRole
    assert seats["IvanP"][1] is None  # contradictory stances: none applied
    assert seats["Carla"][0] is R.USER_BUYER  # the mapping's precedence
    assert any("contradictory stances (CHAMPION, SKEPTIC)" in m for m in messages(batch))
    assert any(
        "'Business User' (USER_BUYER, line 8) outranks 'Economic Buyer'" in m
        for m in messages(batch)
    )


def test_a_date_format_reads_report_exports() -> None:
    text = "Id,AccountId,Name,CloseDate\n006A000000Fleet,001A000000Acme1,Fleet,31/03/2027\n"
    assert sf(Opportunity_csv=text).opportunities[0].props.get("closeDate", "absent") == "absent"
    batch = sf({"dateFormat": "%d/%m/%Y"}, Opportunity_csv=text)
    assert batch.opportunities[0].props["closeDate"] == "2027-03-31"


def test_blank_cells_clear_and_missing_columns_keep() -> None:
    batch = sf(Contact_csv="Id,AccountId,LastName,Title\n003A000000DanaW,001A000000Acme1,W,\n")
    assert batch.stakeholders[0].props == {"name": "W", "title": None}  # no Email column


def test_the_hubspot_fixture() -> None:
    batch = read_export(HS, fixture("hubspot"), None, TODAY)
    assert {a.external_id: a.props["name"] for a in batch.accounts} == {
        "101": "Halden Clinics",
        "102": "tinyco.example",
        "103": "Orphan Co",
    }
    people = {s.external_id: (s.account, s.props["name"]) for s in batch.stakeholders}
    assert people == {
        "201": ("101", "Jonas Berg"),
        "202": ("101", "Mia Lund"),
        "203": ("101", "Ola Nord"),
        "204": ("101", "Eva Dahl"),
        "205": ("101", "noname@halden.example"),
    }
    seats = {(s.stakeholder, s.opportunity): (s.role, s.stance) for s in batch.seats}
    assert seats == {
        ("201", "301"): (R.ECONOMIC_BUYER, None),
        ("202", "301"): (R.DECISION_MAKER, Stance.CHAMPION),
        ("204", "301"): (R.USER_BUYER, Stance.BLOCKER),
        ("205", "301"): (R.INFLUENCER, None),  # associated, no buying role: blankRole
        ("202", "302"): (R.DECISION_MAKER, Stance.CHAMPION),
    }
    assert batch.held == {"Seat": 1, "Opportunity": 1}
    assert {(r.field, r.value, r.suggestion) for r in batch.review} == {
        ("role", "Procurement Gatekeeper", "PROCUREMENT"),
        ("stage", "Custom Stage X", None),
    }
    deals = {d.external_id: d.props for d in batch.opportunities}
    assert deals["302"]["outcome"] == "WON"
    assert deals["302"]["closedAt"] == "2024-05-31"
    assert deals["301"]["stage"] == "DISCOVERY"
    assert deals["301"]["outcome"] is None
    text = messages(batch)
    assert (
        "ERROR contacts.csv, line 7, column 6 (Associated Company IDs): no associated"
        " company: a contact outside any company has no place in the map; row skipped" in text
    )
    assert any("associated with 2 companies (101, 102)" in m for m in text)
    assert any(
        "contact 209 is associated with the deal but is not in contacts.csv" in m
        and m.startswith("ERROR")
        for m in text
    )
    assert [p.severity for p in batch.problems].count(Severity.ERROR) == 2
