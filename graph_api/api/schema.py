"""The GraphQL schema, assembled from the per-domain root types."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from graph_api.api.coaching import CoachingQuery
from graph_api.api.queries import MapQuery
from graph_api.api.types import NODE_TYPES


@strawberry.type
class Query(MapQuery, CoachingQuery):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        types=list(NODE_TYPES.values()),
        config=StrawberryConfig(auto_camel_case=True),
    )


schema = build_schema()
