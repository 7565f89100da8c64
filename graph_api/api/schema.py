"""The GraphQL schema, assembled from the per-area root types (map, coaching, documents,
admin)."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graph_api.api.admin.mutations import AdminMutation
from graph_api.api.admin.queries import AdminQuery
from graph_api.api.coaching.queries import CoachingQuery
from graph_api.api.crm import CrmMutation, CrmQuery
from graph_api.api.documents.mutations import DocumentMutation
from graph_api.api.documents.queries import DocumentQuery
from graph_api.api.limits import DocumentChecks, security_extensions
from graph_api.api.map.mutations import MapMutation
from graph_api.api.map.queries import MapQuery
from graph_api.api.map.types import NODE_TYPES, RELATIONSHIP_TYPES
from graph_api.api.map.verify import VerifyMutation
from graph_api.api.ratelimit import CostBudget
from graph_api.api.scalars import SCALARS
from graph_api.config import Settings
from graph_api.observability.graphql import OperationTelemetry


@strawberry.type
class Query(MapQuery, CoachingQuery, DocumentQuery, AdminQuery, CrmQuery):
    pass


@strawberry.type
class Mutation(MapMutation, VerifyMutation, DocumentMutation, AdminMutation, CrmMutation):  # type: ignore[misc]
    pass


class Schema(strawberry.Schema):
    documents: DocumentChecks | None = None
    """The checks of each distinct document (when the schema enforces limits)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged once, where the HTTP view formats them (graph_api.api.view): a
        bug with its traceback, a limit refusal in one line, the caller's mistakes not at all.
        """


def build_schema(
    settings: Settings | None = None, rate_limiter: CostBudget | None = None
) -> Schema:
    """The schema; with ``settings`` it enforces their limits (and production's posture)
    and reports each operation to metrics, logs and traces."""
    config = StrawberryConfig(auto_camel_case=True, scalar_map=SCALARS)
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = []
    documents = None
    if settings is not None:
        if settings.allow_batching:
            config.batching_config = {"max_operations": settings.max_batch_operations}
        config.disable_field_suggestions = settings.production
        documents = DocumentChecks(settings)
        # telemetry first: its span and timing enclose the limits' checks and refusals
        extensions = [OperationTelemetry, *security_extensions(settings, rate_limiter, documents)]
    built = Schema(
        query=Query,
        mutation=Mutation,
        types=[*NODE_TYPES.values(), *RELATIONSHIP_TYPES.values()],
        config=config,
        extensions=extensions,
    )
    built.documents = documents
    return built


schema = build_schema()
