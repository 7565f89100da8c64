"""Types of administration: API keys and the tenant's coaching defaults."""

from __future__ import annotations

import strawberry

from graph_api.api.scalars import ApiKeyRole, DateTime, moment
from graph_api.repositories import keys as keys_repo
from graph_api.repositories import tenants as tenants_repo


@strawberry.type(description="An API key of the tenant; its secret is never shown again.")
class ApiKey:
    id: strawberry.ID
    role: ApiKeyRole
    name: str | None
    created_at: DateTime
    last_used_at: DateTime | None
    revoked_at: DateTime | None

    @staticmethod
    def of(info: keys_repo.ApiKeyInfo) -> ApiKey:
        return ApiKey(
            id=strawberry.ID(info.id),
            role=info.role,
            name=info.name,
            created_at=DateTime(info.created_at),
            last_used_at=moment(info.last_used_at),
            revoked_at=moment(info.revoked_at),
        )


@strawberry.type(description="A new key and its secret, shown this once.")
class CreatedApiKey:
    api_key: ApiKey
    secret: str


@strawberry.type(description="The tenant's coaching defaults (ranges as `CoachingOptions`).")
class TenantSettings:
    max_hops: int
    capacity_per_champion: int
    top_plays_per_approver: int
    stale_after_days: int = strawberry.field(
        description="A fact verified longer ago than this many days is stale (default 90)."
    )
    updated_at: DateTime | None
    updated_by: str | None

    @staticmethod
    def of(record: tenants_repo.TenantSettingsRecord) -> TenantSettings:
        return TenantSettings(
            max_hops=record.options.max_hops,
            capacity_per_champion=record.options.capacity_per_champion,
            top_plays_per_approver=record.options.top_plays_per_approver,
            stale_after_days=record.options.stale_after_days,
            updated_at=moment(record.updated_at),
            updated_by=record.updated_by,
        )
