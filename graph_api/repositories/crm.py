"""Merging a CRM batch into the map (README, CRM files in): one write transaction per run.

The run first looks up, by (tenantId, externalId), every account, stakeholder and
opportunity the batch names or references (one ``UNWIND`` per kind and batch of
:data:`BATCH_SIZE` keys), with what is stored of them; it then decides in Python what
changes (``graph_api.crm.rules``) and writes only that: new nodes with their link to the
account, changed properties, reporting lines, seats and departures, each kind as ``UNWIND``
batches that reach nodes by element id (held for this transaction only). A re-run of the
same files finds nothing to write: no property, no ``updatedAt``, no audit record moves.

The run is atomic: a failure anywhere rolls everything back. A dry run executes the very
same statements and then rolls the transaction back, so its report is exactly what a real
run would have answered. Every change is audited like the other writes: one ``Change`` per
changed field of an existing node or seat (and per departure and reporting line), plus one
``IMPORT`` record per account summarising what the run created under it.

What the map alone knows is never written here: influences, conflicts, concerns, coaching,
advocacy, alternatives, a seat's veto, vote weight and a stance set in the map, the
decision rule. References that resolve to nothing (a contact whose account is in neither
the files nor the map, a manager Id outside the export) are reported with their file, line
and column and left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.crm.records import (
    ACCOUNT,
    OPPORTUNITY,
    REPORTING_LINE,
    SEAT,
    STAKEHOLDER,
    CrmBatch,
    CrmProblem,
    CrmReport,
    Location,
    ReviewItem,
    Severity,
)
from graph_api.crm.rules import changed_props, new_seat, seat_decision
from graph_api.db.driver import Database
from graph_api.domain.ids import new_id
from graph_api.domain.principal import Principal
from graph_api.repositories.audit import (
    ChangeRecord,
    now_iso,
    record_changes,
    relationship_key,
)

BATCH_SIZE = 5_000
_PLURAL = {ACCOUNT: "accounts", STAKEHOLDER: "stakeholders", OPPORTUNITY: "opportunities"}
Progress = Callable[[str, int, int], None]  # (step, done, total)

# --- Cypher: labels come from the fixed strings below, every value is a parameter --------
# Nodes are found by (tenantId, externalId) through its index, once; every later statement
# reaches them by element id. Tenant checks on nodes reached another way are written as
# ``coalesce(x.tenantId, '') = $tenantId`` so that no index on tenantId can drive the plan
# (see _by_element).


def _by_key(label: str) -> str:
    return (
        f"UNWIND $keys AS key\n"
        f"MATCH (n:{label} {{tenantId: $tenantId, externalId: key}})\n"
        f"USING INDEX SEEK n:{label}(tenantId, externalId)\n"
    )


def _by_element(variable: str, label: str, key: str) -> str:
    """A node of this run by element id, still checked against the tenant. The check is
    written so that no index on ``tenantId`` can serve it: the element-id seek must drive the
    plan (planned against an empty store, a plain ``n.tenantId = $tenantId`` makes the
    planner seek the tenant index and filter every uncommitted node, row after row)."""
    return (
        f"MATCH ({variable}:{label}) WHERE elementId({variable}) = {key}"
        f" AND coalesce({variable}.tenantId, '') = $tenantId\n"
    )


# One record per batch (a list of [key, element id, id, properties, account externalId,
# account id, managers' externalIds]): far fewer Bolt messages than a record per node.
RESOLVE = {
    ACCOUNT: _by_key("Account")
    + "RETURN collect([key, elementId(n), n.id, properties(n), null, null, []]) AS found",
    STAKEHOLDER: _by_key("Stakeholder")
    + """OPTIONAL MATCH (n)-[:WORKS_AT]->(a:Account) WHERE coalesce(a.tenantId, '') = $tenantId
WITH key, n, collect(a)[0] AS a
RETURN collect([key, elementId(n), n.id, properties(n), a.externalId, a.id,
  [(n)-[:REPORTS_TO]->(m:Stakeholder) WHERE coalesce(m.tenantId, '') = $tenantId
   | m.externalId]]) AS found""",
    OPPORTUNITY: _by_key("Opportunity")
    + """OPTIONAL MATCH (a:Account)-[:HAS_OPPORTUNITY]->(n)
  WHERE coalesce(a.tenantId, '') = $tenantId
WITH key, n, collect(a)[0] AS a
RETURN collect([key, elementId(n), n.id, properties(n), a.externalId, a.id, []]) AS found""",
}
_NEW_NODE = (
    "{tenantId: $tenantId, externalId: row.key, id: row.id, createdAt: $now,"
    " updatedAt: $now, updatedBy: $actor}"
)
_IN_ACCOUNT = _by_element("a", "Account", "row.parent")
CREATE = {
    ACCOUNT: f"""UNWIND $rows AS row
CREATE (n:Account {_NEW_NODE})
SET n += row.props
RETURN collect([row.key, elementId(n)]) AS created""",
    STAKEHOLDER: f"""UNWIND $rows AS row
{_IN_ACCOUNT}CREATE (n:Stakeholder {_NEW_NODE})-[:WORKS_AT]->(a)
SET n += row.props
RETURN collect([row.key, elementId(n)]) AS created""",
    OPPORTUNITY: f"""UNWIND $rows AS row
{_IN_ACCOUNT}CREATE (a)-[:HAS_OPPORTUNITY]->(n:Opportunity {_NEW_NODE})
SET n += row.props
RETURN collect([row.key, elementId(n)]) AS created""",
}
UPDATE = {
    label: f"""UNWIND $rows AS row
{_by_element("n", label, "row.element")}SET n += row.props, n.updatedAt = $now,
  n.updatedBy = $actor"""
    for label in (ACCOUNT, STAKEHOLDER, OPPORTUNITY)
}
_PERSON = _by_element("s", "Stakeholder", "row.source")
_MANAGER = _by_element("m", "Stakeholder", "row.target")
_DEAL = _by_element("o", "Opportunity", "row.target")
DROP_MANAGERS = f"""UNWIND $rows AS row
{_PERSON}MATCH (s)-[r:REPORTS_TO]->(:Stakeholder)
DELETE r"""
CREATE_MANAGERS = f"""UNWIND $rows AS row
{_PERSON}{_MANAGER}CREATE (s)-[:REPORTS_TO]->(m)"""
LOAD_SEATS = f"""UNWIND $rows AS row
{_PERSON}{_DEAL}MATCH (s)-[r:SITS_ON]->(o)
RETURN collect([row.i, elementId(r), properties(r)]) AS found"""
CREATE_SEATS = f"""UNWIND $rows AS row
{_PERSON}{_DEAL}CREATE (s)-[r:SITS_ON]->(o)
SET r += row.props"""
UPDATE_SEATS = """UNWIND $rows AS row
MATCH ()-[r:SITS_ON]->() WHERE elementId(r) = row.element
  AND coalesce(startNode(r).tenantId, '') = $tenantId
SET r += row.props"""


# --- the run -------------------------------------------------------------------------------


@dataclass
class _Node:
    """A node of the run: stored before it, or created by it (element ids: this run only)."""

    element: str
    id: str
    props: dict[str, Any]
    account: str | None = None  # the account's externalId (stakeholders, opportunities)
    account_id: str | None = None
    managers: list[str | None] = field(default_factory=list)  # their externalIds
    created: bool = False


class _RolledBack(Exception):  # not an error: how a dry run leaves its transaction
    def __init__(self, report: CrmReport) -> None:
        super().__init__("dry run")
        self.report = report


async def merge_batch(
    database: Database,
    principal: Principal,
    batch: CrmBatch,
    *,
    dry_run: bool = False,
    today: date,
    reason: str | None = None,
    progress: Progress | None = None,
) -> CrmReport:
    """Merge ``batch`` into the caller's tenant atomically; with ``dry_run`` write nothing.

    ``today`` dates departures the CRM gives no date for. Raises :class:`Conflict` when a
    concurrent run created the same externalId first (nothing of this run lands).
    """

    async def work(tx: AsyncManagedTransaction) -> CrmReport:
        run = _MergeRun(tx, principal, batch, dry_run, today, progress)
        await run.merge()
        await record_changes(
            tx,
            principal.tenant_id,
            principal.actor,
            run.audit(),
            reason or f"{batch.source.label} import",
        )
        if dry_run:
            raise _RolledBack(run.report)
        return run.report

    try:
        return await database.write(work)
    except _RolledBack as rolled_back:
        return rolled_back.report


class _MergeRun:
    def __init__(
        self,
        tx: AsyncManagedTransaction,
        principal: Principal,
        batch: CrmBatch,
        dry_run: bool,
        today: date,
        progress: Progress | None,
    ) -> None:
        self.tx, self.principal, self.batch = tx, principal, batch
        self.today = today.isoformat()
        self.now = now_iso()
        self.progress = progress
        self.report = CrmReport(
            batch.source,
            dry_run,
            problems=list(batch.problems),
            review=list(batch.review),
            rows=dict(batch.rows),
        )
        for kind, counts in self.report.counts.items():
            counts.skipped = batch.skipped[kind]
            counts.review = batch.held[kind]
        self.nodes: dict[str, dict[str, _Node]] = {ACCOUNT: {}, STAKEHOLDER: {}, OPPORTUNITY: {}}
        self.changes: list[ChangeRecord] = []
        self.per_account: dict[str, Counter[str]] = defaultdict(Counter)  # account id -> tally
        self.departed: set[str] = set()  # stakeholder ids given a leftAt by this run
        self.pending_departures: list[tuple[_Node, str | None]] = []  # contacts that moved
        self.created_rows: dict[str, dict[str, Any]] = {}  # the kind being written, by key

    # --- plumbing ------------------------------------------------------------------------

    async def _run(
        self, step: str, query: str, items: list[Any], name: str = "rows"
    ) -> list[dict[str, Any]]:
        """``query`` over ``items`` in batches, reporting progress as ``step``."""
        records: list[dict[str, Any]] = []
        for start in range(0, len(items), BATCH_SIZE):
            result = await self.tx.run(
                query,
                {name: items[start : start + BATCH_SIZE]},
                tenantId=self.principal.tenant_id,
                now=self.now,
                actor=self.principal.actor,
            )
            records.extend([dict(record) async for record in result])
            if self.progress is not None:
                self.progress(step, min(start + BATCH_SIZE, len(items)), len(items))
        return records

    def _problem(
        self, location: Location, message: str, kind: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.report.problems.append(CrmProblem(location, message, severity, kind))
        if severity is Severity.ERROR:
            self.report.counts[kind].skipped += 1

    def _node(self, label: str, key: str) -> _Node | None:
        return self.nodes[label].get(key)

    # --- the steps -----------------------------------------------------------------------

    async def merge(self) -> None:
        await self._resolve()
        await self._accounts()
        await self._children(STAKEHOLDER, self.batch.stakeholders)
        await self._children(OPPORTUNITY, self.batch.opportunities)
        await self._reporting_lines()
        await self._seats()
        await self._departures()

    async def _resolve(self) -> None:
        """Look up every node the batch names or references, before anything is written."""
        b = self.batch
        wanted = {
            ACCOUNT: {r.external_id for r in b.accounts}
            | {r.account for r in b.stakeholders}
            | {r.account for r in b.opportunities}
            | {r.account for r in b.departures},
            STAKEHOLDER: {r.external_id for r in b.stakeholders}
            | {r.manager for r in b.reporting_lines if r.manager}
            | {r.stakeholder for r in b.seats}
            | {r.stakeholder for r in b.departures},
            OPPORTUNITY: {r.external_id for r in b.opportunities}
            | {r.opportunity for r in b.seats},
        }
        for label, keys in wanted.items():
            found = await self._run(
                f"looking up {_PLURAL[label]}", RESOLVE[label], sorted(keys), "keys"
            )
            for batch in found:
                for key, element, node_id, props, account, account_id, managers in batch["found"]:
                    self.nodes[label][key] = _Node(
                        element, node_id, props, account, account_id, managers
                    )

    async def _write_nodes(
        self, label: str, created: list[dict[str, Any]], updated: list[dict[str, Any]]
    ) -> None:
        if created:
            for result in await self._run(f"creating {_PLURAL[label]}", CREATE[label], created):
                for key, element in result["created"]:
                    row = self.created_rows[key]
                    self.nodes[label][key] = _Node(
                        element,
                        row["id"],
                        row["props"],
                        row.get("account"),
                        row.get("accountId"),
                        created=True,
                    )
        if updated:
            await self._run(f"updating {_PLURAL[label]}", UPDATE[label], updated)

    async def _accounts(self) -> None:
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        counts = self.report.counts[ACCOUNT]
        self.created_rows = {}
        for record in self.batch.accounts:
            stored = self._node(ACCOUNT, record.external_id)
            if stored is None:
                row: dict[str, Any] = {
                    "key": record.external_id,
                    "id": new_id(ACCOUNT),
                    "props": dict(record.props),
                }
                created.append(row)
                self.created_rows[record.external_id] = row
                self.per_account[row["id"]]["Account created"] += 1
                counts.created += 1
                continue
            changes = changed_props(stored.props, record.props)
            if not changes:
                counts.unchanged += 1
                continue
            counts.updated += 1
            updated.append({"element": stored.element, "props": changes})
            self._audit_fields(ACCOUNT, stored, stored.id, changes)
            stored.props.update(changes)
        await self._write_nodes(ACCOUNT, created, updated)

    async def _children(self, label: str, records: list[Any]) -> None:
        """Stakeholders or opportunities: created under their account, or updated in place.
        Neither moves: one the CRM now puts under another account is reported (a contact
        that moved is also marked as departed from the account it was stored under)."""
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        counts = self.report.counts[label]
        self.created_rows = {}
        noun = "contact" if label == STAKEHOLDER else "opportunity"
        for record in records:
            account = self._node(ACCOUNT, record.account)
            stored = self._node(label, record.external_id)
            if account is None:
                self._problem(
                    record.source,
                    f"its account {record.account} is in neither the export nor the map;"
                    " row skipped",
                    label,
                )
                continue
            if stored is None:
                row: dict[str, Any] = {
                    "key": record.external_id,
                    "id": new_id(label),
                    "props": dict(record.props),
                    "parent": account.element,
                    "account": record.account,
                    "accountId": account.id,
                }
                created.append(row)
                self.created_rows[record.external_id] = row
                self.per_account[account.id][f"{label} created"] += 1
                counts.created += 1
                continue
            if stored.account != record.account:
                self._moved(label, noun, record, stored)
                continue
            changes = changed_props(stored.props, record.props)
            if not changes:
                counts.unchanged += 1
                continue
            counts.updated += 1
            updated.append({"element": stored.element, "props": changes})
            self._audit_fields(label, stored, stored.account_id, changes)
            stored.props.update(changes)
        await self._write_nodes(label, created, updated)

    def _moved(self, label: str, noun: str, record: Any, stored: _Node) -> None:
        where = f"stored under account {stored.account or stored.account_id}"
        if label == OPPORTUNITY:
            self._problem(
                record.source,
                f"the {noun} is {where}, the export puts it under {record.account}; an"
                " opportunity does not move (row skipped)",
                label,
            )
            return
        self._problem(
            record.source,
            f"the {noun} is {where}, the export puts them under {record.account}: marked as"
            " departed from the stored account (a stakeholder does not move; their new"
            " account's map needs a new contact)",
            label,
            Severity.WARNING,
        )
        self.report.counts[label].review += 1
        self.report.review.append(
            ReviewItem(
                label,
                "account",
                record.account,
                f"contact {record.external_id} moved from {stored.account} to {record.account}",
                record.source,
                unmapped=False,
            )
        )
        self.pending_departures.append((stored, None))

    async def _reporting_lines(self) -> None:
        counts = self.report.counts[REPORTING_LINE]
        drop: list[dict[str, Any]] = []
        make: list[dict[str, Any]] = []
        for line in self.batch.reporting_lines:
            person = self._node(STAKEHOLDER, line.stakeholder)
            if person is None or person.account is None:
                counts.skipped += 1  # the contact itself was skipped (reported)
                continue
            current = list(person.managers)
            if line.manager is None:
                if not current:
                    counts.unchanged += 1
                    continue
                drop.append({"source": person.element})
                counts.updated += 1
                self._audit_manager(person, current, None)
                continue
            manager = self._node(STAKEHOLDER, line.manager)
            if manager is None:
                self._problem(
                    line.source,
                    f"the manager {line.manager} is not in the map, and this run did not import"
                    " them (not in the export, or skipped); the reporting line is left as it was",
                    REPORTING_LINE,
                )
                continue
            if manager.account != person.account:
                self._problem(
                    line.source,
                    f"the manager {line.manager} works at another account"
                    f" ({manager.account}); a reporting line joins two people of one account",
                    REPORTING_LINE,
                )
                continue
            if current == [line.manager]:
                counts.unchanged += 1
                continue
            if current:
                drop.append({"source": person.element})
                counts.updated += 1
                self._audit_manager(person, current, line.manager)
            else:
                counts.created += 1
                if not person.created:
                    self._audit_manager(person, current, line.manager)
            make.append({"source": person.element, "target": manager.element})
        if drop:
            await self._run("replacing reporting lines", DROP_MANAGERS, drop)
        if make:
            await self._run("creating reporting lines", CREATE_MANAGERS, make)

    async def _seats(self) -> None:
        counts = self.report.counts[SEAT]
        stored_rows: list[dict[str, Any]] = []
        ends: dict[int, tuple[_Node, _Node]] = {}
        seen: dict[tuple[str, str], Location] = {}
        for i, seat in enumerate(self.batch.seats):
            person = self._node(STAKEHOLDER, seat.stakeholder)
            deal = self._node(OPPORTUNITY, seat.opportunity)
            if person is None or deal is None:
                missing = (
                    f"contact {seat.stakeholder}"
                    if person is None
                    else f"opportunity {seat.opportunity}"
                )
                self._problem(
                    seat.source,
                    f"the {missing} is in neither the export nor the map; no seat",
                    SEAT,
                )
                continue
            if person.account != deal.account:
                self._problem(
                    seat.source,
                    f"contact {seat.stakeholder} works at account {person.account}, opportunity"
                    f" {seat.opportunity} belongs to {deal.account}; a seat joins a person to"
                    " a deal of their own account (no seat)",
                    SEAT,
                )
                continue
            key = (person.id, deal.id)
            if key in seen:  # HubSpot: a contact listed twice on one deal
                continue
            seen[key] = seat.source
            ends[i] = (person, deal)
            if not (person.created or deal.created):
                stored_rows.append({"i": i, "source": person.element, "target": deal.element})
        stored: dict[int, dict[str, Any]] = {}
        if stored_rows:
            for batch in await self._run("looking up seats", LOAD_SEATS, stored_rows):
                for i, element, props in batch["found"]:
                    stored[i] = {"element": element, "props": props}
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        for i, (person, deal) in ends.items():
            seat = self.batch.seats[i]
            found = stored.get(i)
            if found is None:
                created.append(
                    {
                        "source": person.element,
                        "target": deal.element,
                        "props": new_seat(seat, self.now),
                    }
                )
                counts.created += 1
                self.per_account[str(deal.account_id)]["Seat created"] += 1
                continue
            decision = seat_decision(found["props"], seat, self.now)
            if decision.props:
                updated.append({"element": found["element"], "props": decision.props})
            if decision.changes:
                counts.updated += 1
                for name, (old, new) in decision.changes.items():
                    self.changes.append(
                        ChangeRecord(
                            "Seat",
                            relationship_key(person.id, deal.id),
                            "UPDATE",
                            deal.account_id,
                            name,
                            old,
                            new,
                            seat.words if name == "stance" else None,
                        )
                    )
            else:
                counts.unchanged += 1
            for name, crm, kept in decision.disagreements:
                counts.review += 1
                self.report.review.append(
                    ReviewItem(
                        SEAT,
                        name,
                        crm,
                        f"{self.batch.source.label} says {name} {crm} for contact"
                        f" {seat.stakeholder} on opportunity {seat.opportunity}; the map's {kept}"
                        " was set in the map and is kept",
                        seat.source,
                        unmapped=False,
                    )
                )
        if created:
            await self._run("creating seats", CREATE_SEATS, created)
        if updated:
            await self._run("updating seats", UPDATE_SEATS, updated)

    async def _departures(self) -> None:
        pending = list(self.pending_departures)
        for departure in self.batch.departures:
            person = self._node(STAKEHOLDER, departure.stakeholder)
            if person is None:
                self._problem(
                    departure.source,
                    f"contact {departure.stakeholder} is not in the map; the departure is not"
                    " recorded",
                    STAKEHOLDER,
                    Severity.WARNING,
                )
                continue
            if person.account == departure.account:  # else: a relation to another account
                pending.append((person, departure.left_at))
        rows: list[dict[str, Any]] = []
        for person, left_at in pending:
            if person.props.get("leftAt") is not None or person.id in self.departed:
                continue  # an import never moves a departure recorded earlier
            left = left_at or self.today
            self.departed.add(person.id)
            rows.append({"element": person.element, "props": {"leftAt": left}})
            self.report.counts[STAKEHOLDER].departed += 1
            self.changes.append(
                ChangeRecord(
                    STAKEHOLDER, person.id, "UPDATE", person.account_id, "leftAt", None, left
                )
            )
            person.props["leftAt"] = left
        if rows:
            await self._run("recording departures", UPDATE[STAKEHOLDER], rows)

    # --- audit ---------------------------------------------------------------------------

    def _audit_fields(
        self, label: str, node: _Node, account_id: str | None, changes: dict[str, Any]
    ) -> None:
        account = node.id if label == ACCOUNT else account_id
        for name, value in changes.items():
            self.changes.append(
                ChangeRecord(label, node.id, "UPDATE", account, name, node.props.get(name), value)
            )

    def _audit_manager(self, person: _Node, current: list[Any], manager: str | None) -> None:
        self.changes.append(
            ChangeRecord(
                STAKEHOLDER,
                person.id,
                "UPDATE",
                person.account_id,
                "reportsTo",
                current[0] if len(current) == 1 else (current or None),
                manager,
            )
        )

    def audit(self) -> list[ChangeRecord]:
        """The field changes, then one IMPORT record per account under which this run created
        something. A run that changes nothing records nothing."""
        records = list(self.changes)
        for account_id, tally in sorted(self.per_account.items()):
            records.append(
                ChangeRecord(
                    ACCOUNT,
                    account_id,
                    "IMPORT",
                    account_id,
                    new_value={"source": self.batch.source.value, **dict(sorted(tally.items()))},
                )
            )
        return records
