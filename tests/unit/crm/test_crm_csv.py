"""Reading real-world CSV exports: encodings, line ends, quoting, delimiters, broken rows."""

from __future__ import annotations

import pytest

from graph_api.crm.csvfile import column_key, decode, read_csv
from graph_api.crm.records import CrmFilesRefused, Severity


def test_bom_crlf_and_quoted_commas_newlines_and_quotes() -> None:
    text = (
        "\ufeffId,Name,Title\r\n"
        '1,"Acme, Inc.","Head of\r\nProcurement"\r\n'
        '2,"Say ""hi""",\r\n'
        "3,Zoë,Ingénieure\r\n"
    )
    table = read_csv("Contact.csv", text, "Stakeholder")
    assert table.header == ("Id", "Name", "Title")
    assert [(r.line, r.cells) for r in table.rows] == [
        (2, ("1", "Acme, Inc.", "Head of\r\nProcurement")),
        (4, ("2", 'Say "hi"', "")),  # the line after a value spanning two lines
        (5, ("3", "Zoë", "Ingénieure")),
    ]
    assert table.problems == []


def test_columns_match_whatever_the_case_blanks_or_punctuation() -> None:
    table = read_csv("contacts.csv", "RECORD ID,first_name,Associated Company IDs\n1,a,2\n", None)
    assert table.column("Record ID") is not None
    assert table.column("First Name") is not None
    assert table.column("associatedcompanyids") is not None
    assert table.column("Email") is None
    assert column_key("Legal & Compliance") == column_key("LEGAL_AND_COMPLIANCE")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_semicolon_or_tab_delimiter_is_taken_from_the_header(delimiter: str) -> None:
    text = (
        delimiter.join(["Id", "Name", "Amount"])
        + "\n"
        + delimiter.join(["1", '"a, b"', "1,5"])
        + "\n"
    )
    table = read_csv("deals.csv", text, None)
    assert table.rows[0].cells == ("1", "a, b", "1,5")


def test_a_broken_row_is_reported_with_line_and_column_and_the_rest_is_read() -> None:
    text = (
        'Id,Name,Title\n1,"Dana" W,VP\n2,Lee,CTO\n3,Ivan\n4,Zoe,CEO,extra\n5,Ola,COO,,\n\n'
        "6,Mia,CIO\n"
    )
    table = read_csv("Contact.csv", text, "Stakeholder")
    assert [r.cells[0] for r in table.rows] == ["2", "5", "6"]  # 5: trailing empty cells
    assert [(p.location.line, p.location.column, p.severity) for p in table.problems] == [
        (2, 2, Severity.ERROR),
        (4, 3, Severity.ERROR),
        (5, 4, Severity.ERROR),
    ]
    assert "quoting" in table.problems[0].message
    assert "3 columns" in table.problems[1].message
    assert table.problems[1].location.column_name == "Title"


def test_a_quote_never_closed_is_reported_where_it_opens() -> None:
    table = read_csv("Account.csv", 'Id,Name\n1,Acme\n2,"Globex\n3,Initech\n', "Account")
    assert [r.cells for r in table.rows] == [("1", "Acme")]
    (problem,) = table.problems
    assert (problem.location.line, problem.location.column) == (3, 2)
    assert "never closed" in problem.message


def test_a_column_named_twice_or_an_empty_file_is_refused() -> None:
    with pytest.raises(CrmFilesRefused) as refused:
        read_csv("Account.csv", "Id,Name,ID\n1,a,2\n", "Account")
    assert refused.value.problems[0].path == "Account.csv, line 1, column 3 (ID)"
    with pytest.raises(CrmFilesRefused, match="no header row"):
        read_csv("Account.csv", "", "Account")


def test_decoding_utf8_with_and_without_bom_and_utf16() -> None:
    assert decode("a.csv", "\ufeffId,Name\nZoë".encode()) == "Id,Name\nZoë"
    assert decode("a.csv", "Id\nZoë".encode()) == "Id\nZoë"
    assert decode("a.csv", "Id\nZoë".encode("utf-16")) == "Id\nZoë"


def test_bytes_that_are_not_utf8_are_refused_with_their_place() -> None:
    data = b"Id,Name\n1,Ren\xe9e\n"  # Latin-1, as an old Excel saves it
    with pytest.raises(CrmFilesRefused) as refused:
        decode("Contact.csv", data)
    (problem,) = refused.value.problems
    assert problem.path == "Contact.csv, line 2, column 6"
    assert "not UTF-8 (byte 0xE9)" in problem.message
