"""Who is calling: the tenant and role every repository call is scoped by."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.domain.enums import Role


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``actor`` is what the audit trail records (key id or subject)."""

    tenant_id: str
    role: Role
    actor: str

    @property
    def can_write(self) -> bool:
        return self.role.can_write()

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
