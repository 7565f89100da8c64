"""The compiled read path answers exactly what the GraphQL executor answers.

A property test generates random valid read documents over the map's schema — nested
fields to depth four, aliases, inline and named fragments (on the type and on its
interfaces), ``__typename``, ``@skip``/``@include`` with literals and variables, pages with
``first``/``after`` given inline or as variables, lookups by id and externalId of the seeded
tenant, of another tenant and of nothing — and runs each through the executor and through
the compiler (one Cypher statement), comparing the JSON bytes.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
import pytest_asyncio
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
    parse,
    validate,
)
from graphql.execution.values import VariableValues, get_variable_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.api.compiled.compiler import ReadCompiler
from graph_api.api.context import Context
from graph_api.api.schema import build_schema
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.kinds import NODE_KINDS
from graph_api.domain.principal import Principal
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories.documents import import_document

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

EXECUTOR_ONLY = frozenset({"history", "changes"})
MAX_DEPTH = 5
SCHEMA = build_schema()


def cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


@dataclass(frozen=True)
class Seeded:
    """Keys to look things up by: the tenant's, another tenant's, and nobody's."""

    tenant: str
    ids: dict[str, list[str]]  # label -> ids (ours, then the other tenant's, then unknown)
    external_ids: dict[str, list[str]]

    def __repr__(self) -> str:
        return f"Seeded({sum(map(len, self.ids.values()))} ids)"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded(database: Database, new_tenant: Callable[[str], str]) -> Seeded:
    ours, theirs = new_tenant("compiled"), new_tenant("compiled-other")
    for tenant in (ours, theirs):
        principal = Principal(tenant, Role.ADMIN, "test")
        for path in sorted(DEMO_SEEDS_DIR.glob("*.json")):
            document = json.loads(path.read_text("utf-8"))
            await import_document(database, principal, document, ImportMode.REPLACE)
    async with database.driver.session(database=database.database) as session:
        result = await session.run(
            "MATCH (n) WHERE n.tenantId IN [$a, $b] AND labels(n)[0] IN $labels "
            "RETURN n.tenantId AS tenant, labels(n)[0] AS label, n.id AS id, "
            "n.externalId AS externalId ORDER BY tenant, label, id",
            a=ours,
            b=theirs,
            labels=list(NODE_KINDS),
        )
        rows = [r.data() async for r in result]
    ids: dict[str, list[str]] = {}
    external_ids: dict[str, list[str]] = {}
    for row in rows:
        if row["tenant"] == ours:
            ids.setdefault(row["label"], []).append(row["id"])
            external_ids.setdefault(row["label"], []).append(row["externalId"])
    for row in rows:  # another tenant's ids behave like unknown ones
        if row["tenant"] == theirs and row["label"] in ids:
            ids[row["label"]].append(row["id"])
    for label, found in ids.items():
        found.append(f"{found[0].split('_')[0]}_unknown")
        external_ids[label].append("no-such-external-id")
    return Seeded(ours, ids, external_ids)


# --- the generator ----------------------------------------------------------------------


@dataclass
class Doc:
    """What a generated document declares besides its operation."""

    fragments: list[str] = field(default_factory=list)
    variables: list[tuple[str, str, Any]] = field(default_factory=list)
    aliases: int = 0

    def variable(self, graphql_type: str, value: Any) -> str:
        name = f"v{len(self.variables)}"
        self.variables.append((name, graphql_type, value))
        return f"${name}"

    def alias(self) -> str:
        self.aliases += 1
        return f"a{self.aliases}"


def literal(value: Any) -> str:
    return json.dumps(value)


def value_text(draw: Any, doc: Doc, graphql_type: str, value: Any) -> str:
    if value is not None and draw(st.booleans()):
        return doc.variable(graphql_type, value)
    return literal(value)


def directive(draw: Any, doc: Doc) -> str:
    choice = draw(st.sampled_from(["", "", "", "", "", "", "", "include", "skip", "literal"]))
    if choice == "literal":
        return f" @skip(if: {literal(draw(st.booleans()))})"
    if choice:
        return f" @{choice}(if: {doc.variable('Boolean!', draw(st.booleans()))})"
    return ""


def page_arguments(draw: Any, doc: Doc) -> str:
    parts = []
    first = draw(st.sampled_from([None, 0, 1, 2, 5, 20, 100]))
    if first is not None:
        parts.append(f"first: {value_text(draw, doc, 'Int', first)}")
    offset = draw(st.sampled_from([None, 0, 1, 3, 30]))
    if offset is not None:
        parts.append(f"after: {value_text(draw, doc, 'String', cursor(offset))}")
    return f"({', '.join(parts)})" if parts else ""


def candidates(gtype: GraphQLObjectType, depth: int) -> list[tuple[str, GraphQLField]]:
    found = []
    for name, f in gtype.fields.items():
        if name in EXECUTOR_ONLY:
            continue
        if not is_leaf_type(get_named_type(f.type)) and depth >= MAX_DEPTH:
            continue
        found.append((name, f))
    return found


@st.composite
def selections(draw: Any, gtype: GraphQLObjectType, depth: int, doc: Doc, schema: Any) -> str:
    """A selection set's content for ``gtype``: fields split between the set itself, an
    inline fragment and a named fragment, some aliased, some under a directive."""
    chosen = draw(
        st.lists(
            st.sampled_from(candidates(gtype, depth)),
            min_size=1,
            max_size=5,
            unique_by=lambda c: c[0],
        )
    )
    parts: list[str] = []
    for name, f in chosen:
        named = get_named_type(f.type)
        arguments = page_arguments(draw, doc) if "first" in f.args else ""
        alias = f"{doc.alias()}: " if draw(st.integers(0, 4)) == 0 else ""
        sub = ""
        if not is_leaf_type(named):
            assert isinstance(named, GraphQLObjectType)
            sub = " { " + draw(selections(named, depth + 1, doc, schema)) + " }"
        parts.append(f"{alias}{name}{arguments}{directive(draw, doc)}{sub}")
        if alias and draw(st.booleans()):  # the same field again under its own name
            parts.append(f"{name}{arguments}{sub}")
    if draw(st.integers(0, 3)) == 0:
        parts.append(f"{doc.alias()}: __typename" if draw(st.booleans()) else "__typename")
    split = draw(st.integers(0, len(parts)))
    kept, moved = parts[:split], parts[split:]
    if moved:
        how = draw(st.sampled_from(["inline", "interface", "named", "plain"]))
        interfaces = [i.name for i in gtype.interfaces]
        if how == "inline":
            kept.append(f"... on {gtype.name}{directive(draw, doc)} {{ {' '.join(moved)} }}")
        elif how == "interface" and interfaces:
            leaf_only = [p for p in moved if p.split("(")[0].split(" ")[0] in ("id", "__typename")]
            kept.extend(p for p in moved if p not in leaf_only)
            if leaf_only:
                kept.append(
                    f"... on {draw(st.sampled_from(interfaces))} {{ {' '.join(leaf_only)} }}"
                )
        elif how == "named":
            fragment = f"F{len(doc.fragments)}"
            doc.fragments.append(f"fragment {fragment} on {gtype.name} {{ {' '.join(moved)} }}")
            kept.append(f"...{fragment}{directive(draw, doc)}")
        else:
            kept.extend(moved)
    return " ".join(kept)


@st.composite
def root_field(draw: Any, schema: GraphQLSchema, seeded: Seeded, doc: Doc) -> str:
    query = schema.query_type
    assert query is not None
    name = draw(
        st.sampled_from(
            [
                "account",
                "stakeholder",
                "opportunity",
                "argument",
                "node",
                "accounts",
                "playbook",
                "viewer",
                "__typename",
            ]
        )
    )
    alias = f"{doc.alias()}: "
    if name == "__typename":
        return f"{alias}__typename"
    f = query.fields[name]
    named = get_named_type(f.type)
    if name in ("account", "stakeholder", "opportunity", "argument"):
        label = named.name
        if draw(st.booleans()):
            key = draw(st.sampled_from(seeded.ids[label]))
            arguments = f"(id: {value_text(draw, doc, 'ID', key)})"
        else:
            key = draw(st.sampled_from(seeded.external_ids[label]))
            arguments = f"(externalId: {value_text(draw, doc, 'String', key)})"
    elif name == "node":
        label = draw(st.sampled_from(sorted(seeded.ids)))
        key = draw(st.sampled_from([*seeded.ids[label], "nothing-of-ours"]))
        arguments = f"(id: {value_text(draw, doc, 'ID!', key)})"
    elif name == "accounts":
        arguments = page_arguments(draw, doc)
        chosen = draw(
            st.sampled_from(
                [
                    None,
                    {"industry": "Healthcare"},
                    {"nameContains": "a"},
                    {"isReference": False},
                    {"region": "EMEA"},
                ]
            )
        )
        if chosen is not None:
            inner = ", ".join(f"{k}: {literal(v)}" for k, v in chosen.items())
            filter_text = f"filter: {{{inner}}}"
            arguments = f"({arguments[1:-1]}, {filter_text})" if arguments else f"({filter_text})"
    else:
        arguments = ""
    if isinstance(named, GraphQLInterfaceType):  # node: the id, and fragments per type
        parts = ["id", "__typename"]
        for label in draw(st.lists(st.sampled_from(sorted(seeded.ids)), max_size=3, unique=True)):
            target = schema.type_map[label]
            assert isinstance(target, GraphQLObjectType)
            parts.append(f"... on {label} {{ {draw(selections(target, 2, doc, schema))} }}")
        return f"{alias}{name}{arguments}{directive(draw, doc)} {{ {' '.join(parts)} }}"
    assert isinstance(named, GraphQLObjectType)
    sub = draw(selections(named, 2, doc, schema))
    return f"{alias}{name}{arguments}{directive(draw, doc)} {{ {sub} }}"


@st.composite
def documents(draw: Any, schema: GraphQLSchema, seeded: Seeded) -> tuple[str, dict[str, Any]]:
    doc = Doc()
    roots = [draw(root_field(schema, seeded, doc)) for _ in range(draw(st.integers(1, 3)))]
    declared = ", ".join(f"${n}: {t}" for n, t, _ in doc.variables)
    header = f"query Generated({declared})" if declared else "query Generated"
    text = f"{header} {{ {' '.join(roots)} }}\n" + "\n".join(doc.fragments)
    return text, {n: v for n, _, v in doc.variables}


# --- running both ---------------------------------------------------------------------------


async def executor_answer(
    database: Database, principal: Principal, query: str, variables: dict[str, Any]
) -> Any:
    context = Context(database, principal, Settings(), "test")
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    assert not result.errors, (query, result.errors)
    return result.data


async def compiled_answer(
    database: Database, principal: Principal, query: str, variables: dict[str, Any]
) -> Any:
    schema = SCHEMA._schema
    document = parse(query)
    assert not validate(schema, document)
    [operation] = document.definitions[:1]
    compiler = ReadCompiler(SCHEMA, Settings().max_page_size)
    plan = compiler.plan(document, operation)  # type: ignore[arg-type]
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)  # type: ignore[attr-defined]
    assert isinstance(coerced, VariableValues)
    prepared = plan.prepare(coerced, principal)
    return await prepared.data(database, Settings())


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
async def test_compiled_reads_answer_what_the_executor_answers(
    database: Database, seeded: Seeded, data: st.DataObject
) -> None:
    principal = Principal(seeded.tenant, Role.VIEWER, "key:compiled")
    query, variables = data.draw(documents(SCHEMA._schema, seeded))
    expected = await executor_answer(database, principal, query, variables)
    answered = await compiled_answer(database, principal, query, variables)
    assert orjson.dumps(answered) == orjson.dumps(expected), query
