"""Opaque, globally unique ids whose prefix names the kind (``stk_…`` is a Stakeholder)."""

from __future__ import annotations

import uuid

from graph_api.domain.kinds import ID_PREFIXES as PREFIXES

_LABELS = {prefix: label for label, prefix in PREFIXES.items()}


def new_id(kind: str) -> str:
    return f"{PREFIXES[kind]}_{uuid.uuid4().hex}"


def kind_of_id(node_id: str) -> str | None:
    """The label an id belongs to, or None for anything this API never issued."""
    prefix, sep, rest = node_id.partition("_")
    if not sep or not rest:
        return None
    return _LABELS.get(prefix)
