"""Build the Harborline Bank demo account: a 40-person enterprise committee (MAJORITY rule).

The roster, the committee and the key influence lines are written out by hand so the story is
deliberate; the remaining "everyday" influence ties are filled in by a seeded random generator so
that everyone has about three outgoing influence edges. The script is deterministic: running it
again rewrites ``graph_api/seeds/demo/30-harborline-bank.json`` (package data) byte for byte.

    .venv/bin/python seeds/build_enterprise.py
"""

from __future__ import annotations

import json
import random
import re
from typing import Any, NamedTuple

from graph_api.package_data import DEMO_SEEDS_DIR

OUT = DEMO_SEEDS_DIR / "30-harborline-bank.json"
DOMAIN = "harborlinebank.com"
PREFIX = "p-harborline-"
SEED = 20270630
OUT_DEGREE = 3


class Person(NamedTuple):
    key: str
    name: str
    title: str
    department: str
    seniority: str
    reports_to: str | None


ROSTER: list[Person] = [
    Person("ceo", "Catherine Walsh", "Chief Executive Officer", "Executive", "C_LEVEL", None),
    Person("cfo", "Raymond Castillo", "Chief Financial Officer", "Finance", "C_LEVEL", "ceo"),
    Person("cio", "Aisha Karimi", "Chief Information Officer", "Technology", "C_LEVEL", "ceo"),
    Person("coo", "Martin Feld", "Chief Operating Officer", "Operations", "C_LEVEL", "ceo"),
    Person("cro", "Evelyn Marsh", "Chief Risk Officer", "Risk", "C_LEVEL", "ceo"),
    Person(
        "ciso", "Hiroshi Tanaka", "Chief Information Security Officer", "Security", "C_LEVEL", "cio"
    ),
    Person("cdo", "Lauren Pierce", "Chief Digital Officer", "Digital", "C_LEVEL", "ceo"),
    Person("vp-platform", "Daniel Okonkwo", "VP Platform Engineering", "Technology", "VP", "cio"),
    Person(
        "vp-infra",
        "Greg Sutherland",
        "VP Infrastructure and Data Centres",
        "Technology",
        "VP",
        "cio",
    ),
    Person(
        "dir-sre",
        "Maya Chen",
        "Director of Site Reliability Engineering",
        "Technology",
        "DIRECTOR",
        "vp-platform",
    ),
    Person(
        "dir-arch",
        "Samuel Adeyemi",
        "Head of Enterprise Architecture",
        "Technology",
        "DIRECTOR",
        "cio",
    ),
    Person(
        "dir-infra-ops",
        "Brian Kowalski",
        "Director of Infrastructure Operations",
        "Technology",
        "DIRECTOR",
        "vp-infra",
    ),
    Person(
        "mgr-sre",
        "Tariq Hussain",
        "SRE Manager, Payments Platforms",
        "Technology",
        "MANAGER",
        "dir-sre",
    ),
    Person(
        "mgr-network",
        "Olga Ivanova",
        "Network Engineering Manager",
        "Technology",
        "MANAGER",
        "dir-infra-ops",
    ),
    Person(
        "mgr-db",
        "Carlos Mendes",
        "Database Engineering Manager",
        "Technology",
        "MANAGER",
        "vp-infra",
    ),
    Person(
        "eng-sre", "Priyanka Nair", "Staff Site Reliability Engineer", "Technology", "IC", "mgr-sre"
    ),
    Person(
        "eng-platform",
        "Ethan Brooks",
        "Principal Platform Engineer",
        "Technology",
        "IC",
        "vp-platform",
    ),
    Person(
        "mgr-cloud",
        "Nora Lindahl",
        "Cloud Engineering Manager",
        "Technology",
        "MANAGER",
        "vp-platform",
    ),
    Person(
        "dir-secops",
        "Rachel Goldberg",
        "Director of Security Operations",
        "Security",
        "DIRECTOR",
        "ciso",
    ),
    Person(
        "mgr-iam",
        "Diego Alvarez",
        "Identity and Access Management Lead",
        "Security",
        "MANAGER",
        "dir-secops",
    ),
    Person("eng-secarch", "Kenji Mori", "Senior Security Architect", "Security", "IC", "ciso"),
    Person("dir-oprisk", "Fiona Gallagher", "Head of Operational Risk", "Risk", "DIRECTOR", "cro"),
    Person(
        "mgr-compliance",
        "Ahmed Siddiqui",
        "Technology Compliance Manager",
        "Risk",
        "MANAGER",
        "dir-oprisk",
    ),
    Person(
        "vp-fpa", "Susan Whitaker", "VP Financial Planning and Analysis", "Finance", "VP", "cfo"
    ),
    Person(
        "mgr-techfin",
        "Patrick Doyle",
        "Technology Finance Business Partner",
        "Finance",
        "MANAGER",
        "vp-fpa",
    ),
    Person(
        "dir-procurement", "Linda Moreau", "Head of Procurement", "Procurement", "DIRECTOR", "cfo"
    ),
    Person(
        "mgr-vendor",
        "Jamal Wright",
        "Vendor Management Lead",
        "Procurement",
        "MANAGER",
        "dir-procurement",
    ),
    Person("vp-ops", "Teresa Bianchi", "VP Banking Operations", "Operations", "VP", "coo"),
    Person(
        "dir-payments",
        "Kevin O'Brien",
        "Director of Payments Operations",
        "Operations",
        "DIRECTOR",
        "vp-ops",
    ),
    Person(
        "mgr-contact",
        "Grace Liu",
        "Contact Centre Operations Manager",
        "Operations",
        "MANAGER",
        "vp-ops",
    ),
    Person(
        "mgr-service",
        "Yusuf Demir",
        "Service Delivery Manager",
        "Operations",
        "MANAGER",
        "dir-payments",
    ),
    Person("vp-digital", "Isabel Romero", "VP Digital Channels", "Digital", "VP", "cdo"),
    Person(
        "dir-mobile",
        "Owen Fletcher",
        "Director of Mobile Banking",
        "Digital",
        "DIRECTOR",
        "vp-digital",
    ),
    Person(
        "mgr-product",
        "Zara Ahmed",
        "Senior Product Manager, Online Banking",
        "Digital",
        "MANAGER",
        "dir-mobile",
    ),
    Person("mgr-data", "Lucas Petit", "Data Engineering Manager", "Digital", "MANAGER", "cdo"),
    Person("vp-retail", "Jennifer Hale", "SVP Retail Banking", "Retail Banking", "VP", "ceo"),
    Person(
        "dir-branch",
        "Michael Grant",
        "Director of Branch Network",
        "Retail Banking",
        "DIRECTOR",
        "vp-retail",
    ),
    Person("dir-legal", "Helena Novak", "Deputy General Counsel", "Legal", "DIRECTOR", "ceo"),
    Person(
        "dir-transform",
        "Robert Nakamura",
        "Director, Transformation Office",
        "Strategy",
        "DIRECTOR",
        "coo",
    ),
    Person("cos", "Amelia Hart", "Chief of Staff to the CEO", "Executive", "DIRECTOR", "ceo"),
]

# Concern templates by department: (concern, weight), strongest first.
DEPARTMENT_CONCERNS: dict[str, list[tuple[str, float]]] = {
    "Executive": [("c-board-visibility", 0.9), ("c-revenue-growth", 0.7), ("c-total-cost", 0.5)],
    "Finance": [("c-total-cost", 0.9), ("c-budget-timing", 0.8), ("c-vendor-risk", 0.4)],
    "Technology": [("c-integration", 0.8), ("c-downtime", 0.7), ("c-workload", 0.5)],
    "Security": [("c-security", 1.0), ("c-vendor-risk", 0.6), ("c-integration", 0.4)],
    "Risk": [("c-security", 0.8), ("c-downtime", 0.7), ("c-board-visibility", 0.5)],
    "Procurement": [("c-total-cost", 0.9), ("c-vendor-risk", 0.8)],
    "Operations": [("c-downtime", 0.9), ("c-team-productivity", 0.7), ("c-workload", 0.5)],
    "Digital": [("c-revenue-growth", 0.9), ("c-scalability", 0.6), ("c-team-productivity", 0.5)],
    "Retail Banking": [("c-revenue-growth", 0.8), ("c-downtime", 0.6), ("c-change-fatigue", 0.5)],
    "Legal": [("c-security", 0.8), ("c-vendor-risk", 0.7)],
    "Strategy": [
        ("c-change-fatigue", 0.9),
        ("c-board-visibility", 0.6),
        ("c-team-productivity", 0.5),
    ],
}

# Concern categories a department's everyday ties tend to be about (used for edge topics).
DEPARTMENT_TOPICS: dict[str, list[str]] = {
    "Executive": ["POLITICAL", "GROWTH"],
    "Finance": ["FINANCIAL"],
    "Technology": ["TECHNICAL", "RISK"],
    "Security": ["RISK", "TECHNICAL"],
    "Risk": ["RISK"],
    "Procurement": ["FINANCIAL", "RISK"],
    "Operations": ["RISK", "EFFICIENCY"],
    "Digital": ["GROWTH", "TECHNICAL"],
    "Retail Banking": ["GROWTH"],
    "Legal": ["RISK"],
    "Strategy": ["POLITICAL", "EFFICIENCY"],
}

# Hand-set concerns where the story needs them (overrides the template). vp-retail and the
# chief of staff are left with no known concerns on purpose: discovery is the first action.
CONCERN_OVERRIDES: dict[str, list[tuple[str, float]]] = {
    "cfo": [("c-total-cost", 1.0), ("c-budget-timing", 0.7), ("c-board-visibility", 0.4)],
    "cio": [("c-integration", 0.8), ("c-vendor-risk", 0.7), ("c-board-visibility", 0.6)],
    "coo": [("c-downtime", 1.0), ("c-team-productivity", 0.7), ("c-change-fatigue", 0.5)],
    "cro": [("c-security", 0.9), ("c-downtime", 0.8), ("c-career", 0.3)],
    "ciso": [("c-security", 1.0), ("c-vendor-risk", 0.8), ("c-workload", 0.3)],
    "cdo": [("c-revenue-growth", 1.0), ("c-board-visibility", 0.6), ("c-scalability", 0.5)],
    "vp-infra": [("c-change-fatigue", 0.9), ("c-career", 0.7), ("c-downtime", 0.6)],
    "vp-retail": [],
    "cos": [],
    "vp-platform": [("c-downtime", 0.8), ("c-career", 0.6), ("c-integration", 0.6)],
    "dir-sre": [("c-downtime", 1.0), ("c-workload", 0.8)],
}
# People whose concerns have simply not been discovered yet (no entry at all).
UNKNOWN_CONCERNS = {"vp-retail", "cos", "eng-platform", "mgr-service", "mgr-contact", "mgr-data"}

COACHED_ON: dict[str, list[tuple[str, float]]] = {
    "vp-platform": [
        ("a-tech-integration", 0.9),
        ("a-strategic-platform", 0.8),
        ("a-roi-payback", 0.5),
    ],
    "dir-sre": [("a-shepherd-outage", 0.9), ("a-tech-integration", 0.7), ("a-shepherd-audit", 0.4)],
    "vp-digital": [("a-gold-launch", 0.8), ("a-gold-uptime", 0.5)],
    "dir-arch": [("a-tech-integration", 0.8), ("a-tech-security", 0.6)],
    "cio": [("a-strategic-platform", 0.5)],
    "dir-payments": [("a-shepherd-outage", 0.7), ("a-roi-headcount", 0.4)],
}

HEARD: dict[str, list[tuple[str, str]]] = {
    "cfo": [("a-roi-payback", "POSITIVE")],
    "ciso": [("a-tech-security", "NEUTRAL")],
    "vp-infra": [("a-strategic-platform", "NEGATIVE")],
    "cro": [("a-shepherd-audit", "POSITIVE")],
}

# (from, to, strength, topics, evidence): the deliberate lines of the story.
KEY_INFLUENCES: list[tuple[str, str, float, list[str], str | None]] = [
    (
        "vp-platform",
        "cio",
        0.75,
        [],
        "Aisha's most trusted engineering lead; co-wrote the 2026 technology strategy",
    ),
    (
        "vp-platform",
        "cdo",
        0.6,
        ["GROWTH", "TECHNICAL"],
        "Runs the platform every digital launch depends on",
    ),
    ("vp-platform", "mgr-techfin", 0.4, ["FINANCIAL"], None),
    (
        "dir-sre",
        "vp-ops",
        0.6,
        ["RISK", "EFFICIENCY"],
        "Runs the payments incident bridge Teresa joins at every P1",
    ),
    ("dir-sre", "dir-secops", 0.5, [], "Shares the incident bridge rota with Security Operations"),
    ("dir-sre", "dir-oprisk", 0.4, ["RISK"], None),
    ("vp-ops", "coo", 0.7, [], "Martin's operational right hand"),
    ("vp-digital", "cdo", 0.75, [], None),
    (
        "vp-digital",
        "vp-retail",
        0.6,
        ["GROWTH"],
        "Co-owns the online-banking revenue target with Retail",
    ),
    ("dir-arch", "cio", 0.7, ["TECHNICAL"], "Chairs the architecture review board"),
    ("dir-arch", "ciso", 0.4, ["TECHNICAL", "RISK"], None),
    ("dir-secops", "ciso", 0.7, [], None),
    (
        "eng-secarch",
        "ciso",
        0.6,
        ["TECHNICAL", "RISK"],
        "Writes every security assessment Hiroshi signs",
    ),
    ("dir-oprisk", "cro", 0.7, [], None),
    ("vp-fpa", "cfo", 0.7, ["FINANCIAL"], "Owns the technology budget review"),
    ("dir-procurement", "cfo", 0.6, ["FINANCIAL"], None),
    ("cos", "cfo", 0.4, [], None),
    ("cos", "coo", 0.4, [], None),
    ("cos", "ceo", 0.8, [], None),
    ("coo", "cfo", 0.5, [], None),
    ("cfo", "coo", 0.4, [], None),
    ("cio", "cfo", 0.5, ["TECHNICAL", "RISK", "FINANCIAL"], None),
    ("cro", "cfo", 0.6, ["RISK"], "The CFO will not overrule the CRO on operational risk"),
    ("cro", "ciso", 0.5, ["RISK"], None),
    ("ciso", "cro", 0.6, ["RISK", "TECHNICAL"], None),
    ("cdo", "vp-retail", 0.5, [], None),
    ("vp-retail", "cdo", 0.4, [], None),
    ("dir-infra-ops", "vp-infra", 0.8, [], "Greg's deputy in all but title"),
    ("dir-infra-ops", "dir-secops", 0.5, ["TECHNICAL"], None),
    ("vp-infra", "cio", 0.6, [], None),
    ("vp-infra", "coo", 0.4, ["RISK"], "Ran the 2024 data-centre migration for Martin"),
    ("mgr-cloud", "dir-infra-ops", 0.5, ["TECHNICAL"], None),
    ("dir-payments", "vp-retail", 0.4, ["RISK"], None),
    ("dir-transform", "coo", 0.6, ["POLITICAL", "EFFICIENCY"], None),
    ("dir-legal", "cro", 0.4, ["RISK"], None),
    ("ceo", "cfo", 0.7, [], None),
    ("ceo", "coo", 0.6, [], None),
    ("ceo", "vp-retail", 0.7, [], None),
]

CONFLICTS: list[tuple[str, str, float, str | None]] = [
    (
        "vp-platform",
        "vp-infra",
        0.7,
        "Platform Engineering took over the cloud estate from Infrastructure in 2025",
    ),
    ("vp-infra", "vp-platform", 0.5, None),
    ("dir-sre", "dir-infra-ops", 0.5, "Disputed ownership of the 14 March payments outage"),
    (
        "dir-procurement",
        "vp-digital",
        0.4,
        "Digital bought two tools outside procurement last year",
    ),
]

# (key, role, stance, veto, voteWeight, stanceEvidence)
COMMITTEE: list[tuple[str, str, str, bool, int, str | None]] = [
    (
        "cfo",
        "ECONOMIC_BUYER",
        "NEUTRAL",
        False,
        2,
        "Liked the payback model; wants it re-run on the bank's own incident costs",
    ),
    ("cio", "APPROVER", "SUPPORTER", False, 2, "Sponsored the proof of concept"),
    ("coo", "APPROVER", "UNKNOWN", False, 1, None),
    ("cro", "APPROVER", "NEUTRAL", False, 1, None),
    (
        "ciso",
        "APPROVER",
        "SKEPTIC",
        False,
        1,
        "Open findings on SaaS data residency from last year's vendor review",
    ),
    ("cdo", "APPROVER", "SUPPORTER", False, 1, None),
    (
        "vp-infra",
        "APPROVER",
        "SKEPTIC",
        False,
        1,
        "Sees the deal as Platform Engineering taking more of his estate",
    ),
    ("vp-retail", "APPROVER", "UNKNOWN", False, 1, None),
    (
        "vp-platform",
        "DECISION_MAKER",
        "CHAMPION",
        False,
        1,
        "Owns the business case and the consolidation roadmap",
    ),
    (
        "dir-sre",
        "TECHNICAL_EVALUATOR",
        "CHAMPION",
        False,
        1,
        "Ran the proof of concept; presented the results to the CIO staff meeting",
    ),
    ("dir-arch", "TECHNICAL_EVALUATOR", "SUPPORTER", False, 1, None),
    ("vp-digital", "USER_BUYER", "SUPPORTER", False, 1, None),
    ("dir-payments", "USER_BUYER", "SUPPORTER", False, 1, None),
    (
        "mgr-cloud",
        "TECHNICAL_EVALUATOR",
        "SUPPORTER",
        False,
        1,
        "Says she supports us in meetings; her team standardised on Apex's agent",
    ),
    ("dir-infra-ops", "TECHNICAL_EVALUATOR", "NEUTRAL", False, 1, None),
    ("dir-secops", "TECHNICAL_EVALUATOR", "NEUTRAL", False, 1, None),
    ("vp-ops", "USER_BUYER", "NEUTRAL", False, 1, None),
    ("vp-fpa", "INFLUENCER", "NEUTRAL", False, 1, None),
    ("dir-oprisk", "INFLUENCER", "NEUTRAL", False, 1, None),
    ("dir-procurement", "PROCUREMENT", "NEUTRAL", False, 1, None),
    ("dir-legal", "LEGAL", "UNKNOWN", False, 1, None),
    ("cos", "GATEKEEPER", "NEUTRAL", False, 1, None),
]

OPP = "opp-harborline-observability"
ALT_OURS = "alt-harborline-obs-ours"
ALT_APEX = "alt-harborline-obs-apex"
ALT_SQ = "alt-harborline-obs-sq"
ALT_BUILD = "alt-harborline-obs-build"

# (key, alternative, strength, evidence)
ADVOCACY: list[tuple[str, str, float, str | None]] = [
    ("vp-platform", ALT_OURS, 0.9, None),
    ("dir-sre", ALT_OURS, 0.9, None),
    ("dir-arch", ALT_OURS, 0.6, None),
    ("vp-digital", ALT_OURS, 0.7, None),
    ("cio", ALT_OURS, 0.5, None),
    ("dir-payments", ALT_OURS, 0.6, None),
    ("mgr-cloud", ALT_OURS, 0.3, None),
    ("mgr-cloud", ALT_APEX, 0.6, "Her team runs Apex agents on every cloud account"),
    (
        "dir-infra-ops",
        ALT_APEX,
        0.7,
        "Former Apex customer at his previous bank; hosted the Apex demo",
    ),
    ("vp-infra", ALT_SQ, 0.6, "Would rather renew the current tools than hand scope to Platform"),
    ("mgr-db", ALT_BUILD, 0.4, None),
]


BY_KEY: dict[str, Person] = {p.key: p for p in ROSTER}


def ext(key: str) -> str:
    """Stakeholder externalId from the roster key: ``p-harborline-<first>-<last>``."""
    slug = re.sub(r"[^a-z]+", "-", BY_KEY[key].name.lower()).strip("-")
    return PREFIX + slug


def email(person: Person) -> str:
    first, last = person.name.lower().replace("'", "").split(" ", 1)
    return f"{first}.{last.replace(' ', '')}@{DOMAIN}"


def build_influences(rng: random.Random) -> list[dict[str, Any]]:
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add(src: str, dst: str, strength: float, topics: list[str], evidence: str | None) -> None:
        if src == dst or (src, dst) in edges:
            return
        edge: dict[str, Any] = {"from": ext(src), "to": ext(dst), "strength": strength}
        if topics:
            edge["topics"] = topics
        if evidence:
            edge["evidence"] = evidence
        edges[(src, dst)] = edge

    for src, dst, strength, topics, evidence in KEY_INFLUENCES:
        add(src, dst, strength, topics, evidence)
    # Reporting lines: managers move their reports, reports move their managers somewhat less.
    for person in ROSTER:
        if person.reports_to is None:
            continue
        add(person.reports_to, person.key, round(rng.uniform(0.55, 0.8), 2), [], None)
        add(person.key, person.reports_to, round(rng.uniform(0.35, 0.65), 2), [], None)
    # Everyday ties: fill everyone up to OUT_DEGREE, mostly within the department.
    keys = [p.key for p in ROSTER]
    for person in ROSTER:
        same_dept = [k for k in keys if BY_KEY[k].department == person.department]
        while sum(1 for s, _ in edges if s == person.key) < OUT_DEGREE:
            pool = same_dept if rng.random() < 0.6 and len(same_dept) > 2 else keys
            target = rng.choice(pool)
            if target == person.key or (person.key, target) in edges:
                continue
            tie_topics: list[str] = []
            if rng.random() < 0.3:
                tie_topics = sorted(DEPARTMENT_TOPICS[person.department])
            add(person.key, target, round(rng.uniform(0.25, 0.5), 2), tie_topics, None)
    return sorted(edges.values(), key=lambda e: (e["from"], e["to"]))


def build_stakeholders() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for person in ROSTER:
        entry: dict[str, Any] = {
            "externalId": ext(person.key),
            "name": person.name,
            "title": person.title,
            "department": person.department,
            "seniority": person.seniority,
            "email": email(person),
        }
        if person.reports_to is not None:
            entry["reportsTo"] = ext(person.reports_to)
        if person.key not in UNKNOWN_CONCERNS:
            concerns = CONCERN_OVERRIDES.get(person.key, DEPARTMENT_CONCERNS[person.department])
            entry["concerns"] = [{"concern": c, "weight": w} for c, w in concerns]
        if person.key in COACHED_ON:
            entry["coachedOn"] = [
                {"argument": a, "readiness": r} for a, r in COACHED_ON[person.key]
            ]
        if person.key in HEARD:
            entry["heard"] = [{"argument": a, "reception": r} for a, r in HEARD[person.key]]
        out.append(entry)
    return out


def build_document() -> dict[str, Any]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    committee: list[dict[str, Any]] = []
    for key, role, stance, veto, weight, evidence in COMMITTEE:
        seat: dict[str, Any] = {"stakeholder": ext(key), "role": role, "stance": stance}
        if veto:
            seat["veto"] = True
        if weight != 1:
            seat["voteWeight"] = weight
        if evidence:
            seat["stanceEvidence"] = evidence
        committee.append(seat)
    advocacy: list[dict[str, Any]] = []
    for key, alternative, strength, evidence in ADVOCACY:
        entry: dict[str, Any] = {
            "stakeholder": ext(key),
            "alternative": alternative,
            "strength": strength,
        }
        if evidence:
            entry["evidence"] = evidence
        advocacy.append(entry)
    account: dict[str, Any] = {
        "externalId": "acct-harborline",
        "name": "Harborline Bank",
        "industry": "Financial Services",
        "employees": 18500,
        "region": "North America",
        "domain": DOMAIN,
        "isReference": False,
        "stakeholders": build_stakeholders(),
        "influences": build_influences(rng),
        "conflicts": [
            {"from": ext(a), "to": ext(b), "strength": s, **({"evidence": e} if e else {})}
            for a, b, s, e in CONFLICTS
        ],
        "opportunities": [
            {
                "externalId": OPP,
                "name": "Enterprise observability consolidation",
                "amount": 2400000,
                "currency": "USD",
                "stage": "PROPOSAL",
                "closeDate": "2027-06-30",
                "decisionRule": "MAJORITY",
                "alternatives": [
                    {"externalId": ALT_OURS, "name": "Lumen Reliability Cloud", "kind": "OURS"},
                    {
                        "externalId": ALT_APEX,
                        "name": "Apex Observability Suite",
                        "kind": "COMPETITOR",
                    },
                    {
                        "externalId": ALT_SQ,
                        "name": "Keep the current five-tool estate",
                        "kind": "STATUS_QUO",
                    },
                    {
                        "externalId": ALT_BUILD,
                        "name": "In-house platform on open-source tooling",
                        "kind": "BUILD",
                    },
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
