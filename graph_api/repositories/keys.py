"""API keys: made for one tenant and one role, stored only as a SHA-256 hash.

A key looks like ``fbk_<key id>_<secret>``; the key id is not secret (it names the key in the
audit trail and in ``graph-api keys list``), the secret is 32 random bytes. Keys are high
entropy, so a fast hash is the right one: there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.enums import Role
from graph_api.domain.principal import Principal
from graph_api.errors import InvalidInput, NotFound
from graph_api.repositories.audit import ChangeRecord, now_iso, record_changes

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
TOUCH_KEYS = """
UNWIND $uses AS use
MATCH (k:ApiKey {id: use.id})
WHERE k.lastUsedAt IS NULL OR k.lastUsedAt < use.before
SET k.lastUsedAt = use.at
"""
LIST_KEYS = """
MATCH (k:ApiKey)
WHERE $tenantId IS NULL OR k.tenantId = $tenantId
RETURN k.id AS id, k.tenantId AS tenantId, k.role AS role, k.name AS name,
       k.createdAt AS createdAt, k.lastUsedAt AS lastUsedAt, k.revokedAt AS revokedAt
ORDER BY k.tenantId, k.createdAt, k.id
"""
ROTATE_KEY = """
MATCH (old:ApiKey {id: $id})
WHERE old.revokedAt IS NULL AND ($tenantId IS NULL OR old.tenantId = $tenantId)
SET old.revokedAt = $now, old.replacedBy = $newId
CREATE (k:ApiKey {id: $newId, tenantId: old.tenantId, role: old.role, hash: $hash,
                  name: old.name, createdAt: $now, createdBy: $createdBy, rotatedFrom: old.id})
RETURN k.tenantId AS tenantId, k.role AS role, k.name AS name
"""
REVOKE_KEY = """
MATCH (k:ApiKey {id: $id})
WHERE $tenantId IS NULL OR k.tenantId = $tenantId
SET k.revokedAt = coalesce(k.revokedAt, $now)
RETURN k.id AS id, k.tenantId AS tenantId, k.role AS role, k.name AS name,
       k.createdAt AS createdAt, k.lastUsedAt AS lastUsedAt, k.revokedAt AS revokedAt
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
        raise InvalidInput("tenant must be 1-100 characters of letters, digits, '-', '_' or '.'")
    return tenant


def new_secret() -> tuple[str, str]:
    """A fresh (key id, key) pair."""
    key_id = secrets.token_hex(6)
    return key_id, f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


async def create_key(
    database: Database,
    tenant_id: str,
    role: Role,
    name: str | None = None,
    created_by: str = "cli",
) -> NewKey:
    tenant = validate_tenant(tenant_id)
    key_id, secret = new_secret()
    now = now_iso()

    async def work(tx: AsyncManagedTransaction) -> None:
        await tx.run(
            CREATE_KEY,
            id=key_id,
            tenantId=tenant,
            role=role.value,
            hash=hash_key(secret),
            name=name,
            now=now,
            createdBy=created_by,
        )
        await _audit(tx, tenant, created_by, key_id, "CREATE", {"role": role.value, "name": name})

    await database.write(work)
    return NewKey(ApiKeyInfo(key_id, tenant, role, name, now, None, None), secret)


@dataclass(frozen=True)
class StoredKey:
    """What authenticating a key finds: who it stands for and when it was last used."""

    id: str
    principal: Principal
    last_used_at: datetime | None


@dataclass(frozen=True)
class KeyUse:
    """A key used at ``at``: its ``lastUsedAt`` moves there unless it is already within
    :data:`LAST_USED_GRANULARITY` of it."""

    key_id: str
    at: datetime


def is_key(credential: str) -> bool:
    """Whether ``credential`` has the shape of a key this service issues."""
    return credential.startswith(f"{KEY_PREFIX}_") and len(credential) <= 200


async def authenticate_key(database: Database, key: str) -> StoredKey | None:
    """The live key ``key`` (who it stands for), or None if it is unknown or revoked.

    It only reads: record the use with :func:`touch_keys` (the API batches those writes,
    :mod:`graph_api.api.auth`).
    """
    if not is_key(key):
        return None
    digest = hash_key(key)

    async def find(tx: AsyncManagedTransaction) -> dict[str, str | None] | None:
        result = await tx.run(FIND_KEY, hash=digest)
        record = await result.single()
        return None if record is None else dict(record)

    found = await database.read(find)
    if found is None or found["id"] is None or found["tenantId"] is None or not found["role"]:
        return None
    last_used = found["lastUsedAt"]
    return StoredKey(
        id=found["id"],
        principal=Principal(
            tenant_id=found["tenantId"], role=Role(found["role"]), actor=f"key:{found['id']}"
        ),
        last_used_at=None if last_used is None else datetime.fromisoformat(last_used),
    )


def needs_touch(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a use at ``now`` moves a ``lastUsedAt`` (it moves by at least a granule)."""
    return last_used_at is None or last_used_at < now - LAST_USED_GRANULARITY


async def touch_keys(database: Database, uses: list[KeyUse]) -> None:
    """Record the last use of several keys in one write."""

    async def touch(tx: AsyncManagedTransaction) -> None:
        await tx.run(
            TOUCH_KEYS,
            uses=[
                {
                    "id": use.key_id,
                    "at": use.at.isoformat(timespec="microseconds"),
                    "before": (use.at - LAST_USED_GRANULARITY).isoformat(timespec="microseconds"),
                }
                for use in uses
            ],
        )

    await database.write(touch)


def _info(record: Any) -> ApiKeyInfo:
    return ApiKeyInfo(
        record["id"],
        record["tenantId"],
        Role(record["role"]),
        record["name"],
        record["createdAt"],
        record["lastUsedAt"],
        record["revokedAt"],
    )


async def list_keys(database: Database, tenant_id: str | None = None) -> list[ApiKeyInfo]:
    async def work(tx: AsyncManagedTransaction) -> list[ApiKeyInfo]:
        result = await tx.run(LIST_KEYS, tenantId=tenant_id)
        return [_info(r) async for r in result]

    return await database.read(work)


async def revoke_key(
    database: Database, key_id: str, tenant_id: str | None = None, revoked_by: str = "cli"
) -> ApiKeyInfo:
    """Revoke a key (again is harmless); ``tenant_id`` confines it to one tenant's keys."""

    async def work(tx: AsyncManagedTransaction) -> ApiKeyInfo | None:
        result = await tx.run(REVOKE_KEY, id=key_id, tenantId=tenant_id, now=now_iso())
        record = await result.single()
        if record is None:
            return None
        info = _info(record)
        await _audit(tx, info.tenant_id, revoked_by, key_id, "REVOKE", None)
        return info

    revoked = await database.write(work)
    if revoked is None:
        raise NotFound("ApiKey", key_id)
    return revoked


async def rotate_key(
    database: Database,
    key_id: str,
    tenant_id: str | None = None,
    created_by: str = "cli",
) -> NewKey:
    """A new key with the old one's tenant, role and name; the old one is revoked with it.

    ``tenant_id`` confines the rotation to one tenant's keys (another tenant's is not found).
    """
    new_id, secret = new_secret()
    now = now_iso()

    async def work(tx: AsyncManagedTransaction) -> dict[str, str] | None:
        result = await tx.run(
            ROTATE_KEY,
            id=key_id,
            tenantId=tenant_id,
            newId=new_id,
            hash=hash_key(secret),
            now=now,
            createdBy=created_by,
        )
        record = await result.single()
        if record is None:
            return None
        rotated = dict(record)
        await _audit(tx, rotated["tenantId"], created_by, new_id, "ROTATE", {"replaces": key_id})
        return rotated

    rotated = await database.write(work)
    if rotated is None:
        raise NotFound("ApiKey", key_id)
    info = ApiKeyInfo(
        new_id, rotated["tenantId"], Role(rotated["role"]), rotated["name"], now, None, None
    )
    return NewKey(info, secret)


async def _audit(
    tx: AsyncManagedTransaction,
    tenant_id: str,
    actor: str,
    key_id: str,
    action: str,
    new_value: dict[str, str | None] | None,
) -> None:
    """Keys are tenant settings: who made, rotated or revoked one goes in the audit trail."""
    change = ChangeRecord("ApiKey", key_id, action, new_value=new_value)
    await record_changes(tx, tenant_id, actor, [change])
