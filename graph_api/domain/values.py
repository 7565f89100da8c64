"""The kinds of value a stored property can hold, each with its one rule.

A :class:`ValueType` says what JSON value a property accepts (a string of at most 500
characters, a number in (0, 1], one of an enum's names, a list of those…), the message that
names a value it refuses, and its JSON Schema. Mutations, document import and settings all
check values through :func:`ValueType.problem`, so a value one path accepts the other accepts
too; the published JSON Schema and the GraphQL types are derived from the same objects.

Values are in their stored (JSON) form: enums by name, dates as ``YYYY-MM-DD``, date-times as
ISO 8601 text, lists as lists. Every number must be finite.

Example:
    >>> UNIT_OPEN.problem(0.0)
    'must be in (0, 1]'
    >>> EMAIL.problem("dana@example.com") is None
    True
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum, StrEnum
from typing import Any, Literal
from urllib.parse import urlsplit

NAME_MAX = 500
"""Characters in a name, title or any other one-line value."""
TEXT_MAX = 10_000
"""Characters in free text: talk tracks, evidence, proof points."""
EXTERNAL_ID_MAX = 256
LIST_MAX = 100
"""Items in a list property (topics, proof points)."""
EMAIL_MAX = 320
URL_MAX = 2_048
MAX_EMPLOYEES = 100_000_000
MAX_AMOUNT = 1e15
MAX_VOTE_WEIGHT = 1_000_000.0

Scalar = Literal["String", "Int", "Float", "Boolean", "Date", "DateTime", "Enum"]


@dataclass(frozen=True, eq=False)
class ValueType:
    """One kind of stored value: its JSON type, its rule and how it is published.

    ``scalar`` is the GraphQL scalar (``Enum`` with ``enum`` set); ``check`` returns the
    message naming what is wrong with an otherwise well-typed value, or None.
    """

    name: str
    scalar: Scalar
    check: Callable[[Any], str | None] = field(default=lambda _: None)
    schema: Mapping[str, Any] = field(default_factory=dict)
    enum: type[StrEnum] | None = None
    item: ValueType | None = None  # for lists: the type of each item
    max_items: int = LIST_MAX
    unique_items: bool = False
    description: str = ""

    @property
    def is_list(self) -> bool:
        return self.item is not None

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value`` (None when it is acceptable). ``None`` is not checked
        here: whether a property may be absent is the property's business."""
        found = self.located_problem(value)
        if found is None:
            return None
        where, message = found
        return f"{where} {message}" if where else message

    def located_problem(self, value: Any) -> tuple[str, str] | None:
        """Like :meth:`problem`, with where inside the value: ``("[2]", "must be …")`` for
        the third item of a list, ``("", …)`` for the value itself."""
        if self.item is not None:
            if not isinstance(value, list | tuple):
                return "", "must be a list"
            if len(value) > self.max_items:
                return "", f"has {len(value):,} items; the cap is {self.max_items:,}"
            for index, item in enumerate(value):
                message = self.item.problem(item)
                if message is not None:
                    return f"[{index}]", message
            if self.unique_items and len(set(value)) != len(value):
                return "", "must not repeat a value"
            return None
        message = _type_problem(self.scalar, value)
        if message is None and self.enum is not None and value not in self.enum.__members__:
            message = f"unknown value {value!r}; allowed: {', '.join(self.enum.__members__)}"
        if message is None:
            message = self.check(value)
        return None if message is None else ("", message)

    def json_schema(self) -> dict[str, Any]:
        if self.item is not None:
            schema: dict[str, Any] = {
                "type": "array",
                "items": self.item.json_schema(),
                "maxItems": self.max_items,
            }
            if self.unique_items:
                schema["uniqueItems"] = True
            return schema
        base: dict[str, Any] = {
            "String": {"type": "string"},
            "Date": {"type": "string", "format": "date"},
            "DateTime": {"type": "string", "format": "date-time"},
            "Int": {"type": "integer"},
            "Float": {"type": "number"},
            "Boolean": {"type": "boolean"},
            "Enum": {"type": "string"},
        }[self.scalar]
        if self.enum is not None:
            base = {**base, "enum": list(self.enum.__members__)}
        return {**base, **self.schema}


def _type_problem(scalar: Scalar, value: Any) -> str | None:
    if scalar in ("String", "Date", "DateTime", "Enum"):
        return None if isinstance(value, str) else "must be a string"
    if scalar == "Boolean":
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be an integer" if scalar == "Int" else "must be a number"
    if scalar == "Int" and not isinstance(value, int):
        return "must be an integer"
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number"
    return None


# --- strings ----------------------------------------------------------------------------


def _length(maximum: int, *, blank_ok: bool = True) -> Callable[[Any], str | None]:
    def check(value: str) -> str | None:
        if len(value) > maximum:
            return f"must be at most {maximum:,} characters (got {len(value):,})"
        if not blank_ok and not value.strip():
            return "must not be blank"
        return None

    return check


def _all(*checks: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        for one in checks:
            message = one(value)
            if message is not None:
                return message
        return None

    return check


def _matches(pattern: str, message: str) -> Callable[[Any], str | None]:
    compiled = re.compile(pattern)

    def check(value: str) -> str | None:
        return None if compiled.fullmatch(value) else message

    return check


def _is_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        return "must be an http(s) URL such as https://www.linkedin.com/in/dana"
    return None


def _is_date(value: str) -> str | None:
    message = "must be a date YYYY-MM-DD"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return message
    try:
        date.fromisoformat(value)
    except ValueError:
        return message
    return None


def _is_datetime(value: str) -> str | None:
    message = "must be an ISO 8601 date-time such as 2026-05-01T09:30:00Z"
    if len(value) > 64 or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return message
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return message
    return None


NAME = ValueType(
    "name",
    "String",
    _length(NAME_MAX, blank_ok=False),
    {"minLength": 1, "maxLength": NAME_MAX},
)
LINE = ValueType("line", "String", _length(NAME_MAX), {"maxLength": NAME_MAX})
TEXT = ValueType("text", "String", _length(TEXT_MAX), {"maxLength": TEXT_MAX})
EXTERNAL_ID = ValueType(
    "externalId",
    "String",
    _length(EXTERNAL_ID_MAX, blank_ok=False),
    {"minLength": 1, "maxLength": EXTERNAL_ID_MAX},
    description="The caller's key (e.g. a CRM id); unique per tenant and kind.",
)
EMAIL = ValueType(
    "email",
    "String",
    _all(_length(EMAIL_MAX), _matches(r"[^@\s]+@[^@\s]+\.[^@\s]+", "must be an e-mail address")),
    {"maxLength": EMAIL_MAX, "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
)
URL = ValueType(
    "url",
    "String",
    _all(_length(URL_MAX), _is_url),
    {"maxLength": URL_MAX, "format": "uri", "pattern": "^https?://"},
)
CURRENCY = ValueType(
    "currency",
    "String",
    _matches(r"[A-Z]{3}", "must be a three-letter ISO 4217 code such as USD"),
    {"pattern": "^[A-Z]{3}$"},
)
DATE = ValueType("date", "Date", _is_date)
DATETIME = ValueType("dateTime", "DateTime", _is_datetime, {"maxLength": 64})


# --- numbers ----------------------------------------------------------------------------


def _between(
    low: float, high: float, *, low_open: bool = False, show: str | None = None
) -> tuple[Callable[[Any], str | None], dict[str, Any]]:
    shown = show or f"in {'(' if low_open else '['}{low:g}, {high:g}]"

    def check(value: float) -> str | None:
        above = value > low if low_open else value >= low
        return None if above and value <= high else f"must be {shown}"

    schema: dict[str, Any] = {"exclusiveMinimum" if low_open else "minimum": low, "maximum": high}
    return check, schema


def _number(name: str, scalar: Scalar, low: float, high: float, **kw: Any) -> ValueType:
    check, schema = _between(low, high, **kw)
    return ValueType(name, scalar, check, schema)


UNIT_OPEN = _number("unitOpen", "Float", 0, 1, low_open=True)
"""(0, 1]: strengths, weights, fits, thresholds."""
UNIT = _number("unit", "Float", 0, 1)
"""[0, 1]: readiness."""
VOTE_WEIGHT = _number(
    "voteWeight",
    "Float",
    0,
    MAX_VOTE_WEIGHT,
    low_open=True,
    show=f"greater than 0 and at most {MAX_VOTE_WEIGHT:,.0f}",
)
EMPLOYEES = _number("employees", "Int", 0, MAX_EMPLOYEES, show=f"between 0 and {MAX_EMPLOYEES:,}")
AMOUNT = _number("amount", "Float", 0, MAX_AMOUNT, show=f"between 0 and {MAX_AMOUNT:,.0f}")
STALE_DAYS = _number("days", "Int", 1, 3650, show="between 1 and 3650 days")

BOOLEAN = ValueType("boolean", "Boolean")


_ENUMS: dict[type[StrEnum], ValueType] = {}


def enum_of(enum: type[StrEnum]) -> ValueType:
    """The value type of one enum's names (one object per enum)."""
    if enum not in _ENUMS:
        _ENUMS[enum] = ValueType(enum.__name__, "Enum", enum=enum)
    return _ENUMS[enum]


def list_of(item: ValueType, *, unique: bool = False, max_items: int = LIST_MAX) -> ValueType:
    return ValueType(
        f"list of {item.name}", item.scalar, item=item, unique_items=unique, max_items=max_items
    )


def stored(value: Any) -> Any:
    """A Python value in its stored form: enums by name, dates and times as ISO text.

    Date-times are stored in UTC with microseconds, so stored times sort as text.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # naive means UTC
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [stored(v) for v in value]
    return value
