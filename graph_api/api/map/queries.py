"""Root query fields of the map: lookups, lists, the playbook, ``node(id:)`` and ``viewer``."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graph_api.api.context import Info
from graph_api.api.map.types import MODULE, Node, Playbook
from graph_api.api.pagination import Connection, page_window
from graph_api.api.scalars import ApiKeyRole
from graph_api.domain.ids import kind_of_id
from graph_api.domain.kinds import Node as NodeRecord
from graph_api.errors import InvalidInput
from graph_api.repositories import graph


def _type(name: str) -> Any:
    return Annotated[name, strawberry.lazy(MODULE)]


async def lookup(
    info: Info, label: str, node_id: strawberry.ID | None, external_id: str | None
) -> NodeRecord | None:
    """One node of the caller's tenant by ``id`` or ``externalId`` (exactly one is given)."""
    if (node_id is None) == (external_id is None):
        raise InvalidInput("give exactly one of 'id' or 'externalId'")
    if node_id is not None:
        return await info.context.loaders.nodes_by(label).load(str(node_id))
    return await info.context.loaders.nodes_by(label, "externalId").load(str(external_id))


@strawberry.input(description="Narrows `accounts`; every field is optional.")
class AccountFilter:
    name_contains: str | None = None
    industry: str | None = None
    region: str | None = None
    is_reference: bool | None = None


@strawberry.type(description="Who is calling: the tenant and role of the key or token.")
class Viewer:
    tenant: str
    role: ApiKeyRole
    actor: str = strawberry.field(description="How the audit trail names this caller.")
    can_edit: bool


def _lookup_field(label: str) -> Any:
    async def resolve(
        info: Info,
        id: strawberry.ID | None = None,
        external_id: str | None = None,
    ) -> Any:
        return await lookup(info, label, id, external_id)

    resolve.__annotations__["return"] = _type(label) | None
    return strawberry.field(
        resolver=resolve, description=f"One {label.lower()} by `id` or by `externalId`."
    )


LOOKUPS = {
    "account": "Account",
    "stakeholder": "Stakeholder",
    "opportunity": "Opportunity",
    "argument": "Argument",
}
"""The root lookups by ``id`` or ``externalId``: field -> label."""


@strawberry.type
class MapQuery:
    @strawberry.field(description="The caller itself: what this key or token may do.")
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.principal
        return Viewer(
            tenant=principal.tenant_id,
            role=principal.role,
            actor=principal.actor,
            can_edit=principal.can_write,
        )

    @strawberry.field(description="Any entity by its globally unique id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        label = kind_of_id(str(id))
        if label is None:
            return None
        found: Any = await info.context.loaders.node(label, str(id))
        return found  # type: ignore[no-any-return]

    account = _lookup_field(LOOKUPS["account"])
    stakeholder = _lookup_field(LOOKUPS["stakeholder"])
    opportunity = _lookup_field(LOOKUPS["opportunity"])
    argument = _lookup_field(LOOKUPS["argument"])

    @strawberry.field(description="The tenant's accounts, by name.")
    async def accounts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: AccountFilter | None = None,
    ) -> Connection[_type("Account")]:  # type: ignore[valid-type]
        offset, limit = page_window(info, first, after)
        f = filter or AccountFilter()
        page = await graph.list_accounts(
            info.context.database,
            info.context.tenant_id,
            graph.AccountFilter(f.name_contains, f.industry, f.region, f.is_reference),
            offset,
            limit,
        )
        return Connection.of(list(page.nodes), offset, page.total)

    @strawberry.field(description="The tenant's concerns and arguments.")
    async def playbook(self, info: Info) -> Playbook:
        concerns, arguments = await graph.playbook(info.context.database, info.context.tenant_id)
        return Playbook(concerns=concerns, arguments=arguments)
