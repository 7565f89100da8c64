"""What both adapters share: finding the files, reading cells into values, reporting.

A value that cannot be read is reported as a WARNING with its file, line and column and
left out of the record, so the stored value stays; a row that cannot land at all (no Id, no
name) is an ERROR and is skipped. Nothing is dropped without a line in the report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from graph_api.crm.csvfile import Column, CsvRow, CsvTable, column_key, read_csv
from graph_api.crm.ids import InvalidId
from graph_api.crm.mapping import CrmMapping, suggest_role, suggest_stage
from graph_api.crm.records import (
    CrmBatch,
    CrmFilesRefused,
    CrmProblem,
    CrmSource,
    Location,
    ReviewItem,
    Severity,
)
from graph_api.domain.values import NAME_MAX

T = TypeVar("T")
Parse = Callable[[str], T]

_PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
_ISO_DATE = re.compile(  # a date, or a date-time whose date part is taken
    r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def parse_text(cell: str) -> str:
    if len(cell) > NAME_MAX:
        raise ValueError(f"longer than {NAME_MAX} characters")
    return cell


def parse_amount(cell: str) -> float:
    """``480000``, ``480000.00``, ``480,000.00``; never negative."""
    text = cell.replace(" ", "")
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(f"not a number: {cell!r}")
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"must be a number of at least 0, got {cell!r}")
    return value


def parse_count(cell: str) -> int:
    """``5400``, ``5,400`` or ``5400.0``; a whole number of at least 0."""
    value = parse_amount(cell)
    if value != int(value):
        raise ValueError(f"not a whole number: {cell!r}")
    return int(value)


def parse_boolean(cell: str) -> bool:
    text = cell.lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not true or false: {cell!r}")


def date_parser(date_format: str | None) -> Parse[str]:
    """ISO 8601 dates (a date-time's date part); ``date_format`` (strptime) if given."""

    def parse(cell: str) -> str:
        found = _ISO_DATE.fullmatch(cell)
        if found:
            try:
                return date.fromisoformat(found.group(1)).isoformat()
            except ValueError:
                raise ValueError(f"not a date: {cell!r}") from None
        if date_format is not None:
            try:
                return datetime.strptime(cell, date_format).date().isoformat()
            except ValueError:
                pass
        expected = f"YYYY-MM-DD or {date_format!r}" if date_format else "YYYY-MM-DD"
        hint = "" if date_format else " (a mapping file's dateFormat reads other formats)"
        raise ValueError(f"not a date: {cell!r}; expected {expected}{hint}")

    return parse


def split_list(cell: str) -> list[str]:
    """A multi-value cell (``a;b``, or ``a, b`` as some exports write it), blanks dropped."""
    return [part.strip() for part in re.split(r"[;,]", cell) if part.strip()]


class ExportReader:
    """One run's files, mapping and batch, with the helpers the adapters read rows with."""

    def __init__(
        self,
        source: CrmSource,
        files: Mapping[str, str],
        mapping: CrmMapping,
        today: date,
        expected: tuple[str, ...],
    ) -> None:
        self.mapping = mapping
        self.today = today
        self.batch = CrmBatch(source)
        self.parse_date = date_parser(mapping.date_format)
        self.texts: dict[str, tuple[str, str]] = {}  # canonical name -> (given name, text)
        self._fatal: list[CrmProblem] = []
        self._review: dict[tuple[str, str], ReviewItem] = {}
        self._ids: dict[tuple[Parse[str], str], str] = {}  # ids recur: Accounts, Contacts
        canonical = {name.lower(): name for name in expected}
        for given, text in files.items():
            base = given.replace("\\", "/").rsplit("/", 1)[-1]
            name = canonical.get(base.lower())
            if name is None:
                self._fatal.append(
                    CrmProblem(
                        Location(given, 1),
                        f"not a {source.label} export file this import reads (expected"
                        f" {', '.join(expected)})",
                    )
                )
            elif name in self.texts:
                self._fatal.append(CrmProblem(Location(given, 1), f"{name} is given twice"))
            else:
                self.texts[name] = (given, text)
        if not files:
            self._fatal.append(
                CrmProblem(Location("(files)", 1), f"no files; expected {', '.join(expected)}")
            )

    def table(self, name: str, kind: str, required: tuple[tuple[str, ...], ...]) -> CsvTable | None:
        """The file ``name`` parsed (None when not given); a missing required column (each a
        tuple of alternative spellings) is fatal, reported when :meth:`check` runs."""
        if name not in self.texts:
            return None
        given, text = self.texts[name]
        try:
            table = read_csv(given, text, kind)
        except CrmFilesRefused as refused:
            self._fatal.extend(refused.crm_problems)
            return None
        for names in required:
            if table.column(*names) is None:
                self._fatal.append(
                    CrmProblem(
                        Location(given, 1),
                        f"no {' or '.join(repr(n) for n in names)} column (the header has"
                        f" {', '.join(repr(h) for h in table.header if h) or 'no names'})",
                    )
                )
        for problem in table.problems:
            self.batch.problem(problem.location, problem.message, kind)
        self.batch.rows[given] = len(table.rows) + len(table.problems)
        return table

    def check(self) -> None:
        """Raise every fatal problem found so far: nothing of the run is written."""
        if self._fatal:
            raise CrmFilesRefused(self._fatal)

    # --- cells ---------------------------------------------------------------------------

    def record_id(
        self,
        table: CsvTable,
        row: CsvRow,
        column: Column | None,
        kind: str,
        parse: Parse[str],
        what: str,
        *,
        required: bool = True,
    ) -> str | None:
        """An id cell as the map keys it; a missing or bad one skips the row (ERROR) when
        ``required``, else it is a WARNING and the reference is left out."""
        cell = table.cell(row, column)
        severity = Severity.ERROR if required else Severity.WARNING
        if not cell:
            if required:
                self.batch.problem(table.location(row, column), f"no {what}; row skipped", kind)
            return None
        known = self._ids.get((parse, cell))
        if known is not None:
            return known
        try:
            self._ids[parse, cell] = parsed = parse(cell)
        except InvalidId as error:
            tail = "; row skipped" if required else "; left out"
            self.batch.problem(table.location(row, column), f"{error}{tail}", kind, severity)
            return None
        return parsed

    def name(
        self, table: CsvTable, row: CsvRow, column: Column | None, kind: str, full: str
    ) -> str | None:
        """A record's name (required): None, and the row skipped (reported), without one."""
        if not full:
            self.batch.problem(table.location(row, column), "no name; row skipped", kind)
            return None
        try:
            return parse_text(full)
        except ValueError as error:
            self.batch.problem(table.location(row, column), f"{error}; row skipped", kind)
            return None

    def put(
        self,
        props: dict[str, Any],
        name: str,
        table: CsvTable,
        row: CsvRow,
        column: Column | None,
        parse: Parse[Any],
        kind: str,
    ) -> None:
        """``props[name]`` from the cell: the value, ``None`` for a blank cell, nothing at all
        when the file has no such column or the value cannot be read (reported)."""
        if column is None:
            return
        cell = table.cell(row, column)
        if not cell:
            props[name] = None
            return
        try:
            props[name] = parse(cell)
        except ValueError as error:
            self.warn(table.location(row, column), f"{error}; {name} left as it was", kind)

    def value(
        self,
        table: CsvTable,
        row: CsvRow,
        column: Column | None,
        parse: Parse[T],
        kind: str,
    ) -> T | None:
        """The cell's value, or None (blank, absent, or unreadable: reported)."""
        cell = table.cell(row, column)
        if not cell:
            return None
        try:
            return parse(cell)
        except ValueError as error:
            self.warn(table.location(row, column), str(error), kind)
            return None

    def warn(self, location: Location, message: str, kind: str | None) -> None:
        self.batch.problem(location, message, kind, Severity.WARNING)

    # --- the review list -----------------------------------------------------------------

    def unmapped_role(self, value: str, location: Location, held: str) -> None:
        self._unmapped(
            "role",
            value,
            location,
            "Seat",
            suggest_role(value, self.mapping),
            f"no mapping for the role value {value!r}; {held}",
        )

    def unmapped_stage(self, value: str, location: Location) -> None:
        self._unmapped(
            "stage",
            value,
            location,
            "Opportunity",
            suggest_stage(value, self.mapping),
            f"no mapping for the stage {value!r}; the opportunity lands without it (its stage,"
            " and an outcome only the stage can tell, stay as they were)",
        )

    def _unmapped(
        self,
        field: str,
        value: str,
        location: Location,
        kind: str,
        suggestion: str | None,
        message: str,
    ) -> None:
        key = (field, column_key(value))
        item = self._review.get(key)
        if item is None:
            item = ReviewItem(kind, field, value, message, location, suggestion)
            self._review[key] = item
            self.batch.review.append(item)
        else:
            item.occurrences += 1
