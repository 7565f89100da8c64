"""CRM import throughput: a generated Salesforce (or HubSpot) export merged into Neo4j.

The generator writes what a real org exports: accounts of very different sizes (a few large
ones, many small), contacts in an org chart (``ReportsToId``), titles with commas and line
breaks, a few contacts whose manager is outside the export, 15- and 18-character Ids mixed,
several opportunities per account with three to six contact roles each (a few unmapped
custom roles, a few contacts with two roles on one deal), closed-won and closed-lost deals,
and departures in ``AccountContactRelation.csv``. Timed, against a real Neo4j: reading the
files into a batch (no database), the first import, a re-run of the same files (changes
nothing), a dry run of an export with one contact in ten changed, and that import for real.
Neo4j is a throwaway local server (temporary home, free port) unless ``NEO4J_URI`` is set;
each run uses a fresh tenant.

    .venv/bin/python benchmarks/crm_bench.py [--contacts 50000] [--opportunities 5000]
        [--source salesforce|hubspot] [--seed 1] [--write DIR]

``--write DIR`` also leaves the generated files in DIR, for ``graph-api import-crm``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import itertools
import os
import random
import shutil
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from neo4j.exceptions import TransientError

from graph_api.config import Settings
from graph_api.crm import read_export
from graph_api.crm.ids import salesforce_id
from graph_api.crm.records import CrmBatch, CrmReport, CrmSource
from graph_api.db.driver import open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import Role
from graph_api.domain.principal import Principal
from graph_api.repositories.crm import merge_batch

PASSWORD = "flagbearer-bench"
TODAY = date(2026, 6, 1)
FIRST = [
    "Dana",
    "Carla",
    "Lee",
    "Ivan",
    "Zoë",
    "Nora",
    "Jonas",
    "Mia",
    "Ola",
    "Eva",
    "Kari",
    "Matteo",
    "Giulia",
    "Stefan",
    "Ines",
    "Jakob",
    "Amira",
    "Tomás",
    "Yuki",
    "Priya",
]
LAST = [
    "Whitfield",
    "Ortiz",
    "Chen",
    "Petrov",
    "Müller",
    "Berg",
    "Lund",
    "Nord",
    "Dahl",
    "Holm",
    "Ricci",
    "Ferraro",
    "Vogel",
    "Carvalho",
    "Weiss",
    "O'Neill",
    "Nakamura",
]
TITLES = [
    "Chief Financial Officer",
    "VP, Operations",
    "Head of\nProcurement",
    "IT Director",
    'Engineer "Platform"',
    "Plant Manager",
    "Director, Supply Chain",
    "CIO",
    "Analyst",
]
DEPARTMENTS = ["Finance", "Operations", "Procurement", "IT", "Engineering", "Legal"]
INDUSTRIES = ["Transportation", "Healthcare", "Manufacturing", "Retail", "Energy"]
SF_ROLES = [
    "Economic Buyer",
    "Decision Maker",
    "Executive Sponsor",
    "Technical Buyer",
    "Evaluator",
    "Business User",
    "Influencer",
    "Other",
    "Procurement Lead",
]
SF_STAGES = [
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Technical Validation",
    "Closed Won",
    "Closed Lost",
]
HS_ROLES = [
    "Budget Holder",
    "Decision Maker",
    "Executive Sponsor",
    "End User",
    "Influencer",
    "Champion",
    "Blocker",
    "Legal & Compliance",
    "Procurement Gatekeeper",
]
HS_STAGES = [
    "Appointment Scheduled",
    "Qualified To Buy",
    "Presentation Scheduled",
    "Decision Maker Bought-In",
    "Contract Sent",
    "Closed Won",
    "Closed Lost",
]


def _csv(header: list[str], rows: list[list[Any]], crlf: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue() if crlf else out.getvalue()


def _sizes(rng: random.Random, total: int, buckets: int, minimum: int) -> list[int]:
    """``total`` spread over ``buckets`` heavy-tailed (a few enterprises, many small
    companies), each at least ``minimum``."""
    if total < minimum * buckets:
        raise SystemExit(f"{total} is too few for {buckets} accounts")
    weights = [rng.paretovariate(1.3) for _ in range(buckets)]
    scale = (total - minimum * buckets) / sum(weights)
    sizes = [minimum + int(w * scale) for w in weights]
    largest = sorted(range(buckets), key=lambda i: -weights[i])
    for i in itertools.islice(itertools.cycle(largest), total - sum(sizes)):
        sizes[i] += 1  # what the rounding left over goes to the largest
    return sizes


_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class _Ids:
    """Salesforce Ids by object prefix, sometimes written in their 15-character form."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.n = rng, 0

    def new(self, prefix: str) -> str:
        self.n += 1
        n, tail = self.n * 7919, ""
        while n:
            n, digit = divmod(n, 62)
            tail = _BASE62[digit] + tail
        return salesforce_id(f"{prefix}A{tail:0>11}")

    def written(self, id18: str) -> str:
        return id18[:15] if self.rng.random() < 0.3 else id18


def generate_salesforce(contacts: int, opportunities: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    ids = _Ids(rng)
    sizes = _sizes(rng, contacts, max(1, contacts // 20), 1)
    accounts: list[list[Any]] = []
    people: list[list[Any]] = []
    deals: list[list[Any]] = []
    roles: list[list[Any]] = []
    relations: list[list[Any]] = []
    staff_of: list[list[str]] = []
    for size in sizes:
        account = ids.new("001")
        suffix = rng.choice(["Inc.", "GmbH", "S.p.A.", "Ltd"])
        accounts.append(
            [
                ids.written(account),
                f"{rng.choice(LAST)} {suffix}, {account[-6:]}",
                rng.choice(INDUSTRIES),
                rng.randrange(10, 100_000),
                "Prospect",
            ]
        )
        staff: list[str] = []
        for i in range(size):
            me = ids.new("003")
            manager = staff[rng.randrange(len(staff) // 3 + 1)] if staff else ""
            if manager and rng.random() < 0.01:
                manager = ids.new("003")  # a manager outside the export
            people.append(
                [
                    ids.written(me),
                    ids.written(account),
                    rng.choice(FIRST),
                    rng.choice(LAST),
                    rng.choice(TITLES),
                    rng.choice(DEPARTMENTS),
                    f"p{len(people)}@{account[-6:].lower()}.example",
                    ids.written(manager) if manager else "",
                ]
            )
            staff.append(me)
            if i and rng.random() < 0.02:
                relations.append(
                    [
                        ids.written(account),
                        ids.written(me),
                        "",
                        "false",
                        (TODAY - timedelta(days=rng.randrange(1, 400))).isoformat(),
                    ]
                )
        staff_of.append(staff)
    per_account = _sizes(rng, opportunities, len(sizes), 0)
    for row, staff, count in zip(accounts, staff_of, per_account, strict=True):
        account = row[0]
        for _ in range(count):
            deal = ids.new("006")
            stage = rng.choice(SF_STAGES)
            closed = stage.startswith("Closed")
            deals.append(
                [
                    ids.written(deal),
                    account,
                    f"Deal {deal[-6:]}",
                    stage,
                    rng.randrange(5, 2000) * 1000,
                    "USD",
                    (TODAY + timedelta(days=rng.randrange(-300, 300))).isoformat(),
                    str(closed).lower(),
                    str(stage == "Closed Won").lower(),
                ]
            )
            for contact in rng.sample(staff, min(len(staff), rng.randrange(3, 7))):
                roles.append([ids.written(deal), ids.written(contact), rng.choice(SF_ROLES)])
                if rng.random() < 0.05:  # a second role for the same contact on the deal
                    roles.append([ids.written(deal), ids.written(contact), rng.choice(SF_ROLES)])
    return {
        "Account.csv": _csv(["Id", "Name", "Industry", "NumberOfEmployees", "Type"], accounts),
        "Contact.csv": _csv(
            [
                "Id",
                "AccountId",
                "FirstName",
                "LastName",
                "Title",
                "Department",
                "Email",
                "ReportsToId",
            ],
            people,
            crlf=False,
        ),
        "Opportunity.csv": _csv(
            [
                "Id",
                "AccountId",
                "Name",
                "StageName",
                "Amount",
                "CurrencyIsoCode",
                "CloseDate",
                "IsClosed",
                "IsWon",
            ],
            deals,
        ),
        "OpportunityContactRole.csv": _csv(["OpportunityId", "ContactId", "Role"], roles),
        "AccountContactRelation.csv": _csv(
            ["AccountId", "ContactId", "Roles", "IsActive", "EndDate"], relations
        ),
    }


def generate_hubspot(contacts: int, opportunities: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    n_accounts = max(1, contacts // 20)
    sizes = _sizes(rng, contacts, n_accounts, 1)
    companies, people, deals = [], [], []
    next_id = iter(range(1_000_000, 10_000_000))
    staff_of: list[list[str]] = []
    for size in sizes:
        company = str(next(next_id))
        companies.append(
            [
                company,
                f"{rng.choice(LAST)} & Co {company}",
                rng.choice(INDUSTRIES),
                rng.randrange(10, 50_000),
            ]
        )
        staff = []
        for _ in range(size):
            me = str(next(next_id))
            roles = ";".join(rng.sample(HS_ROLES, rng.randrange(0, 3)))
            people.append(
                [
                    me,
                    rng.choice(FIRST),
                    rng.choice(LAST),
                    rng.choice(TITLES),
                    f"{me}@example.com",
                    company,
                    roles,
                ]
            )
            staff.append(me)
        staff_of.append(staff)
    for (company, *_), staff, count in zip(
        companies, staff_of, _sizes(rng, opportunities, n_accounts, 0), strict=True
    ):
        for _ in range(count):
            contacts_on = ";".join(rng.sample(staff, min(len(staff), rng.randrange(3, 7))))
            deals.append(
                [
                    str(next(next_id)),
                    f"Deal for {company}",
                    rng.choice(HS_STAGES),
                    rng.randrange(5, 2000) * 1000,
                    (TODAY + timedelta(days=rng.randrange(-300, 300))).isoformat(),
                    company,
                    contacts_on,
                ]
            )
    return {
        "companies.csv": _csv(
            ["Record ID", "Company name", "Industry", "Number of Employees"], companies
        ),
        "contacts.csv": _csv(
            [
                "Record ID",
                "First Name",
                "Last Name",
                "Job Title",
                "Email",
                "Associated Company IDs",
                "Buying Role",
            ],
            people,
        ),
        "deals.csv": _csv(
            [
                "Record ID",
                "Deal Name",
                "Deal Stage",
                "Amount",
                "Close Date",
                "Associated Company IDs",
                "Associated Contact IDs",
            ],
            deals,
        ),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def neo4j_settings() -> Iterator[Settings]:
    if os.environ.get("NEO4J_URI"):
        yield Settings()
        return
    root = Path(tempfile.mkdtemp(prefix="flagbearer-crm-bench-"))
    server = LocalNeo4j(root / "neo4j", bolt_port=_free_port(), password=PASSWORD)
    try:
        status = server.start()
        yield Settings(NEO4J_URI=status.bolt_uri, NEO4J_PASSWORD=PASSWORD)
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _line(label: str, seconds: float, contacts: int) -> None:
    print(f"{label:<44} {seconds:>8.2f} s {contacts / seconds:>10,.0f} contacts/s")


def _changed(files: dict[str, str], source: CrmSource) -> dict[str, str]:
    """The export with one contact in ten given another title."""
    name = "Contact.csv" if source is CrmSource.SALESFORCE else "contacts.csv"
    rows = list(csv.reader(io.StringIO(files[name].removeprefix("\ufeff"), newline="")))
    title = rows[0].index("Title" if source is CrmSource.SALESFORCE else "Job Title")
    for row in rows[1::10]:
        row[title] = f"{row[title]} (acting)"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return {**files, name: out.getvalue()}


async def run(
    source: CrmSource, contacts: int, opportunities: int, seed: int, write: Path | None
) -> None:
    generate = generate_salesforce if source is CrmSource.SALESFORCE else generate_hubspot
    files = generate(contacts, opportunities, seed)
    if write is not None:
        write.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (write / name).write_text(text, encoding="utf-8", newline="")
    size = sum(len(t.encode()) for t in files.values())
    rows = {name: text.count("\n") for name, text in files.items()}
    print(
        f"{source.label} export: {size / 1e6:.1f} MB, "
        + ", ".join(f"{name} ~{n:,} lines" for name, n in rows.items())
    )

    start = time.perf_counter()
    batch: CrmBatch = read_export(source, files, None, TODAY)
    _line("read the files into a batch (no database)", time.perf_counter() - start, contacts)
    print(
        f"  {len(batch.accounts):,} accounts, {len(batch.stakeholders):,} contacts,"
        f" {len(batch.reporting_lines):,} reporting lines, {len(batch.opportunities):,}"
        f" opportunities, {len(batch.seats):,} seats, {len(batch.departures):,} departures;"
        f" {len(batch.problems):,} problems, {len(batch.review)} values to review"
    )

    with neo4j_settings() as config:
        database = open_database(config)
        await wait_until_ready(database)
        await apply_migrations(database)
        who = Principal(f"bench-{uuid.uuid4().hex[:8]}", Role.ADMIN, "bench")

        async def merge(label: str, given: dict[str, str], dry_run: bool = False) -> CrmReport:
            started = time.perf_counter()
            parsed = read_export(source, given, None, TODAY)
            report = await merge_batch(database, who, parsed, dry_run=dry_run, today=TODAY)
            _line(label, time.perf_counter() - started, contacts)
            return report

        try:
            first = await merge("first import (read + merge, one transaction)", files)
            again = await merge("re-run of the same files (no change)", files)
            edited = _changed(files, source)
            dry = await merge("dry run, 1 contact in 10 changed", edited, dry_run=True)
            real = await merge("import, 1 contact in 10 changed", edited)
        finally:
            await database.close()

    print(
        "first import: "
        + "; ".join(f"{kind} {c.created:,} created" for kind, c in first.counts.items())
    )
    assert first.counts["Stakeholder"].created == len(batch.stakeholders)
    assert not again.changed, "a re-run changed the map"
    assert dry.counts["Stakeholder"].updated == real.counts["Stakeholder"].updated > 0
    print(
        f"re-run changed nothing; 1-in-10 import updated"
        f" {real.counts['Stakeholder'].updated:,} contacts (the dry run said the same)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--opportunities", type=int, default=5_000)
    parser.add_argument("--source", choices=["salesforce", "hubspot"], default="salesforce")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", type=Path, default=None)
    arguments = parser.parse_args()
    try:
        asyncio.run(
            run(
                CrmSource[arguments.source.upper()],
                arguments.contacts,
                arguments.opportunities,
                arguments.seed,
                arguments.write,
            )
        )
    except TransientError as error:
        if "MemoryPoolOutOfMemoryError" not in str(error.code):
            raise
        sys.exit(f"the server's per-transaction memory cap is too small: {error.message}")


if __name__ == "__main__":
    main()
