"""Synthetic accounts as account documents (docs/document.md), for benchmarks and end-to-end tests.

``generate_account_document(n, seed)`` returns one document: the playbook (10 concerns, 12
arguments), the account with ``n`` stakeholders in departments of about 20 (an org chart,
about 10 influence edges each, mostly inside the department, a third of them limited to
topics), a few conflicts, and one opportunity whose committee has 8-15 seats with 3-5
approvers, champions, supporters and opponents, plus advocacy. Two small reference accounts
(``isReference: true``, no stakeholders) follow the main account so HERD arguments can cite
them; the main account is always ``accounts[0]``. The same (n, seed) gives the same document.
"""

from __future__ import annotations

import random
from typing import Any

CATEGORIES = ["FINANCIAL", "RISK", "GROWTH", "EFFICIENCY", "TECHNICAL", "POLITICAL", "PERSONAL"]
KINDS = ["HERD", "GOLD_MEDAL", "GERMAN_SHEPHERD", "ROI", "TECHNICAL_PROOF", "STRATEGIC"]
RULES = ["UNANIMOUS", "MAJORITY", "THRESHOLD", "ECONOMIC_BUYER"]
CONCERN_NAMES = [
    "Budget overrun",
    "Operational downtime",
    "Revenue growth",
    "Team productivity",
    "Integration effort",
    "Board visibility",
    "Career risk",
    "Compliance exposure",
    "Time to value",
    "Vendor lock-in",
]
FIRST = ["Dana", "Chris", "Lee", "Sam", "Ivan", "Maya", "Noor", "Omar", "Priya", "Tom", "Uma"]
LAST = ["Whitfield", "Novak", "Park", "Roe", "Petrov", "Singh", "Haddad", "Berg", "Costa", "Ito"]
DEPARTMENTS = ["Operations", "Finance", "IT", "Procurement", "Legal", "Sales", "Logistics"]
SENIORITY = ["IC", "MANAGER", "DIRECTOR", "VP", "C_LEVEL"]
DEPARTMENT_SIZE = 20
INFLUENCES_PER_STAKEHOLDER = 10


def generate_account_document(n: int, seed: int = 0) -> dict[str, Any]:
    """One account of ``n`` stakeholders (n >= 20) with its playbook and one opportunity."""
    if n < 20:
        msg = "an account needs at least 20 stakeholders to seat a realistic committee"
        raise ValueError(msg)
    rng = random.Random(seed * 1_000_003 + n)
    account = f"acct-{n}-{seed}"
    references = [
        {
            "externalId": "ref-northwind",
            "name": "Northwind Freight",
            "industry": "Logistics",
            "isReference": True,
        },
        {
            "externalId": "ref-contoso",
            "name": "Contoso Retail",
            "industry": "Retail",
            "isReference": True,
        },
    ]
    # The playbook is the tenant's, so every document carries the same one.
    playbook_rng = random.Random(7)
    concerns = [
        {"externalId": f"c-{i}", "name": CONCERN_NAMES[i], "category": CATEGORIES[i % 7]}
        for i in range(10)
    ]
    arguments = []
    for i in range(12):
        kind = KINDS[i % len(KINDS)]
        addressed = playbook_rng.sample(range(10), playbook_rng.randint(1, 3))
        arguments.append(
            {
                "externalId": f"a-{i}",
                "title": f"{kind.replace('_', ' ').title()} argument #{i}",
                "kind": kind,
                "talkTrack": "Open with the customer's own numbers, then the proof.",
                "proofPoints": [f"Proof point {i}.1", f"Proof point {i}.2"],
                "cites": ["ref-northwind" if i % 2 == 0 else "ref-contoso"]
                if kind == "HERD"
                else [],
                "addresses": [
                    {"concern": f"c-{c}", "fit": round(playbook_rng.uniform(0.3, 1.0), 2)}
                    for c in addressed
                ],
            }
        )

    people = [f"{account}-p-{i}" for i in range(n)]
    department_of = {p: i // DEPARTMENT_SIZE for i, p in enumerate(people)}
    members: dict[int, list[str]] = {}
    for p, d in department_of.items():
        members.setdefault(d, []).append(p)

    committee_size = rng.randint(8, min(15, n // 2))
    seated = rng.sample(people, committee_size)
    approver_count = rng.randint(3, 5)
    approvers, rest = seated[:approver_count], seated[approver_count:]
    cuts = [rng.randint(1, 2), rng.randint(1, 2), rng.randint(1, 3)]
    champions = rest[: cuts[0]]
    supporters = rest[cuts[0] : cuts[0] + cuts[1]]
    opponents = rest[cuts[0] + cuts[1] : sum(cuts)]
    others = rest[sum(cuts) :]

    stakeholders = []
    for i, p in enumerate(people):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        head = members[department_of[p]][0]
        department = DEPARTMENTS[department_of[p] % len(DEPARTMENTS)]
        seniority = "C_LEVEL" if i == 0 else "VP" if p == head else rng.choice(SENIORITY[:3])
        entry: dict[str, Any] = {
            "externalId": p,
            "name": f"{first} {last}",
            "title": f"{seniority.replace('_', '-').title()} {department}",
            "department": department,
            "seniority": seniority,
            "email": f"{first.lower()}.{last.lower()}.{i}@{account}.example",
            "concerns": [],
            "coachedOn": [],
            "heard": [],
        }
        if p != head:
            entry["reportsTo"] = head
        elif i > 0:
            entry["reportsTo"] = people[0]
        # One approver in five has unknown concerns: discovery is part of the job.
        knows = p not in approvers[1:2] and (p in seated or rng.random() < 0.6)
        if knows:
            entry["concerns"] = [
                {"concern": f"c-{c}", "weight": round(rng.uniform(0.2, 1.0), 2)}
                for c in rng.sample(range(10), rng.randint(1, 3))
            ]
        if p in champions or p in supporters:
            entry["coachedOn"] = [
                {"argument": f"a-{a}", "readiness": round(rng.uniform(0.2, 1.0), 2)}
                for a in rng.sample(range(12), 4)
            ]
        if p in approvers and rng.random() < 0.5:
            entry["heard"] = [
                {
                    "argument": f"a-{rng.randrange(12)}",
                    "reception": rng.choice(["POSITIVE", "NEUTRAL", "NEGATIVE"]),
                }
            ]
        stakeholders.append(entry)

    influences = []
    for p in people:
        local = [q for q in members[department_of[p]] if q != p]
        targets: set[str] = set()
        while len(targets) < min(INFLUENCES_PER_STAKEHOLDER, n - 1):
            pool = local if rng.random() < 0.7 and len(targets) < len(local) else people
            q = rng.choice(pool)
            if q != p:
                targets.add(q)
        for q in sorted(targets):
            topics = [] if rng.random() < 0.6 else rng.sample(CATEGORIES, rng.randint(1, 2))
            influences.append(
                {
                    "from": p,
                    "to": q,
                    "strength": round(rng.uniform(0.2, 0.95), 2),
                    "topics": sorted(topics),
                }
            )
    conflicts = []
    conflict_pairs: set[tuple[str, str]] = set()
    while len(conflict_pairs) < max(2, n // 20):
        p, q = rng.sample(people, 2)
        conflict_pairs.add((p, q))
    for p, q in sorted(conflict_pairs):
        conflicts.append({"from": p, "to": q, "strength": round(rng.uniform(0.3, 0.9), 2)})

    rule = RULES[seed % len(RULES)]
    us, rival, status_quo = (f"{account}-alt-{kind}" for kind in ("us", "rival", "sq"))
    committee = []
    for index, p in enumerate(approvers):
        role = "ECONOMIC_BUYER" if index == 0 else ("LEGAL" if index == 3 else "APPROVER")
        committee.append(
            {
                "stakeholder": p,
                "role": role,
                "stance": rng.choice(["NEUTRAL", "UNKNOWN", "SKEPTIC", "SUPPORTER"]),
                "veto": role != "APPROVER",
                "voteWeight": 2 if index == 0 else 1,
            }
        )
    committee += [{"stakeholder": p, "role": "INFLUENCER", "stance": "CHAMPION"} for p in champions]
    committee += [
        {"stakeholder": p, "role": "TECHNICAL_EVALUATOR", "stance": "SUPPORTER"} for p in supporters
    ]
    committee += [
        {"stakeholder": p, "role": "USER_BUYER", "stance": rng.choice(["SKEPTIC", "BLOCKER"])}
        for p in opponents
    ]
    committee += [
        {
            "stakeholder": p,
            "role": rng.choice(["INFLUENCER", "PROCUREMENT", "GATEKEEPER"]),
            "stance": rng.choice(["NEUTRAL", "UNKNOWN"]),
        }
        for p in others
    ]
    advocacy = [
        {"stakeholder": p, "alternative": us, "strength": round(rng.uniform(0.6, 0.95), 2)}
        for p in champions + supporters
    ]
    advocacy += [
        {
            "stakeholder": p,
            "alternative": rng.choice([rival, status_quo]),
            "strength": round(rng.uniform(0.5, 0.9), 2),
        }
        for p in opponents
    ]
    unseated = [p for p in people if p not in seated]
    advocacy.append({"stakeholder": rng.choice(unseated), "alternative": rival, "strength": 0.7})
    opportunity: dict[str, Any] = {
        "externalId": f"opp-{n}-{seed}",
        "name": f"Fleet telematics ({n})",
        "amount": 480000,
        "currency": "USD",
        "stage": "PROPOSAL",
        "closeDate": "2027-03-31",
        "decisionRule": rule,
        "alternatives": [
            {"externalId": us, "name": "Our platform", "kind": "OURS"},
            {"externalId": rival, "name": "Rival suite", "kind": "COMPETITOR"},
            {"externalId": status_quo, "name": "Keep spreadsheets", "kind": "STATUS_QUO"},
        ],
        "committee": committee,
        "advocacy": advocacy,
    }
    if rule == "THRESHOLD":
        opportunity["threshold"] = 0.6
    main = {
        "externalId": account,
        "name": f"Acme Logistics {n}",
        "industry": "Logistics",
        "employees": n * 10,
        "region": "EMEA",
        "isReference": False,
        "stakeholders": stakeholders,
        "influences": influences,
        "conflicts": conflicts,
        "opportunities": [opportunity],
    }
    return {
        "playbook": {"concerns": concerns, "arguments": arguments},
        "accounts": [
            main,
            *(
                {**ref, "stakeholders": [], "influences": [], "conflicts": [], "opportunities": []}
                for ref in references
            ),
        ],
    }
