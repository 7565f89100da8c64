"""The one Cypher loader of an account's map: everything the coaching plan and the explorer
need, in a single round trip, as stored rows read into typed records when first used.

It returns the account's stakeholders and the relationships among them, and, when an
opportunity is named, its committee, alternatives and advocacy, the stakeholders' concerns,
the tenant playbook (with the industries of cited reference accounts), coaching and what was
heard, and the tenant's coaching settings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any, ClassVar, TypeVar

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.enums import ConcernCategory
from graph_api.domain.kinds import (
    ACCOUNT,
    ADVOCACY,
    ALTERNATIVE,
    ARGUMENT,
    ARGUMENT_FIT,
    COACHING,
    CONCERN,
    CONFLICT,
    HEARING,
    INFLUENCE,
    OPPORTUNITY,
    REPORTING_LINE,
    SEAT,
    STAKEHOLDER,
    STAKEHOLDER_CONCERN,
    Account,
    Advocacy,
    Alternative,
    Argument,
    ArgumentFit,
    Coaching,
    Concern,
    Conflict,
    Hearing,
    Influence,
    Kind,
    NodeKind,
    Opportunity,
    Record,
    RelationshipKind,
    ReportingLine,
    Seat,
    Stakeholder,
    StakeholderConcern,
)
from graph_api.errors import NotFound


def _node(n: str, kind: NodeKind) -> str:
    """A node as a stored row: its columns in ``kind.row_names`` order."""
    return "[" + ", ".join(f"{n}.{name}" for name in kind.row_names) + "]"


def _edge(s: str, r: str, t: str, kind: RelationshipKind) -> str:
    """A relationship as a stored row: both ends' ids, then its own columns."""
    own = ", ".join(f"{r}.{name}" for name in kind.row_names[2:])
    return f"[{s}.id, {t}.id, {own}]"


def _in_tenant(n: str) -> str:
    """``n`` is the tenant's, for a node the statement reaches from the account (never a
    start): compared through ``coalesce``, which no index can answer, so the planner expands
    from what it already holds. A plausible start is what Neo4j takes when it plans on
    statistics that do not know the data yet (a database just filled: its indexes unsampled
    count for nothing): a map planned at 50 people and run at 200 started from the tenant's
    index, joined it to the account's people and ran out of its 1 GiB of transaction
    memory (``tests/e2e/test_fresh_database_plans.py``)."""
    return f"coalesce({n}.tenantId, '') = $tenantId"


def _people_edges(kind: RelationshipKind, target: str) -> str:
    """The account's people's relationships of ``kind``, sorted by their ends."""
    return f"""COLLECT {{
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:{kind.type}]->(t:{target})
    WHERE {_in_tenant("t")}
    RETURN {_edge("s", "r", "t", kind)} ORDER BY s.id, t.id
  }}"""


PLAN_INFLUENCE_COLUMNS = ("strength", "topics", "verifiedAt")
"""What a coaching plan reads of an influence besides its two ends (``engine.Influence``)."""
_PLAN_INFLUENCE_ROW = itemgetter(*(INFLUENCE.row_names.index(n) for n in PLAN_INFLUENCE_COLUMNS))
"""Those columns of an influence's stored row (a map loaded for the explorer)."""

_PLAN_INFLUENCES = f"""COLLECT {{
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a)
    RETURN [id(s), s.id, COLLECT {{
      MATCH (s)-[r:{INFLUENCE.type}]->(t)
      RETURN [id(t), {", ".join(f"r.{name}" for name in PLAN_INFLUENCE_COLUMNS)}]
    }}] ORDER BY s.id
  }}"""
"""The account's influences as a plan reads them, grouped by source: each of the account's
people as ``[internal id, id, [[target's internal id, strength, topics, verifiedAt], …]]``.

A plan reads ten influences per person, and on a 1,000-person account reading each end's id
and tenant was two thirds of the load's time in Neo4j; the internal ids of the ends (valid
within this one statement) cost nothing to read. A target is named through the account's own
people (:meth:`AccountMap.plan_influences`): an influence never leaves its account (the writes
and the import refuse one that would), and one that did would be left out, so the tenant's
scope holds without reading the target's ``tenantId``."""


_MAP = f"""
{_node("a", ACCOUNT)} AS account,
  CASE WHEN o IS NULL THEN null ELSE {_node("o", OPPORTUNITY)} END AS opportunity,
  COLLECT {{
    MATCH (ts:TenantSettings {{tenantId: $tenantId}})
    RETURN properties(ts)
  }} AS tenantSettings,
  COLLECT {{
    MATCH (s:Stakeholder)-[:WORKS_AT]->(a) RETURN {_node("s", STAKEHOLDER)} ORDER BY s.id
  }} AS people,
  CASE WHEN $plan THEN [] ELSE {_people_edges(REPORTING_LINE, "Stakeholder")} END AS reportsTo,
  CASE WHEN $plan THEN [] ELSE {_people_edges(INFLUENCE, "Stakeholder")} END AS influences,
  CASE WHEN $plan THEN {_PLAN_INFLUENCES} ELSE [] END AS planInfluences,
  {_people_edges(CONFLICT, "Stakeholder")} AS conflicts,
  COLLECT {{
    MATCH (s:Stakeholder)-[r:SITS_ON]->(o) WHERE {_in_tenant("s")}
    RETURN {_edge("s", "r", "o", SEAT)} ORDER BY s.id
  }} AS seats,
  COLLECT {{
    MATCH (o)-[:CONSIDERS]->(x:Alternative) RETURN {_node("x", ALTERNATIVE)} ORDER BY x.id
  }} AS alternatives,
  COLLECT {{
    MATCH (o)-[:CONSIDERS]->(x:Alternative)<-[r:ADVOCATES_FOR]-(s:Stakeholder)
    WHERE {_in_tenant("s")}
    RETURN {_edge("s", "r", "x", ADVOCACY)} ORDER BY s.id, x.id
  }} AS advocacy,
  CASE WHEN o IS NULL OR NOT $plan THEN [] ELSE
    {_people_edges(STAKEHOLDER_CONCERN, "Concern")}
  END AS caresAbout,
  CASE WHEN o IS NULL OR NOT $plan THEN [] ELSE COLLECT {{
    MATCH (c:Concern) WHERE c.tenantId = $tenantId RETURN {_node("c", CONCERN)} ORDER BY c.id
  }} END AS concerns,
  CASE WHEN o IS NULL OR NOT $plan THEN [] ELSE COLLECT {{
    MATCH (g:Argument) WHERE g.tenantId = $tenantId
    RETURN [{_node("g", ARGUMENT)},
      COLLECT {{
        MATCH (g)-[f:ADDRESSES]->(c:Concern) WHERE {_in_tenant("c")}
        RETURN {_edge("g", "f", "c", ARGUMENT_FIT)} ORDER BY c.id
      }},
      COLLECT {{
        MATCH (g)-[:CITES]->(ref:Account)
        WHERE {_in_tenant("ref")} AND ref.isReference = true AND ref.industry IS NOT NULL
        RETURN DISTINCT ref.industry
      }}] ORDER BY g.id
  }} END AS arguments,
  CASE WHEN o IS NULL OR NOT $plan THEN [] ELSE
    {_people_edges(COACHING, "Argument")}
  END AS coachedOn,
  CASE WHEN o IS NULL OR NOT $plan THEN [] ELSE
    {_people_edges(HEARING, "Argument")}
  END AS heard
"""
"""What the map of account ``a`` (and opportunity ``o``, possibly null) holds, as columns:
nodes and relationships as stored rows (``Kind.row_names``: positional lists, cheaper to
send and to read than maps), each list sorted (nodes by id, relationships by their ends).
``$plan`` false leaves out what only the coaching plan reads (concerns, the playbook,
coaching, what was heard); ``$plan`` true leaves out what the plan never reads (reporting
lines) and reads influences as :data:`_PLAN_INFLUENCES` does instead of as stored rows."""

LOAD_ACCOUNT_MAP = (
    """
CALL {
  MATCH (a:Account {id: $accountId}) WHERE a.tenantId = $tenantId RETURN a
  UNION
  MATCH (a:Account)-[:HAS_OPPORTUNITY]->(:Opportunity {id: $opportunityId})
  WHERE a.tenantId = $tenantId RETURN a
  UNION
  MATCH (a:Account)<-[:WORKS_AT]-(:Stakeholder {id: $stakeholderId})
  WHERE a.tenantId = $tenantId RETURN a
}
WITH a LIMIT 1
OPTIONAL MATCH (a)-[:HAS_OPPORTUNITY]->(o:Opportunity {id: $opportunityId})
WHERE """
    + _in_tenant("o")
    + """
RETURN """
    + _MAP
)
LOAD_OPPORTUNITY_MAPS = (
    """
UNWIND $opportunityIds AS opportunityId
MATCH (a:Account)-[:HAS_OPPORTUNITY]->(o:Opportunity {id: opportunityId})
WHERE a.tenantId = $tenantId AND o.tenantId = $tenantId
RETURN opportunityId, """
    + _MAP
)


@dataclass(frozen=True)
class PlaybookArgument:
    """An argument with the concerns it addresses and the industries of the reference
    accounts it cites."""

    argument: Argument
    addresses: list[ArgumentFit]
    cited_industries: frozenset[str]


Rows = list[list[Any]]


class _Cache(dict[Any, Any]):
    """Stored values read once each: a few distinct ones recur across thousands of facts."""

    def __init__(self, read: Callable[[Any], Any]) -> None:
        super().__init__()
        self._read = read

    def __missing__(self, stored: Any) -> Any:
        found = self[stored] = self._read(stored)
        return found


TOPIC_SETS: Mapping[tuple[str, ...], frozenset[ConcernCategory]] = _Cache(
    lambda topics: frozenset(ConcernCategory(t) for t in topics)
)
"""An influence's stored topics (as a tuple) as a set of categories; empty carries every
argument, as declared."""
_DAYS = _Cache(date.fromisoformat)
_DAYS[None] = None
DAYS: Mapping[str | None, date | None] = _DAYS
"""A stored date (or None) as a ``date`` (or None)."""
_EVERY: frozenset[ConcernCategory] = frozenset()
RowT = TypeVar("RowT", bound=tuple[Any, ...])


class AccountMap:
    """An account's map as loaded, every node and relationship a typed record.

    Loaded, it keeps the stored rows (:attr:`rows`, by column name of the query) and makes
    each list of records when it is first read. Loaded for a plan (:attr:`for_plan`), it
    holds neither reporting lines nor influence records (:data:`PLAN_LEAVES_OUT`): a plan
    reads the thousands of influences through :meth:`plan_influences`. Made from records (as
    tests do), its rows are the records' stored rows and every list is there.
    """

    PLAN_LEAVES_OUT: ClassVar[frozenset[str]] = frozenset({"reports_to", "influences"})
    """The lists a map loaded for a plan does not hold as records."""

    LISTS: ClassVar[dict[str, tuple[str, Kind]]] = {
        "people": ("people", STAKEHOLDER),
        "reports_to": ("reportsTo", REPORTING_LINE),
        "influences": ("influences", INFLUENCE),
        "conflicts": ("conflicts", CONFLICT),
        "seats": ("seats", SEAT),
        "alternatives": ("alternatives", ALTERNATIVE),
        "advocacy": ("advocacy", ADVOCACY),
        "cares_about": ("caresAbout", STAKEHOLDER_CONCERN),
        "concerns": ("concerns", CONCERN),
        "coached_on": ("coachedOn", COACHING),
        "heard": ("heard", HEARING),
    }
    """Each list of records: (its column in :attr:`rows`, its kind)."""

    def __init__(
        self,
        *,
        account: Account,
        opportunity: Opportunity | None,
        tenant_settings: dict[str, Any] | None = None,
        rows: dict[str, Any] | None = None,
        for_plan: bool = False,
        **lists: Any,
    ) -> None:
        self.account = account
        self.for_plan = for_plan and rows is not None
        self.opportunity = opportunity
        self.tenant_settings = tenant_settings or {}
        if rows is None:
            given = {*lists} - {"arguments"}
            if given != set(self.LISTS):
                missing = ", ".join(sorted(set(self.LISTS) - given))
                raise TypeError(f"an AccountMap made from records needs every list ({missing})")
            rows = {
                column: [_row(kind, record) for record in lists[name]]
                for name, (column, kind) in self.LISTS.items()
            }
        self.rows: dict[str, Any] = rows
        for name, value in lists.items():  # records given are the records read
            self.__dict__[name] = value

    def records(self, name: str) -> list[Any]:
        """The list ``name`` (``influences``…) as typed records, made once."""
        found = self.__dict__.get(name)
        if found is None:
            if self.for_plan and name in self.PLAN_LEAVES_OUT:
                raise LookupError(
                    f"a map loaded for a coaching plan holds no {name} records "
                    "(load it with for_plan=False)"
                )
            column, kind = self.LISTS[name]
            found = self.__dict__[name] = [kind.record_from_row(r) for r in self.rows[column]]
        return found

    @property
    def people(self) -> list[Stakeholder]:
        return self.records("people")

    @functools.cached_property
    def person_ids(self) -> dict[str, str]:
        """Each person's id, keyed by itself: the one string object to use for it."""
        at = STAKEHOLDER.row_names.index("id")
        return {row[at]: row[at] for row in self.rows["people"]}

    @functools.cached_property
    def people_by_id(self) -> Mapping[str, Stakeholder]:
        """The people by id; loaded, each record is made when first asked for (a plan names
        a few dozen of a thousand people)."""
        made = self.__dict__.get("people")
        if made is not None:
            return {p.id: p for p in made}
        return _RecordsById(STAKEHOLDER, self.rows["people"])

    def plan_influences(self, row_type: type[RowT]) -> list[RowT]:
        """Every influence among the account's people (one to anyone else is left out,
        whichever way the map was loaded), as a plan reads it: each a ``row_type`` (a named
        tuple) of ``(source id, target id, strength, topics, verified on)``, with the topics
        as a set of :class:`ConcernCategory` (empty: every argument) and the day as a
        ``date`` (or None); sorted by source, then target id.

        Each id is the one string object of :attr:`people`'s ids, so the many lookups the
        engine makes match on identity and a subgraph sent to a worker process pickles each
        id once. Ten thousand influences on a 1,000-person account are read in one pass that
        makes each tuple directly (a few milliseconds): this is the plan's hot loop."""
        one = self.person_ids.get
        topic_set, day, make, by_target = TOPIC_SETS, DAYS, tuple.__new__, itemgetter(1)
        found: list[RowT] = []
        if not self.for_plan:
            read = _PLAN_INFLUENCE_ROW
            for row in self.rows["influences"]:
                source, target = one(row[0]), one(row[1])
                if source is not None and target is not None:
                    strength, topics, verified = read(row)
                    values = (
                        source,
                        target,
                        strength,
                        topic_set[tuple(topics or ())],
                        day[verified],
                    )
                    found.append(make(row_type, values))
            return found
        grouped = self.rows["planInfluences"]
        named = {internal: one(person) for internal, person, _ in grouped}
        add = found.extend
        for internal, _, links in grouped:
            source = named.get(internal)
            if source is None or not links:
                continue
            made = [
                make(
                    row_type,
                    (
                        source,
                        target,
                        strength,
                        topic_set[tuple(topics)] if topics else _EVERY,
                        day[verified],
                    ),
                )
                for target_internal, strength, topics, verified in links
                if (target := named.get(target_internal)) is not None
            ]
            made.sort(key=by_target)
            add(made)
        return found

    @property
    def reports_to(self) -> list[ReportingLine]:
        return self.records("reports_to")

    @property
    def influences(self) -> list[Influence]:
        return self.records("influences")

    @property
    def conflicts(self) -> list[Conflict]:
        return self.records("conflicts")

    @property
    def seats(self) -> list[Seat]:
        return self.records("seats")

    @property
    def alternatives(self) -> list[Alternative]:
        return self.records("alternatives")

    @property
    def advocacy(self) -> list[Advocacy]:
        return self.records("advocacy")

    @property
    def cares_about(self) -> list[StakeholderConcern]:
        return self.records("cares_about")

    @property
    def concerns(self) -> list[Concern]:
        return self.records("concerns")

    @property
    def coached_on(self) -> list[Coaching]:
        return self.records("coached_on")

    @property
    def heard(self) -> list[Hearing]:
        return self.records("heard")

    @functools.cached_property
    def arguments(self) -> list[PlaybookArgument]:
        return [
            PlaybookArgument(
                ARGUMENT.record_from_row(node),  # type: ignore[arg-type]
                [ARGUMENT_FIT.record_from_row(f) for f in addresses],  # type: ignore[misc]
                frozenset(industries),
            )
            for node, addresses, industries in self.rows["arguments"]
        ]


class _RecordsById(Mapping[str, Any]):
    """Stored node rows by id, each read into its record when first asked for."""

    def __init__(self, kind: NodeKind, rows: list[list[Any]]) -> None:
        at = kind.row_names.index("id")
        self._kind = kind
        self._rows = {row[at]: row for row in rows}
        self._made: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self._kind.record_from_row(self._rows[key])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _row(kind: Kind, record: Record) -> list[Any]:
    """A record as a stored row (the inverse of ``kind.record_from_row``)."""
    stored = record.stored()
    head = [getattr(record, attr) for _, attr in kind.HEAD]
    return head + [stored.get(name) for name in kind.prop_names]


async def load_account_map(
    database: Database,
    tenant_id: str,
    *,
    account_id: str | None = None,
    opportunity_id: str | None = None,
    stakeholder_id: str | None = None,
    for_plan: bool = True,
) -> AccountMap:
    """The map of an account (by id, or the account of an opportunity or a stakeholder);
    ``for_plan`` false leaves out what only a coaching plan reads (the explorer's graph).

    Raises NotFound when the account or the opportunity is not the tenant's, or when an
    opportunity is named that the account does not have.
    """

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any] | None:
        result = await tx.run(
            LOAD_ACCOUNT_MAP,
            tenantId=tenant_id,
            accountId=account_id,
            opportunityId=opportunity_id,
            stakeholderId=stakeholder_id,
            plan=for_plan,
        )
        record = await result.single()
        return None if record is None else dict(record)

    row = await database.read(work)
    if row is None:
        if account_id is not None:
            raise NotFound("Account", account_id)
        if opportunity_id is not None:
            raise NotFound("Opportunity", opportunity_id)
        raise NotFound("Stakeholder", stakeholder_id or "")
    if opportunity_id is not None and row["opportunity"] is None:
        raise NotFound("Opportunity", opportunity_id)
    return _account_map(row, for_plan)


def _account_map(row: dict[str, Any], for_plan: bool) -> AccountMap:
    opportunity = row["opportunity"]
    return AccountMap(
        account=ACCOUNT.record_from_row(row["account"]),  # type: ignore[arg-type]
        opportunity=(
            None if opportunity is None else OPPORTUNITY.record_from_row(opportunity)  # type: ignore[arg-type]
        ),
        tenant_settings=row["tenantSettings"][0] if row["tenantSettings"] else {},
        rows=row,
        for_plan=for_plan,
    )


async def load_opportunity_maps(
    database: Database, tenant_id: str, opportunity_ids: list[str]
) -> dict[str, AccountMap]:
    """The maps of several opportunities of the tenant, by opportunity id, in one round trip
    (an id the tenant does not have is left out)."""

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        result = await tx.run(
            LOAD_OPPORTUNITY_MAPS, tenantId=tenant_id, opportunityIds=opportunity_ids, plan=True
        )
        return [dict(record) async for record in result]

    rows = await database.read(work)
    return {row["opportunityId"]: _account_map(row, True) for row in rows}
