"""Per-tenant settings: the coaching defaults an admin chooses for the whole tenant.

Stored in one ``(:TenantSettings {tenantId})`` node; a tenant without one has the model's
defaults (DESIGN section 3). Every change is recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.domain.principal import Principal
from graph_api.engine.model import Options
from graph_api.repositories.audit import ChangeRecord, now_iso, record_changes

GET_SETTINGS = """
MATCH (s:TenantSettings {tenantId: $tenantId})
RETURN s.maxHops AS maxHops, s.capacityPerChampion AS capacityPerChampion,
       s.topPlaysPerApprover AS topPlaysPerApprover, s.updatedAt AS updatedAt,
       s.updatedBy AS updatedBy
"""
SET_SETTINGS = """
MERGE (s:TenantSettings {tenantId: $tenantId})
SET s.maxHops = $maxHops, s.capacityPerChampion = $capacityPerChampion,
    s.topPlaysPerApprover = $topPlaysPerApprover, s.updatedAt = $now, s.updatedBy = $actor
"""
FIELDS = {
    "max_hops": "maxHops",
    "capacity_per_champion": "capacityPerChampion",
    "top_plays_per_approver": "topPlaysPerApprover",
}


@dataclass(frozen=True)
class TenantSettingsRecord:
    """A tenant's coaching defaults; ``options`` feeds ``coachingPlan`` when none are given."""

    tenant_id: str
    options: Options
    updated_at: str | None = None
    updated_by: str | None = None


async def _read(tx: AsyncManagedTransaction, tenant_id: str) -> TenantSettingsRecord:
    result = await tx.run(GET_SETTINGS, tenantId=tenant_id)
    record = await result.single()
    if record is None:
        return TenantSettingsRecord(tenant_id, Options())
    options = Options(
        max_hops=record["maxHops"],
        capacity_per_champion=record["capacityPerChampion"],
        top_plays_per_approver=record["topPlaysPerApprover"],
    )
    return TenantSettingsRecord(tenant_id, options, record["updatedAt"], record["updatedBy"])


async def get_tenant_settings(database: Database, tenant_id: str) -> TenantSettingsRecord:
    """The tenant's settings, or the defaults when it never set any."""

    async def work(tx: AsyncManagedTransaction) -> TenantSettingsRecord:
        return await _read(tx, tenant_id)

    return await database.read(work)


async def update_tenant_settings(
    database: Database,
    principal: Principal,
    max_hops: int | None = None,
    capacity_per_champion: int | None = None,
    top_plays_per_approver: int | None = None,
    reason: str | None = None,
) -> TenantSettingsRecord:
    """Change the given settings (None keeps a value); out-of-range values raise InvalidInput
    naming every one, and nothing is written."""
    given = {
        "max_hops": max_hops,
        "capacity_per_champion": capacity_per_champion,
        "top_plays_per_approver": top_plays_per_approver,
    }
    changes = {name: value for name, value in given.items() if value is not None}
    tenant_id = principal.tenant_id

    async def work(tx: AsyncManagedTransaction) -> TenantSettingsRecord:
        current = await _read(tx, tenant_id)
        options = replace(
            current.options,
            max_hops=changes.get("max_hops", current.options.max_hops),
            capacity_per_champion=changes.get(
                "capacity_per_champion", current.options.capacity_per_champion
            ),
            top_plays_per_approver=changes.get(
                "top_plays_per_approver", current.options.top_plays_per_approver
            ),
        )
        options.validate()
        now = now_iso()
        await tx.run(
            SET_SETTINGS,
            tenantId=tenant_id,
            maxHops=options.max_hops,
            capacityPerChampion=options.capacity_per_champion,
            topPlaysPerApprover=options.top_plays_per_approver,
            now=now,
            actor=principal.actor,
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
                for name, value in changes.items()
                if getattr(current.options, name) != value
            ],
            reason,
        )
        return TenantSettingsRecord(tenant_id, options, now, principal.actor)

    return await database.write(work)
