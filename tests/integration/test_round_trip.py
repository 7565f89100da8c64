"""A map built through the API survives its own export, exactly.

Hypothesis drives random sequences of mutations (creates, updates and deletes of every node
and relationship kind, with values at the edges of what each property accepts) in a tenant;
then every account is exported, imported into a fresh tenant and exported again. The two
exports must be identical, and the import must refuse nothing the mutations accepted. The
values come from the same declarations the API is made from, so a new property is covered
as soon as it is declared (a value type this test cannot draw fails it loudly).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.api.context import Context
from graph_api.api.schema import schema
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain import kinds
from graph_api.domain.document import LAYOUT
from graph_api.domain.enums import Role
from graph_api.domain.kinds import Kind, NodeKind, Prop, RelationshipKind
from graph_api.domain.principal import Principal
from graph_api.domain.values import (
    EMAIL_MAX,
    EXTERNAL_ID_MAX,
    MAX_AMOUNT,
    MAX_EMPLOYEES,
    MAX_VOTE_WEIGHT,
    NAME_MAX,
    TEXT_MAX,
    ValueType,
)

pytestmark = pytest.mark.neo4j

EXAMPLES = int(os.environ.get("FLAGBEARER_ROUND_TRIP_EXAMPLES", "8"))
STEPS = 30

# --- values, drawn by value type --------------------------------------------------------

_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))


def _text(maximum: int, *, blank: bool = True) -> st.SearchStrategy[str]:
    edge = st.sampled_from(["x" * maximum, "é" * maximum, "\u0000\n\t\"'\\ {}$"])
    body = st.text(alphabet=_CHARS, min_size=0 if blank else 1, max_size=40)
    return st.one_of(body, edge) if blank else st.one_of(body, edge).filter(str.strip)


def _unit(low_open: bool) -> st.SearchStrategy[float]:
    edges = [1.0, 5e-324, 0.1, 0.30000000000000004] + ([] if low_open else [0.0])
    floats = st.floats(0, 1, exclude_min=low_open, allow_nan=False, allow_infinity=False)
    return st.one_of(st.sampled_from(edges), floats)


def _dates() -> st.SearchStrategy[str]:
    return st.dates(date(1900, 1, 1), date(2999, 12, 31)).map(date.isoformat)


def _datetimes() -> st.SearchStrategy[str]:
    moments = st.datetimes(datetime(1970, 1, 1), datetime(2999, 1, 1), timezones=st.just(UTC))
    return moments.map(lambda d: d.isoformat(timespec="microseconds"))


VALUES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "name": lambda: _text(NAME_MAX, blank=False),
    "line": lambda: _text(NAME_MAX),
    "text": lambda: _text(TEXT_MAX),
    "email": lambda: st.sampled_from(
        ["dana@acme.example", "o'brien+tag@sub.example.org", "a" * 60 + "@" + "b" * 60 + ".io"]
    ).filter(lambda e: len(e) <= EMAIL_MAX),
    "url": lambda: st.sampled_from(
        ["https://www.linkedin.com/in/dana", "http://example.com/a?b=c&d=%20e#f"]
    ),
    "currency": lambda: st.sampled_from(["USD", "EUR", "JPY"]),
    "date": _dates,
    "dateTime": _datetimes,
    "unitOpen": lambda: _unit(low_open=True),
    "unit": lambda: _unit(low_open=False),
    "voteWeight": lambda: st.sampled_from([1.0, 0.5, 5e-324, MAX_VOTE_WEIGHT, 3.0]),
    "employees": lambda: st.one_of(st.sampled_from([0, MAX_EMPLOYEES]), st.integers(0, 10**6)),
    "amount": lambda: st.one_of(
        st.sampled_from([0.0, MAX_AMOUNT, 0.01]), st.floats(0, 10**9, allow_nan=False)
    ),
    "boolean": st.booleans,
}


def values_of(value: ValueType) -> st.SearchStrategy[Any]:
    """Acceptable values of one value type, edges included."""
    if value.item is not None:
        items = values_of(value.item)
        return st.lists(items, max_size=min(value.max_items, 4), unique=value.unique_items)
    if value.enum is not None:
        return st.sampled_from(list(value.enum.__members__))
    return VALUES[value.name]()  # a new value type needs a strategy here


def props_of(kind: Kind, *, creating: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Property values for an input: required ones always on create, others at random
    (None clears one on update)."""

    def one(p: Prop) -> st.SearchStrategy[Any]:
        drawn = values_of(p.value)
        return drawn if p.required else st.one_of(st.none(), drawn)

    required = {p.name: one(p) for p in kind.props if creating and p.required}
    optional = {p.name: one(p) for p in kind.props if not (creating and p.required)}
    return st.fixed_dictionaries(required, optional=optional).map(
        lambda values: {k: v for k, v in values.items() if v is not None or not creating}
    )


# --- the API, straight into the schema -------------------------------------------------


class Api:
    def __init__(self, database: Database, config: Settings, tenant: str) -> None:
        principal = Principal(tenant, Role.EDITOR, "key_roundtrip")
        self.context = Context(database, principal, config, "round-trip")

    async def execute(self, document: str, **variables: Any) -> dict[str, Any]:
        self.context.reset_loaders()
        result = await schema.execute(
            document, variable_values=variables, context_value=self.context
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    async def mutate(self, name: str, arguments: dict[str, tuple[str, Any]]) -> dict[str, Any]:
        declared = ", ".join(f"${a}: {t}" for a, (t, _) in arguments.items())
        passed = ", ".join(f"{a}: ${a}" for a in arguments)
        kind = name.removeprefix("create").removeprefix("update").removeprefix("delete")
        made = "" if name.startswith("delete") else f" ... on {kind} {{ id }}"
        document = (
            f"mutation Run({declared}) {{ result: {name}({passed}) {{ __typename"
            f" ... on UserError {{ code message }}{made} }} }}"
        )
        data = await self.execute(document, **{a: v for a, (_, v) in arguments.items()})
        result: dict[str, Any] = data["result"]
        return result

    async def ids(self, label: str) -> list[str]:
        """The ids of the tenant's nodes of ``label``, read back (after a cascading delete)."""
        tenant = self.context.tenant_id
        return await self.context.database.read(lambda tx: _ids(tx, label, tenant))


async def _ids(tx: Any, label: str, tenant: str) -> list[str]:
    assert label in kinds.NODE_KINDS
    result = await tx.run(f"MATCH (n:{label}) WHERE n.tenantId = $t RETURN n.id AS id", t=tenant)
    return [r["id"] async for r in result]


def _input_type(prefix: str, kind: Kind) -> str:
    return f"{prefix}{kind.name}Input!"


# --- random sequences ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One mutation to try: ``pick``/``other`` choose among the ids made so far (modulo how
    many there are when the step runs), so a drawn sequence stays meaningful as it grows."""

    action: str  # create, update or delete
    kind: Kind
    values: dict[str, Any]
    pick: int = 0
    other: int = 0
    external_id: str | None = None


def _step(kind: Kind, action: str) -> st.SearchStrategy[Step]:
    values = st.just({}) if action == "delete" else props_of(kind, creating=action == "create")
    external_id = st.none()
    if action == "create" and isinstance(kind, NodeKind):
        external_id = st.one_of(  # without one, a node is exported under its id
            st.none(),
            st.text(alphabet=_CHARS, max_size=EXTERNAL_ID_MAX - 9).map(
                lambda suffix: f"{uuid.uuid4().hex[:8]}-{suffix}"
            ),
        )
    return st.builds(
        Step,
        st.just(action),
        st.just(kind),
        values,
        st.integers(0, 99),
        st.integers(0, 99),
        external_id,
    )


NODE_STEPS = st.sampled_from(list(kinds.NODE_KINDS.values())).flatmap(
    lambda kind: st.sampled_from(["create", "update", "update", "delete"]).flatmap(
        lambda action: _step(kind, action)
    )
)
RELATIONSHIP_STEPS = st.sampled_from(list(kinds.RELATIONSHIP_KINDS.values())).flatmap(
    lambda kind: st.sampled_from(
        ["create", "create", "create", "update", "delete"]
        if kind.props
        else ["create", "create", "delete"]
    ).flatmap(lambda action: _step(kind, action))
)
SKELETON = (
    "Account",
    "Stakeholder",
    "Stakeholder",
    "Stakeholder",
    "Opportunity",
    "Alternative",
    "Concern",
    "Argument",
)
SEQUENCES = st.tuples(
    st.tuples(*(_step(kinds.NODE_KINDS[label], "create") for label in SKELETON)),
    st.lists(
        st.one_of(NODE_STEPS, RELATIONSHIP_STEPS, RELATIONSHIP_STEPS),
        min_size=STEPS // 2,
        max_size=STEPS,
    ),
).map(lambda drawn: [*drawn[0], *drawn[1]])


def _choose(ids: list[str], index: int) -> str | None:
    return ids[index % len(ids)] if ids else None


async def run_step(api: Api, made: dict[str, list[str]], step: Step) -> None:
    """Try one step; a refusal (a typed error) is an answer too and changes nothing."""
    kind, values = step.kind, dict(step.values)
    if isinstance(kind, NodeKind):
        ids = made[kind.label]
        if step.action == "create":
            if step.external_id is not None:
                values["externalId"] = step.external_id
            if kind.parent is not None:
                parent = _choose(made[kind.parent.label], step.pick)
                if parent is None:
                    return
                values[kind.parent.arg] = parent
            done = await api.mutate(
                f"create{kind.name}", {"input": (_input_type("Create", kind), values)}
            )
            if done["__typename"] == kind.name:
                ids.append(done["id"])
            return
        target = _choose(ids, step.pick)
        if target is None:
            return
        if step.action == "update":
            await api.mutate(
                f"update{kind.name}",
                {"id": ("ID!", target), "input": (_input_type("Update", kind), values)},
            )
        elif (await api.mutate(f"delete{kind.name}", {"id": ("ID!", target)}))[
            "__typename"
        ] == "DeletePayload":
            ids.remove(target)
            for child in kinds.CHILD_KINDS[kind.label]:  # removed with their parent
                made[child.label] = await api.ids(child.label)
        return
    assert isinstance(kind, RelationshipKind)
    source = _choose(made[kind.source], step.pick)
    target = _choose(made[kind.target], step.other)
    if source is None or target is None:
        return
    if step.action == "delete":
        await api.mutate(
            f"delete{kind.name}",
            {kind.source_arg: ("ID!", source), kind.target_arg: ("ID!", target)},
        )
        return
    ends = {kind.source_arg: source, kind.target_arg: target}
    prefix = step.action.capitalize()
    await api.mutate(
        f"{step.action}{kind.name}",
        {"input": (_input_type(prefix, kind), {**ends, **values})},
    )


EXPORT = "query E($id: ID!) { exportDocument(accountId: $id) }"
IMPORT = """mutation I($d: JSON!) { importDocument(document: $d, mode: REPLACE) {
  __typename ... on InvalidInputError { problems { path message } }
  ... on UserError { code message } } }"""
ACCOUNTS = "{ accounts(first: 100) { edges { node { id externalId } } } }"


def first_difference(got: Any, want: Any, path: str = "$") -> str:
    """Where two JSON values first differ, for a readable failure."""
    if isinstance(got, dict) and isinstance(want, dict):
        for key in sorted(set(got) | set(want)):
            if key not in got or key not in want:
                return f"{path}.{key}: {got.get(key)!r} != {want.get(key)!r}"
            if got[key] != want[key]:
                return first_difference(got[key], want[key], f"{path}.{key}")
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for index, (a, b) in enumerate(zip(got, want, strict=True)):
            if a != b:
                return first_difference(a, b, f"{path}[{index}]")
    return f"{path}: {got!r} != {want!r}"


def _sections(sections: Any) -> Any:
    for section in sections:
        yield section
        yield from _sections(section.sections)


LINK_KEYS = {link.key for s in _sections(LAYOUT) for link in s.links}


def _links(document: Any) -> int:
    """How many relationships a document writes: a check that the maps drawn are not empty."""
    if isinstance(document, dict):
        own = sum(
            len(v) if isinstance(v, list) else 1 for k, v in document.items() if k in LINK_KEYS
        )
        return own + sum(_links(v) for v in document.values())
    if isinstance(document, list):
        return sum(_links(v) for v in document)
    return 0


async def round_trip(database: Database, config: Settings, steps: list[Step]) -> int:
    origin = Api(database, config, f"rt-a-{uuid.uuid4().hex[:8]}")
    copy = Api(database, config, f"rt-b-{uuid.uuid4().hex[:8]}")
    made: dict[str, list[str]] = {label: [] for label in kinds.NODE_KINDS}
    for step in steps:
        await run_step(origin, made, step)
    accounts = (await origin.execute(ACCOUNTS))["accounts"]["edges"]
    exported = {}
    for edge in accounts:
        document = (await origin.execute(EXPORT, id=edge["node"]["id"]))["exportDocument"]
        exported[document["accounts"][0]["externalId"]] = document
        imported = (await copy.execute(IMPORT, d=document))["importDocument"]
        assert imported["__typename"] == "ImportResult", (imported, document)
    copied = (await copy.execute(ACCOUNTS))["accounts"]["edges"]
    assert len(copied) == len(accounts)
    for edge in copied:
        again = (await copy.execute(EXPORT, id=edge["node"]["id"]))["exportDocument"]
        key = again["accounts"][0]["externalId"]
        assert again == exported[key], first_difference(again, exported[key])
    return sum(_links(d) for d in exported.values())


async def test_what_mutations_build_exports_and_reimports_identically(
    database: Database, neo4j_settings: Settings
) -> None:
    loop = asyncio.get_running_loop()
    config = neo4j_settings.model_copy(update={"rate_limit_cost_per_minute": 10**9})

    sizes: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=False,
    )
    @given(steps=SEQUENCES)
    def one_map(steps: list[Step]) -> None:
        call = round_trip(database, config, steps)
        sizes.append(asyncio.run_coroutine_threadsafe(call, loop).result(timeout=300))

    # hypothesis drives a plain function in a thread; each map is built on this event loop,
    # where the database driver lives
    await asyncio.to_thread(one_map)
    assert max(sizes) >= 5, sizes  # the drawn maps hold relationships, not only nodes
