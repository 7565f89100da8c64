"""API keys: made for one tenant and one role, stored only as a SHA-256 hash.

A key looks like ``fbk_<key id>_<secret>``; the key id is not secret (it names the key in the
audit trail and in ``graph-api keys list``), the secret is 32 random bytes. Keys are high
entropy, so a fast hash is the right one: there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.enums import Role
from graph_api.domain.principal import Principal
from graph_api.errors import InvalidInput, NotFound
from graph_api.repositories.audit import now_iso

KEY_PREFIX = "fbk"
LAST_USED_GRANULARITY = timedelta(seconds=60)

CREATE_KEY = """
CREATE (k:ApiKey {id: $id, tenantId: $tenantId, role: $role, hash: $hash, name: $name,
                  createdAt: $now, createdBy: $createdBy})
"""
FIND_KEY = """
MATCH (k:ApiKey {hash: $hash})
WHERE k.revokedAt IS NULL
RETURN k.id AS id, k.tenantId AS tenantId, k.role AS role, k.lastUsedAt AS lastUsedAt
"""
TOUCH_KEY = """
MATCH (k:ApiKey {id: $id})
WHERE k.lastUsedAt IS NULL OR k.lastUsedAt < $before
SET k.lastUsedAt = $now
"""
LIST_KEYS = """
MATCH (k:ApiKey)
WHERE $tenantId IS NULL OR k.tenantId = $tenantId
RETURN k.id AS id, k.tenantId AS tenantId, k.role AS role, k.name AS name,
       k.createdAt AS createdAt, k.lastUsedAt AS lastUsedAt, k.revokedAt AS revokedAt
ORDER BY k.tenantId, k.createdAt, k.id
"""
REVOKE_KEY = """
MATCH (k:ApiKey {id: $id})
WHERE $tenantId IS NULL OR k.tenantId = $tenantId
SET k.revokedAt = coalesce(k.revokedAt, $now)
RETURN k.id AS id
"""


@dataclass(frozen=True)
class ApiKeyInfo:
    id: str
    tenant_id: str
    role: Role
    name: str | None
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


@dataclass(frozen=True)
class NewKey:
    info: ApiKeyInfo
    secret: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def validate_tenant(tenant_id: str) -> str:
    tenant = tenant_id.strip()
    if not tenant or len(tenant) > 100 or not all(ch.isalnum() or ch in "-_." for ch in tenant):
        raise InvalidInput(
            "tenant must be 1-100 characters of letters, digits, '-', '_' or '.'"
        )
    return tenant


async def create_key(
    database: Database, tenant_id: str, role: Role, name: str | None = None,
    created_by: str = "cli",
) -> NewKey:
    tenant = validate_tenant(tenant_id)
    key_id = secrets.token_hex(6)
    secret = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    now = now_iso()

    async def work(tx: AsyncManagedTransaction) -> None:
        await tx.run(
            CREATE_KEY, id=key_id, tenantId=tenant, role=role.value, hash=hash_key(secret),
            name=name, now=now, createdBy=created_by,
        )

    await database.write(work)
    return NewKey(ApiKeyInfo(key_id, tenant, role, name, now, None, None), secret)


async def authenticate_key(database: Database, key: str) -> Principal | None:
    """The principal a key stands for, or None if it is unknown or revoked."""
    if not key.startswith(f"{KEY_PREFIX}_") or len(key) > 200:
        return None
    digest = hash_key(key)

    async def find(tx: AsyncManagedTransaction) -> dict[str, str | None] | None:
        result = await tx.run(FIND_KEY, hash=digest)
        record = await result.single()
        return None if record is None else dict(record)

    found = await database.read(find)
    if found is None or found["id"] is None or found["tenantId"] is None:
        return None
    now = datetime.now(UTC)
    last_used = found["lastUsedAt"]
    if last_used is None or datetime.fromisoformat(last_used) < now - LAST_USED_GRANULARITY:

        async def touch(tx: AsyncManagedTransaction) -> None:
            await tx.run(
                TOUCH_KEY, id=found["id"], now=now.isoformat(timespec="microseconds"),
                before=(now - LAST_USED_GRANULARITY).isoformat(timespec="microseconds"),
            )

        await database.write(touch)
    return Principal(
        tenant_id=found["tenantId"], role=Role(found["role"]), actor=f"key:{found['id']}"
    )


async def list_keys(database: Database, tenant_id: str | None = None) -> list[ApiKeyInfo]:
    async def work(tx: AsyncManagedTransaction) -> list[ApiKeyInfo]:
        result = await tx.run(LIST_KEYS, tenantId=tenant_id)
        return [
            ApiKeyInfo(
                r["id"], r["tenantId"], Role(r["role"]), r["name"], r["createdAt"],
                r["lastUsedAt"], r["revokedAt"],
            )
            async for r in result
        ]

    return await database.read(work)


async def revoke_key(database: Database, key_id: str, tenant_id: str | None = None) -> None:
    async def work(tx: AsyncManagedTransaction) -> bool:
        result = await tx.run(REVOKE_KEY, id=key_id, tenantId=tenant_id, now=now_iso())
        return await result.single() is not None

    if not await database.write(work):
        raise NotFound("ApiKey", key_id)
