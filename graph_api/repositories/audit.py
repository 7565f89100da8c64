"""The audit trail: one ``(:Change)`` node per changed field, written in the same transaction.

A change names who (``actor``: a key id or a token subject), when, what (entity kind and id,
field, old and new value as JSON text) and why (an optional reason). ``accountId`` ties every
change to the account whose feed shows it. Personal data never goes into a deletion's record.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

RECORD_CHANGES = """
UNWIND $changes AS c
CREATE (:Change {
  id: c.id, tenantId: $tenantId, accountId: c.accountId, entityKind: c.entityKind,
  entityId: c.entityId, action: c.action, field: c.field, oldValue: c.oldValue,
  newValue: c.newValue, evidence: c.evidence, actor: $actor, reason: $reason, at: c.at
})
"""


@dataclass(frozen=True)
class ChangeRecord:
    """One change to record. ``action`` is CREATE, UPDATE, DELETE or IMPORT."""

    entity_kind: str
    entity_id: str
    action: str
    account_id: str | None = None
    field: str | None = None
    old_value: Any = None
    new_value: Any = None
    evidence: str | None = None


def relationship_key(source: str, target: str) -> str:
    """The audit trail's key of a relationship (it has no id of its own): ``source|target``."""
    return f"{source}|{target}"


def now_iso() -> str:
    """The one timestamp format stored everywhere: UTC, ISO 8601, microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


async def record_changes(
    tx: AsyncManagedTransaction,
    tenant_id: str,
    actor: str,
    changes: list[ChangeRecord],
    reason: str | None = None,
) -> None:
    """Write ``changes`` in ``tx`` (so the audit lands exactly when the change does)."""
    if not changes:
        return
    at = now_iso()
    rows = [
        {
            "id": f"chg_{uuid.uuid4().hex}",
            "accountId": c.account_id,
            "entityKind": c.entity_kind,
            "entityId": c.entity_id,
            "action": c.action,
            "field": c.field,
            "oldValue": _json(c.old_value),
            "newValue": _json(c.new_value),
            "evidence": c.evidence,
            "at": at,
        }
        for c in changes
    ]
    await tx.run(RECORD_CHANGES, changes=rows, tenantId=tenant_id, actor=actor, reason=reason)
