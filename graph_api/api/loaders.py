"""DataLoaders: one per key kind, so a request costs one Cypher round trip per level."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from graph_api.db.driver import Database
from graph_api.domain.kinds import NODE_KINDS, Node
from graph_api.repositories import graph
from graph_api.repositories.graph import ENDS, Edge, Page


class Loaders:
    """Per-request loaders, scoped to the caller's tenant; each is made on first use."""

    def __init__(self, database: Database, tenant_id: str) -> None:
        self.database = database
        self.tenant_id = tenant_id
        self._nodes: dict[tuple[str, str], DataLoader[str, Node | None]] = {}
        self._edges: dict[tuple[str, bool], DataLoader[str, list[Edge]]] = {}
        self._pages: dict[tuple[str, str, int, int], DataLoader[str, Page]] = {}

    def nodes_by(self, label: str, key: str = "id") -> DataLoader[str, Node | None]:
        """Nodes of ``label`` by ``id`` or ``externalId``."""
        assert label in NODE_KINDS
        loader = self._nodes.get((label, key))
        if loader is None:

            async def load(keys: Sequence[str]) -> list[Node | None]:
                found = await graph.nodes_by_keys(self.database, self.tenant_id, label, keys, key)
                return [found.get(k) for k in keys]

            loader = self._nodes[label, key] = DataLoader(load_fn=load)
        return loader

    def edges(self, rel_type: str, outgoing: bool) -> DataLoader[str, list[Edge]]:
        """Relationships of ``rel_type`` leaving (``outgoing``) or entering each id."""
        assert rel_type in ENDS
        loader = self._edges.get((rel_type, outgoing))
        if loader is None:

            async def load(ids: Sequence[str]) -> list[list[Edge]]:
                found = await graph.edges_of(self.database, self.tenant_id, rel_type, ids, outgoing)
                return [found.get(i, []) for i in ids]

            loader = self._edges[rel_type, outgoing] = DataLoader(load_fn=load)
        return loader

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
        return await self.nodes_by(label).load(node_id)

    async def nodes(self, label: str, ids: Sequence[str]) -> list[Node]:
        loaded = await self.nodes_by(label).load_many(list(ids))
        return [n for n in loaded if n is not None]
