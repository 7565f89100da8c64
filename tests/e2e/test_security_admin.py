"""Identity and admin-only GraphQL over HTTP: keys, JWTs, tenant settings, production mode."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import jwt
import pytest
import pytest_asyncio
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner

from graph_api.app import create_app
from graph_api.cli import app as cli
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.repositories import keys as keys_repo
from graph_api.repositories.tenants import get_tenant_settings

pytestmark = pytest.mark.neo4j

KEYS = "{ apiKeys { id role name createdAt lastUsedAt revokedAt } }"
FAILED = "... on UserError { code message }"
CREATE = f"""mutation($role: ApiKeyRole!, $name: String) {{
  createApiKey(role: $role, name: $name) {{
    ... on CreatedApiKey {{ secret apiKey {{ id role name }} }} {FAILED} }} }}"""
REVOKE = f"""mutation($id: ID!) {{
  revokeApiKey(id: $id) {{ ... on ApiKey {{ id revokedAt }} {FAILED} }} }}"""
ROTATE = f"""mutation($id: ID!) {{
  rotateApiKey(id: $id) {{
    ... on CreatedApiKey {{ secret apiKey {{ id role name }} }} {FAILED} }} }}"""
SETTINGS = "{ tenantSettings { maxHops capacityPerChampion topPlaysPerApprover updatedBy } }"
UPDATE = f"""mutation($h: Int, $c: Int, $t: Int) {{
  updateTenantSettings(maxHops: $h, capacityPerChampion: $c, topPlaysPerApprover: $t) {{
    ... on TenantSettings {{ maxHops capacityPerChampion topPlaysPerApprover updatedBy }}
    {FAILED} }} }}"""


@pytest_asyncio.fixture(loop_scope="session")
async def keys(make_key: Any, tenant: str) -> dict[str, str]:
    """Admin, editor and viewer keys of this test's ``tenant``; "other" is another tenant's
    admin. Per test: key listings and settings are per tenant, and tests change both."""
    return {
        "admin": await make_key(tenant, "admin"),
        "editor": await make_key(tenant, "editor"),
        "viewer": await make_key(tenant, "viewer"),
        "other": await make_key(f"{tenant}-b", "admin"),
    }


def code_of(body: dict[str, Any]) -> str:
    """The error code of a refused query (a GraphQL error) or mutation (a typed error)."""
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    (result,) = body["data"].values()
    return str(result["code"])


def key_id(secret: str) -> str:
    return secret.split("_")[1]


@pytest.mark.parametrize("role", ["editor", "viewer"])
@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (KEYS, {}),
        (CREATE, {"role": "ADMIN"}),
        (REVOKE, {"id": "whatever"}),
        (ROTATE, {"id": "whatever"}),
        (SETTINGS, {}),
        (UPDATE, {"h": 2}),
    ],
)
async def test_admin_operations_are_forbidden_to_editors_and_viewers(
    gql: Any, keys: dict[str, str], role: str, query: str, variables: dict[str, Any]
) -> None:
    body = await gql(keys[role], query, variables)
    assert code_of(body) == "FORBIDDEN", body


async def test_an_admin_lists_only_its_tenants_keys_with_last_use(
    gql: Any, keys: dict[str, str]
) -> None:
    body = await gql(keys["admin"], KEYS)
    listed = {k["id"]: k for k in body["data"]["apiKeys"]}
    assert set(listed) == {key_id(keys[r]) for r in ("admin", "editor", "viewer")}
    assert listed[key_id(keys["admin"])]["lastUsedAt"] is not None
    assert key_id(keys["other"]) not in listed
    assert all("secret" not in k and "hash" not in k for k in listed.values())


async def test_create_use_and_revoke_a_key(gql: Any, keys: dict[str, str]) -> None:
    created = (await gql(keys["admin"], CREATE, {"role": "VIEWER", "name": "ci"}))["data"]
    secret = created["createApiKey"]["secret"]
    assert created["createApiKey"]["apiKey"]["role"] == "VIEWER"
    assert (await gql(secret, "{ playbook { __typename } }"))["data"]["playbook"]
    new_id = created["createApiKey"]["apiKey"]["id"]
    revoked = await gql(keys["admin"], REVOKE, {"id": new_id})
    assert revoked["data"]["revokeApiKey"]["revokedAt"] is not None
    await gql(secret, "{ playbook { __typename } }", expect_status=401)


async def test_a_key_revoked_elsewhere_stops_working_within_the_cache_bound(
    database: Database, neo4j_settings: Settings, make_key: Any, tenant: str
) -> None:
    """Another process (the CLI, another API process) revokes a key this one has cached:
    it is refused again at the latest FLAGBEARER_KEY_CACHE_SECONDS later."""
    bound = 1.0
    settings = neo4j_settings.model_copy(update={"key_cache_seconds": bound})
    secret = await make_key(tenant, "viewer")
    query = {"query": "{ viewer { tenant } }"}
    headers = {"Authorization": f"Bearer {secret}"}
    async with client_for(create_app(settings, database=database)) as c:
        assert (await c.post("/graphql", json=query, headers=headers)).status_code == 200
        await keys_repo.revoke_key(database, key_id(secret))
        revoked_at = time.monotonic()
        while (await c.post("/graphql", json=query, headers=headers)).status_code == 200:
            assert time.monotonic() - revoked_at <= bound, "still accepted past the bound"
            await asyncio.sleep(0.05)
        refused = await c.post("/graphql", json=query, headers=headers)
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_last_use_of_a_key_is_recorded(
    database: Database, neo4j_settings: Settings, make_key: Any, tenant: str
) -> None:
    secret = await make_key(tenant, "viewer")
    async with client_for(create_app(neo4j_settings, database=database)) as c:
        for _ in range(3):
            response = await c.post(
                "/graphql",
                json={"query": "{ viewer { tenant } }"},
                headers={"Authorization": f"Bearer {secret}"},
            )
            assert response.status_code == 200
        deadline = time.monotonic() + 10
        while True:
            listed = {k.id: k for k in await keys_repo.list_keys(database, tenant)}
            if listed[key_id(secret)].last_used_at is not None:
                break
            assert time.monotonic() < deadline, "the key's use was never recorded"
            await asyncio.sleep(0.1)


async def test_another_tenants_key_is_not_found(gql: Any, keys: dict[str, str]) -> None:
    for query in (REVOKE, ROTATE):
        body = await gql(keys["admin"], query, {"id": key_id(keys["other"])})
        assert code_of(body) == "NOT_FOUND"
    await gql(keys["other"], "{ playbook { __typename } }")  # still works


async def test_rotating_a_key_keeps_its_role_and_retires_the_old_secret(
    gql: Any, make_key: Any, keys: dict[str, str], tenant: str
) -> None:
    old = await make_key(tenant, "editor")
    body = await gql(keys["admin"], ROTATE, {"id": key_id(old)})
    rotated = body["data"]["rotateApiKey"]
    assert rotated["apiKey"]["role"] == "EDITOR"
    assert rotated["apiKey"]["id"] != key_id(old)
    await gql(old, "{ playbook { __typename } }", expect_status=401)
    assert (await gql(rotated["secret"], "{ playbook { __typename } }"))["data"]


async def test_tenant_settings_default_update_and_range(
    gql: Any, keys: dict[str, str], database: Database, tenant: str
) -> None:
    body = await gql(keys["admin"], SETTINGS)
    assert body["data"]["tenantSettings"] == {
        "maxHops": 3,
        "capacityPerChampion": 2,
        "topPlaysPerApprover": 3,
        "updatedBy": None,
    }
    body = await gql(keys["admin"], UPDATE, {"h": 6, "t": 20})
    assert body["data"]["updateTenantSettings"] == {
        "maxHops": 6,
        "capacityPerChampion": 2,
        "topPlaysPerApprover": 20,
        "updatedBy": f"key:{key_id(keys['admin'])}",
    }
    for bad in ({"h": 0}, {"h": 7}, {"c": 0}, {"c": 11}, {"t": 0}, {"t": 21}):
        body = await gql(keys["admin"], UPDATE, bad)
        assert code_of(body) == "INVALID_INPUT", bad
    stored = await get_tenant_settings(database, tenant)
    assert (stored.options.max_hops, stored.options.top_plays_per_approver) == (6, 20)
    other = await gql(keys["other"], SETTINGS)
    assert other["data"]["tenantSettings"]["maxHops"] == 3, "settings are per tenant"


async def test_cli_keys_rotate_prints_the_new_key_and_revokes_the_old(
    database: Database, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch, tenant: str
) -> None:
    old = await keys_repo.create_key(database, tenant, keys_repo.Role.VIEWER, "cli")
    monkeypatch.setenv("NEO4J_URI", str(neo4j_settings.neo4j_uri))
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.neo4j_password)
    # The CLI runs its own event loop, so it runs in a thread of its own.
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["keys", "rotate", old.info.id])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("fbk_")
    assert await keys_repo.authenticate_key(database, old.secret) is None
    found = await keys_repo.authenticate_key(database, secret)
    assert found is not None
    assert (found.principal.tenant_id, found.principal.role) == (tenant, keys_repo.Role.VIEWER)
    missing = await asyncio.to_thread(CliRunner().invoke, cli, ["keys", "rotate", "nope"])
    assert missing.exit_code == 1
    assert "not found" in missing.stderr


# --- bearer JWTs over HTTP -----------------------------------------------------------


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_a_jwt_authenticates_with_its_tenant_and_role(
    database: Database,
    neo4j_settings: Settings,
    signing_key: rsa.RSAPrivateKey,
    keys: dict[str, str],
    tenant: str,
) -> None:
    public = (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = neo4j_settings.model_copy(
        update={"jwt_public_key": public, "jwt_audience": "flagbearer"}
    )
    now = int(time.time())
    good = {
        "sub": f"ops@{tenant}",
        "tenant": tenant,
        "role": "admin",
        "aud": "flagbearer",
        "iat": now,
        "exp": now + 60,
    }
    async with client_for(create_app(settings, database=database)) as c:

        async def post(token: str) -> httpx.Response:
            return await c.post(
                "/graphql", json={"query": KEYS}, headers={"Authorization": f"Bearer {token}"}
            )

        response = await post(jwt.encode(good, signing_key, algorithm="RS256"))
        assert response.status_code == 200
        assert len(response.json()["data"]["apiKeys"]) >= 3
        for bad in ({"exp": now - 600}, {"aud": "other"}, {"role": "root"}):
            response = await post(jwt.encode({**good, **bad}, signing_key, algorithm="RS256"))
            assert response.status_code == 401, bad
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        response = await post(jwt.encode(good, None, algorithm="none"))
        assert response.status_code == 401


async def test_without_jwt_settings_a_jwt_is_refused(
    client: httpx.AsyncClient, signing_key: rsa.RSAPrivateKey
) -> None:
    token = jwt.encode({"sub": "x", "tenant": "admin-a", "role": "admin"}, signing_key, "RS256")
    response = await client.post(
        "/graphql", json={"query": KEYS}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


# --- production mode -----------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def production_client(database: Database, neo4j_settings: Settings) -> Any:
    settings = neo4j_settings.model_copy(update={"environment": "production"})
    assert settings.production_problems() == []
    async with client_for(create_app(settings, database=database)) as c:
        yield c


async def test_production_turns_off_introspection(
    production_client: httpx.AsyncClient, client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {keys['viewer']}"}
    query = {"query": "{ __schema { queryType { name } } }"}
    response = await production_client.post("/graphql", json=query, headers=headers)
    assert "data" not in response.json()  # refused before execution: no data entry
    assert "introspection" in response.json()["errors"][0]["message"].lower()
    typed = await production_client.post(
        "/graphql", json={"query": '{ __type(name: "Account") { name } }'}, headers=headers
    )
    assert "data" not in typed.json()
    development = await client.post("/graphql", json=query, headers=headers)
    assert development.json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_production_turns_off_graphiql(
    production_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    page = {"Accept": "text/html"}
    assert "graphiql" in (await client.get("/graphql", headers=page)).text.lower()
    response = await production_client.get("/graphql", headers=page)
    assert response.status_code in {401, 404}
    assert "graphiql" not in response.text.lower()


async def test_production_hides_field_suggestions(
    production_client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    response = await production_client.post(
        "/graphql",
        json={"query": "{ playbok { __typename } }"},
        headers={"Authorization": f"Bearer {keys['viewer']}"},
    )
    assert "Did you mean" not in response.text


async def test_unexpected_errors_are_masked_and_logged(
    production_client: httpx.AsyncClient,
    keys: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("bolt://10.0.0.9 password=hunter2 in /srv/app/keys.py line 42")

    monkeypatch.setattr(keys_repo, "list_keys", broken)
    with caplog.at_level(logging.ERROR, logger="graph_api.graphql"):
        response = await production_client.post(
            "/graphql",
            json={"query": KEYS},
            headers={"Authorization": f"Bearer {keys['admin']}", "X-Request-Id": "req-42"},
        )
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-42"}
    for leak in ("hunter2", "10.0.0.9", "RuntimeError", "Traceback", ".py"):
        assert leak not in response.text
    assert "hunter2" in caplog.text
    assert "req-42" in caplog.text
