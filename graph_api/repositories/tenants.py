"""Per-tenant settings: the coaching defaults an admin chooses for the whole tenant.

Stored in one ``(:TenantSettings {tenantId})`` node; a tenant without one has the model's
defaults (docs/coaching-model.md). Every change is recorded in the audit trail, and an update
takes the node's write lock before it reads, so concurrent admins never lose a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.principal import Principal
from graph_api.engine.model import Options
from graph_api.repositories.audit import ChangeRecord, now_iso, record_changes

FIELDS = {
    "max_hops": "maxHops",
    "capacity_per_champion": "capacityPerChampion",
    "top_plays_per_approver": "topPlaysPerApprover",
    "stale_after_days": "staleAfterDays",
}
"""Each setting: its ``Options`` field and its stored (and GraphQL) name."""

GET_SETTINGS = """
MATCH (s:TenantSettings {tenantId: $tenantId})
RETURN properties(s) AS settings
"""
LOCK_SETTINGS = """
MERGE (s:TenantSettings {tenantId: $tenantId})
SET s._lock = true
RETURN properties(s) AS settings
"""
SET_SETTINGS = """
MATCH (s:TenantSettings {tenantId: $tenantId})
SET s += $values, s.updatedAt = $now, s.updatedBy = $actor
REMOVE s._lock
"""


@dataclass(frozen=True)
class TenantSettingsRecord:
    """A tenant's coaching defaults; ``options`` feeds ``coachingPlan`` when none are given
    (and its ``stale_after_days`` always does)."""

    tenant_id: str
    options: Options
    updated_at: str | None = None
    updated_by: str | None = None


def _record(tenant_id: str, stored: Mapping[str, Any] | None) -> TenantSettingsRecord:
    if stored is None:
        return TenantSettingsRecord(tenant_id, Options())
    chosen: dict[str, Any] = {
        field: stored[name] for field, name in FIELDS.items() if stored.get(name) is not None
    }
    return TenantSettingsRecord(
        tenant_id, replace(Options(), **chosen), stored.get("updatedAt"), stored.get("updatedBy")
    )


async def _single(tx: AsyncManagedTransaction, query: str, tenant_id: str) -> Any:
    result = await tx.run(query, tenantId=tenant_id)
    record = await result.single()
    return None if record is None else record["settings"]


async def get_tenant_settings(database: Database, tenant_id: str) -> TenantSettingsRecord:
    """The tenant's settings, or the defaults when it never set any."""

    async def work(tx: AsyncManagedTransaction) -> TenantSettingsRecord:
        return _record(tenant_id, await _single(tx, GET_SETTINGS, tenant_id))

    return await database.read(work)


async def update_tenant_settings(
    database: Database,
    principal: Principal,
    changes: Mapping[str, int | None],
    reason: str | None = None,
) -> TenantSettingsRecord:
    """Change the settings given by ``Options`` field name (None keeps a value); out-of-range
    values raise InvalidInput naming every one, and nothing is written."""
    given: dict[str, Any] = {name: value for name, value in changes.items() if value is not None}
    assert set(given) <= set(FIELDS), given
    replace(Options(), **given).validate()  # refuse before any transaction
    tenant_id = principal.tenant_id

    async def work(tx: AsyncManagedTransaction) -> TenantSettingsRecord:
        current = _record(tenant_id, await _single(tx, LOCK_SETTINGS, tenant_id))
        options = replace(current.options, **given)
        options.validate()
        now = now_iso()
        values = {FIELDS[name]: getattr(options, name) for name in FIELDS}
        await tx.run(
            SET_SETTINGS, tenantId=tenant_id, values=values, now=now, actor=principal.actor
        )
        await record_changes(
            tx,
            tenant_id,
            principal.actor,
            [
                ChangeRecord(
                    "TenantSettings",
                    tenant_id,
                    "UPDATE",
                    field=FIELDS[name],
                    old_value=getattr(current.options, name),
                    new_value=value,
                )
                for name, value in given.items()
                if getattr(current.options, name) != value
            ],
            reason,
        )
        return TenantSettingsRecord(tenant_id, options, now, principal.actor)

    return await database.write(work)
