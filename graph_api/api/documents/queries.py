"""``exportDocument``: one account as an account document."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from graph_api.api.context import Info
from graph_api.repositories.documents import export_document


@strawberry.type
class DocumentQuery:
    @strawberry.field(
        description="One account as an account document (docs/document.md) with the playbook"
        " entries it references; importing it into another tenant reproduces the account."
    )
    async def export_document(self, info: Info, account_id: strawberry.ID) -> JSON:
        document: dict[str, Any] = await export_document(
            info.context.database, info.context.principal, account_id=str(account_id)
        )
        return JSON(document)
