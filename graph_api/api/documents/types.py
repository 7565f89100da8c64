"""Types of the account document's import."""

from __future__ import annotations

import strawberry

from graph_api.api.results import result_union
from graph_api.api.scalars import ImportMode
from graph_api.repositories.documents import ImportSummary


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
    mode: ImportMode
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


ImportDocumentResult = result_union("ImportDocumentResult", ImportResult)
