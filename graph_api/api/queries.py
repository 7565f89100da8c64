"""Root query fields for the map: lookups, lists, the playbook and ``node(id:)``."""

from __future__ import annotations

import strawberry

from graph_api.api.admin import ApiKeyRole
from graph_api.api.context import Info
from graph_api.api.types import (
    Account,
    Argument,
    Concern,
    Connection,
    Node,
    Opportunity,
    Playbook,
    Stakeholder,
    page_window,
    to_graphql,
)
from graph_api.domain.ids import kind_of_id
from graph_api.domain.models import Node as StoredNode
from graph_api.errors import InvalidInput
from graph_api.repositories import graph


async def lookup(
    info: Info, label: str, node_id: strawberry.ID | None, external_id: str | None
) -> StoredNode | None:
    """One node of the caller's tenant by ``id`` or ``externalId`` (exactly one is given)."""
    if (node_id is None) == (external_id is None):
        raise InvalidInput("give exactly one of 'id' or 'externalId'")
    loaders = info.context.loaders
    if node_id is not None:
        return await loaders.by_id[label].load(str(node_id))
    return await loaders.by_external_id[label].load(str(external_id))


@strawberry.input(description="Narrows `accounts`; every field is optional.")
class AccountFilter:
    name_contains: str | None = None
    industry: str | None = None
    region: str | None = None
    is_reference: bool | None = None


@strawberry.type(description="Who is calling: the tenant and role of the key or token.")
class Viewer:
    tenant: str
    role: ApiKeyRole  # type: ignore[valid-type]
    actor: str = strawberry.field(description="How the audit trail names this caller.")
    can_edit: bool


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
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:  # noqa: A002
        label = kind_of_id(str(id))
        if label is None:
            return None
        found = await info.context.loaders.by_id[label].load(str(id))
        return None if found is None else to_graphql(found)

    @strawberry.field
    async def account(
        self,
        info: Info,
        id: strawberry.ID | None = None,  # noqa: A002
        external_id: str | None = None,
    ) -> Account | None:
        found = await lookup(info, "Account", id, external_id)
        return None if found is None else Account.from_node(found)

    @strawberry.field
    async def stakeholder(
        self,
        info: Info,
        id: strawberry.ID | None = None,  # noqa: A002
        external_id: str | None = None,
    ) -> Stakeholder | None:
        found = await lookup(info, "Stakeholder", id, external_id)
        return None if found is None else Stakeholder.from_node(found)

    @strawberry.field
    async def opportunity(
        self,
        info: Info,
        id: strawberry.ID | None = None,  # noqa: A002
        external_id: str | None = None,
    ) -> Opportunity | None:
        found = await lookup(info, "Opportunity", id, external_id)
        return None if found is None else Opportunity.from_node(found)

    @strawberry.field
    async def argument(
        self,
        info: Info,
        id: strawberry.ID | None = None,  # noqa: A002
        external_id: str | None = None,
    ) -> Argument | None:
        found = await lookup(info, "Argument", id, external_id)
        return None if found is None else Argument.from_node(found)

    @strawberry.field(description="The tenant's accounts, by name.")
    async def accounts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: AccountFilter | None = None,  # noqa: A002
    ) -> Connection[Account]:
        offset, limit = page_window(info, first, after)
        f = filter or AccountFilter()
        page = await graph.list_accounts(
            info.context.database,
            info.context.tenant_id,
            graph.AccountFilter(f.name_contains, f.industry, f.region, f.is_reference),
            offset,
            limit,
        )
        return Connection.of([Account.from_node(n) for n in page.nodes], offset, page.total)

    @strawberry.field(description="The tenant's concerns and arguments.")
    async def playbook(self, info: Info) -> Playbook:
        concerns, arguments = await graph.playbook(info.context.database, info.context.tenant_id)
        return Playbook(
            concerns=[Concern.from_node(c) for c in concerns],
            arguments=[Argument.from_node(a) for a in arguments],
        )
