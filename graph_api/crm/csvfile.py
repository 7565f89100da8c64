"""Reading the CSV files CRMs export, as they really are.

UTF-8 with or without a byte-order mark (UTF-16 with one, as some spreadsheets save), CRLF or
LF line ends, quoted fields holding commas, quotes and line breaks, a comma, semicolon or tab
as the delimiter (taken from the header line), column names matched without regard to case,
blanks or punctuation (``Record ID``, ``RecordId`` and ``RECORDID`` are one column). Each row
keeps the line it starts on, so every problem names its file, line and column. A row that
cannot be read is reported and skipped; it never stops the rest of the file.
"""

from __future__ import annotations

import _csv
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from graph_api.crm.records import CrmFilesRefused, CrmProblem, Location, Severity

_KEY = re.compile(r"[^0-9a-z]+")
_DELIMITERS = (",", ";", "\t")


def column_key(name: str) -> str:
    """How a column name is matched: ``"Record ID"`` and ``"RECORDID"`` are ``"recordid"``."""
    return _KEY.sub("", name.replace("&", "and").lower())


def decode(file: str, data: bytes) -> str:
    """The text of an exported file.

    Raises:
        CrmFilesRefused: not UTF-8 (nor UTF-16 with a byte-order mark); names the first byte
        that is not, by line and column.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise CrmFilesRefused(
                [CrmProblem(Location(file, 1), f"not valid UTF-16: {error.reason}")]
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise CrmFilesRefused(
            [
                CrmProblem(
                    Location(file, line, column),
                    f"not UTF-8 (byte 0x{byte:02X}); save the export as UTF-8 (in Excel:"
                    " 'CSV UTF-8 (Comma delimited)')",
                )
            ]
        ) from None


@dataclass(frozen=True)
class Column:
    position: int  # 0-based
    name: str  # as the file spells it


@dataclass(frozen=True)
class CsvRow:
    line: int  # the line the row starts on (the header is line 1)
    cells: tuple[str, ...]


@dataclass
class CsvTable:
    """A file's header and rows; ``problems`` holds the rows that could not be read."""

    file: str
    header: tuple[str, ...]
    rows: list[CsvRow] = field(default_factory=list)
    problems: list[CrmProblem] = field(default_factory=list)
    columns: dict[str, Column] = field(default_factory=dict)

    def column(self, *names: str) -> Column | None:
        """The first of ``names`` (alternative spellings) the file has."""
        for name in names:
            found = self.columns.get(column_key(name))
            if found is not None:
                return found
        return None

    def location(self, row: CsvRow, column: Column | None = None) -> Location:
        if column is None:
            return Location(self.file, row.line)
        return Location(self.file, row.line, column.position + 1, column.name)

    def cell(self, row: CsvRow, column: Column | None) -> str:
        """The cell without surrounding blanks ("" when the file has no such column)."""
        return "" if column is None else row.cells[column.position].strip()


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", header)  # delimiters inside quoted names do not count
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _broken_field(record: str, delimiter: str) -> int:
    """The 1-based field where a record's quoting goes wrong (for the problem's column)."""
    column, quoted, start = 1, False, True
    index = 0
    while index < len(record):
        char = record[index]
        if quoted:
            if char == '"':
                if record[index + 1 : index + 2] == '"':
                    index += 1
                else:
                    quoted = False
                    following = record[index + 1 : index + 2]
                    if following not in ("", delimiter, "\r", "\n"):
                        return column
        elif char == '"' and start:
            quoted = True
        elif char == delimiter:
            column += 1
            start = True
            index += 1
            continue
        elif char in "\r\n":
            break
        start = False
        index += 1
    return column


def read_csv(file: str, text: str, kind: str | None) -> CsvTable:
    """Parse ``text`` (one exported file); rows that cannot be read are problems of ``kind``.

    Raises:
        CrmFilesRefused: the file has no header row, or names a column twice.
    """
    text = text.removeprefix("\ufeff")
    lines = io.StringIO(text, newline="").readlines()
    delimiter = _delimiter(text)
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise CrmFilesRefused(
            [CrmProblem(Location(file, 1), "the file is empty: no header row")]
        ) from None
    except csv.Error as error:
        raise CrmFilesRefused(
            [CrmProblem(Location(file, 1), f"the header row cannot be read: {error}")]
        ) from None
    table = CsvTable(file, tuple(name.strip() for name in header))
    fatal: list[CrmProblem] = []
    for position, name in enumerate(table.header):
        key = column_key(name)
        if not key:
            continue
        if key in table.columns:
            first = table.columns[key]
            fatal.append(
                CrmProblem(
                    Location(file, 1, position + 1, name),
                    f"the column is named twice (also column {first.position + 1},"
                    f" {first.name!r}); which one holds the data is not known",
                )
            )
            continue
        table.columns[key] = Column(position, name)
    if fatal:
        raise CrmFilesRefused(fatal)
    for row in _rows(reader, lines, table, delimiter, kind):
        table.rows.append(row)
    return table


def _rows(
    reader: _csv.Reader,
    lines: list[str],
    table: CsvTable,
    delimiter: str,
    kind: str | None,
) -> Iterator[CsvRow]:
    width = len(table.header)
    last = 1  # the last line consumed
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line_num = reader.line_num
            record = "".join(lines[start - 1 : line_num])
            reason = str(error)
            if "unexpected end of data" in reason:
                reason = "a quoted value is never closed (a quote opened here runs to the end"
                reason += " of the file)"
            else:
                reason = f"the quoting cannot be read ({reason})"
            column = _broken_field(record, delimiter)
            name = table.header[column - 1] if column <= width else None
            table.problems.append(
                CrmProblem(
                    Location(table.file, start, column, name),
                    reason + "; row skipped",
                    Severity.ERROR,
                    kind,
                )
            )
            last = line_num
            continue
        last = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or a row of empty cells a spreadsheet left behind
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            column = min(len(cells), width) + 1
            table.problems.append(
                CrmProblem(
                    Location(
                        table.file,
                        start,
                        column,
                        table.header[column - 1] if column <= width else None,
                    ),
                    f"the row has {len(cells)} values but the header names {width} columns"
                    " (an unquoted delimiter or line break?); row skipped",
                    Severity.ERROR,
                    kind,
                )
            )
            continue
        yield CsvRow(start, tuple(cells))
