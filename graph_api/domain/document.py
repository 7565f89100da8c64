"""The account document (DESIGN section 2): its models, its rules and its JSON Schema.

One JSON format serves seeds, the CLI's ``import``/``export`` and the GraphQL
``importDocument``/``exportDocument``. :func:`validate_document` checks a document completely
and either returns it parsed or raises :class:`~graph_api.errors.InvalidInput` listing every
problem by JSON path (``$.accounts[0].influences[3].strength: must be in (0, 1]``).

Two layers of checks, both always run so one call reports everything:

* the pydantic models: shapes, types (strict: ``"5400"`` is not an integer), enums, ranges,
  dates, unknown fields and size caps;
* the rules across entries, walked over the raw JSON so they run even where a shape is wrong:
  duplicate externalIds, references to stakeholders/alternatives, self-loops, duplicate seats,
  thresholds.

References to playbook entries and accounts that the document does not define
(:func:`stored_references`) may name what the tenant already stored; only the repository can
check those, inside the import's transaction.

Run ``python -m graph_api.domain.document > schema/account-document.schema.json`` to
regenerate the published JSON Schema.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
)
from pydantic.alias_generators import to_camel
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, ErrorDetails, core_schema

from graph_api.domain.enums import (
    AlternativeKind,
    ArgumentKind,
    CommitteeRole,
    ConcernCategory,
    DecisionRule,
    ImportMode,
    Reception,
    Seniority,
    Stance,
)
from graph_api.errors import InvalidInput, Problem, ProblemCollector

# Size caps, named in the messages that enforce them.
MAX_STRING_LENGTH = 10_000
MAX_EXTERNAL_ID_LENGTH = 256
MAX_ACCOUNTS = 1_000
MAX_STAKEHOLDERS = 20_000  # per document, over all its accounts
MAX_EDGES_PER_ACCOUNT = 200_000  # influences, and conflicts, of one account
MAX_OPPORTUNITIES_PER_ACCOUNT = 1_000
MAX_ALTERNATIVES_PER_OPPORTUNITY = 100
MAX_SEATS_PER_OPPORTUNITY = 1_000
MAX_ADVOCACY_PER_OPPORTUNITY = 10_000
MAX_LINKS = 1_000  # concerns/coachedOn/heard of a stakeholder; addresses/cites of an argument
MAX_PLAYBOOK_ENTRIES = 10_000  # concerns, and arguments, of a playbook
MAX_PROOF_POINTS = 100
MAX_EMPLOYEES = 100_000_000
MAX_AMOUNT = 1e15

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_TITLE = "Flagbearer account document"
SCHEMA_DESCRIPTION = (
    "Accounts with their stakeholders, influence edges, opportunities and committees, plus the "
    "tenant playbook (concerns and arguments) they reference. References use externalIds. "
    "Import modes (MERGE, REPLACE) are an argument of the import, not part of the document."
)


@dataclass(frozen=True, eq=False)  # identity hash: typing hashes Annotated metadata
class Check:
    """A rule pydantic applies after parsing a value: its message and its JSON Schema words.

    Used as ``Annotated[float, Check(lambda v: 0 < v <= 1, "must be in (0, 1]", {...})]``, so a
    range is written once and both the validator and the published schema follow it.
    """

    holds: Callable[[Any], bool]
    message: str
    json_schema: Mapping[str, Any] = field(default_factory=dict)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        def check(value: Any) -> Any:
            if not self.holds(value):
                raise ValueError(self.message)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        result = handler(schema)
        result.update(self.json_schema)
        return result


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_timestamp(value: str) -> bool:
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


ExternalId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_EXTERNAL_ID_LENGTH,
        description="The caller's key (e.g. a CRM id); unique per tenant and kind.",
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=MAX_STRING_LENGTH)]
Text = Annotated[str, Field(max_length=MAX_STRING_LENGTH)]
UnitOpen = Annotated[
    float,
    Check(lambda v: 0 < v <= 1, "must be in (0, 1]", {"exclusiveMinimum": 0, "maximum": 1}),
]
UnitClosed = Annotated[
    float, Check(lambda v: 0 <= v <= 1, "must be in [0, 1]", {"minimum": 0, "maximum": 1})
]
Positive = Annotated[
    float, Check(lambda v: v > 0, "must be greater than 0", {"exclusiveMinimum": 0})
]
Employees = Annotated[
    int,
    Check(
        lambda v: 0 <= v <= MAX_EMPLOYEES,
        f"must be between 0 and {MAX_EMPLOYEES:,}",
        {"minimum": 0, "maximum": MAX_EMPLOYEES},
    ),
]
Amount = Annotated[
    float,
    Check(
        lambda v: 0 <= v <= MAX_AMOUNT,
        f"must be between 0 and {MAX_AMOUNT:,.0f}",
        {"minimum": 0, "maximum": MAX_AMOUNT},
    ),
]
Currency = Annotated[
    str,
    Check(
        lambda v: re.fullmatch(r"[A-Z]{3}", v) is not None,
        "must be a three-letter ISO 4217 code such as USD",
        {"pattern": "^[A-Z]{3}$"},
    ),
]
Email = Annotated[
    str,
    Field(max_length=320),
    Check(
        lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+", v) is not None,
        "must be an e-mail address",
        {"pattern": r"^[^@\s]+@[^@\s]+$"},
    ),
]
IsoDate = Annotated[
    str, Check(_is_date, "must be a date YYYY-MM-DD", {"format": "date"})
]
Timestamp = Annotated[
    str,
    Field(max_length=64, description="ISO 8601 date-time (a date alone is accepted)."),
    Check(_is_timestamp, "must be an ISO 8601 date or date-time, e.g. 2026-05-01T09:30:00Z"),
]


def _unique(values: list[Any]) -> bool:
    return len(set(values)) == len(values)


UNIQUE_ITEMS = Check(_unique, "must not repeat a value", {"uniqueItems": True})


class _Entry(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        alias_generator=to_camel,
        allow_inf_nan=False,
        validate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


class ConcernEntry(_Entry):
    """A concern of the tenant playbook: something a stakeholder weighs."""

    external_id: ExternalId
    name: Name
    category: ConcernCategory


class AddressesEntry(_Entry):
    """How well an argument answers a concern."""

    concern: ExternalId
    fit: UnitOpen


class ArgumentEntry(_Entry):
    """An argument of the tenant playbook: what a champion can say."""

    external_id: ExternalId
    title: Name
    kind: ArgumentKind
    talk_track: Text | None = None
    proof_points: Annotated[list[Text], Field(max_length=MAX_PROOF_POINTS)] = []
    cites: Annotated[
        list[ExternalId],
        Field(max_length=MAX_LINKS, description="externalIds of reference accounts it cites."),
        UNIQUE_ITEMS,
    ] = []
    addresses: Annotated[list[AddressesEntry], Field(max_length=MAX_LINKS)] = []


class PlaybookSection(_Entry):
    """The tenant playbook: shared by every account of the tenant."""

    concerns: Annotated[list[ConcernEntry], Field(max_length=MAX_PLAYBOOK_ENTRIES)] = []
    arguments: Annotated[list[ArgumentEntry], Field(max_length=MAX_PLAYBOOK_ENTRIES)] = []


class ConcernWeightEntry(_Entry):
    """How much a stakeholder cares about a concern."""

    concern: ExternalId
    weight: UnitOpen


class CoachingEntry(_Entry):
    """How well a stakeholder (a champion) can carry an argument now."""

    argument: ExternalId
    readiness: UnitClosed
    at: Timestamp | None = None


class HeardEntry(_Entry):
    """An argument a stakeholder already heard, and how it landed."""

    argument: ExternalId
    reception: Reception
    at: Timestamp | None = None


class StakeholderEntry(_Entry):
    """A person at the account."""

    external_id: ExternalId
    name: Name
    title: Text | None = None
    department: Text | None = None
    seniority: Seniority | None = None
    email: Email | None = None
    last_verified_at: Timestamp | None = None
    reports_to: ExternalId | None = Field(
        default=None, description="externalId of their manager, a stakeholder of this account."
    )
    concerns: Annotated[list[ConcernWeightEntry], Field(max_length=MAX_LINKS)] = []
    coached_on: Annotated[list[CoachingEntry], Field(max_length=MAX_LINKS)] = []
    heard: Annotated[list[HeardEntry], Field(max_length=MAX_LINKS)] = []


class InfluenceEntry(_Entry):
    """How far one stakeholder can move another's view."""

    from_: ExternalId = Field(alias="from")
    to: ExternalId
    strength: UnitOpen
    topics: Annotated[
        list[ConcernCategory],
        Field(description="Concern categories it carries; empty means all."),
        UNIQUE_ITEMS,
    ] = []
    evidence: Text | None = None


class ConflictEntry(_Entry):
    """One stakeholder arguing for something makes the other resist it."""

    from_: ExternalId = Field(alias="from")
    to: ExternalId
    strength: UnitOpen
    evidence: Text | None = None


class AlternativeEntry(_Entry):
    """An option the account weighs in one opportunity."""

    external_id: ExternalId
    name: Name
    kind: AlternativeKind


class SeatEntry(_Entry):
    """A committee seat: a stakeholder of this account deciding the opportunity."""

    stakeholder: ExternalId
    role: CommitteeRole
    stance: Stance
    veto: bool = False
    vote_weight: Positive = 1.0
    stance_evidence: Text | None = None


class AdvocacyEntry(_Entry):
    """Whose flag a stakeholder carries: an alternative of the same opportunity."""

    stakeholder: ExternalId
    alternative: ExternalId
    strength: UnitOpen
    evidence: Text | None = None


class OpportunityEntry(_Entry):
    """A deal the account decides on, with its alternatives and its committee."""

    external_id: ExternalId
    name: Name
    amount: Amount | None = None
    currency: Currency | None = None
    stage: Text | None = None
    close_date: IsoDate | None = None
    decision_rule: DecisionRule
    threshold: UnitOpen | None = Field(
        default=None, description="Vote share needed; required for (and only for) THRESHOLD."
    )
    alternatives: Annotated[
        list[AlternativeEntry], Field(max_length=MAX_ALTERNATIVES_PER_OPPORTUNITY)
    ] = []
    committee: Annotated[list[SeatEntry], Field(max_length=MAX_SEATS_PER_OPPORTUNITY)] = []
    advocacy: Annotated[list[AdvocacyEntry], Field(max_length=MAX_ADVOCACY_PER_OPPORTUNITY)] = []


class AccountEntry(_Entry):
    """A customer account: its stakeholders, their edges and its opportunities."""

    external_id: ExternalId
    name: Name
    industry: Text | None = None
    employees: Employees | None = None
    region: Text | None = None
    domain: Text | None = None
    is_reference: bool = Field(
        default=False, description="A won customer that arguments can cite."
    )
    stakeholders: Annotated[list[StakeholderEntry], Field(max_length=MAX_STAKEHOLDERS)] = []
    influences: Annotated[list[InfluenceEntry], Field(max_length=MAX_EDGES_PER_ACCOUNT)] = []
    conflicts: Annotated[list[ConflictEntry], Field(max_length=MAX_EDGES_PER_ACCOUNT)] = []
    opportunities: Annotated[
        list[OpportunityEntry], Field(max_length=MAX_OPPORTUNITIES_PER_ACCOUNT)
    ] = []


class AccountDocument(_Entry):
    """Accounts and the playbook they reference, keyed by externalIds."""

    schema_: str | None = Field(
        default=None, alias="$schema", description="Optional; ignored by the import."
    )
    playbook: PlaybookSection = Field(default_factory=PlaybookSection)
    accounts: Annotated[list[AccountEntry], Field(max_length=MAX_ACCOUNTS)] = []


# ---------------------------------------------------------------------------------------------
# Validation


def validate_document(data: Any, mode: ImportMode = ImportMode.MERGE) -> AccountDocument:
    """Parse and check ``data`` (a JSON value, or JSON text), reporting every problem at once.

    In ``REPLACE`` every stakeholder and alternative referenced must be in the document (the
    account becomes exactly the document). In ``MERGE`` one the document does not define is
    left to :func:`stored_references`: it may already be stored under the same account
    (stakeholders) or opportunity (alternatives), so a small document can add one edge.

    Raises:
        InvalidInput: with one :class:`~graph_api.errors.Problem` per problem, by JSON path.

    Example:
        >>> validate_document({"accounts": [{"externalId": "a", "name": "Acme"}]}).accounts[0].name
        'Acme'
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise InvalidInput(f"the document is not valid JSON: {error}") from error
    try:
        # NaN and infinities pass here so that pydantic reports them at their path.
        text = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"the document is not a JSON value: {error}") from error

    problems: list[Problem] = []
    document: AccountDocument | None = None
    try:
        # Validating the JSON text (not the Python objects) makes strict mode mean JSON's types:
        # "RISK" is an enum value, "5400" is not an integer, 1 is a number.
        document = AccountDocument.model_validate_json(text, strict=True)
    except ValidationError as error:
        problems.extend(_problem_from(e) for e in error.errors(include_url=False))
    rules = _Rules(defer_unknown=mode is ImportMode.MERGE)
    if isinstance(data, dict):
        rules.walk(data)
    problems.extend(rules.problems.problems)
    if problems:
        raise DocumentInvalid(sort_problems(problems), rules.deferred)
    assert document is not None
    return document


class DocumentInvalid(InvalidInput):
    """A refused document. ``unresolved`` are the references only the store can settle; the
    importer checks them too, so one answer lists every problem."""

    def __init__(self, problems: list[Problem], unresolved: list[Reference]) -> None:
        super().__init__(problems)
        self.unresolved = unresolved


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Distinct problems sorted by path: indices numerically, field names alphabetically."""
    return sorted(set(problems), key=_path_order)


def _path_order(problem: Problem) -> tuple[tuple[int, int | str], ...]:
    parts = re.findall(r"\[(\d+)\]|\.([^.\[]+)|\['((?:[^'\\]|\\.)*)'\]", problem.path)
    return tuple((0, int(i)) if i else (1, name or quoted) for i, name, quoted in parts)


def json_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """``("accounts", 0, "name")`` as ``$.accounts[0].name``; odd keys as ``$['a b']``."""
    path = "$"
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", part):
            path += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            path += f"['{escaped}']"
    return path


_TYPE_MESSAGES = {
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "finite_number": "must be a finite number",
    "missing": "is required",
    "string_too_short": "must not be empty",
}


def _problem_from(error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = _fields_at(loc[:-1])
        return Problem(json_path(loc), f"unknown field; allowed: {', '.join(allowed)}")
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Problem(
            json_path(loc), f"unknown value {error['input']!r}; allowed: {', '.join(allowed)}"
        )
    if kind == "value_error":
        return Problem(json_path(loc), str(ctx.get("error", error["msg"])))
    if kind == "string_too_long":
        return Problem(
            json_path(loc), f"is longer than the cap of {ctx['max_length']:,} characters"
        )
    if kind == "too_long":
        return Problem(
            json_path(loc),
            f"has {ctx['actual_length']:,} items; the cap is {ctx['max_length']:,}",
        )
    return Problem(json_path(loc), _TYPE_MESSAGES.get(kind, error["msg"]))


def _fields_at(loc: tuple[int | str, ...]) -> list[str]:
    """The field names (aliases) allowed at ``loc``, found by walking the models."""
    model: type[BaseModel] = AccountDocument
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {(f.alias or name): f for name, f in model.model_fields.items()}
        if part not in fields:
            return []
        inner = _model_in(fields[part].annotation)
        if inner is None:
            return []
        model = inner
    return [(f.alias or name) for name, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _items(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The objects of a JSON list with their paths; anything malformed is pydantic's to report."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield f"{path}[{index}]", item


def _text(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


class _Rules:
    """The rules across entries, walked over the raw JSON (so they run on broken shapes too)."""

    def __init__(self, defer_unknown: bool) -> None:
        # In MERGE, a stakeholder or alternative the document does not define may be stored
        # already (under the same account or opportunity); the repository checks those.
        self.defer_unknown = defer_unknown
        self.problems = ProblemCollector()
        self.defined: dict[tuple[str, str], str] = {}
        self.stakeholder_account: dict[str, str] = {}  # stakeholder -> account externalId
        self.alternative_opportunity: dict[str, str] = {}  # alternative -> opportunity
        # References only the store can resolve (checked by the repository even when other
        # problems refuse the document, so that every problem is reported at once).
        self.deferred: list[Reference] = []
        self.playbook_refs: list[tuple[str, str, str]] = []  # (label, externalId, path)

    def define(self, kind: str, item: Mapping[str, Any], path: str) -> str | None:
        external_id = _text(item, "externalId")
        if external_id is None:
            return None
        first = self.defined.setdefault((kind, external_id), path)
        if first != path:
            self.problems.add(
                f"{path}.externalId",
                f"duplicate {kind} externalId {external_id!r} (also at {first})",
            )
        return external_id

    def once(self, seen: dict[Any, str], key: Any, path: str, what: str) -> None:
        first = seen.setdefault(key, path)
        if first != path:
            self.problems.add(path, f"duplicate {what} (also at {first})")

    def stakeholder(
        self, item: Mapping[str, Any], key: str, path: str, account: str | None
    ) -> str | None:
        """The stakeholder ``item[key]`` names, if it is one of ``account``'s."""
        external_id = _text(item, key)
        if external_id is None or account is None:
            return None
        owner = self.stakeholder_account.get(external_id)
        if owner is None:
            if self.defer_unknown:
                self.deferred.append(
                    Reference("Stakeholder", external_id, f"{path}.{key}", account)
                )
                return external_id
            self.problems.add(f"{path}.{key}", f"unknown stakeholder {external_id!r}")
            return None
        if owner != account:
            self.problems.add(
                f"{path}.{key}",
                f"stakeholder {external_id!r} belongs to account {owner!r}, not {account!r}; "
                "references must stay within one account",
            )
            return None
        return external_id

    def walk(self, document: Mapping[str, Any]) -> None:
        playbook = document.get("playbook")
        if isinstance(playbook, dict):
            for path, item in _items(playbook.get("concerns"), "$.playbook.concerns"):
                self.define("concern", item, path)
            for path, item in _items(playbook.get("arguments"), "$.playbook.arguments"):
                self.define("argument", item, path)
                seen: dict[Any, str] = {}
                for link_path, link in _items(item.get("addresses"), f"{path}.addresses"):
                    concern = _text(link, "concern")
                    if concern is not None:
                        self.once(seen, concern, link_path, f"concern {concern!r}")
                        self.playbook_refs.append(("Concern", concern, f"{link_path}.concern"))
                cites = item.get("cites")
                for index, cited in enumerate(cites if isinstance(cites, list) else []):
                    if isinstance(cited, str):
                        self.playbook_refs.append(("Account", cited, f"{path}.cites[{index}]"))

        accounts = list(_items(document.get("accounts"), "$.accounts"))
        # First pass: what the document defines, so references may point forward.
        stakeholder_count = 0
        for path, account in accounts:
            account_id = self.define("account", account, path)
            for s_path, stakeholder in _items(account.get("stakeholders"), f"{path}.stakeholders"):
                stakeholder_count += 1
                s_id = self.define("stakeholder", stakeholder, s_path)
                if s_id is not None and account_id is not None:
                    self.stakeholder_account.setdefault(s_id, account_id)
            for o_path, opportunity in _items(
                account.get("opportunities"), f"{path}.opportunities"
            ):
                o_id = self.define("opportunity", opportunity, o_path)
                for a_path, alternative in _items(
                    opportunity.get("alternatives"), f"{o_path}.alternatives"
                ):
                    a_id = self.define("alternative", alternative, a_path)
                    if a_id is not None and o_id is not None:
                        self.alternative_opportunity.setdefault(a_id, o_id)
        if stakeholder_count > MAX_STAKEHOLDERS:
            self.problems.add(
                "$.accounts",
                f"the document has {stakeholder_count:,} stakeholders; "
                f"the cap is {MAX_STAKEHOLDERS:,} per document",
            )
        # Second pass: references and per-entry rules.
        for path, account in accounts:
            self.walk_account(path, account)
        self.deferred.extend(
            Reference(label, key, path)
            for label, key, path in self.playbook_refs
            if (label.lower(), key) not in self.defined
        )

    def walk_account(self, path: str, account: Mapping[str, Any]) -> None:
        account_id = _text(account, "externalId")
        for s_path, stakeholder in _items(account.get("stakeholders"), f"{path}.stakeholders"):
            s_id = _text(stakeholder, "externalId")
            manager = self.stakeholder(stakeholder, "reportsTo", s_path, account_id)
            if manager is not None and manager == s_id:
                self.problems.add(
                    f"{s_path}.reportsTo", "a stakeholder cannot report to themselves"
                )
            links = (("concerns", "concern"), ("coachedOn", "argument"), ("heard", "argument"))
            for key, ref in links:
                seen: dict[Any, str] = {}
                for l_path, link in _items(stakeholder.get(key), f"{s_path}.{key}"):
                    target = _text(link, ref)
                    if target is not None:
                        self.once(seen, target, l_path, f"{ref} {target!r}")
                        self.playbook_refs.append((ref.capitalize(), target, f"{l_path}.{ref}"))

        for key, verb in (("influences", "influence"), ("conflicts", "conflict with")):
            seen = {}
            for e_path, edge in _items(account.get(key), f"{path}.{key}"):
                source = self.stakeholder(edge, "from", e_path, account_id)
                target = self.stakeholder(edge, "to", e_path, account_id)
                if source is None or target is None:
                    continue
                if source == target:
                    self.problems.add(e_path, f"a stakeholder cannot {verb} themselves")
                self.once(seen, (source, target), e_path, f"edge {source!r} -> {target!r}")

        for o_path, opportunity in _items(account.get("opportunities"), f"{path}.opportunities"):
            self.walk_opportunity(o_path, opportunity, account_id)

    def walk_opportunity(
        self, path: str, opportunity: Mapping[str, Any], account_id: str | None
    ) -> None:
        o_id = _text(opportunity, "externalId")
        rule = opportunity.get("decisionRule")
        threshold = opportunity.get("threshold")
        if rule == DecisionRule.THRESHOLD.value and threshold is None:
            self.problems.add(
                f"{path}.threshold",
                "is required when decisionRule is THRESHOLD (a share in (0, 1])",
            )
        elif rule != DecisionRule.THRESHOLD.value and threshold is not None:
            self.problems.add(
                f"{path}.threshold", "applies only when decisionRule is THRESHOLD"
            )

        seats: dict[Any, str] = {}
        for seat_path, seat in _items(opportunity.get("committee"), f"{path}.committee"):
            member = self.stakeholder(seat, "stakeholder", seat_path, account_id)
            if member is not None:
                self.once(seats, member, seat_path, f"seat for stakeholder {member!r}")

        advocacy: dict[Any, str] = {}
        for a_path, item in _items(opportunity.get("advocacy"), f"{path}.advocacy"):
            member = self.stakeholder(item, "stakeholder", a_path, account_id)
            alternative = _text(item, "alternative")
            if alternative is None:
                continue
            owner = self.alternative_opportunity.get(alternative)
            if owner is None and self.defer_unknown:
                self.deferred.append(
                    Reference("Alternative", alternative, f"{a_path}.alternative", o_id)
                )
            if owner is None and not self.defer_unknown:
                self.problems.add(f"{a_path}.alternative", f"unknown alternative {alternative!r}")
            elif owner is not None and owner != o_id:
                self.problems.add(
                    f"{a_path}.alternative",
                    f"alternative {alternative!r} belongs to opportunity {owner!r}, "
                    f"not {o_id!r}",
                )
            elif member is not None:
                self.once(
                    advocacy, (member, alternative), a_path,
                    f"advocacy of {member!r} for {alternative!r}",
                )


# ---------------------------------------------------------------------------------------------
# References the store must resolve


@dataclass(frozen=True)
class Reference:
    """A reference to something the document does not define, which the store must hold.

    ``scope`` is where it must be stored: the account (externalId) of a Stakeholder, the
    opportunity of an Alternative; None for the tenant-wide playbook and accounts.
    """

    label: str  # "Concern", "Argument", "Account", "Stakeholder" or "Alternative"
    external_id: str
    path: str
    scope: str | None = None


def stored_references(document: AccountDocument) -> list[Reference]:
    """References the tenant's stored graph must resolve, in document order.

    Playbook entries and cited accounts may always be stored ones; stakeholders and
    alternatives only in MERGE (:func:`validate_document` refuses them in REPLACE).
    """
    concerns = {c.external_id for c in document.playbook.concerns}
    arguments = {a.external_id for a in document.playbook.arguments}
    accounts = {a.external_id for a in document.accounts}
    found: list[Reference] = []
    for i, argument in enumerate(document.playbook.arguments):
        path = f"$.playbook.arguments[{i}]"
        found.extend(
            Reference("Account", cited, f"{path}.cites[{j}]")
            for j, cited in enumerate(argument.cites)
            if cited not in accounts
        )
        found.extend(
            Reference("Concern", link.concern, f"{path}.addresses[{j}].concern")
            for j, link in enumerate(argument.addresses)
            if link.concern not in concerns
        )
    for i, account in enumerate(document.accounts):
        for j, stakeholder in enumerate(account.stakeholders):
            path = f"$.accounts[{i}].stakeholders[{j}]"
            found.extend(
                Reference("Concern", c.concern, f"{path}.concerns[{k}].concern")
                for k, c in enumerate(stakeholder.concerns)
                if c.concern not in concerns
            )
            found.extend(
                Reference("Argument", c.argument, f"{path}.coachedOn[{k}].argument")
                for k, c in enumerate(stakeholder.coached_on)
                if c.argument not in arguments
            )
            found.extend(
                Reference("Argument", h.argument, f"{path}.heard[{k}].argument")
                for k, h in enumerate(stakeholder.heard)
                if h.argument not in arguments
            )
        found.extend(_stored_members(i, account))
    return found


def _stored_members(index: int, account: AccountEntry) -> Iterator[Reference]:
    """Stakeholders and alternatives ``account`` references without defining them."""
    path = f"$.accounts[{index}]"
    members = {s.external_id for s in account.stakeholders}

    def member(external_id: str, at: str) -> Iterator[Reference]:
        if external_id not in members:
            yield Reference("Stakeholder", external_id, at, account.external_id)

    for j, stakeholder in enumerate(account.stakeholders):
        if stakeholder.reports_to is not None:
            yield from member(stakeholder.reports_to, f"{path}.stakeholders[{j}].reportsTo")
    edges: list[tuple[str, InfluenceEntry | ConflictEntry]] = [
        *((f"influences[{j}]", e) for j, e in enumerate(account.influences)),
        *((f"conflicts[{j}]", e) for j, e in enumerate(account.conflicts)),
    ]
    for where, edge in edges:
        yield from member(edge.from_, f"{path}.{where}.from")
        yield from member(edge.to, f"{path}.{where}.to")
    for j, opportunity in enumerate(account.opportunities):
        o_path = f"{path}.opportunities[{j}]"
        options = {a.external_id for a in opportunity.alternatives}
        for k, seat in enumerate(opportunity.committee):
            yield from member(seat.stakeholder, f"{o_path}.committee[{k}].stakeholder")
        for k, item in enumerate(opportunity.advocacy):
            yield from member(item.stakeholder, f"{o_path}.advocacy[{k}].stakeholder")
            if item.alternative not in options:
                yield Reference(
                    "Alternative", item.alternative, f"{o_path}.advocacy[{k}].alternative",
                    opportunity.external_id,
                )


# ---------------------------------------------------------------------------------------------
# Canonical form and JSON Schema

_SORT_KEYS: dict[str, tuple[str, ...]] = {
    "concerns": ("externalId", "concern"),
    "arguments": ("externalId",),
    "addresses": ("concern",),
    "accounts": ("externalId",),
    "stakeholders": ("externalId",),
    "coachedOn": ("argument",),
    "heard": ("argument",),
    "influences": ("from", "to"),
    "conflicts": ("from", "to"),
    "opportunities": ("externalId",),
    "alternatives": ("externalId",),
    "committee": ("stakeholder",),
    "advocacy": ("stakeholder", "alternative"),
}
_SETS = frozenset({"cites", "topics"})  # lists whose order carries no meaning


def canonical(document: AccountDocument) -> dict[str, Any]:
    """The document as :func:`export_document` writes it: defaults omitted, lists sorted.

    Two documents that mean the same import (same entries, any order, defaults spelled out
    or not) have equal canonical forms; ``$schema`` is not content and is dropped.
    """
    dumped = document.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
    )
    dumped.pop("$schema", None)
    result = _sorted(dumped)
    assert isinstance(result, dict)
    return result


def _sorted(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        if key in _SETS:
            return sorted(items)
        if key in _SORT_KEYS:
            fields = _SORT_KEYS[key]
            return sorted(items, key=lambda item: tuple(str(item.get(f, "")) for f in fields))
        return items
    return value


def document_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the account document, as published under ``schema/``."""
    generated = AccountDocument.model_json_schema(by_alias=True, mode="validation")
    generated.pop("title", None)
    generated.pop("description", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": SCHEMA_TITLE,
        "description": SCHEMA_DESCRIPTION,
        **generated,
    }


def document_json_schema_text() -> str:
    """The schema file's exact text (a test compares the committed file with it)."""
    return json.dumps(document_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document_json_schema_text())
