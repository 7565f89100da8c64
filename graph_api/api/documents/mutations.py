"""``importDocument``: an account document applied atomically."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from graph_api.api.context import Context, Info
from graph_api.api.documents.types import ImportDocumentResult, ImportResult
from graph_api.api.results import guarded
from graph_api.api.scalars import ImportMode
from graph_api.domain import enums
from graph_api.observability.timing import observed_import
from graph_api.repositories.documents import import_document


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(
        description="Apply an account document atomically: MERGE upserts what it names,"
        " REPLACE makes each listed account exactly what it says. A bad document is refused"
        " with every problem by JSON path, and nothing is written."
    )
    async def import_document(
        self,
        info: Info,
        document: JSON,
        mode: ImportMode = enums.ImportMode.MERGE,
        reason: str | None = None,
    ) -> ImportDocumentResult:
        async def work(c: Context) -> ImportResult:
            with observed_import("graphql", document):
                summary = await import_document(
                    c.database, c.principal, document, enums.ImportMode(mode), reason=reason
                )
            return ImportResult.from_summary(summary)

        return await guarded(info, work)
