"""Admin-only queries: the tenant's API keys and coaching defaults (editors and viewers get
``FORBIDDEN``); everything is within the caller's tenant."""

from __future__ import annotations

import strawberry

from graph_api.api.admin.types import ApiKey, TenantSettings
from graph_api.api.context import Info
from graph_api.repositories import keys as keys_repo
from graph_api.repositories import tenants as tenants_repo


@strawberry.type
class AdminQuery:
    @strawberry.field(description="The tenant's API keys, revoked ones included (admin only).")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        info.context.require_admin()
        await info.context.record_key_uses()
        found = await keys_repo.list_keys(info.context.database, info.context.tenant_id)
        return [ApiKey.of(k) for k in found]

    @strawberry.field(description="The tenant's coaching defaults (admin only).")
    async def tenant_settings(self, info: Info) -> TenantSettings:
        info.context.require_admin()
        record = await tenants_repo.get_tenant_settings(
            info.context.database, info.context.tenant_id
        )
        return TenantSettings.of(record)
