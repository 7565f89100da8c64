"""The account document: one JSON format for seeds, import, export and CRMs (docs/document.md).

Its shape is declared once, as :data:`LAYOUT`: which node kinds nest where (accounts hold
stakeholders and opportunities, opportunities hold alternatives) and where each relationship
is written (an influence in its account's ``influences`` as ``{from, to, strength…}``, a seat
in its opportunity's ``committee`` as ``{stakeholder, role…}``, a manager as a stakeholder's
``reportsTo``). The properties of every entry are the kind's own (:mod:`graph_api.domain.
kinds`), checked by the one validator (:mod:`graph_api.domain.validation`). From these
declarations come :func:`validate_document`, the rows an import writes (:class:`Document`),
the canonical form export writes (:func:`canonical`) and the JSON Schema published under
``schema/`` (:func:`document_json_schema`).

:func:`validate_document` checks a document completely and either returns it or raises
:class:`DocumentInvalid` listing every problem by JSON path
(``$.accounts[0].influences[3].strength: must be in (0, 1]``), including the rules across
entries: duplicate externalIds, references, self-loops, duplicate relationships. References
to playbook entries and accounts the document does not define, and (in MERGE) to stakeholders
and alternatives it does not define, may name what the tenant already stores: only the
repository can check those, inside the import's transaction (:attr:`Document.references`).

Run ``python -m graph_api.domain.document > schema/account-document.schema.json`` to
regenerate the published JSON Schema.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from graph_api.domain import kinds
from graph_api.domain.enums import ImportMode
from graph_api.domain.kinds import NodeKind, RelationshipKind
from graph_api.domain.validation import (
    EXTERNAL_ID_FIELD,
    check_rules,
    check_values,
    stored_form,
)
from graph_api.domain.values import EXTERNAL_ID
from graph_api.errors import InvalidInput, Problem, ProblemCollector

# Size caps, named in the messages that enforce them.
MAX_ACCOUNTS = 1_000
MAX_STAKEHOLDERS = 20_000  # per document, over all its accounts
MAX_EDGES_PER_ACCOUNT = 200_000  # influences, and conflicts, of one account
MAX_OPPORTUNITIES_PER_ACCOUNT = 1_000
MAX_ALTERNATIVES_PER_OPPORTUNITY = 100
MAX_SEATS_PER_OPPORTUNITY = 1_000
MAX_ADVOCACY_PER_OPPORTUNITY = 10_000
MAX_LINKS = 1_000  # concerns/coachedOn/heard of a stakeholder; addresses/cites of an argument
MAX_PLAYBOOK_ENTRIES = 10_000  # concerns, and arguments, of a playbook

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_TITLE = "Flagbearer account document"
SCHEMA_DESCRIPTION = (
    "Accounts with their stakeholders, influence edges, opportunities and committees, plus the "
    "tenant playbook (concerns and arguments) they reference. References use externalIds. "
    "Import modes (MERGE, REPLACE) are an argument of the import, not part of the document."
)

# --- the layout ---------------------------------------------------------------------------

Scope = Literal["account", "opportunity", "tenant"]
"""Where a reference must resolve: within the entry's account or opportunity, or anywhere."""


def _scope_of(label: str) -> Scope:
    return {"Stakeholder": "account", "Alternative": "opportunity"}.get(label, "tenant")  # type: ignore[return-value]


@dataclass(frozen=True)
class Link:
    """Where a relationship kind is written in the document.

    ``source``/``target`` are the entry fields naming the ends by externalId; None means the
    entry holding the list is that end (a stakeholder's ``concerns`` name only the concern).
    ``form`` is ``objects`` (entries with the relationship's properties), ``id`` (one
    externalId: ``reportsTo``) or ``ids`` (a list of externalIds: ``cites``).
    """

    key: str
    kind: RelationshipKind
    source: str | None
    target: str | None
    description: str
    form: Literal["objects", "id", "ids"] = "objects"
    max_items: int = MAX_LINKS

    @property
    def end_fields(self) -> tuple[str, ...]:
        return tuple(name for name in (self.source, self.target) if name is not None)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.end_fields, *self.kind.prop_names)


@dataclass(frozen=True)
class Section:
    """A list of node entries: ``accounts``, an account's ``stakeholders``…"""

    key: str
    kind: NodeKind
    description: str
    max_items: int
    sections: tuple[Section, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (
            EXTERNAL_ID_FIELD,
            *self.kind.prop_names,
            *(link.key for link in self.links),
            *(s.key for s in self.sections),
        )


def _section(
    key: str,
    kind: NodeKind,
    cap: int,
    description: str,
    *,
    sections: tuple[Section, ...] = (),
    links: tuple[Link, ...] = (),
) -> Section:
    return Section(key, kind, description, cap, sections, links)


CONCERNS = _section("concerns", kinds.CONCERN, MAX_PLAYBOOK_ENTRIES, "Concerns stakeholders weigh.")
ARGUMENTS = _section(
    "arguments",
    kinds.ARGUMENT,
    MAX_PLAYBOOK_ENTRIES,
    "Arguments champions can make.",
    links=(
        Link(
            "addresses",
            kinds.ARGUMENT_FIT,
            None,
            "concern",
            "The concerns it answers, and how well.",
        ),
        Link(
            "cites",
            kinds.CITATION,
            None,
            "account",
            "externalIds of reference accounts it cites.",
            form="ids",
        ),
    ),
)
STAKEHOLDERS = _section(
    "stakeholders",
    kinds.STAKEHOLDER,
    MAX_STAKEHOLDERS,
    "People at the account.",
    links=(
        Link(
            "reportsTo",
            kinds.REPORTING_LINE,
            None,
            "manager",
            "externalId of their manager, a stakeholder of this account.",
            form="id",
        ),
        Link(
            "concerns",
            kinds.STAKEHOLDER_CONCERN,
            None,
            "concern",
            "What they care about, and how much.",
        ),
        Link(
            "coachedOn",
            kinds.COACHING,
            None,
            "argument",
            "Arguments they were coached on, and how ready they are.",
        ),
        Link(
            "heard",
            kinds.HEARING,
            None,
            "argument",
            "Arguments they already heard, and how each landed.",
        ),
    ),
)
ALTERNATIVES = _section(
    "alternatives",
    kinds.ALTERNATIVE,
    MAX_ALTERNATIVES_PER_OPPORTUNITY,
    "The options the account weighs in this opportunity.",
)
OPPORTUNITIES = _section(
    "opportunities",
    kinds.OPPORTUNITY,
    MAX_OPPORTUNITIES_PER_ACCOUNT,
    "Deals the account decides on.",
    sections=(ALTERNATIVES,),
    links=(
        Link(
            "committee",
            kinds.SEAT,
            "stakeholder",
            None,
            "The decision committee: one seat per stakeholder of this account.",
            max_items=MAX_SEATS_PER_OPPORTUNITY,
        ),
        Link(
            "advocacy",
            kinds.ADVOCACY,
            "stakeholder",
            "alternative",
            "Who carries which alternative's flag.",
            max_items=MAX_ADVOCACY_PER_OPPORTUNITY,
        ),
    ),
)
ACCOUNTS = _section(
    "accounts",
    kinds.ACCOUNT,
    MAX_ACCOUNTS,
    "Customer accounts.",
    sections=(STAKEHOLDERS, OPPORTUNITIES),
    links=(
        Link(
            "influences",
            kinds.INFLUENCE,
            "from",
            "to",
            "How far each stakeholder can move another's view.",
            max_items=MAX_EDGES_PER_ACCOUNT,
        ),
        Link(
            "conflicts",
            kinds.CONFLICT,
            "from",
            "to",
            "Who resists what another argues for.",
            max_items=MAX_EDGES_PER_ACCOUNT,
        ),
    ),
)
PLAYBOOK = (CONCERNS, ARGUMENTS)
LAYOUT = (*PLAYBOOK, ACCOUNTS)
"""Every section, playbook first (entries reference the playbook and accounts by key)."""

# --- results ------------------------------------------------------------------------------

Row = dict[str, Any]


@dataclass(frozen=True)
class Reference:
    """A reference to something the document does not define, which the store must hold.

    ``scope`` is where it must be stored: the account (externalId) of a Stakeholder, the
    opportunity of an Alternative; None for the tenant-wide playbook and accounts.
    """

    label: str
    external_id: str
    path: str
    scope: str | None = None


@dataclass
class Document:
    """A valid document as an import writes it.

    ``nodes`` are rows by label, each ``{externalId, account, parent, props, path}``: props in
    stored form with every property of the kind (None for an absent one, defaults filled,
    server stamps left out); ``links`` are rows by relationship type, each ``{account, source,
    target, props}`` naming the ends by externalId. ``references`` are what only the store
    can resolve; ``listed`` is, per account, what the document lists under it (for REPLACE).
    """

    data: dict[str, Any]
    nodes: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    links: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    references: list[Reference] = field(default_factory=list)

    @property
    def accounts(self) -> list[str]:
        return [row["externalId"] for row in self.nodes.get("Account", [])]

    def children(self, label: str) -> list[Row]:
        """The rows of a child kind (stakeholders, opportunities, alternatives)."""
        return self.nodes.get(label, [])


class DocumentInvalid(InvalidInput):
    """A refused document. ``unresolved`` are the references only the store can settle; the
    importer checks them too, so one answer lists every problem."""

    def __init__(self, problems: list[Problem], unresolved: list[Reference]) -> None:
        super().__init__(problems)
        self.unresolved = unresolved


# --- validation ---------------------------------------------------------------------------


def parse_json(data: Any) -> Any:
    """JSON text (or bytes) as a value; NaN and infinities are not JSON and are refused."""
    if not isinstance(data, str | bytes):
        return data

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not a JSON number")

    try:
        return json.loads(data, parse_constant=refuse)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"the document is not valid JSON: {error}") from error


def validate_document(
    data: Any, mode: ImportMode = ImportMode.MERGE, *, today: str | None = None
) -> Document:
    """Parse and check ``data`` (a JSON value, or JSON text), reporting every problem at once.

    In ``REPLACE`` every stakeholder and alternative referenced must be in the document (the
    account becomes exactly the document). In ``MERGE`` one the document does not define is
    left to the store: it may already be stored under the same account (stakeholders) or
    opportunity (alternatives), so a small document can add one edge.

    Raises:
        DocumentInvalid: with one :class:`~graph_api.errors.Problem` per problem, by JSON path.

    Example:
        >>> validate_document({"accounts": [{"externalId": "a", "name": "Acme"}]}).accounts
        ['a']
    """
    data = parse_json(data)
    walk = _Walk(mode, today or date.today().isoformat())
    walk.document(data)
    if walk.problems.problems:
        raise DocumentInvalid(sort_problems(walk.problems.problems), walk.document_.references)
    return walk.document_


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Distinct problems sorted by path: indices numerically, field names alphabetically."""
    return sorted(set(problems), key=_path_order)


def _path_order(problem: Problem) -> tuple[tuple[int, int | str], ...]:
    parts = re.findall(r"\[(\d+)\]|\.([^.\[]+)|\['((?:[^'\\]|\\.)*)'\]", problem.path)
    return tuple((0, int(i)) if i else (1, name or quoted) for i, name, quoted in parts)


def json_path(loc: Iterable[int | str]) -> str:
    """``("accounts", 0, "name")`` as ``$.accounts[0].name``; odd keys as ``$['a b']``."""
    path = "$"
    for part in loc:
        path += _step(part)
    return path


def _step(part: int | str) -> str:
    if isinstance(part, int):
        return f"[{part}]"
    if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", part):
        return f".{part}"
    escaped = part.replace("\\", "\\\\").replace("'", "\\'")
    return f"['{escaped}']"


def _objects(
    value: Any, path: str, problems: ProblemCollector, cap: int, what: str
) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """The objects of a JSON list with their paths and indices; anything else a problem."""
    if value is None:
        return
    if not isinstance(value, list):
        problems.add(path, "must be a list")
        return
    if len(value) > cap:
        problems.add(path, f"has {len(value):,} {what}; the cap is {cap:,}")
    for index, item in enumerate(value):
        if isinstance(item, dict):
            yield f"{path}[{index}]", index, item
        else:
            problems.add(f"{path}[{index}]", "must be an object")


def _unknown_fields(
    item: Mapping[str, Any], allowed: tuple[str, ...], path: str, problems: ProblemCollector
) -> None:
    for key in item:
        if key not in allowed:
            problems.add(f"{path}{_step(key)}", f"unknown field; allowed: {', '.join(allowed)}")


def _stored_props(kind: kinds.Kind, item: Mapping[str, Any]) -> dict[str, Any]:
    """An entry's properties as an import stores them: every property of the kind, None when
    absent or equal to its default (:func:`stored_form`); a stamp the entry does not give is
    left out, so the store keeps (or the import sets) its own."""
    given = {p.name: item.get(p.name) for p in kind.props}
    props = stored_form(kind, given)
    return {
        name: value
        for name, value in props.items()
        if value is not None or kind.by_name[name].stamp is None
    }


class _Walk:
    """One validation: definitions first (so references may point forward), then links."""

    def __init__(self, mode: ImportMode, today: str) -> None:
        self.defer_unknown = mode is ImportMode.MERGE
        self.today = today
        self.problems = ProblemCollector()
        self.document_ = Document({})
        self.defined: dict[tuple[str, str], str] = {}
        # stakeholder -> account, alternative -> opportunity (externalIds)
        self.owner: dict[tuple[str, str], str] = {}
        self.seen_links: dict[tuple[str, str, str], str] = {}

    def document(self, data: Any) -> None:
        if not isinstance(data, dict):
            self.problems.add("$", "must be an object")
            return
        self.document_.data = data
        _unknown_fields(data, ("$schema", "playbook", "accounts"), "$", self.problems)
        playbook = data.get("playbook")
        holders: list[tuple[Section, str, dict[str, Any], dict[str, str | None]]] = []
        if playbook is not None and not isinstance(playbook, dict):
            self.problems.add("$.playbook", "must be an object")
        elif isinstance(playbook, dict):
            _unknown_fields(playbook, ("concerns", "arguments"), "$.playbook", self.problems)
            for section in PLAYBOOK:
                holders += self.nodes(
                    section,
                    playbook.get(section.key),
                    f"$.playbook.{section.key}",
                    {"account": None, "opportunity": None},
                )
        holders += self.nodes(
            ACCOUNTS, data.get("accounts"), "$.accounts", {"account": None, "opportunity": None}
        )
        stakeholders = len(self.document_.nodes.get("Stakeholder", []))
        if stakeholders > MAX_STAKEHOLDERS:
            self.problems.add(
                "$.accounts",
                f"the document has {stakeholders:,} stakeholders; the cap is "
                f"{MAX_STAKEHOLDERS:,} per document",
            )
        for section, path, item, scope in holders:
            for link in section.links:
                self.link(link, item, path, scope)

    def nodes(
        self, section: Section, value: Any, path: str, scope: dict[str, str | None]
    ) -> list[tuple[Section, str, dict[str, Any], dict[str, str | None]]]:
        """Check and record the section's entries and their child sections, depth first."""
        holders: list[tuple[Section, str, dict[str, Any], dict[str, str | None]]] = []
        kind = section.kind
        for entry_path, _, item in _objects(
            value, path, self.problems, section.max_items, section.key
        ):
            _unknown_fields(item, section.fields, entry_path, self.problems)
            own = {k: v for k, v in item.items() if k in kind.by_name or k == EXTERNAL_ID_FIELD}
            before = len(self.problems.problems)
            check_values(kind, own, entry_path, self.problems, creating=True)
            props = _stored_props(kind, own)
            if len(self.problems.problems) == before:  # rules hold of well-formed values only
                check_rules(kind, props, entry_path, self.problems)
            if own.get(EXTERNAL_ID_FIELD) is None:
                self.problems.add(f"{entry_path}.externalId", "is required")
            key = own.get(EXTERNAL_ID_FIELD)
            key = key if isinstance(key, str) and EXTERNAL_ID.problem(key) is None else None
            if key is not None:
                first = self.defined.setdefault((kind.label, key), entry_path)
                if first != entry_path:
                    self.problems.add(
                        f"{entry_path}.externalId",
                        f"duplicate {kind.label.lower()} externalId {key!r} (also at {first})",
                    )
            parent = None
            if kind.label in {"Stakeholder", "Opportunity"}:
                parent = scope["account"]
            elif kind.label == "Alternative":
                parent = scope["opportunity"]
            if (
                key is not None
                and parent is not None
                and kind.label in ("Stakeholder", "Alternative")
            ):
                self.owner.setdefault((kind.label, key), parent)
            self.document_.nodes[kind.label].append(
                {
                    "externalId": key,
                    "account": scope["account"] if kind.label != "Account" else key,
                    "parent": parent,
                    "props": props,
                    "path": entry_path,
                }
            )
            inner = dict(scope)
            if kind.label == "Account":
                inner["account"] = key
            elif kind.label == "Opportunity":
                inner["opportunity"] = key
            holders.append((section, entry_path, item, inner))
            for child in section.sections:
                holders += self.nodes(
                    child, item.get(child.key), f"{entry_path}.{child.key}", inner
                )
        return holders

    def link(
        self, link: Link, holder: dict[str, Any], path: str, scope: dict[str, str | None]
    ) -> None:
        """Check and record the relationships ``link`` writes inside one entry."""
        value = holder.get(link.key)
        if value is None:
            return
        where = f"{path}.{link.key}"
        me = holder.get(EXTERNAL_ID_FIELD)
        if not isinstance(me, str) or EXTERNAL_ID.problem(me) is not None:
            return  # the entry's own problem is reported already
        if link.form == "objects":
            self.link_objects(link, value, where, me, scope)
            return
        targets = [value] if link.form == "id" else value
        if link.form == "ids":
            if not isinstance(value, list):
                self.problems.add(where, "must be a list")
                return
            if len(value) > link.max_items:
                self.problems.add(where, f"has {len(value):,} items; the cap is {link.max_items:,}")
        for index, target in enumerate(targets):
            item_path = where if link.form == "id" else f"{where}[{index}]"
            if not isinstance(target, str) or EXTERNAL_ID.problem(target) is not None:
                self.problems.add(item_path, "must be a non-blank string")
                continue
            ends = ((me, None), (target, item_path))
            self.relationship(link, ends, {}, item_path, scope)

    def link_objects(
        self, link: Link, value: Any, where: str, me: str, scope: dict[str, str | None]
    ) -> None:
        for entry_path, _, item in _objects(value, where, self.problems, link.max_items, "items"):
            _unknown_fields(item, link.fields, entry_path, self.problems)
            named: dict[str, str] = {}
            for name in link.end_fields:
                end = item.get(name)
                if end is None:
                    self.problems.add(f"{entry_path}.{name}", "is required")
                elif not isinstance(end, str) or EXTERNAL_ID.problem(end) is not None:
                    self.problems.add(f"{entry_path}.{name}", "must be a non-blank string")
                else:
                    named[name] = end
            own = {k: v for k, v in item.items() if k in link.kind.by_name}
            check_values(link.kind, own, entry_path, self.problems, creating=True)
            if len(named) < len(link.end_fields):
                continue
            ends = tuple(
                (me, None) if name is None else (named[name], f"{entry_path}.{name}")
                for name in (link.source, link.target)
            )
            self.relationship(link, ends, _stored_props(link.kind, own), entry_path, scope)

    def relationship(
        self,
        link: Link,
        ends: tuple[tuple[str, str | None], ...],
        props: dict[str, Any],
        path: str,
        scope: dict[str, str | None],
    ) -> None:
        """Record one relationship whose ends are (externalId, path of the reference, or None
        for the entry holding the list)."""
        kind = link.kind
        (source, source_at), (target, target_at) = ends
        resolved = [
            self.resolve(label, key, at, scope)
            for label, (key, at) in ((kind.source, ends[0]), (kind.target, ends[1]))
        ]
        if not all(resolved):
            return
        if kind.distinct_ends and source == target:
            verb = _SELF.get(kind.type, "relate to")
            self.problems.add(path, f"a stakeholder cannot {verb} themselves")
            return
        first = self.seen_links.setdefault((kind.type, source, target), path)
        if first != path:
            if source_at is None:
                what = f"{link.target} {target!r}"
            elif target_at is None:
                what = f"seat for stakeholder {source!r}"
            else:
                what = f"{kind.name.lower()} {source!r} -> {target!r}"
            self.problems.add(path, f"duplicate {what} (also at {first})")
            return
        self.document_.links[kind.type].append(
            {"account": scope["account"], "source": source, "target": target, "props": props}
        )

    def resolve(self, label: str, key: str, at: str | None, scope: dict[str, str | None]) -> bool:
        """Whether ``key`` names a ``label`` the reference may use (a problem if not); ``at``
        is None for the entry holding the list, which always may."""
        if at is None:
            return True
        within_kind = _scope_of(label)
        if within_kind == "tenant":
            if (label, key) not in self.defined:
                self.document_.references.append(Reference(label, key, at))
            return True
        within = scope[within_kind]
        if within is None:
            return False
        owner = self.owner.get((label, key))
        if owner is None:
            if self.defer_unknown:
                self.document_.references.append(Reference(label, key, at, within))
                return True
            self.problems.add(at, f"unknown {label.lower()} {key!r}")
            return False
        if owner != within:
            if label == "Stakeholder":
                self.problems.add(
                    at,
                    f"stakeholder {key!r} belongs to account {owner!r}, not {within!r}; "
                    "references must stay within one account",
                )
            else:
                self.problems.add(
                    at,
                    f"{label.lower()} {key!r} belongs to {within_kind} {owner!r}, not {within!r}",
                )
            return False
        return True


_SELF = {"INFLUENCES": "influence", "CONFLICTS_WITH": "conflict with", "REPORTS_TO": "report to"}


# --- canonical form -----------------------------------------------------------------------


def canonical(document: Mapping[str, Any] | Document) -> dict[str, Any]:
    """The document as export writes it: values equal to their defaults omitted, empty lists
    omitted, lists sorted by their keys, ``$schema`` dropped.

    Two documents that mean the same import (same entries, any order, defaults spelled out
    or not) have equal canonical forms.
    """
    data = document.data if isinstance(document, Document) else document
    result: dict[str, Any] = {}
    playbook = data.get("playbook") or {}
    sections = {
        s.key: entries for s in PLAYBOOK if (entries := _canonical_entries(s, playbook.get(s.key)))
    }
    if sections:
        result["playbook"] = sections
    result["accounts"] = _canonical_entries(ACCOUNTS, data.get("accounts"))
    return result


def _canonical_entries(section: Section, entries: Any) -> list[dict[str, Any]]:
    out = [_canonical_entry(section, entry) for entry in entries or []]
    return sorted(out, key=lambda e: str(e.get(EXTERNAL_ID_FIELD)))


def _canonical_props(kind: kinds.Kind, entry: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in kind.props:
        value = entry.get(p.name)
        if isinstance(value, StrEnum):
            value = value.value
        if p.is_default(value) or (isinstance(value, list) and not value):
            continue
        if isinstance(value, list) and p.value.unique_items:
            value = sorted(value)
        out[p.name] = value
    return out


def _canonical_entry(section: Section, entry: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {EXTERNAL_ID_FIELD: entry.get(EXTERNAL_ID_FIELD)}
    out |= _canonical_props(section.kind, entry)
    for link in section.links:
        value = entry.get(link.key)
        if link.form == "id":
            if value is not None:
                out[link.key] = value
        elif link.form == "ids":
            if value:
                out[link.key] = sorted(value)
        elif value:
            items = [
                {
                    **{name: item.get(name) for name in link.end_fields},
                    **_canonical_props(link.kind, item),
                }
                for item in value
            ]
            out[link.key] = sorted(
                items, key=lambda i: tuple(str(i.get(n)) for n in link.end_fields)
            )
    for child in section.sections:
        entries = _canonical_entries(child, entry.get(child.key))
        if entries:
            out[child.key] = entries
    return out


# --- JSON Schema ----------------------------------------------------------------------------


def _prop_schema(p: kinds.Prop) -> dict[str, Any]:
    schema = p.value.json_schema()
    if p.description or p.value.description:
        schema["description"] = p.description or p.value.description
    if p.default is not None and not isinstance(p.default, kinds.Today):
        default = p.default_value("")
        schema["default"] = default.value if isinstance(default, StrEnum) else default
    return schema


def _object(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _link_schema(link: Link, defs: dict[str, Any]) -> dict[str, Any]:
    reference = {**EXTERNAL_ID.json_schema(), "description": "An externalId."}
    if link.form == "id":
        return {**reference, "description": link.description}
    if link.form == "ids":
        return {
            "type": "array",
            "items": reference,
            "uniqueItems": True,
            "maxItems": link.max_items,
            "description": link.description,
        }
    name = link.kind.name
    if name not in defs:
        properties = dict.fromkeys(link.end_fields, reference)
        properties |= {p.name: _prop_schema(p) for p in link.kind.props}
        required = [*link.end_fields, *(p.name for p in link.kind.props if p.required)]
        defs[name] = _object(properties, required, link.kind.description)
    return {
        "type": "array",
        "items": {"$ref": f"#/$defs/{name}"},
        "maxItems": link.max_items,
        "description": link.description,
    }


def _section_schema(section: Section, defs: dict[str, Any]) -> dict[str, Any]:
    name = section.kind.label
    properties: dict[str, Any] = {
        EXTERNAL_ID_FIELD: EXTERNAL_ID.json_schema() | {"description": EXTERNAL_ID.description}
    }
    properties |= {p.name: _prop_schema(p) for p in section.kind.props}
    for link in section.links:
        properties[link.key] = _link_schema(link, defs)
    for child in section.sections:
        properties[child.key] = _section_schema(child, defs)
    required = [EXTERNAL_ID_FIELD, *(p.name for p in section.kind.props if p.required)]
    defs[name] = _object(properties, required, section.kind.description)
    return {
        "type": "array",
        "items": {"$ref": f"#/$defs/{name}"},
        "maxItems": section.max_items,
        "description": section.description,
    }


def document_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the account document, as published under ``schema/``."""
    defs: dict[str, Any] = {}
    playbook = {s.key: _section_schema(s, defs) for s in PLAYBOOK}
    accounts = _section_schema(ACCOUNTS, defs)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": SCHEMA_TITLE,
        "description": SCHEMA_DESCRIPTION,
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string", "description": "Optional; ignored by the import."},
            "playbook": {
                "type": "object",
                "additionalProperties": False,
                "properties": playbook,
                "description": "The tenant playbook: shared by every account of the tenant.",
            },
            "accounts": accounts,
        },
        "$defs": dict(sorted(defs.items())),
    }


def document_json_schema_text() -> str:
    """The schema file's exact text (a test compares the committed file with it)."""
    return json.dumps(document_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document_json_schema_text())
