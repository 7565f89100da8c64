"""The one validator of the map's values, and the values the server adds when writing.

Mutations and the account document both check a record's values with :func:`check_values`
(the property rules of :mod:`graph_api.domain.kinds`) and :func:`check_rules` (the rules
across properties), and both fill defaults and timestamps with :func:`written_values`; so a
value one path accepts the other accepts, and a record written either way is stored alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from graph_api.domain.kinds import Kind, NodeKind, Today
from graph_api.domain.values import EXTERNAL_ID, TEXT, stored
from graph_api.errors import ProblemCollector

EXTERNAL_ID_FIELD = "externalId"


def settable_names(kind: Kind) -> tuple[str, ...]:
    """The names a caller may set on a record of ``kind`` (an externalId for node kinds)."""
    own = kind.prop_names
    return (EXTERNAL_ID_FIELD, *own) if isinstance(kind, NodeKind) else own


def check_values(
    kind: Kind,
    given: Mapping[str, Any],
    path: str,
    problems: ProblemCollector,
    *,
    creating: bool,
) -> None:
    """Add a problem (at ``path.name``) for every value of ``given`` that breaks its rule.

    On create a missing required property is a problem; on update an explicit ``None``
    clears a property, which a required one refuses. Unknown names are problems too.
    """
    props = kind.by_name
    if creating:
        for p in kind.props:
            if p.required and given.get(p.name) is None:
                problems.add(f"{path}.{p.name}", "is required")
    for name, value in given.items():
        where = f"{path}.{name}"
        if name == EXTERNAL_ID_FIELD and isinstance(kind, NodeKind):
            if value is not None and (message := EXTERNAL_ID.problem(value)) is not None:
                problems.add(where, message)
            continue
        spec = props.get(name)
        if spec is None:
            allowed = ", ".join(settable_names(kind))
            problems.add(where, f"unknown field; allowed: {allowed}")
            continue
        if value is None:
            if spec.required and not creating:
                problems.add(where, "is required and cannot be cleared")
            continue
        found = spec.value.located_problem(value)
        if found is not None:
            inside, message = found
            problems.add(where + inside, message)


def check_rules(
    kind: Kind, record: Mapping[str, Any], path: str, problems: ProblemCollector
) -> None:
    """Add the problems of the rules across ``kind``'s properties, over a whole record."""
    for rule in kind.rules:
        found = rule(record)
        if found is not None:
            name, message = found
            problems.add(f"{path}.{name}", message)


def check_reason(reason: str | None, problems: ProblemCollector) -> None:
    """A change's reason is free text kept in the audit trail."""
    if reason is not None and (message := TEXT.problem(reason)) is not None:
        problems.add("reason", message)


def stored_form(kind: Kind, given: Mapping[str, Any]) -> dict[str, Any]:
    """``given`` as it is stored: a value that says no more than its declared default (an
    UNKNOWN stance, a 1.0 vote weight, no topics) is stored as no value, so a record reads
    the same however it was written and an export that leaves defaults out re-imports to the
    same store. Unique lists are stored sorted, date-times in UTC with microseconds (so
    stored times sort as text however they were written)."""
    stored: dict[str, Any] = {}
    props = kind.by_name
    for name, value in given.items():
        p = props.get(name)
        if p is not None and p.default is not None and p.is_default(value):
            stored[name] = None
        elif p is not None and p.value.unique_items and isinstance(value, list):
            stored[name] = sorted(value)
        elif p is not None and p.value.scalar == "DateTime" and isinstance(value, str):
            stored[name] = _utc(value)
        else:
            stored[name] = value
    return stored


def _utc(value: str) -> str:
    """An ISO 8601 date-time as stored; a value that does not parse is left to the validator."""
    try:
        return str(stored(datetime.fromisoformat(value)))
    except ValueError:
        return value


def written_values(
    kind: Kind, old: Mapping[str, Any] | None, given: Mapping[str, Any], *, now: str, today: str
) -> dict[str, Any]:
    """What a write of ``given`` over ``old`` (None when creating) stores, change by change.

    Values are kept in their stored form (:func:`stored_form`); creating fills the defaults
    that are not implied (``verifiedAt`` is the day written); any write sets the stamps whose
    trigger changed (``stanceUpdatedAt`` when the stance moves) unless the caller gave them.
    Values equal to the stored ones are left out: the result is exactly what changes.
    """
    before: Mapping[str, Any] = old or {}
    given = stored_form(kind, given)
    changes = {
        k: v for k, v in given.items() if before.get(k) != v and not (old is None and v is None)
    }
    triggers = [k for k in changes if k != EXTERNAL_ID_FIELD]
    if old is None:
        for p in kind.props:
            if given.get(p.name) is None and isinstance(p.default, Today):
                changes[p.name] = today
    if triggers:
        for p in kind.props:
            if p.stamp is None or given.get(p.name) is not None:
                continue
            if p.stamped_by and not any(name in p.stamped_by for name in triggers):
                continue
            stamp = now if p.stamp == "now" else today
            if before.get(p.name) != stamp:
                changes[p.name] = stamp
            else:  # stamped so already: a null given for it changes nothing either
                changes.pop(p.name, None)
    return changes
