"""The account document without a database: validation, paths, canonical form, JSON Schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.domain import kinds
from graph_api.domain.document import (
    LAYOUT,
    MAX_STAKEHOLDERS,
    canonical,
    document_json_schema,
    document_json_schema_text,
    json_path,
    validate_document,
)
from graph_api.domain.enums import ImportMode
from graph_api.domain.ids import kind_of_id, new_id
from graph_api.domain.validation import stored_form
from graph_api.domain.values import NAME_MAX
from graph_api.errors import InvalidInput

# An abbreviated account document (the full one is in docs/document.md). It references p-cfo
# and p-ivan without listing them, which MERGE allows when the account already stores them.
DOCUMENT_EXAMPLE: dict[str, Any] = {
    "playbook": {
        "concerns": [
            {"externalId": "c-downtime", "name": "Operational downtime", "category": "RISK"}
        ],
        "arguments": [
            {
                "externalId": "a-peers",
                "title": "Three of your peers run on us",
                "kind": "HERD",
                "talkTrack": "…",
                "proofPoints": ["…"],
                "cites": ["acct-northwind"],
                "addresses": [{"concern": "c-downtime", "fit": 0.7}],
            }
        ],
    },
    "accounts": [
        {
            "externalId": "acct-acme",
            "name": "Acme Logistics",
            "industry": "Logistics",
            "employees": 5400,
            "region": "EMEA",
            "isReference": False,
            "stakeholders": [
                {
                    "externalId": "p-dana",
                    "name": "Dana Whitfield",
                    "title": "VP Operations",
                    "department": "Operations",
                    "seniority": "VP",
                    "reportsTo": "p-cfo",
                    "concerns": [{"concern": "c-downtime", "weight": 0.9}],
                    "coachedOn": [{"argument": "a-peers", "readiness": 0.4}],
                    "heard": [{"argument": "a-roi", "reception": "NEGATIVE"}],
                }
            ],
            "influences": [{"from": "p-dana", "to": "p-cfo", "strength": 0.8, "topics": ["RISK"]}],
            "conflicts": [{"from": "p-ivan", "to": "p-cfo", "strength": 0.6}],
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
                        {"externalId": "alt-sq", "name": "Keep spreadsheets", "kind": "STATUS_QUO"},
                    ],
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


def complete_example() -> dict[str, Any]:
    """The example with the stakeholders it mentions listed: self-contained, valid in REPLACE."""
    document = copy.deepcopy(DOCUMENT_EXAMPLE)
    document["accounts"][0]["stakeholders"] += [
        {"externalId": "p-cfo", "name": "Carla Ortiz", "title": "CFO", "seniority": "C_LEVEL"},
        {"externalId": "p-ivan", "name": "Ivan Petrov", "title": "IT Director"},
    ]
    return document


def problems_of(document: Any, mode: ImportMode = ImportMode.MERGE) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        validate_document(document, mode)
    return [str(p) for p in caught.value.problems]


def edited(**paths: Any) -> dict[str, Any]:
    """The complete example with values set at paths such as ``accounts__0__name``."""
    document = complete_example()
    for dotted, value in paths.items():
        *parents, last = dotted.split("__")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
    return document


def test_document_example_is_valid_in_merge() -> None:
    document = validate_document(DOCUMENT_EXAMPLE)
    assert document.nodes["Stakeholder"][0]["props"]["name"] == "Dana Whitfield"
    seats = {row["source"]: row["props"] for row in document.links["SITS_ON"]}
    assert seats["p-cfo"]["veto"] is True
    # a default (and a value equal to it) is stored as no value: it reads back as the default
    assert seats["p-dana"]["voteWeight"] is None
    assert seats["p-dana"]["veto"] is None


def test_document_example_leaves_stored_members_and_playbook_to_the_store() -> None:
    references = validate_document(DOCUMENT_EXAMPLE).references
    assert {(r.label, r.external_id, r.scope) for r in references} == {
        ("Account", "acct-northwind", None),
        ("Argument", "a-roi", None),
        ("Stakeholder", "p-cfo", "acct-acme"),
        ("Stakeholder", "p-ivan", "acct-acme"),
    }
    assert any(r.path == "$.accounts[0].conflicts[0].from" for r in references)


def test_replace_requires_every_stakeholder_in_the_document() -> None:
    problems = problems_of(DOCUMENT_EXAMPLE, ImportMode.REPLACE)
    assert "$.accounts[0].stakeholders[0].reportsTo: unknown stakeholder 'p-cfo'" in problems
    assert "$.accounts[0].conflicts[0].from: unknown stakeholder 'p-ivan'" in problems
    validate_document(complete_example(), ImportMode.REPLACE)


def test_json_text_is_accepted() -> None:
    assert validate_document(json.dumps(complete_example())).accounts == ["acct-acme"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"accounts__0__influences__0__strength": 0},
            "$.accounts[0].influences[0].strength: must be in (0, 1]",
        ),
        (
            {"accounts__0__influences__0__strength": 1.5},
            "$.accounts[0].influences[0].strength: must be in (0, 1]",
        ),
        (
            {"accounts__0__conflicts__0__strength": -0.1},
            "$.accounts[0].conflicts[0].strength: must be in (0, 1]",
        ),
        (
            {"accounts__0__stakeholders__0__concerns__0__weight": 2},
            "$.accounts[0].stakeholders[0].concerns[0].weight: must be in (0, 1]",
        ),
        (
            {"playbook__arguments__0__addresses__0__fit": 0},
            "$.playbook.arguments[0].addresses[0].fit: must be in (0, 1]",
        ),
        (
            {"accounts__0__stakeholders__0__coachedOn__0__readiness": 1.01},
            "$.accounts[0].stakeholders[0].coachedOn[0].readiness: must be in [0, 1]",
        ),
        (
            {"accounts__0__opportunities__0__committee__0__voteWeight": 0},
            "$.accounts[0].opportunities[0].committee[0].voteWeight: must be greater than 0 "
            "and at most 1,000,000",
        ),
        (
            {"accounts__0__stakeholders__0__seniority": "vp"},
            "$.accounts[0].stakeholders[0].seniority: unknown value 'vp'; "
            "allowed: IC, MANAGER, DIRECTOR, VP, C_LEVEL",
        ),
        (
            {"accounts__0__opportunities__0__committee__1__stance": "FAN"},
            "$.accounts[0].opportunities[0].committee[1].stance: unknown value 'FAN'; "
            "allowed: CHAMPION, SUPPORTER, NEUTRAL, SKEPTIC, BLOCKER, UNKNOWN",
        ),
        (
            {"accounts__0__influences__0__topics": ["RISK", "MONEY"]},
            "$.accounts[0].influences[0].topics[1]: unknown value 'MONEY'; allowed: FINANCIAL, "
            "RISK, GROWTH, EFFICIENCY, TECHNICAL, POLITICAL, PERSONAL",
        ),
        (
            {"accounts__0__influences__0__topics": ["RISK", "RISK"]},
            "$.accounts[0].influences[0].topics: must not repeat a value",
        ),
        (
            {"accounts__0__employees": "5400"},
            "$.accounts[0].employees: must be an integer",
        ),
        (
            {"accounts__0__employees": 5400.5},
            "$.accounts[0].employees: must be an integer",
        ),
        (
            {"accounts__0__isReference": "false"},
            "$.accounts[0].isReference: must be true or false",
        ),
        (
            {"accounts__0__opportunities__0__amount": "480000"},
            "$.accounts[0].opportunities[0].amount: must be a number",
        ),
        (
            {"accounts__0__opportunities__0__closeDate": "2027-02-30"},
            "$.accounts[0].opportunities[0].closeDate: must be a date YYYY-MM-DD",
        ),
        (
            {"accounts__0__opportunities__0__closeDate": "31/03/2027"},
            "$.accounts[0].opportunities[0].closeDate: must be a date YYYY-MM-DD",
        ),
        (
            {"accounts__0__stakeholders__0__lastVerifiedAt": "yesterday"},
            "$.accounts[0].stakeholders[0].lastVerifiedAt: must be a date YYYY-MM-DD",
        ),
        (
            {"accounts__0__opportunities__0__currency": "usd"},
            "$.accounts[0].opportunities[0].currency: must be a three-letter ISO 4217 code "
            "such as USD",
        ),
        (
            {"accounts__0__stakeholders__0__email": "dana at acme"},
            "$.accounts[0].stakeholders[0].email: must be an e-mail address",
        ),
        (
            {"accounts__0__name": ""},
            "$.accounts[0].name: must not be blank",
        ),
        (
            {"accounts__0__name": None},
            "$.accounts[0].name: is required",
        ),
        (
            {"accounts__0__stakeholders__0__reportsTo": "p-dana"},
            "$.accounts[0].stakeholders[0].reportsTo: a stakeholder cannot report to themselves",
        ),
        (
            {"accounts__0__influences__0__to": "p-dana"},
            "$.accounts[0].influences[0]: a stakeholder cannot influence themselves",
        ),
        (
            {"accounts__0__conflicts__0__to": "p-ivan"},
            "$.accounts[0].conflicts[0]: a stakeholder cannot conflict with themselves",
        ),
        (
            {"accounts__0__opportunities__0__decisionRule": "THRESHOLD"},
            "$.accounts[0].opportunities[0].threshold: is required when decisionRule is "
            "THRESHOLD (a share in (0, 1])",
        ),
        (
            {"accounts__0__opportunities__0__threshold": 0.6},
            "$.accounts[0].opportunities[0].threshold: applies only when decisionRule is THRESHOLD",
        ),
        (
            {"accounts__0__opportunities__0__advocacy__0__alternative": "alt-nope"},
            "$.accounts[0].opportunities[0].advocacy[0].alternative: "
            "unknown alternative 'alt-nope'",
        ),
        (
            {"accounts__0__opportunities__0__committee__0__stakeholder": "p-dana"},
            "$.accounts[0].opportunities[0].committee[1]: duplicate seat for stakeholder "
            "'p-dana' (also at $.accounts[0].opportunities[0].committee[0])",
        ),
        (
            {"accounts__0__stakeholders__2__externalId": "p-dana"},
            "$.accounts[0].stakeholders[2].externalId: duplicate stakeholder externalId "
            "'p-dana' (also at $.accounts[0].stakeholders[0])",
        ),
        (
            {"accounts__0__region": "x" * (NAME_MAX + 1)},
            "$.accounts[0].region: must be at most 500 characters (got 501)",
        ),
        (
            {"accounts__0__tenantId": "someone-else"},
            "$.accounts[0].tenantId: unknown field; allowed: externalId, name, industry, "
            "employees, region, domain, isReference, influences, conflicts, stakeholders, "
            "opportunities",
        ),
        (
            {"mode": "REPLACE"},
            "$.mode: unknown field; allowed: $schema, playbook, accounts",
        ),
        (
            {"accounts__0__stakeholders__0__heard__0__reception": "LOVED"},
            "$.accounts[0].stakeholders[0].heard[0].reception: unknown value 'LOVED'; "
            "allowed: POSITIVE, NEUTRAL, NEGATIVE",
        ),
        (
            {"accounts__0__influences__0__strength": float("nan")},
            "$.accounts[0].influences[0].strength: must be a finite number",
        ),
    ],
)
def test_each_bad_input_is_reported_at_its_path(change: dict[str, Any], expected: str) -> None:
    assert expected in problems_of(edited(**change), ImportMode.REPLACE)


def test_unknown_stakeholder_reference_in_merge_names_other_accounts() -> None:
    document = complete_example()
    document["accounts"].append(
        {
            "externalId": "acct-other",
            "name": "Other",
            "stakeholders": [{"externalId": "p-zed", "name": "Zed"}],
        }
    )
    document["accounts"][0]["influences"].append({"from": "p-dana", "to": "p-zed", "strength": 1})
    assert problems_of(document) == [
        "$.accounts[0].influences[1].to: stakeholder 'p-zed' belongs to account 'acct-other', "
        "not 'acct-acme'; references must stay within one account"
    ]


def test_advocacy_for_another_opportunitys_alternative_is_refused() -> None:
    document = complete_example()
    document["accounts"][0]["opportunities"].append(
        {
            "externalId": "opp-2",
            "name": "Second",
            "decisionRule": "MAJORITY",
            "alternatives": [{"externalId": "alt-2", "name": "Rival", "kind": "COMPETITOR"}],
            "advocacy": [{"stakeholder": "p-dana", "alternative": "alt-us", "strength": 0.5}],
        }
    )
    assert problems_of(document) == [
        "$.accounts[0].opportunities[1].advocacy[0].alternative: alternative 'alt-us' belongs "
        "to opportunity 'opp-fleet', not 'opp-2'"
    ]


def test_duplicates_across_accounts_and_in_edge_lists() -> None:
    document = complete_example()
    account = document["accounts"][0]
    account["influences"].append({"from": "p-dana", "to": "p-cfo", "strength": 0.3})
    account["stakeholders"][0]["concerns"].append({"concern": "c-downtime", "weight": 0.1})
    document["accounts"].append(copy.deepcopy({"externalId": "acct-acme", "name": "Again"}))
    problems = problems_of(document)
    assert (
        "$.accounts[0].influences[1]: duplicate influence 'p-dana' -> 'p-cfo' "
        "(also at $.accounts[0].influences[0])"
    ) in problems
    assert (
        "$.accounts[0].stakeholders[0].concerns[1]: duplicate concern 'c-downtime' "
        "(also at $.accounts[0].stakeholders[0].concerns[0])"
    ) in problems
    assert (
        "$.accounts[1].externalId: duplicate account externalId 'acct-acme' (also at $.accounts[0])"
    ) in problems


def test_a_document_with_many_problems_reports_every_one() -> None:
    document = complete_example()
    account = document["accounts"][0]
    account["employees"] = "lots"  # type
    account["stakeholders"][0]["seniority"] = "BOSS"  # enum
    account["stakeholders"][1]["reportsTo"] = "p-ghost"  # unknown reference
    account["influences"][0]["strength"] = 3  # range
    account["conflicts"].append({"from": "p-cfo", "to": "p-cfo", "strength": 0.2})  # self-loop
    account["opportunities"][0]["closeDate"] = "soon"  # date
    account["opportunities"][0]["committee"][0]["shoeSize"] = 44  # unknown field
    del account["opportunities"][0]["alternatives"][0]["kind"]  # missing
    problems = problems_of(document, ImportMode.REPLACE)
    assert sorted(problems) == sorted(
        [
            "$.accounts[0].employees: must be an integer",
            "$.accounts[0].stakeholders[0].seniority: unknown value 'BOSS'; "
            "allowed: IC, MANAGER, DIRECTOR, VP, C_LEVEL",
            "$.accounts[0].stakeholders[1].reportsTo: unknown stakeholder 'p-ghost'",
            "$.accounts[0].influences[0].strength: must be in (0, 1]",
            "$.accounts[0].conflicts[1]: a stakeholder cannot conflict with themselves",
            "$.accounts[0].opportunities[0].closeDate: must be a date YYYY-MM-DD",
            "$.accounts[0].opportunities[0].alternatives[0].kind: is required",
            "$.accounts[0].opportunities[0].committee[0].shoeSize: unknown field; allowed: "
            "stakeholder, role, stance, veto, voteWeight, stanceEvidence, stanceUpdatedAt, "
            "verifiedAt",
        ]
    )
    assert problems[0].startswith("$.accounts[0].conflicts[1]")  # sorted by path


def test_rules_still_run_where_shapes_are_broken() -> None:
    document = complete_example()
    document["accounts"][0]["stakeholders"][0] = "not an object"
    document["accounts"][0]["influences"][0]["strength"] = "strong"
    problems = problems_of(document, ImportMode.REPLACE)
    assert "$.accounts[0].stakeholders[0]: must be an object" in problems
    assert "$.accounts[0].influences[0].strength: must be a number" in problems
    # p-dana is gone, so references to her are unknown too, in the same report.
    assert "$.accounts[0].influences[0].from: unknown stakeholder 'p-dana'" in problems


def test_not_an_object_and_not_json() -> None:
    assert problems_of([1, 2]) == ["$: must be an object"]
    assert problems_of("{")[0].startswith("$: the document is not valid JSON")
    assert problems_of({"accounts": [42]}) == ["$.accounts[0]: must be an object"]
    assert problems_of('{"accounts": [{"externalId": "a", "name": "A", "employees": NaN}]}')[
        0
    ].startswith("$: the document is not valid JSON")


def test_stakeholder_cap_is_per_document_and_named() -> None:
    people = [{"externalId": f"p{i}", "name": "P"} for i in range(MAX_STAKEHOLDERS // 2 + 1)]
    document = {
        "accounts": [
            {"externalId": "a1", "name": "A", "stakeholders": people},
            {
                "externalId": "a2",
                "name": "B",
                "stakeholders": [{"externalId": f"q{i}", "name": "Q"} for i in range(len(people))],
            },
        ]
    }
    assert problems_of(document) == [
        "$.accounts: the document has 20,002 stakeholders; the cap is 20,000 per document"
    ]


def test_list_caps_are_named() -> None:
    document = complete_example()
    document["playbook"]["arguments"][0]["proofPoints"] = ["p"] * 101
    assert problems_of(document) == [
        "$.playbook.arguments[0].proofPoints: has 101 items; the cap is 100"
    ]


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
    "line\nbreak\ttab\u0000nul",
    "$tenantId {tenantId}",
]


@pytest.mark.parametrize("text", METACHARACTERS)
def test_strings_pass_unchanged(text: str) -> None:
    document = complete_example()
    account = document["accounts"][0]
    account["name"] = text
    account["stakeholders"].append({"externalId": text, "name": text, "title": text})
    account["influences"].append({"from": text, "to": "p-cfo", "strength": 1, "evidence": text})
    document["playbook"]["arguments"][0]["proofPoints"] = [text]
    parsed = validate_document(document, ImportMode.REPLACE)
    assert parsed.nodes["Account"][0]["props"]["name"] == text
    assert parsed.nodes["Stakeholder"][-1]["externalId"] == text
    assert parsed.nodes["Stakeholder"][-1]["props"]["title"] == text
    assert parsed.links["INFLUENCES"][-1]["props"]["evidence"] == text
    assert canonical(parsed)["playbook"]["arguments"][0]["proofPoints"] == [text]


def test_canonical_form_ignores_order_and_spelled_out_defaults() -> None:
    document = complete_example()
    shuffled = copy.deepcopy(document)
    account = shuffled["accounts"][0]
    account["stakeholders"].reverse()
    account["opportunities"][0]["alternatives"].reverse()
    account["opportunities"][0]["committee"].reverse()
    account["opportunities"][0]["committee"][0]["voteWeight"] = 1
    account["opportunities"][0]["committee"][0]["veto"] = False
    account["influences"][0]["topics"] = ["RISK"]
    shuffled["$schema"] = "./schema/account-document.schema.json"
    first = canonical(validate_document(document))
    assert first == canonical(validate_document(shuffled))
    assert "isReference" not in first["accounts"][0]
    assert [s["externalId"] for s in first["accounts"][0]["stakeholders"]] == [
        "p-cfo",
        "p-dana",
        "p-ivan",
    ]


def test_json_path_format() -> None:
    assert json_path(("accounts", 0, "influences", 3, "strength")) == (
        "$.accounts[0].influences[3].strength"
    )
    assert json_path(("accounts", 0, "odd key")) == "$.accounts[0]['odd key']"
    assert json_path(()) == "$"


def test_schema_file_is_in_sync() -> None:
    """Regenerate: python -m graph_api.domain.document > schema/account-document.schema.json"""
    path = PROJECT_ROOT / "schema" / "account-document.schema.json"
    assert path.read_text("utf-8") == document_json_schema_text()


def test_schema_describes_the_contract() -> None:
    schema = document_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Flagbearer account document"
    assert schema["additionalProperties"] is False
    influence = schema["$defs"]["Influence"]
    assert influence["required"] == ["from", "to", "strength"]
    assert influence["properties"]["strength"]["exclusiveMinimum"] == 0
    assert influence["properties"]["strength"]["maximum"] == 1
    seat = schema["$defs"]["Seat"]["properties"]
    assert seat["voteWeight"]["default"] == 1.0
    assert "mode" not in schema["properties"]
    assert set(schema["properties"]) == {"$schema", "playbook", "accounts"}


def test_the_schema_publishes_every_kind_of_the_layout_with_its_declared_properties() -> None:
    defs = document_json_schema()["$defs"]
    written: set[str] = set()

    def walk(sections: Any) -> None:
        for section in sections:
            written.add(section.kind.name)
            declared = set(section.kind.prop_names)
            assert declared <= set(defs[section.kind.name]["properties"])
            for link in section.links:
                if link.form == "objects":
                    written.add(link.kind.name)
                    assert set(link.kind.prop_names) <= set(defs[link.kind.name]["properties"])
            walk(section.sections)

    walk(LAYOUT)
    assert written == set(defs)
    structural = {"ReportingLine", "Citation"}  # written as ids: reportsTo, cites
    assert set(kinds.NODE_KINDS) | set(kinds.RELATIONSHIP_KINDS) == written | structural


def test_ids_name_their_kind() -> None:
    for label in ("Account", "Stakeholder", "Opportunity", "Alternative", "Concern", "Argument"):
        made = new_id(label)
        assert kind_of_id(made) == label
        assert made != new_id(label)
    assert new_id("Stakeholder").startswith("stk_")
    assert kind_of_id("nonsense") is None
    assert kind_of_id("stk_") is None
    assert kind_of_id("xyz_123") is None


def test_date_times_are_stored_in_utc_however_they_are_written() -> None:
    seat = kinds.RELATIONSHIPS_BY_TYPE["SITS_ON"]
    offset = stored_form(seat, {"stanceUpdatedAt": "2026-03-01T10:00:00+01:00"})
    utc = stored_form(seat, {"stanceUpdatedAt": "2026-03-01T09:00:00Z"})
    assert offset == utc == {"stanceUpdatedAt": "2026-03-01T09:00:00.000000+00:00"}
    assert stored_form(seat, {"stanceUpdatedAt": "not a time"}) == {"stanceUpdatedAt": "not a time"}
