"""Plans out: the renderers over a small map, computed by the real engine."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from graph_api import coaching, engine
from graph_api.coaching import Plan, coaching_options, to_engine_subgraph
from graph_api.crm.out import (
    PlanFormat,
    brief_html,
    brief_markdown,
    champion_brief,
    hubspot_tasks_csv,
    plan_csv,
    plan_markdown,
    render_plan,
    salesforce_tasks_csv,
    spreadsheet_safe,
)
from graph_api.domain import kinds
from graph_api.plan_report import PlanReport
from graph_api.repositories.subgraph import AccountMap, PlaybookArgument

TODAY = date(2026, 6, 1)
DANA_SF, CARLA_SF, FLEET_SF = "003A000000DanaWIAR", "003A000000CarlaIAB", "006A000000FleetIAB"
TITLE = "=SUM(A1) <script>alert(1)</script> | *now*"


def person(id_: str, external: str, name: str, title: str) -> kinds.Stakeholder:
    return kinds.Stakeholder.from_stored(
        {
            "id": id_,
            "externalId": external,
            "name": name,
            "title": title,
            "email": f"{id_}@acme.example",
        }
    )


def edge(record: type[Any], source: str, target: str, **props: Any) -> Any:
    return record.from_stored(props, source_id=source, target_id=target)


def plan_report(dana_key: str = DANA_SF, close: str = "2026-06-05") -> PlanReport:
    account_map = AccountMap(
        account=kinds.Account.from_stored(
            {
                "id": "acc",
                "externalId": "001A000000Acme1IAB",
                "name": "Acme",
                "industry": "Logistics",
            }
        ),
        opportunity=kinds.Opportunity.from_stored(
            {
                "id": "opp",
                "externalId": FLEET_SF,
                "name": "Fleet | telematics",
                "decisionRule": "ECONOMIC_BUYER",
                "closeDate": close,
            }
        ),
        people=[
            person("dana", dana_key, "Dana Whitfield", "VP Operations"),
            person("matteo", "p-matteo", "Matteo Ricci", "CEO"),
            person("carla", CARLA_SF, "Carla Ortiz", "CFO"),
            person("ivan", "p-ivan", "Ivan Petrov", "IT Director"),
        ],
        reports_to=[],
        influences=[
            edge(kinds.Influence, "dana", "matteo", strength=0.8),
            edge(kinds.Influence, "matteo", "carla", strength=0.9),
            edge(kinds.Influence, "ivan", "carla", strength=0.7),
        ],
        conflicts=[],
        seats=[
            edge(kinds.Seat, "dana", "opp", role="INFLUENCER", stance="CHAMPION"),
            edge(kinds.Seat, "carla", "opp", role="ECONOMIC_BUYER", stance="NEUTRAL"),
            edge(kinds.Seat, "ivan", "opp", role="INFLUENCER", stance="SKEPTIC"),
        ],
        alternatives=[
            kinds.Alternative.from_stored(
                {"id": "rival", "name": "Rival Corp", "kind": "COMPETITOR"}
            )
        ],
        advocacy=[edge(kinds.Advocacy, "ivan", "rival", strength=0.8)],
        cares_about=[edge(kinds.StakeholderConcern, "carla", "cost", weight=1.0)],
        concerns=[
            kinds.Concern.from_stored({"id": "cost", "name": "Total cost", "category": "FINANCIAL"})
        ],
        arguments=[
            PlaybookArgument(
                kinds.Argument.from_stored(
                    {
                        "id": "roi",
                        "externalId": "a-roi",
                        "title": TITLE,
                        "kind": "ROI",
                        "talkTrack": "Say <b>this</b>\nthen that",
                        "proofPoints": ["TEI: 312%"],
                    }
                ),
                [edge(kinds.ArgumentFit, "roi", "cost", fit=0.9)],
                frozenset(),
            )
        ],
        coached_on=[edge(kinds.Coaching, "dana", "roi", readiness=0.4)],
        heard=[edge(kinds.Hearing, "carla", "roi", reception="NEUTRAL")],
        tenant_settings={},
    )
    subgraph = to_engine_subgraph(account_map)
    options = coaching_options(account_map, coaching.Asked(), TODAY)
    result = engine.coaching_plan(subgraph, options)
    return PlanReport(Plan(account_map, result, subgraph, options))


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_plan_as_csv_rows() -> None:
    report = plan_report()
    assert len(report.result.plan) == 1
    (row,) = rows(plan_csv(report))
    assert row["rank"] == "1"
    assert (row["approver"], row["approverRole"], row["champion"], row["action"]) == (
        "Carla Ortiz",
        "ECONOMIC_BUYER",
        "Dana Whitfield",
        "COACH",
    )
    assert row["path"] == "Dana Whitfield → Matteo Ricci → Carla Ortiz"
    assert row["argument"] == "'" + TITLE  # a spreadsheet shows it, never runs it
    assert float(row["value"]) == report.result.plan[0].value


def test_salesforce_tasks() -> None:
    text = salesforce_tasks_csv(plan_report(), TODAY)
    assert text.splitlines()[0] == "Subject,WhoId,WhatId,ActivityDate,Description,Priority"
    (task,) = rows(text)
    assert task["Subject"].startswith("Coach Dana Whitfield: '=SUM(A1)")
    assert (task["WhoId"], task["WhatId"]) == (DANA_SF, FLEET_SF)
    assert task["ActivityDate"] == "2026-06-04"  # the day before it closes: sooner than a week
    assert task["Priority"] == "High"
    description = task["Description"]
    assert "Path: Dana Whitfield → Matteo Ricci → Carla Ortiz" in description
    assert "Talk track: Say <b>this</b>\nthen that" in description
    assert "Proof point: TEI: 312%" in description
    assert "Carla Ortiz cares about: Total cost (FINANCIAL, weight 1.0)" in description
    assert (
        "Will argue against it: Ivan Petrov (IT Director), SKEPTIC, pushing 'Rival Corp';"
        " reaches them at 0.70"
    ) in description
    by_hand = rows(salesforce_tasks_csv(plan_report("p-dana", close="2027-01-01"), TODAY))[0]
    assert by_hand["WhoId"] == ""  # a stakeholder made in the map has no Contact Id
    assert by_hand["ActivityDate"] == "2026-06-08"


def test_hubspot_tasks() -> None:
    text = hubspot_tasks_csv(plan_report(), TODAY)
    assert text.splitlines()[0] == (
        "Task Title,Notes,Due Date,Priority,Task Type,Status,Contact Record ID,Deal Record ID,"
        "Contact Email"
    )
    (task,) = rows(text)
    assert (task["Priority"], task["Task Type"], task["Status"]) == ("HIGH", "TODO", "NOT_STARTED")
    assert (task["Contact Record ID"], task["Deal Record ID"]) == ("", "")  # not HubSpot ids
    assert task["Contact Email"] == "dana@acme.example"
    hubspot = rows(hubspot_tasks_csv(plan_report("2001"), TODAY))[0]
    assert hubspot["Contact Record ID"] == "2001"


def test_the_plan_as_markdown_escapes_what_it_quotes() -> None:
    text = plan_markdown(plan_report())
    assert text.startswith("# Coaching plan: Fleet \\| telematics\n")
    assert "| Carla Ortiz (CFO) | ECONOMIC\\_BUYER |" not in text  # enums are not escaped
    assert "| Carla Ortiz (CFO) | ECONOMIC_BUYER | NEUTRAL |" in text
    assert "\\<script\\>" in text
    assert "## Threats" in text


def test_a_champion_brief() -> None:
    report = plan_report()
    brief = champion_brief(report, "dana")
    assert brief.in_plan
    (play,) = brief.plays
    assert play.through == ["Matteo Ricci (CEO)"]
    assert play.cares_about == ["Total cost (FINANCIAL, weight 1.0)"]
    assert play.heard == [f"{TITLE} (NEUTRAL)"]
    text = brief_markdown(brief)
    for heading in (
        "## 1. Reach Carla Ortiz (CFO)",
        "### Talk track",
        "### Proof points",
        "### What they care about",
        "### Already heard",
        "### Who will argue against it",
    ):
        assert heading in text
    page = brief_html(brief)
    assert page.startswith("<!doctype html>")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Say &lt;b&gt;this&lt;/b&gt;" in page
    nobody = champion_brief(report, "matteo")
    assert nobody.plays == []
    assert "No play for this champion" in brief_markdown(nobody)


def test_every_format_has_a_type_and_a_name() -> None:
    report = plan_report()
    for plan_format in PlanFormat:
        rendered = render_plan(report, plan_format, TODAY)
        assert rendered.content.endswith("\n")
        assert rendered.filename.startswith("fleet-telematics-")
    assert render_plan(report, PlanFormat.JSON, TODAY).content_type == "application/json"
    assert spreadsheet_safe("-1.5") == "-1.5"
    assert spreadsheet_safe("-cmd") == "'-cmd"
    assert spreadsheet_safe("@SUM(1)") == "'@SUM(1)"
