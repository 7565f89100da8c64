"""The graph model's reference page (``docs/graph-model.md``), written from the declarations.

Run ``python -m graph_api.domain.reference > docs/graph-model.md`` after changing a kind; a
test fails while the page and the declarations disagree.
"""

from __future__ import annotations

import json
import sys

from graph_api.domain import kinds
from graph_api.domain.document import LAYOUT, Section
from graph_api.domain.kinds import Kind, Prop, Today
from graph_api.domain.values import ValueType

INTRO = """# The graph model

*Written by `python -m graph_api.domain.reference` from the declarations in
`graph_api/domain/kinds.py`; do not edit by hand.*

Every node carries `tenantId` (the selling organisation), `id` (opaque and globally unique; its
prefix names the kind, e.g. `stk_…`), `externalId` (the caller's key, e.g. a CRM id; unique per
tenant and kind), `createdAt`, `updatedAt` and `updatedBy`. Every relationship carries
`updatedAt` and `updatedBy`. No query returns or touches another tenant's data.

`updatedAt` strictly increases with every change of a record: pass the value you read as
`expectedUpdatedAt` to an update or delete, and it is refused with a `ConflictError` if someone
changed the record since.

Values: strings are checked for length (a *line* is at most 500 characters, *text* at most
10,000), numbers must be finite and inside their range, dates are `YYYY-MM-DD`, date-times ISO
8601 (stored in UTC with microseconds). The same rules hold for mutations, for the account
document (`docs/document.md`) and for CRM imports: a value one accepts, the others accept.
"""


def _value(value: ValueType) -> str:
    if value.item is not None:
        return f"list of {_value(value.item)}"
    if value.enum is not None:
        return " \\| ".join(f"`{m}`" for m in value.enum.__members__)
    words = {
        "name": "line, not blank",
        "line": "line",
        "text": "text",
        "email": "e-mail address",
        "url": "http(s) URL",
        "currency": "ISO 4217 code",
        "date": "date",
        "dateTime": "date-time",
        "unitOpen": "number in (0, 1]",
        "unit": "number in [0, 1]",
        "voteWeight": "number > 0, ≤ 1,000,000",
        "employees": "integer 0 to 100,000,000",
        "amount": "number 0 to 10^15",
        "boolean": "true / false",
    }
    return words.get(value.name, value.name)


def _rules(p: Prop) -> str:
    notes = []
    if p.required:
        notes.append("required")
    if isinstance(p.default, Today):
        notes.append("default: the day written")
    elif p.default is not None:
        default = p.default_value("")
        notes.append(f"default: `{json.dumps(getattr(default, 'value', default))}`")
    if p.stamp is not None:
        trigger = " or ".join(f"`{n}`" for n in p.stamped_by) or "any property"
        notes.append(f"set by the server when {trigger} changes, unless given")
    if p.personal:
        notes.append("personal data")
    return "; ".join(notes)


def _table(kind: Kind) -> list[str]:
    lines = ["| property | value | rules | meaning |", "|---|---|---|---|"]
    lines += [
        f"| `{p.name}` | {_value(p.value)} | {_rules(p)} | {p.description} |" for p in kind.props
    ]
    return lines if kind.props else ["No properties of its own."]


def _document_places() -> dict[str, str]:
    places: dict[str, str] = {}

    def walk(sections: tuple[Section, ...], path: str) -> None:
        for section in sections:
            where = f"{path}.{section.key}[]"
            places[section.kind.name] = f"`{where}`"
            for link in section.links:
                places[link.kind.name] = f"`{where}.{link.key}`"
            walk(section.sections, where)

    walk(tuple(s for s in LAYOUT if s.key != "accounts"), "playbook")
    walk(tuple(s for s in LAYOUT if s.key == "accounts"), "")
    return {k: v.replace("`.", "`") for k, v in places.items()}


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def model_markdown() -> str:
    places = _document_places()
    lines = [INTRO, "## Nodes", ""]
    for kind in kinds.NODE_KINDS.values():
        lines += [f"### {kind.label}", "", kind.description, ""]
        facts = [f"Ids start with `{kind.id_prefix}_`."]
        if kind.parent is not None:
            parent = kind.parent
            pattern = (
                f"`({kind.label})-[:{parent.rel_type}]->({parent.label})`"
                if parent.child_points_to_parent
                else f"`({parent.label})-[:{parent.rel_type}]->({kind.label})`"
            )
            facts.append(
                f"Made under {_a(parent.label)} ({pattern}, created with it; `{parent.arg}` in "
                "create inputs) and removed with it."
            )
        facts.append(f"In the document: {places[kind.name]}.")
        lines += [" ".join(facts), "", *_table(kind), ""]
    lines += ["## Relationships", ""]
    for rel in kinds.RELATIONSHIP_KINDS.values():
        lines += [
            f"### {rel.name}: `({rel.source})-[:{rel.type}]->({rel.target})`",
            "",
            rel.description,
            "",
        ]
        facts = [f"Named by `{rel.source_arg}` and `{rel.target_arg}` in inputs."]
        if rel.distinct_ends:
            facts.append("Never from a stakeholder to themselves.")
        if rel.same_account:
            facts.append("Both ends belong to one account.")
        if rel.one_per_source:
            facts.append(f"At most one per {rel.source.lower()}.")
        facts.append(f"At most one per pair of ends. In the document: {places[rel.name]}.")
        lines += [" ".join(facts), "", *_table(rel), ""]
    lines += ["## Rules across properties", ""]
    lines += [
        f"- {kind.name}: {' '.join((rule.__doc__ or '').split())}"
        for kind in [*kinds.NODE_KINDS.values(), *kinds.RELATIONSHIP_KINDS.values()]
        for rule in kind.rules
    ]
    return "\n".join([*lines, ""])


if __name__ == "__main__":
    sys.stdout.write(model_markdown())
