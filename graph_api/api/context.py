"""The request context every resolver sees: who is calling, the database, the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from strawberry.types import Info as StrawberryInfo

from graph_api.api.loaders import Loaders
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.principal import Principal
from graph_api.errors import Forbidden

if TYPE_CHECKING:
    from graph_api.api.auth import ApiKeys


@dataclass
class Context:
    database: Database
    principal: Principal
    settings: Settings
    request_id: str
    api_keys: ApiKeys | None = None
    charged: bool = False
    """The request's cost was charged already (by the compiled read path, before it handed
    the request on): the limits check it again but do not charge it twice."""
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.reset_loaders()

    def reset_loaders(self) -> None:
        """Fresh loaders: after a write, reads cached earlier in the request are stale."""
        self.loaders = Loaders(self.database, self.principal.tenant_id)

    @property
    def tenant_id(self) -> str:
        return self.principal.tenant_id

    def forget_key(self, key_id: str) -> None:
        """A key was revoked or rotated: this process stops accepting it at once."""
        if self.api_keys is not None:
            self.api_keys.forget(key_id)

    async def record_key_uses(self) -> None:
        """Write the last uses of keys gathered so far (before they are listed)."""
        if self.api_keys is not None:
            await self.api_keys.uses.flush()

    def require_writer(self) -> None:
        if not self.principal.can_write:
            raise Forbidden("this key is read-only (viewer); editing needs an editor or admin key")

    def require_admin(self) -> None:
        if not self.principal.is_admin:
            raise Forbidden("this operation needs an admin key")


Info: TypeAlias = StrawberryInfo[Context, None]
