"""Build the Krackhardt demo account from the real network in ``seeds/krackhardt-hightech/``.

Krackhardt, D. (1987), "Cognitive social structures", Social Networks 9, 104-134: the 21
managers of a small high-tech manufacturer, their formal reporting lines and whom each goes to
for advice. The ties are real; names, titles and department names are invented (the data set
only numbers the departments).

- Stakeholders: the 21 managers, ``p-kh-01`` .. ``p-kh-21`` (the data set's ids).
- ``reportsTo``: from ``reports_to.txt`` (``i j 1`` = i reports to j).
- INFLUENCES: from ``advice.txt``. ``i j 1`` means i goes to j for advice, so j influences i:
  one edge j -> i per advice tie (self-ties excluded). Strength = 0.5 base
  + 0.2 if the advice is reciprocal (j also goes to i for advice)
  + 0.2 if i names j as a friend in ``friendship.txt`` (advice from a friend carries more).
  Strengths therefore lie in {0.5, 0.7, 0.9}. The data has no topic information, so no edge
  carries topics.

The script is deterministic; run it to rewrite ``graph_api/seeds/demo/40-krackhardt-hightech.json``
(package data):

    .venv/bin/python seeds/build_krackhardt.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, NamedTuple

from graph_api.package_data import DEMO_SEEDS_DIR

DATA = Path(__file__).resolve().parent / "krackhardt-hightech"
OUT = DEMO_SEEDS_DIR / "40-krackhardt-hightech.json"
DOMAIN = "silverline-devices.com"

BASE_STRENGTH = 0.5
RECIPROCITY_BONUS = 0.2
FRIENDSHIP_BONUS = 0.2

# Invented department names for the data set's DEPT codes 1-4 (0 = the CEO).
DEPARTMENTS = {
    0: "Executive",
    1: "Manufacturing",
    2: "Engineering",
    3: "Sales and Marketing",
    4: "Finance and Administration",
}


class Role(NamedTuple):
    name: str
    title: str


# Invented names and titles, consistent with each manager's LEVEL and DEPT.
PEOPLE: dict[int, Role] = {
    1: Role("Alan Whitcombe", "IT Manager"),
    2: Role("Margaret Osterberg", "VP Finance and Administration"),
    3: Role("Dennis Kowalczyk", "Hardware Engineering Manager"),
    4: Role("Sandra Delgado", "Controller"),
    5: Role("Eric Tran", "Firmware Engineering Manager"),
    6: Role("Harold Brennan", "Plant Maintenance Manager"),
    7: Role("Richard Ashford", "Chief Executive Officer"),
    8: Role("Maria Santoro", "Production Manager"),
    9: Role("Walter Brandvold", "Test Engineering Manager"),
    10: Role("Julie Carmichael", "Marketing Manager"),
    11: Role("Frank DeLuca", "Sales Manager"),
    12: Role("Steven Park", "Quality Manager"),
    13: Role("Anita Desai", "Process Engineering Manager"),
    14: Role("Thomas Reinholt", "VP Engineering"),
    15: Role("Laura Mitchell", "Product Engineering Manager"),
    16: Role("Gary Foster", "Human Resources Manager"),
    17: Role("Nicole Adams", "Materials Manager"),
    18: Role("Gregory Vance", "VP Sales and Marketing"),
    19: Role("Christine Kim", "Software Engineering Manager"),
    20: Role("Paul Adebayo", "Design Engineering Manager"),
    21: Role("Donald Mercer", "VP Manufacturing"),
}

DEPARTMENT_CONCERNS: dict[str, list[tuple[str, float]]] = {
    "Executive": [("c-board-visibility", 0.8), ("c-revenue-growth", 0.7), ("c-total-cost", 0.6)],
    "Manufacturing": [("c-downtime", 0.9), ("c-team-productivity", 0.6), ("c-change-fatigue", 0.5)],
    "Engineering": [("c-integration", 0.8), ("c-scalability", 0.6), ("c-workload", 0.5)],
    "Sales and Marketing": [("c-revenue-growth", 0.9), ("c-downtime", 0.5)],
    "Finance and Administration": [
        ("c-total-cost", 0.9),
        ("c-budget-timing", 0.7),
        ("c-security", 0.4),
    ],
}
CONCERN_OVERRIDES: dict[int, list[tuple[str, float]]] = {
    1: [("c-downtime", 0.9), ("c-security", 0.7), ("c-workload", 0.6)],
    6: [("c-change-fatigue", 1.0), ("c-career", 0.6), ("c-downtime", 0.5)],
    11: [("c-revenue-growth", 0.9), ("c-downtime", 0.8), ("c-career", 0.4)],
    21: [("c-downtime", 0.9), ("c-total-cost", 0.6), ("c-change-fatigue", 0.6)],
}
UNKNOWN_CONCERNS = {13, 18}  # a new hire and a VP nobody has met yet

COACHED_ON: dict[int, list[tuple[str, float]]] = {
    1: [
        ("a-tech-integration", 0.8),
        ("a-shepherd-outage", 0.7),
        ("a-herd-manufacturing", 0.5),
        ("a-roi-payback", 0.4),
    ],
    11: [("a-herd-manufacturing", 0.7), ("a-gold-uptime", 0.5)],
    8: [("a-shepherd-outage", 0.6), ("a-roi-headcount", 0.3)],
}
HEARD: dict[int, list[tuple[str, str]]] = {
    2: [("a-roi-payback", "NEUTRAL")],
    6: [("a-strategic-platform", "NEGATIVE")],
    14: [("a-tech-integration", "POSITIVE")],
}

OPP = "opp-krackhardt-plant"
ALT_OURS = "alt-krackhardt-plant-ours"
ALT_SQ = "alt-krackhardt-plant-sq"
ALT_COMP = "alt-krackhardt-plant-vantage"

# (manager id, role, stance, voteWeight, stanceEvidence)
COMMITTEE: list[tuple[int, str, str, int, str | None]] = [
    (7, "ECONOMIC_BUYER", "NEUTRAL", 2, "Wants the VPs to agree before he signs"),
    (2, "APPROVER", "NEUTRAL", 1, "Asked Finance to validate the payback model"),
    (14, "APPROVER", "SUPPORTER", 1, "Liked the integration demo with the test-floor rigs"),
    (18, "APPROVER", "UNKNOWN", 1, None),
    (21, "APPROVER", "NEUTRAL", 1, None),
    (
        1,
        "TECHNICAL_EVALUATOR",
        "CHAMPION",
        1,
        "Brought us in after the line-3 outage; runs the evaluation",
    ),
    (11, "INFLUENCER", "CHAMPION", 1, "Lost two customer orders to late shipments last quarter"),
    (8, "USER_BUYER", "SUPPORTER", 1, None),
    (12, "USER_BUYER", "NEUTRAL", 1, None),
    (
        6,
        "INFLUENCER",
        "SKEPTIC",
        1,
        "Twenty-eight years on the plant floor; 'the alarms we have work fine'",
    ),
]
ADVOCACY: list[tuple[int, str, float, str | None]] = [
    (1, ALT_OURS, 0.9, None),
    (11, ALT_OURS, 0.7, None),
    (8, ALT_OURS, 0.5, None),
    (6, ALT_SQ, 0.7, "Maintains the current SCADA alarm set himself"),
    (17, ALT_COMP, 0.3, "Saw Vantage at a trade show"),
]


def ext(manager: int) -> str:
    return f"p-kh-{manager:02d}"


def read_ties(name: str) -> set[tuple[int, int]]:
    """The ``ego alter`` pairs present (value 1) in one of the 441-row tie files."""
    ties: set[tuple[int, int]] = set()
    for line in (DATA / name).read_text().splitlines():
        fields = line.split()
        if len(fields) != 3:
            continue
        ego, alter, present = (int(f) for f in fields)
        if present == 1 and ego != alter:
            ties.add((ego, alter))
    return ties


def read_attributes() -> dict[int, dict[str, str]]:
    with (DATA / "attributes.csv").open(newline="") as handle:
        return {int(row["ID"]): row for row in csv.DictReader(handle)}


def seniority(level: int) -> str:
    return {1: "C_LEVEL", 2: "VP"}.get(level, "MANAGER")


def email(name: str) -> str:
    first, last = name.lower().split(" ", 1)
    return f"{first}.{last}@{DOMAIN}"


def influence_edges() -> list[dict[str, Any]]:
    """One INFLUENCES edge adviser -> advice-seeker per advice tie, strength as documented."""
    advice = read_ties("advice.txt")
    friends = read_ties("friendship.txt")
    edges: list[dict[str, Any]] = []
    for seeker, adviser in sorted(advice, key=lambda t: (t[1], t[0])):
        strength = BASE_STRENGTH
        notes = [f"{seeker} seeks advice from {adviser}"]
        if (adviser, seeker) in advice:
            strength += RECIPROCITY_BONUS
            notes.append("reciprocal")
        if (seeker, adviser) in friends:
            strength += FRIENDSHIP_BONUS
            notes.append("friend")
        edges.append(
            {
                "from": ext(adviser),
                "to": ext(seeker),
                "strength": round(strength, 2),
                "evidence": "Krackhardt (1987) advice tie: " + "; ".join(notes),
            }
        )
    return edges


def stakeholders() -> list[dict[str, Any]]:
    attributes = read_attributes()
    bosses = dict(read_ties("reports_to.txt"))
    out: list[dict[str, Any]] = []
    for manager in sorted(PEOPLE):
        person = PEOPLE[manager]
        row = attributes[manager]
        department = DEPARTMENTS[int(row["DEPT"])]
        entry: dict[str, Any] = {
            "externalId": ext(manager),
            "name": person.name,
            "title": person.title,
            "department": department,
            "seniority": seniority(int(row["LEVEL"])),
            "email": email(person.name),
        }
        if manager in bosses:
            entry["reportsTo"] = ext(bosses[manager])
        if manager not in UNKNOWN_CONCERNS:
            concerns = CONCERN_OVERRIDES.get(manager, DEPARTMENT_CONCERNS[department])
            entry["concerns"] = [{"concern": c, "weight": w} for c, w in concerns]
        if manager in COACHED_ON:
            entry["coachedOn"] = [{"argument": a, "readiness": r} for a, r in COACHED_ON[manager]]
        if manager in HEARD:
            entry["heard"] = [{"argument": a, "reception": r} for a, r in HEARD[manager]]
        out.append(entry)
    return out


def build_document() -> dict[str, Any]:
    committee: list[dict[str, Any]] = []
    for manager, role, stance, weight, evidence in COMMITTEE:
        seat: dict[str, Any] = {"stakeholder": ext(manager), "role": role, "stance": stance}
        if weight != 1:
            seat["voteWeight"] = weight
        if evidence:
            seat["stanceEvidence"] = evidence
        committee.append(seat)
    advocacy: list[dict[str, Any]] = []
    for manager, alternative, strength, evidence in ADVOCACY:
        entry: dict[str, Any] = {
            "stakeholder": ext(manager),
            "alternative": alternative,
            "strength": strength,
        }
        if evidence:
            entry["evidence"] = evidence
        advocacy.append(entry)
    account: dict[str, Any] = {
        "externalId": "acct-krackhardt",
        "name": "Silverline Devices",
        "industry": "Manufacturing",
        "employees": 100,
        "region": "North America",
        "domain": DOMAIN,
        "isReference": False,
        "stakeholders": stakeholders(),
        "influences": influence_edges(),
        "conflicts": [],
        "opportunities": [
            {
                "externalId": OPP,
                "name": "Plant reliability and test-floor monitoring",
                "amount": 220000,
                "currency": "USD",
                "stage": "PROPOSAL",
                "closeDate": "2027-04-30",
                "decisionRule": "THRESHOLD",
                "threshold": 0.6,
                "alternatives": [
                    {"externalId": ALT_OURS, "name": "Lumen Reliability Cloud", "kind": "OURS"},
                    {
                        "externalId": ALT_SQ,
                        "name": "Paper logs and the existing SCADA alarms",
                        "kind": "STATUS_QUO",
                    },
                    {"externalId": ALT_COMP, "name": "Vantage MES Monitor", "kind": "COMPETITOR"},
                ],
                "committee": committee,
                "advocacy": advocacy,
            }
        ],
    }
    return {"accounts": [account]}


def main() -> None:
    OUT.write_text(json.dumps(build_document(), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
