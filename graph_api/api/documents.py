"""The account document over GraphQL: ``importDocument`` and ``exportDocument``."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from graph_api.api.context import Info
from graph_api.api.payloads import UserErrors, user_error
from graph_api.api.types import ImportMode
from graph_api.domain import enums
from graph_api.errors import FlagbearerError
from graph_api.observability.timing import observed_import
from graph_api.repositories.documents import ImportSummary, export_document, import_document


@strawberry.type(description="Created, updated and deleted counts of one kind of entity.")
class ChangeCount:
    kind: str
    created: int
    updated: int
    deleted: int


@strawberry.type(description="An account the document named, as stored now.")
class ImportedAccountRef:
    id: strawberry.ID
    external_id: str
    created: bool
    changed: bool


@strawberry.type(
    description="What an import did; importing the same document again changes nothing."
)
class ImportResult:
    mode: ImportMode  # type: ignore[valid-type]
    changed: bool
    accounts: list[ImportedAccountRef]
    nodes: list[ChangeCount]
    relationships: ChangeCount
    stance_changes: int

    @staticmethod
    def from_summary(summary: ImportSummary) -> ImportResult:
        return ImportResult(
            mode=summary.mode,
            changed=summary.changed,
            accounts=[
                ImportedAccountRef(
                    id=strawberry.ID(a.id),
                    external_id=a.external_id,
                    created=a.created,
                    changed=a.changed,
                )
                for a in summary.accounts
            ],
            nodes=[
                ChangeCount(kind=label, created=c.created, updated=c.updated, deleted=c.deleted)
                for label, c in sorted(summary.nodes.items())
            ],
            relationships=ChangeCount(
                kind="relationships",
                created=summary.relationships.created,
                updated=summary.relationships.updated,
                deleted=summary.relationships.deleted,
            ),
            stance_changes=summary.stance_changes,
        )


ImportDocumentResult = Annotated[
    ImportResult | UserErrors, strawberry.union("ImportDocumentResult")
]


@strawberry.type
class DocumentQuery:
    @strawberry.field(
        description="One account as an account document (DESIGN section 2) with the playbook"
        " entries it references; importing it into another tenant reproduces the account."
    )
    async def export_document(self, info: Info, account_id: strawberry.ID) -> JSON:
        document: dict[str, Any] = await export_document(
            info.context.database, info.context.principal, account_id=str(account_id)
        )
        return JSON(document)


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
        mode: ImportMode = enums.ImportMode.MERGE,  # type: ignore[valid-type]
        reason: str | None = None,
    ) -> ImportDocumentResult:
        try:
            info.context.require_writer()
            with observed_import("graphql", document):
                summary = await import_document(
                    info.context.database,
                    info.context.principal,
                    document,
                    enums.ImportMode(mode),
                    reason=reason,
                )
        except FlagbearerError as error:
            return user_error(error)
        return ImportResult.from_summary(summary)
