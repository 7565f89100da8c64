"""Admin-only GraphQL: the tenant's API keys and its coaching defaults.

Every field here checks ``require_admin`` first (editors and viewers get ``FORBIDDEN``) and
works within the caller's tenant only: another tenant's key id is simply not found.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from graph_api.api.context import Info
from graph_api.api.types import _ts
from graph_api.domain import enums
from graph_api.errors import InvalidInput
from graph_api.repositories import keys as keys_repo
from graph_api.repositories import tenants as tenants_repo

ApiKeyRole = strawberry.enum(enums.Role, name="ApiKeyRole")
MAX_KEY_NAME = 100


@strawberry.type(description="An API key of the tenant; its secret is never shown again.")
class ApiKey:
    id: strawberry.ID
    role: ApiKeyRole  # type: ignore[valid-type]
    name: str | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @staticmethod
    def of(info: keys_repo.ApiKeyInfo) -> ApiKey:
        return ApiKey(
            id=strawberry.ID(info.id),
            role=info.role,
            name=info.name,
            created_at=dt.datetime.fromisoformat(info.created_at),
            last_used_at=_ts(info.last_used_at),
            revoked_at=_ts(info.revoked_at),
        )


@strawberry.type(description="A new key and its secret, shown this once.")
class CreatedApiKey:
    key: ApiKey
    secret: str


@strawberry.type(description="The tenant's coaching defaults (ranges as `CoachingOptions`).")
class TenantSettings:
    max_hops: int
    capacity_per_champion: int
    top_plays_per_approver: int
    updated_at: dt.datetime | None
    updated_by: str | None

    @staticmethod
    def of(record: tenants_repo.TenantSettingsRecord) -> TenantSettings:
        return TenantSettings(
            max_hops=record.options.max_hops,
            capacity_per_champion=record.options.capacity_per_champion,
            top_plays_per_approver=record.options.top_plays_per_approver,
            updated_at=_ts(record.updated_at),
            updated_by=record.updated_by,
        )


@strawberry.type
class AdminQuery:
    @strawberry.field(description="The tenant's API keys, revoked ones included (admin only).")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        info.context.require_admin()
        found = await keys_repo.list_keys(info.context.database, info.context.tenant_id)
        return [ApiKey.of(k) for k in found]

    @strawberry.field(description="The tenant's coaching defaults (admin only).")
    async def tenant_settings(self, info: Info) -> TenantSettings:
        info.context.require_admin()
        record = await tenants_repo.get_tenant_settings(
            info.context.database, info.context.tenant_id
        )
        return TenantSettings.of(record)


@strawberry.type
class AdminMutation:
    @strawberry.mutation(description="A new key for this tenant; the secret is returned once.")
    async def create_api_key(
        self,
        info: Info,
        role: ApiKeyRole,  # type: ignore[valid-type]
        name: str | None = None,
    ) -> CreatedApiKey:
        info.context.require_admin()
        if name is not None and len(name) > MAX_KEY_NAME:
            raise InvalidInput(f"name must be at most {MAX_KEY_NAME} characters")
        new = await keys_repo.create_key(
            info.context.database,
            info.context.tenant_id,
            enums.Role(role),
            name,
            created_by=info.context.principal.actor,
        )
        return CreatedApiKey(key=ApiKey.of(new.info), secret=new.secret)

    @strawberry.mutation(description="Revoke a key of this tenant: it stops working at once.")
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> ApiKey:  # noqa: A002
        info.context.require_admin()
        revoked = await keys_repo.revoke_key(
            info.context.database,
            str(id),
            info.context.tenant_id,
            revoked_by=info.context.principal.actor,
        )
        return ApiKey.of(revoked)

    @strawberry.mutation(description="Replace a key: a new secret, the old key revoked.")
    async def rotate_api_key(self, info: Info, id: strawberry.ID) -> CreatedApiKey:  # noqa: A002
        info.context.require_admin()
        new = await keys_repo.rotate_key(
            info.context.database,
            str(id),
            info.context.tenant_id,
            created_by=info.context.principal.actor,
        )
        return CreatedApiKey(key=ApiKey.of(new.info), secret=new.secret)

    @strawberry.mutation(description="Change the tenant's coaching defaults (admin only).")
    async def update_tenant_settings(
        self,
        info: Info,
        max_hops: int | None = None,
        capacity_per_champion: int | None = None,
        top_plays_per_approver: int | None = None,
        reason: str | None = None,
    ) -> TenantSettings:
        info.context.require_admin()
        record = await tenants_repo.update_tenant_settings(
            info.context.database,
            info.context.principal,
            max_hops,
            capacity_per_champion,
            top_plays_per_approver,
            reason,
        )
        return TenantSettings.of(record)
