"""DataLoaders: one per key kind, so a request costs one Cypher round trip per level."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from graph_api.db.driver import Database
from graph_api.domain.models import NODE_KINDS, Edge, Node
from graph_api.repositories import graph
from graph_api.repositories.graph import REL_KINDS, Page


class Loaders:
    """Per-request loaders, scoped to the caller's tenant (built fresh for every request)."""

    def __init__(self, database: Database, tenant_id: str) -> None:
        self.database = database
        self.tenant_id = tenant_id
        self.by_id = {label: self._node_loader(label, "id") for label in NODE_KINDS}
        self.by_external_id = {
            label: self._node_loader(label, "externalId") for label in NODE_KINDS
        }
        self.edges_out = {t: self._edge_loader(t, outgoing=True) for t in REL_KINDS}
        self.edges_in = {t: self._edge_loader(t, outgoing=False) for t in REL_KINDS}
        self._pages: dict[tuple[str, str, int, int], DataLoader[str, Page]] = {}

    def _node_loader(self, label: str, key: str) -> DataLoader[str, Node | None]:
        async def load(keys: Sequence[str]) -> list[Node | None]:
            found = await graph.nodes_by_keys(self.database, self.tenant_id, label, keys, key)
            return [found.get(k) for k in keys]

        return DataLoader(load_fn=load)

    def _edge_loader(self, rel_type: str, outgoing: bool) -> DataLoader[str, list[Edge]]:
        async def load(ids: Sequence[str]) -> list[list[Edge]]:
            found = await graph.edges_of(self.database, self.tenant_id, rel_type, ids, outgoing)
            return [found.get(i, []) for i in ids]

        return DataLoader(load_fn=load)

    def children(self, parent: str, child: str, offset: int, limit: int) -> DataLoader[str, Page]:
        """Pages of a parent's children; one loader (one query) per distinct page window."""
        key = (parent, child, offset, limit)
        if key not in self._pages:

            async def load(ids: Sequence[str]) -> list[Page]:
                found = await graph.child_pages(
                    self.database, self.tenant_id, parent, child, ids, offset, limit
                )
                return [found.get(i, Page([], 0, offset)) for i in ids]

            self._pages[key] = DataLoader(load_fn=load)
        return self._pages[key]

    async def node(self, label: str, node_id: str) -> Node | None:
        return await self.by_id[label].load(node_id)

    async def nodes(self, label: str, ids: Sequence[str]) -> list[Node]:
        loaded = await self.by_id[label].load_many(list(ids))
        return [n for n in loaded if n is not None]
