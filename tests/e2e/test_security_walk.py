"""Every root field and mutation, found by introspection, called against another tenant.

Tenant B holds the demo account with every string marked ``zqb``; tenant A holds the plain
demo account. For each root query field and each mutation the walk builds minimal valid calls
(each ID argument filled with B's ids of every kind, and with A's and B's ids mixed, so an
edge from A's node to B's is tried too) and asserts, with A's admin key: no B string or id in
the answer, no internal error, nothing of B changed. With A's viewer key no mutation changes
anything; with no key everything is 401. New fields are covered without touching this file.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
)
from neo4j import AsyncManagedTransaction

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories.documents import import_document
from graph_api.repositories.keys import create_key

pytestmark = pytest.mark.neo4j

MARK = "zqb"
SCALARS: dict[str, Any] = {
    "String": "walk",
    "Int": 1,
    "Float": 0.5,
    "Boolean": False,
    "Date": "2027-01-31",
    "DateTime": "2027-01-31T10:00:00+00:00",
    "JSON": {},
}
KIND_WORDS = {  # an argument named like this takes an id of that kind
    "opportunity": "Opportunity",
    "alternative": "Alternative",
    "account": "Account",
    "stakeholder": "Stakeholder",
    "concern": "Concern",
    "argument": "Argument",
    "from": "Stakeholder",
    "to": "Stakeholder",
    "champion": "Stakeholder",
    "approver": "Stakeholder",
}
UNMARKED = re.compile(r"^([A-Z_]+|\d{4}-\d\d-\d\d.*)$")  # enums, currencies, dates


def marked(value: Any) -> Any:
    """The seed document with every free-text and reference string carrying the mark."""
    if isinstance(value, dict):
        return {k: marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [marked(v) for v in value]
    if isinstance(value, str) and not UNMARKED.match(value):
        return f"{MARK}.{value}" if "@" in value else f"{value}-{MARK}"
    return value


async def seed(database: Database, tenant: str, mark: bool) -> None:
    principal = Principal(tenant, Role.ADMIN, "test")
    for path in sorted(DEMO_SEEDS_DIR.glob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        document = marked(document) if mark else document
        await import_document(database, principal, document, ImportMode.REPLACE)


DUMP_NODES = """
MATCH (n) WHERE $tenant IS NULL OR n.tenantId = $tenant
RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id, n.tenantId
"""
DUMP_RELS = """
MATCH (a)-[r]->(b) WHERE $tenant IS NULL OR a.tenantId = $tenant OR b.tenantId = $tenant
RETURN a.id AS a, type(r) AS type, properties(r) AS props, b.id AS b
"""


async def dump(database: Database, tenant: str | None) -> list[str]:
    """Every node and relationship (of one tenant, or all), as sorted JSON lines."""

    async def work(tx: AsyncManagedTransaction) -> list[str]:
        rows = []
        for query in (DUMP_NODES, DUMP_RELS):
            result = await tx.run(query, tenant=tenant)
            async for record in result:
                row = dict(record)
                if "ApiKey" in row.get("labels", []):
                    row["props"].pop("lastUsedAt", None)  # using a key is not a change
                rows.append(json.dumps(row, sort_keys=True, default=str))
        return sorted(rows)

    return await database.read(work)


async def ids_by_kind(database: Database, tenant: str) -> dict[str, list[str]]:
    async def work(tx: AsyncManagedTransaction) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        result = await tx.run(
            "MATCH (n {tenantId: $t}) WHERE n.id IS NOT NULL AND NOT n:Change "
            "RETURN labels(n)[0] AS kind, n.id AS id, n.externalId AS ext ORDER BY n.id",
            t=tenant,
        )
        async for r in result:
            found.setdefault(r["kind"], []).append(r["id"])
            if r["ext"]:
                found.setdefault(f"ext:{r['kind']}", []).append(r["ext"])
        result = await tx.run(
            "MATCH (a {tenantId: $t})-[r]->() WHERE r.id IS NOT NULL "
            "RETURN type(r) AS kind, r.id AS id ORDER BY r.id",
            t=tenant,
        )
        async for r in result:
            found.setdefault(r["kind"], []).append(r["id"])
        return found

    return await database.read(work)


async def tenant_strings(database: Database, tenant: str) -> set[str]:
    """The tenant's distinctive strings: every id, and every marked string property."""

    async def work(tx: AsyncManagedTransaction) -> set[str]:
        result = await tx.run(
            "MATCH (n {tenantId: $t}) OPTIONAL MATCH (n)-[r]-() "
            "RETURN collect(DISTINCT properties(n)) + collect(DISTINCT properties(r)) AS props",
            t=tenant,
        )
        record = await result.single()
        assert record is not None
        found: set[str] = set()
        for props in record["props"]:
            for name, value in props.items():
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and (name == "id" or MARK in item):
                        found.add(item)
        return found

    return await database.read(work)


class Walk:
    """Builds calls for one root field from the introspected schema."""

    def __init__(
        self, schema: GraphQLSchema, a_ids: dict[str, list[str]], b_ids: dict[str, list[str]]
    ) -> None:
        self.schema = schema
        self.ids = {"A": a_ids, "B": b_ids}

    # -- arguments ------------------------------------------------------------------
    def kinds_for(self, arg: str, field: str) -> list[str]:
        words = re.findall(r"[a-z]+|[A-Z][a-z]*", arg)
        for word in words:
            if word.lower() in KIND_WORDS:
                return [KIND_WORDS[word.lower()]]
        named = [
            k for k in self.ids["B"] if not k.startswith("ext:") and k.lower() in field.lower()
        ]
        return named or sorted(k for k in self.ids["B"] if not k.startswith("ext:"))

    def value(self, type_: GraphQLInputType, path: str, field: str, slots: dict[str, str]) -> Any:
        """A dummy for ``type_``; ID slots become placeholders ``<slot>`` filled later."""
        if isinstance(type_, GraphQLNonNull):
            return self.value(type_.of_type, path, field, slots)
        if isinstance(type_, GraphQLList):
            return [self.value(type_.of_type, path, field, slots)]
        if isinstance(type_, GraphQLInputObjectType):
            return {
                name: self.value(f.type, name, field, slots)
                for name, f in type_.fields.items()
                if isinstance(f.type, GraphQLNonNull) or self.is_id_slot(f.type, name)
            }
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        name = get_named_type(type_).name
        if self.is_id_slot(type_, path):
            slot = f"<{len(slots)}>"
            slots[slot] = path
            return slot
        return SCALARS.get(name, "walk")

    @staticmethod
    def is_id_slot(type_: Any, name: str) -> bool:
        named = get_named_type(type_).name
        return named == "ID" or (named == "String" and name == "externalId")

    def calls(self, field_name: str, field: GraphQLField) -> Iterator[dict[str, Any]]:
        """Variable sets: every slot B (per kind), and each slot B with the others A."""
        slots: dict[str, str] = {}
        base: dict[str, Any] = {}
        for name, arg in field.args.items():
            if isinstance(arg.type, GraphQLNonNull):
                base[name] = self.value(arg.type, name, field_name, slots)
        optional_ids = [
            name
            for name, arg in field.args.items()
            if not isinstance(arg.type, GraphQLNonNull) and self.is_id_slot(arg.type, name)
        ]
        variants = [base] + [
            {**base, name: self.value(field.args[name].type, name, field_name, slots)}
            for name in optional_ids
        ]
        for variant in variants:
            used = [s for s in slots if s in json.dumps(variant)]
            if not used:
                yield variant
                continue
            owners = [dict.fromkeys(used, "B")] + (
                [{s: ("B" if s == chosen else "A") for s in used} for chosen in used]
                if len(used) > 1
                else []
            )
            for owner in owners:
                yield from self.filled(variant, used, owner, slots, field_name)

    def filled(
        self,
        variant: dict[str, Any],
        used: list[str],
        owner: dict[str, str],
        slots: dict[str, str],
        field_name: str,
    ) -> Iterator[dict[str, Any]]:
        choices: list[list[str]] = []
        for slot in used:
            arg = slots[slot]
            kinds = self.kinds_for(arg, field_name)
            prefix = "ext:" if arg == "externalId" else ""
            ids = self.ids[owner[slot]]
            choices.append([ids[prefix + k][0] for k in kinds if ids.get(prefix + k)])
        width = max((len(c) for c in choices), default=0)
        for i in range(width):
            text = json.dumps(variant)
            for slot, options in zip(used, choices, strict=True):
                if options:
                    text = text.replace(f'"{slot}"', json.dumps(options[i % len(options)]))
            yield json.loads(text)

    # -- selections -----------------------------------------------------------------
    def selection(self, type_: GraphQLOutputType, depth: int = 0) -> str:
        named = get_named_type(type_)
        if is_leaf_type(named):
            return ""
        if isinstance(named, GraphQLUnionType):
            parts = " ".join(
                f"... on {member.name} {self.selection(member, depth)}" for member in named.types
            )
            return f"{{ __typename {parts} }}"
        fields = getattr(named, "fields", {})
        picked = ["__typename"]
        for name, f in fields.items():
            if any(isinstance(a.type, GraphQLNonNull) for a in f.args.values()):
                continue
            if is_leaf_type(get_named_type(f.type)):
                picked.append(name)
            elif depth < 2:
                picked.append(f"{name} {self.selection(f.type, depth + 1)}")
        return "{ " + " ".join(picked) + " }"

    def document(
        self, operation: str, field_name: str, field: GraphQLField, variables: dict[str, Any]
    ) -> str:
        declared = ", ".join(f"${n}: {field.args[n].type}" for n in variables)
        passed = ", ".join(f"{n}: ${n}" for n in variables)
        head = f"{operation}({declared})" if declared else operation
        call = f"{field_name}({passed})" if passed else field_name
        return f"{head} {{ {call} {self.selection(field.type)} }}"

    def operations(self) -> Iterator[tuple[str, str, GraphQLField]]:
        for operation, root in (
            ("query", self.schema.query_type),
            ("mutation", self.schema.mutation_type),
        ):
            assert root is None or isinstance(root, GraphQLObjectType)
            for name, field in root.fields.items() if root else []:
                yield operation, name, field


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(
    database: Database, neo4j_settings: Settings, new_tenant: Callable[[str], str]
) -> Any:
    tenant_a, tenant_b = new_tenant("walk-a"), new_tenant("walk-b")
    await seed(database, tenant_a, mark=False)
    await seed(database, tenant_b, mark=True)
    keys = {
        "admin": (await create_key(database, tenant_a, Role.ADMIN, "walk")).secret,
        "viewer": (await create_key(database, tenant_a, Role.VIEWER, "walk")).secret,
        "b": (await create_key(database, tenant_b, Role.ADMIN, "walk-b")).secret,
    }
    # generous limits: this walk is about tenancy, the limits have their own tests
    settings = neo4j_settings.model_copy(
        update={
            "max_query_cost": 10**9,
            "rate_limit_cost_per_minute": 10**9,
            "max_query_depth": 50,
            "max_query_tokens": 100_000,
        }
    )
    app = create_app(settings, database=database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        headers = {"Authorization": f"Bearer {keys['admin']}"}
        introspection = await client.post(
            "/graphql", json={"query": get_introspection_query()}, headers=headers
        )
        schema = build_client_schema(introspection.json()["data"])
        a_ids, b_ids = await ids_by_kind(database, tenant_a), await ids_by_kind(database, tenant_b)
        b_strings = await tenant_strings(database, tenant_b)
        yield {
            "tenant_b": tenant_b,
            "client": client,
            "keys": keys,
            "walk": Walk(schema, a_ids, b_ids),
            "b_strings": b_strings,
        }


def leaks(response_text: str, request_text: str, b_strings: set[str]) -> list[str]:
    """B's strings in the answer that the caller did not send itself (echoing the id asked
    for in a not-found message is no leak)."""
    return [s for s in b_strings if s in response_text and s not in request_text]


def assert_clean(body: dict[str, Any], where: str) -> None:
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code, f"{where}: error without a code: {error}"
        assert code != "INTERNAL", f"{where}: {error}"
        assert "Traceback" not in error["message"], where


async def test_the_walk_covers_every_root_field_and_mutation(world: Any) -> None:
    names = {name for _, name, _ in world["walk"].operations()}
    assert {"account", "node", "accounts", "apiKeys", "revokeApiKey"} <= names
    assert len(names) >= 12


async def test_tenant_a_sees_and_changes_nothing_of_tenant_b(
    world: Any, database: Database
) -> None:
    client, walk = world["client"], world["walk"]
    headers = {"Authorization": f"Bearer {world['keys']['admin']}"}
    before = await dump(database, world["tenant_b"])
    assert len(before) > 50, "tenant B has its map"
    calls = 0
    for operation, name, field in walk.operations():
        for variables in walk.calls(name, field):
            query = walk.document(operation, name, field, variables)
            request = {"query": query, "variables": variables}
            response = await client.post("/graphql", json=request, headers=headers)
            where = f"{name}({json.dumps(variables)})"
            assert response.status_code == 200, f"{where}: {response.text}"
            assert not leaks(response.text, json.dumps(request), world["b_strings"]), (
                f"{where} leaked tenant B data: {response.text[:500]}"
            )
            assert_clean(response.json(), where)
            if operation == "mutation":
                assert await dump(database, world["tenant_b"]) == before, f"{where} changed B"
            calls += 1
    assert calls > 100


async def test_a_viewer_key_changes_nothing(world: Any, database: Database) -> None:
    client, walk = world["client"], world["walk"]
    own = Walk(walk.schema, walk.ids["A"], walk.ids["A"])  # the viewer's own tenant's ids
    headers = {"Authorization": f"Bearer {world['keys']['viewer']}"}
    before = await dump(database, None)
    for operation, name, field in own.operations():
        if operation != "mutation":
            continue
        for variables in own.calls(name, field):
            query = own.document(operation, name, field, variables)
            response = await client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )
            body = response.json()
            assert_clean(body, name)
            result = (body.get("data") or {}).get(name)
            codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
            assert "FORBIDDEN" in codes or (
                isinstance(result, dict) and result.get("__typename", "").endswith("Error")
            ), f"{name}: {body}"
    assert await dump(database, None) == before


def test_a_leak_is_what_the_caller_did_not_send() -> None:
    secret = f"Helen-{MARK}"
    assert leaks(f'{{"name": "{secret}"}}', "{ account { name } }", {secret}) == [secret]
    assert (
        leaks(f"'{secret}' was not found", f'{{ account(externalId: "{secret}") }}', {secret}) == []
    )


async def test_without_a_key_every_field_is_401(world: Any) -> None:
    client, walk = world["client"], world["walk"]
    for operation, name, field in walk.operations():
        variables = next(walk.calls(name, field))
        query = walk.document(operation, name, field, variables)
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 401, name
        assert MARK not in response.text
        bad = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": "Bearer fbk_000000000000_forged"},
        )
        assert bad.status_code == 401, name


def test_marking_keeps_enums_and_dates() -> None:
    document = {
        "stage": "PROPOSAL",
        "closeDate": "2027-03-31",
        "name": "Xa",
        "email": "a@b.c",
        "nested": [{"externalId": "p-1"}],
    }
    assert marked(copy.deepcopy(document)) == {
        "stage": "PROPOSAL",
        "closeDate": "2027-03-31",
        "name": f"Xa-{MARK}",
        "email": f"{MARK}.a@b.c",
        "nested": [{"externalId": f"p-1-{MARK}"}],
    }
