"""The GraphQL schema, assembled from the per-domain root types."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig

from graph_api.api.admin import AdminMutation, AdminQuery
from graph_api.api.coaching import CoachingQuery
from graph_api.api.crm import CrmMutation, CrmQuery
from graph_api.api.documents import DocumentMutation, DocumentQuery
from graph_api.api.limits import security_extensions
from graph_api.api.mutations import MapMutation
from graph_api.api.queries import MapQuery
from graph_api.api.types import NODE_TYPES
from graph_api.config import Settings


@strawberry.type
class Query(MapQuery, CoachingQuery, DocumentQuery, AdminQuery, CrmQuery):
    pass


@strawberry.type
class Mutation(MapMutation, DocumentMutation, AdminMutation, CrmMutation):
    pass


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema; with ``settings`` it enforces their limits (and production's posture)."""
    config = StrawberryConfig(auto_camel_case=True)
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = []
    if settings is not None:
        if settings.allow_batching:
            config.batching_config = {"max_operations": settings.max_batch_operations}
        config.disable_field_suggestions = settings.production
        extensions = security_extensions(settings)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=list(NODE_TYPES.values()),
        config=config,
        extensions=extensions,
    )


schema = build_schema()
