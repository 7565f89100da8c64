"""Default mappings, the mapping file, and the review list's suggestions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_api.crm.mapping import (
    DealStage,
    Meaning,
    apply_mapping,
    default_mapping,
    parse_mapping_text,
    suggest_role,
    suggest_stage,
)
from graph_api.crm.records import CrmSource
from graph_api.domain.enums import CommitteeRole, Outcome, Stance
from graph_api.errors import InvalidInput

R = CommitteeRole


def test_salesforce_defaults_follow_the_design() -> None:
    mapping = default_mapping(CrmSource.SALESFORCE)
    assert {
        v: mapping.role(v)
        for v in (
            "Economic Buyer",
            "Economic Decision Maker",
            "Decision Maker",
            "Executive Sponsor",
            "Technical Buyer",
            "Evaluator",
            "Business User",
            "Influencer",
            "Other",
        )
    } == {
        "Economic Buyer": Meaning(R.ECONOMIC_BUYER),
        "Economic Decision Maker": Meaning(R.ECONOMIC_BUYER),
        "Decision Maker": Meaning(R.DECISION_MAKER),
        "Executive Sponsor": Meaning(R.APPROVER),
        "Technical Buyer": Meaning(R.TECHNICAL_EVALUATOR),
        "Evaluator": Meaning(R.TECHNICAL_EVALUATOR),
        "Business User": Meaning(R.USER_BUYER),
        "Influencer": Meaning(R.INFLUENCER),
        "Other": Meaning(R.INFLUENCER),
    }
    assert mapping.role("economic  buyer") == Meaning(R.ECONOMIC_BUYER)
    assert mapping.role("Champion") is None  # a custom value: unmapped, not guessed
    ranks = [
        mapping.rank(r)
        for r in (
            R.ECONOMIC_BUYER,
            R.DECISION_MAKER,
            R.APPROVER,
            R.TECHNICAL_EVALUATOR,
            R.USER_BUYER,
            R.INFLUENCER,
        )
    ]
    assert ranks == sorted(ranks)
    assert mapping.stage("Proposal/Price Quote") is DealStage.PROPOSAL
    assert not mapping.knows_stage("Technical Validation")


def test_hubspot_buying_roles_split_into_roles_and_stances() -> None:
    mapping = default_mapping(CrmSource.HUBSPOT)
    assert mapping.role("Budget Holder") == Meaning(R.ECONOMIC_BUYER)
    assert mapping.role("LEGAL_AND_COMPLIANCE") == Meaning(R.LEGAL)
    assert mapping.role("Legal & Compliance") == Meaning(R.LEGAL)
    assert mapping.role("CHAMPION") == Meaning(stance=Stance.CHAMPION)
    assert mapping.role("Blocker") == Meaning(stance=Stance.BLOCKER)
    assert mapping.stage("decisionmakerboughtin") is DealStage.EVALUATION
    assert mapping.stage("Closed Won") is DealStage.CLOSED_WON


def test_closed_stages_tell_the_outcome() -> None:
    assert DealStage.CLOSED_WON.outcome is Outcome.WON
    assert DealStage.CLOSED_LOST.outcome is Outcome.LOST
    assert DealStage.CLOSED_NO_DECISION.outcome is Outcome.NO_DECISION
    assert DealStage.NEGOTIATION.outcome is None


def test_a_mapping_file_overrides_and_extends_the_defaults() -> None:
    mapping = apply_mapping(
        default_mapping(CrmSource.SALESFORCE),
        {
            "roles": {
                "Procurement Lead": "procurement",
                "Champion": {"stance": "CHAMPION"},
                "Coach": {"role": "INFLUENCER", "stance": "SUPPORTER"},
                "Other": None,
                "Executive Sponsor": "ECONOMIC_BUYER",
            },
            "stages": {"Technical Validation": "EVALUATION", "Parked": None},
            "blankRole": None,
            "rolePrecedence": ["APPROVER", "ECONOMIC_BUYER"],
            "dateFormat": "%d/%m/%Y",
        },
    )
    assert mapping.role("procurement lead") == Meaning(R.PROCUREMENT)
    assert mapping.role("Champion") == Meaning(stance=Stance.CHAMPION)
    assert mapping.role("Coach") == Meaning(R.INFLUENCER, Stance.SUPPORTER)
    assert mapping.role("Other") == Meaning()
    assert mapping.role("Executive Sponsor") == Meaning(R.ECONOMIC_BUYER)
    assert mapping.role("Decision Maker") == Meaning(R.DECISION_MAKER)  # defaults stay
    assert mapping.stage("Technical Validation") is DealStage.EVALUATION
    assert mapping.knows_stage("Parked")
    assert mapping.stage("Parked") is None
    assert mapping.blank_role is None
    assert mapping.rank(R.APPROVER) < mapping.rank(R.ECONOMIC_BUYER) < mapping.rank(R.LEGAL)
    assert mapping.date_format == "%d/%m/%Y"


def test_a_bad_mapping_is_refused_with_every_problem_by_path() -> None:
    with pytest.raises(InvalidInput) as refused:
        apply_mapping(
            default_mapping(CrmSource.SALESFORCE),
            {
                "roles": {"Procurement Lead": "BUYER", "Champion": {"stance": "FAN", "x": 1}},
                "stages": {"Pilot": "TRIAL"},
                "rolePrecedence": ["APPROVER", "APPROVER"],
                "dateFormat": "yesterday",
                "colours": {},
            },
            root="mapping",
        )
    assert [p.path for p in refused.value.problems] == [
        "mapping.colours",
        'mapping.roles["Procurement Lead"]',
        'mapping.roles["Champion"].x',
        'mapping.roles["Champion"].stance',
        'mapping.stages["Pilot"]',
        "mapping.rolePrecedence",
        "mapping.dateFormat",
    ]
    assert "must be one of ECONOMIC_BUYER" in refused.value.problems[1].message


def test_mapping_files_are_json_or_yaml() -> None:
    yaml_text = "roles:\n  Procurement Lead: PROCUREMENT\nstages:\n  Pilot: EVALUATION\n"
    assert parse_mapping_text("org.yaml", yaml_text) == {
        "roles": {"Procurement Lead": "PROCUREMENT"},
        "stages": {"Pilot": "EVALUATION"},
    }
    assert parse_mapping_text("org.json", '{"roles": {}}') == {"roles": {}}
    with pytest.raises(InvalidInput) as refused:
        parse_mapping_text("org.json", '{"roles": ')
    assert refused.value.problems[0].path.startswith("org.json:1:")
    with pytest.raises(InvalidInput) as refused:
        parse_mapping_text("org.yaml", "roles:\n  - a\n b: [\n")
    assert refused.value.problems[0].path.startswith("org.yaml:")


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("Procurement Lead", "PROCUREMENT"),
        ("Legal Counsel", "LEGAL"),
        ("Champion", "{stance: CHAMPION}"),
        ("Security Architect", "TECHNICAL_EVALUATOR"),
        ("Budget Owner", "ECONOMIC_BUYER"),
        ("Economic Buyr", "ECONOMIC_BUYER"),
        ("Qwerty", None),
    ],
)
def test_role_suggestions(value: str, suggestion: str | None) -> None:
    assert suggest_role(value, default_mapping(CrmSource.SALESFORCE)) == suggestion


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("Technical Validation", "EVALUATION"),
        ("Closed - No Decision", "CLOSED_NO_DECISION"),
        ("Contract Review", "NEGOTIATION"),
        ("Closed Won - Expansion", "CLOSED_WON"),
        ("12345678", None),
    ],
)
def test_stage_suggestions(value: str, suggestion: str | None) -> None:
    assert suggest_stage(value, default_mapping(CrmSource.HUBSPOT)) == suggestion


def test_the_readme_mapping_example_is_a_valid_mapping() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text("utf-8")
    (example,) = re.findall(r"```yaml\n(# acme-org.yaml\n.*?)```", readme, re.S)
    mapping = apply_mapping(
        default_mapping(CrmSource.SALESFORCE), parse_mapping_text("acme-org.yaml", example)
    )
    assert mapping.role("Procurement Lead") == Meaning(R.PROCUREMENT)
    assert mapping.role("Coach") == Meaning(R.INFLUENCER, Stance.SUPPORTER)
    assert mapping.stage("Closed - No Decision") is DealStage.CLOSED_NO_DECISION
