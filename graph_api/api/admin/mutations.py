"""Admin-only mutations: make, revoke and rotate API keys; change the tenant's coaching
defaults. They answer a union of their result and the typed errors, like every mutation; a
key of another tenant is not found."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph_api.api.admin.types import ApiKey, CreatedApiKey, TenantSettings
from graph_api.api.context import Context, Info
from graph_api.api.results import guarded, result_union
from graph_api.api.scalars import ApiKeyRole
from graph_api.domain import enums
from graph_api.errors import InvalidInput
from graph_api.repositories import keys as keys_repo
from graph_api.repositories import tenants as tenants_repo

MAX_KEY_NAME = 100

CreateApiKeyResult = result_union("CreateApiKeyResult", CreatedApiKey)
RevokeApiKeyResult = result_union("RevokeApiKeyResult", ApiKey)
RotateApiKeyResult = result_union("RotateApiKeyResult", CreatedApiKey)
UpdateTenantSettingsResult = result_union("UpdateTenantSettingsResult", TenantSettings)


@strawberry.type
class AdminMutation:
    @strawberry.mutation(description="A new key for this tenant; the secret is returned once.")
    async def create_api_key(
        self,
        info: Info,
        role: ApiKeyRole,
        name: str | None = None,
    ) -> CreateApiKeyResult:  # type: ignore[valid-type]
        async def work(c: Context) -> CreatedApiKey:
            if name is not None and len(name) > MAX_KEY_NAME:
                raise InvalidInput(f"name must be at most {MAX_KEY_NAME} characters")
            new = await keys_repo.create_key(
                c.database, c.tenant_id, enums.Role(role), name, created_by=c.principal.actor
            )
            return CreatedApiKey(api_key=ApiKey.of(new.info), secret=new.secret)

        return await guarded(info, work, admin=True)

    @strawberry.mutation(description="Revoke a key of this tenant: it stops working at once.")
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> RevokeApiKeyResult:  # type: ignore[valid-type]
        async def work(c: Context) -> ApiKey:
            revoked = await keys_repo.revoke_key(
                c.database, str(id), c.tenant_id, revoked_by=c.principal.actor
            )
            c.forget_key(revoked.id)
            return ApiKey.of(revoked)

        return await guarded(info, work, admin=True)

    @strawberry.mutation(description="Replace a key: a new secret, the old key revoked.")
    async def rotate_api_key(self, info: Info, id: strawberry.ID) -> RotateApiKeyResult:  # type: ignore[valid-type]
        async def work(c: Context) -> CreatedApiKey:
            new = await keys_repo.rotate_key(
                c.database, str(id), c.tenant_id, created_by=c.principal.actor
            )
            c.forget_key(str(id))
            return CreatedApiKey(api_key=ApiKey.of(new.info), secret=new.secret)

        return await guarded(info, work, admin=True)

    @strawberry.mutation(description="Change the tenant's coaching defaults (admin only).")
    async def update_tenant_settings(
        self,
        info: Info,
        max_hops: int | None = None,
        capacity_per_champion: int | None = None,
        top_plays_per_approver: int | None = None,
        stale_after_days: Annotated[
            int | None,
            strawberry.argument(
                description="A fact verified longer ago than this many days is stale, 1-3650."
            ),
        ] = None,
        reason: str | None = None,
    ) -> UpdateTenantSettingsResult:  # type: ignore[valid-type]
        changes = {
            "max_hops": max_hops,
            "capacity_per_champion": capacity_per_champion,
            "top_plays_per_approver": top_plays_per_approver,
            "stale_after_days": stale_after_days,
        }

        async def work(c: Context) -> TenantSettings:
            record = await tenants_repo.update_tenant_settings(
                c.database, c.principal, changes, reason
            )
            return TenantSettings.of(record)

        return await guarded(info, work, admin=True)
