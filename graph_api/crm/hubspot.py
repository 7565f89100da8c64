"""HubSpot exports (CRM > export, "all properties" or the default columns) into a batch.

Files: ``companies.csv``, ``contacts.csv``, ``deals.csv``; columns are HubSpot's property
labels (``Record ID``, ``Company name``, ``Associated Company IDs`` …). HubSpot keeps the
buying role on the contact, not per deal, and mixes roles with stances: the contact's
values are split into one committee role (the highest by the mapping's precedence) and one
explicit stance (CHAMPION, BLOCKER), and the contact takes that seat on every deal it is
associated with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph_api.crm.csvfile import CsvRow, CsvTable
from graph_api.crm.ids import InvalidId, hubspot_id
from graph_api.crm.mapping import CrmMapping
from graph_api.crm.reader import (
    ExportReader,
    parse_amount,
    parse_count,
    parse_text,
    split_list,
)
from graph_api.crm.records import (
    ACCOUNT,
    OPPORTUNITY,
    SEAT,
    STAKEHOLDER,
    AccountRecord,
    CrmBatch,
    CrmSource,
    Location,
    OpportunityRecord,
    SeatRecord,
    StakeholderRecord,
)
from graph_api.crm.salesforce import RoleRow, choose_seat, parse_currency, set_outcome, stage_of
from graph_api.domain.enums import CommitteeRole, Stance

COMPANIES = "companies.csv"
CONTACTS = "contacts.csv"
DEALS = "deals.csv"
FILES = (COMPANIES, CONTACTS, DEALS)
_COMPANY_IDS = ("Associated Company IDs", "Associated Company ID", "Company ID")
_PRIMARY_COMPANY = ("Primary Associated Company ID", "Associated Company IDs (Primary)")


@dataclass(frozen=True)
class _ContactSeat:
    """The seat a contact takes on each of its deals; ``None`` role: it takes none."""

    role: CommitteeRole | None
    stance: Stance | None
    words: str
    held: bool  # a buying-role value of the contact is on the review list


def read_hubspot(files: Mapping[str, str], mapping: CrmMapping, today: date) -> CrmBatch:
    """The batch of a HubSpot export.

    Raises:
        CrmFilesRefused: a file this import does not read, an unreadable file, a missing
        required column; nothing of the run is written.
    """
    reader = ExportReader(CrmSource.HUBSPOT, files, mapping, today, FILES)
    companies = reader.table(COMPANIES, ACCOUNT, (("Record ID",), ("Company name", "Name")))
    contacts = reader.table(
        CONTACTS, STAKEHOLDER, (("Record ID",), (*_PRIMARY_COMPANY, *_COMPANY_IDS))
    )
    deals = reader.table(DEALS, OPPORTUNITY, (("Record ID",), ("Deal Name",), _COMPANY_IDS))
    reader.check()
    if companies is not None:
        _companies(reader, companies)
    seats: dict[str, _ContactSeat] = {}
    if contacts is not None:
        seats = _contacts(reader, contacts)
    if deals is not None:
        _deals(reader, deals, seats)
    return reader.batch


def _first_of(
    reader: ExportReader,
    table: CsvTable,
    row: CsvRow,
    names: tuple[str, ...],
    kind: str,
    what: str,
) -> str | None:
    """The one id a multi-valued association cell names (the first, reported, when several)."""
    column = table.column(*names)
    ids: list[str] = []
    for part in split_list(table.cell(row, column)):
        try:
            ids.append(hubspot_id(part))
        except InvalidId as error:
            reader.warn(table.location(row, column), f"{error}; left out", kind)
    if len(ids) > 1:
        reader.warn(
            table.location(row, column),
            f"associated with {len(ids)} {what} ({', '.join(ids)}); the map keeps one, the"
            f" first ({ids[0]})",
            kind,
        )
    return ids[0] if ids else None


def _companies(reader: ExportReader, table: CsvTable) -> None:
    id_column, name_column = table.column("Record ID"), table.column("Company name", "Name")
    lines: dict[str, int] = {}
    for row in table.rows:
        key = reader.record_id(table, row, id_column, ACCOUNT, hubspot_id, "Record ID")
        if key is None or _repeated(reader, lines, key, table, row, ACCOUNT):
            continue
        given = table.cell(row, name_column)
        domain = table.column("Company Domain Name")
        if not given and table.cell(row, domain):
            given = table.cell(row, domain)
            reader.warn(
                table.location(row, name_column), "no company name; named by its domain", ACCOUNT
            )
        name = reader.name(table, row, name_column, ACCOUNT, given)
        if name is None:
            continue
        props: dict[str, Any] = {"name": name}
        reader.put(props, "industry", table, row, table.column("Industry"), parse_text, ACCOUNT)
        reader.put(
            props,
            "employees",
            table,
            row,
            table.column("Number of Employees"),
            parse_count,
            ACCOUNT,
        )
        reader.put(props, "domain", table, row, domain, parse_text, ACCOUNT)
        reader.batch.accounts.append(AccountRecord(key, props, table.location(row)))


def _repeated(
    reader: ExportReader,
    lines: dict[str, int],
    key: str,
    table: CsvTable,
    row: CsvRow,
    kind: str,
) -> bool:
    line = lines.setdefault(key, row.line)
    if line != row.line:
        reader.batch.problem(
            table.location(row, table.column("Record ID")),
            f"the same record as line {line} (Record ID {key}); row skipped",
            kind,
        )
    return line != row.line


def _contacts(reader: ExportReader, table: CsvTable) -> dict[str, _ContactSeat]:
    id_column = table.column("Record ID")
    first, last, email = (
        table.column("First Name"),
        table.column("Last Name"),
        table.column("Email"),
    )
    roles_column = table.column("Buying Role", "Buying Roles")
    seats: dict[str, _ContactSeat] = {}
    lines: dict[str, int] = {}
    for row in table.rows:
        key = reader.record_id(table, row, id_column, STAKEHOLDER, hubspot_id, "Record ID")
        if key is None or _repeated(reader, lines, key, table, row, STAKEHOLDER):
            continue
        given = " ".join(w for w in (table.cell(row, first), table.cell(row, last)) if w)
        if not given and table.cell(row, email):
            given = table.cell(row, email)
            reader.warn(
                table.location(row, email),
                "no first or last name; named by the e-mail address",
                STAKEHOLDER,
            )
        name = reader.name(table, row, last or first, STAKEHOLDER, given)
        if name is None:
            continue
        primary = table.column(*_PRIMARY_COMPANY)
        account = (
            _first_of(reader, table, row, _PRIMARY_COMPANY, STAKEHOLDER, "primary companies")
            if primary is not None and table.cell(row, primary)
            else _first_of(reader, table, row, _COMPANY_IDS, STAKEHOLDER, "companies")
        )
        if account is None:
            reader.batch.problem(
                table.location(row, primary or table.column(*_COMPANY_IDS)),
                "no associated company: a contact outside any company has no place in the"
                " map; row skipped",
                STAKEHOLDER,
            )
            continue
        props: dict[str, Any] = {"name": name}
        reader.put(props, "title", table, row, table.column("Job Title"), parse_text, STAKEHOLDER)
        reader.put(props, "email", table, row, email, parse_text, STAKEHOLDER)
        reader.batch.stakeholders.append(
            StakeholderRecord(
                key, account, props, table.location(row, primary or table.column(*_COMPANY_IDS))
            )
        )
        seats[key] = _contact_seat(reader, table, row, roles_column, key)
    return seats


def _contact_seat(
    reader: ExportReader, table: CsvTable, row: CsvRow, column: Any, contact: str
) -> _ContactSeat:
    location = table.location(row, column)
    rows = []
    for value in split_list(table.cell(row, column)) if column is not None else []:
        meaning = reader.mapping.role(value)
        if meaning is None:
            reader.unmapped_role(
                value,
                location,
                "the contact's seats take its other buying roles until a mapping file says"
                " what it means",
            )
        rows.append(RoleRow(meaning, value, location))
    held = any(r.meaning is None for r in rows)
    if not rows:
        blank = reader.mapping.blank_role
        return _ContactSeat(blank, None, "associated with the deal in HubSpot", held=False)
    chosen = choose_seat(reader, rows, f"contact {contact}", "HubSpot buying role")
    if chosen is None:
        return _ContactSeat(None, None, "", held)
    role, stance, words = chosen
    return _ContactSeat(role, stance, words, held)


def _deals(reader: ExportReader, table: CsvTable, seats: dict[str, _ContactSeat]) -> None:
    id_column, name_column = table.column("Record ID"), table.column("Deal Name")
    contacts_column = table.column("Associated Contact IDs", "Associated Contact ID")
    lines: dict[str, int] = {}
    for row in table.rows:
        key = reader.record_id(table, row, id_column, OPPORTUNITY, hubspot_id, "Record ID")
        if key is None or _repeated(reader, lines, key, table, row, OPPORTUNITY):
            continue
        name = reader.name(table, row, name_column, OPPORTUNITY, table.cell(row, name_column))
        if name is None:
            continue
        account = _first_of(reader, table, row, _COMPANY_IDS, OPPORTUNITY, "companies")
        if account is None:
            reader.batch.problem(
                table.location(row, table.column(*_COMPANY_IDS)),
                "no associated company: a deal outside any company has no place in the map;"
                " row skipped",
                OPPORTUNITY,
            )
            continue
        props: dict[str, Any] = {"name": name}
        reader.put(props, "amount", table, row, table.column("Amount"), parse_amount, OPPORTUNITY)
        reader.put(
            props,
            "currency",
            table,
            row,
            table.column("Deal currency code", "Currency"),
            parse_currency,
            OPPORTUNITY,
        )
        reader.put(
            props,
            "closeDate",
            table,
            row,
            table.column("Close Date"),
            reader.parse_date,
            OPPORTUNITY,
        )
        stage = stage_of(reader, table, row, table.column("Deal Stage"), props)
        if stage is not None:
            set_outcome(props, stage.outcome)
        reader.batch.opportunities.append(
            OpportunityRecord(key, account, props, table.location(row, table.column(*_COMPANY_IDS)))
        )
        _deal_seats(reader, table, row, contacts_column, key, seats)


def _deal_seats(
    reader: ExportReader,
    table: CsvTable,
    row: CsvRow,
    column: Any,
    deal: str,
    seats: dict[str, _ContactSeat],
) -> None:
    location: Location = table.location(row, column)
    for part in split_list(table.cell(row, column)):
        try:
            contact = hubspot_id(part)
        except InvalidId as error:
            reader.batch.problem(location, f"{error}; no seat", SEAT)
            continue
        seat = seats.get(contact)
        if seat is None:
            reader.batch.problem(
                location,
                f"contact {contact} is associated with the deal but is not in contacts.csv;"
                " no seat (its buying role is not known)",
                SEAT,
            )
            continue
        if seat.role is None:
            if seat.held:
                reader.batch.held[SEAT] += 1
            continue
        reader.batch.seats.append(
            SeatRecord(contact, deal, seat.role, seat.stance, seat.words, location)
        )
