"""Salesforce exports (Data Loader, Workbench or the Data Export service) into a batch.

Files, by the objects' API names: ``Account.csv``, ``Contact.csv``, ``Opportunity.csv``,
``OpportunityContactRole.csv`` and, for departures, ``AccountContactRelation.csv``; any of
them may be left out (a later run can bring the rest, and references resolve against the
map). Columns are the fields' API names (``ReportsToId``; Data Loader's ``REPORTSTOID`` too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph_api.crm.csvfile import Column, CsvRow, CsvTable
from graph_api.crm.ids import salesforce_id
from graph_api.crm.mapping import CrmMapping, DealStage, Meaning
from graph_api.crm.reader import ExportReader, parse_amount, parse_boolean, parse_count, parse_text
from graph_api.crm.records import (
    ACCOUNT,
    OPPORTUNITY,
    REPORTING_LINE,
    SEAT,
    STAKEHOLDER,
    AccountRecord,
    CrmBatch,
    CrmSource,
    DepartureRecord,
    Location,
    OpportunityRecord,
    ReportingLineRecord,
    SeatRecord,
    StakeholderRecord,
)
from graph_api.domain.enums import CommitteeRole, Outcome, Stance

ACCOUNTS = "Account.csv"
CONTACTS = "Contact.csv"
OPPORTUNITIES = "Opportunity.csv"
CONTACT_ROLES = "OpportunityContactRole.csv"
RELATIONS = "AccountContactRelation.csv"
FILES = (ACCOUNTS, CONTACTS, OPPORTUNITIES, CONTACT_ROLES, RELATIONS)
_CURRENCY = re.compile(r"[A-Za-z]{3}")


def parse_currency(cell: str) -> str:
    if not _CURRENCY.fullmatch(cell):
        raise ValueError(f"not an ISO 4217 currency code: {cell!r}")
    return cell.upper()


@dataclass(frozen=True)
class RoleRow:
    """One contact-role value on one deal and what it means (``None``: nobody mapped it)."""

    meaning: Meaning | None
    words: str
    location: Location


def choose_seat(
    reader: ExportReader, rows: list[RoleRow], who: str, vendor_words: str
) -> tuple[CommitteeRole, Stance | None, str] | None:
    """The seat several role values make: the highest role in the mapping's precedence (the
    others are reported) and the one explicit stance. None when no seat comes of them: every
    value unmapped (on the review list) or mapped to nothing."""
    mapping = reader.mapping
    known = [(r, r.meaning) for r in rows if r.meaning is not None]
    ranked = sorted(
        ((mapping.rank(m.role), r, m.role) for r, m in known if m.role is not None),
        key=lambda entry: entry[0],
    )
    stance_rows = [(r, m.stance) for r, m in known if m.stance is not None]
    stances = {stance for _, stance in stance_rows}
    words: list[str] = []
    if ranked:
        _, best, role = ranked[0]
        words.append(best.words)
        for _, other, other_role in ranked[1:]:
            if other_role is not role:
                reader.warn(
                    other.location,
                    f"{who} has several roles: {best.words!r} ({role.value}, line"
                    f" {best.location.line}) outranks {other.words!r} ({other_role.value}),"
                    " which is not used",
                    SEAT,
                )
    elif stances and mapping.blank_role is not None:
        role = mapping.blank_role
    else:
        return None
    stance: Stance | None = None
    if len(stances) == 1:
        stance = stances.pop()
        words.extend(r.words for r, _ in stance_rows if r.words not in words)
    elif stances:
        reader.warn(
            stance_rows[0][0].location,
            f"{who} has contradictory stances ({', '.join(sorted(s.value for s in stances))});"
            " none is applied",
            SEAT,
        )
    return role, stance, f"{vendor_words}: {', '.join(words)}" if words else vendor_words


def read_salesforce(files: Mapping[str, str], mapping: CrmMapping, today: date) -> CrmBatch:
    """The batch of a Salesforce export; ``today`` decides which end dates are past.

    Raises:
        CrmFilesRefused: a file this import does not read, an unreadable file, a missing
        required column; nothing of the run is written.
    """
    reader = ExportReader(CrmSource.SALESFORCE, files, mapping, today, FILES)
    accounts = reader.table(ACCOUNTS, ACCOUNT, (("Id",), ("Name",)))
    contacts = reader.table(CONTACTS, STAKEHOLDER, (("Id",), ("AccountId",), ("LastName", "Name")))
    deals = reader.table(OPPORTUNITIES, OPPORTUNITY, (("Id",), ("AccountId",), ("Name",)))
    roles = reader.table(CONTACT_ROLES, SEAT, (("OpportunityId",), ("ContactId",), ("Role",)))
    relations = reader.table(
        RELATIONS, STAKEHOLDER, (("AccountId",), ("ContactId",), ("IsActive", "EndDate"))
    )
    reader.check()
    if accounts is not None:
        _accounts(reader, accounts)
    if contacts is not None:
        _contacts(reader, contacts)
    if deals is not None:
        _opportunities(reader, deals)
    if roles is not None:
        _seats(reader, roles)
    if relations is not None:
        _departures(reader, relations)
    return reader.batch


class _Seen:
    """Ids met in one file: a second row naming the same record is reported, not merged."""

    def __init__(self, reader: ExportReader, kind: str) -> None:
        self.reader, self.kind, self.lines = reader, kind, dict[str, int]()

    def first(self, key: str, table: CsvTable, row: CsvRow, column: Column | None) -> bool:
        line = self.lines.setdefault(key, row.line)
        if line == row.line:
            return True
        self.reader.batch.problem(
            table.location(row, column),
            f"the same record as line {line} ({key}; a 15- and an 18-character Id name one"
            " record); row skipped",
            self.kind,
        )
        return False


def _accounts(reader: ExportReader, table: CsvTable) -> None:
    id_column, name_column = table.column("Id"), table.column("Name")
    industry, employees = table.column("Industry"), table.column("NumberOfEmployees")
    seen = _Seen(reader, ACCOUNT)
    for row in table.rows:
        key = reader.record_id(table, row, id_column, ACCOUNT, salesforce_id, "Id")
        if key is None or not seen.first(key, table, row, id_column):
            continue
        name = reader.name(table, row, name_column, ACCOUNT, table.cell(row, name_column))
        if name is None:
            continue
        props: dict[str, Any] = {"name": name}
        reader.put(props, "industry", table, row, industry, parse_text, ACCOUNT)
        reader.put(props, "employees", table, row, employees, parse_count, ACCOUNT)
        reader.batch.accounts.append(AccountRecord(key, props, table.location(row)))


def _contacts(reader: ExportReader, table: CsvTable) -> None:
    id_column, account_column = table.column("Id"), table.column("AccountId")
    first, last, full = table.column("FirstName"), table.column("LastName"), table.column("Name")
    manager_column = table.column("ReportsToId")
    owned = [
        (prop, table.column(name))
        for prop, name in (("title", "Title"), ("department", "Department"), ("email", "Email"))
    ]
    seen = _Seen(reader, STAKEHOLDER)
    for row in table.rows:
        key = reader.record_id(table, row, id_column, STAKEHOLDER, salesforce_id, "Id")
        if key is None or not seen.first(key, table, row, id_column):
            continue
        if last is not None:
            words = (table.cell(row, first), table.cell(row, last))
            name = reader.name(table, row, last, STAKEHOLDER, " ".join(w for w in words if w))
        else:
            name = reader.name(table, row, full, STAKEHOLDER, table.cell(row, full))
        if name is None:
            continue
        if not table.cell(row, account_column):
            reader.batch.problem(
                table.location(row, account_column),
                "no AccountId: a contact outside any account (a private contact) has no place"
                " in the map; row skipped",
                STAKEHOLDER,
            )
            continue
        account = reader.record_id(
            table, row, account_column, STAKEHOLDER, salesforce_id, "AccountId"
        )
        if account is None:
            continue
        props: dict[str, Any] = {"name": name}
        for prop, column in owned:
            reader.put(props, prop, table, row, column, parse_text, STAKEHOLDER)
        reader.batch.stakeholders.append(
            StakeholderRecord(key, account, props, table.location(row, account_column))
        )
        if manager_column is None:
            continue
        if not table.cell(row, manager_column):
            reader.batch.reporting_lines.append(
                ReportingLineRecord(key, None, table.location(row, manager_column))
            )
            continue
        manager = reader.record_id(
            table,
            row,
            manager_column,
            REPORTING_LINE,
            salesforce_id,
            "ReportsToId",
            required=False,
        )
        if manager == key:
            reader.warn(
                table.location(row, manager_column),
                "the contact reports to itself; the reporting line is left as it was",
                REPORTING_LINE,
            )
        elif manager is not None:
            reader.batch.reporting_lines.append(
                ReportingLineRecord(key, manager, table.location(row, manager_column))
            )


def _opportunities(reader: ExportReader, table: CsvTable) -> None:
    id_column, account_column = table.column("Id"), table.column("AccountId")
    name_column, stage_column = table.column("Name"), table.column("StageName")
    closed_column, won_column = table.column("IsClosed"), table.column("IsWon")
    close_column = table.column("CloseDate")
    amount_column, currency_column = table.column("Amount"), table.column("CurrencyIsoCode")
    seen = _Seen(reader, OPPORTUNITY)
    for row in table.rows:
        key = reader.record_id(table, row, id_column, OPPORTUNITY, salesforce_id, "Id")
        if key is None or not seen.first(key, table, row, id_column):
            continue
        name = reader.name(table, row, name_column, OPPORTUNITY, table.cell(row, name_column))
        if name is None:
            continue
        account = reader.record_id(
            table, row, account_column, OPPORTUNITY, salesforce_id, "AccountId"
        )
        if account is None:
            continue
        props: dict[str, Any] = {"name": name}
        reader.put(props, "amount", table, row, amount_column, parse_amount, OPPORTUNITY)
        reader.put(props, "currency", table, row, currency_column, parse_currency, OPPORTUNITY)
        reader.put(props, "closeDate", table, row, close_column, reader.parse_date, OPPORTUNITY)
        stage = stage_of(reader, table, row, stage_column, props)
        closed = reader.value(table, row, closed_column, parse_boolean, OPPORTUNITY)
        won = reader.value(table, row, won_column, parse_boolean, OPPORTUNITY)
        if closed is False:
            set_outcome(props, None)
        elif closed and won:
            set_outcome(props, Outcome.WON)
        elif closed and stage is DealStage.CLOSED_NO_DECISION:
            set_outcome(props, Outcome.NO_DECISION)
        elif closed and won is False:
            set_outcome(props, Outcome.LOST)
        elif stage is not None and (closed is None or stage.outcome is not None):
            set_outcome(props, stage.outcome)  # no readable IsClosed/IsWon: the stage tells
        reader.batch.opportunities.append(
            OpportunityRecord(key, account, props, table.location(row, account_column))
        )


def stage_of(
    reader: ExportReader,
    table: CsvTable,
    row: CsvRow,
    column: Column | None,
    props: dict[str, Any],
) -> DealStage | None:
    """Sets ``props["stage"]`` from the CRM's stage when it is mapped; returns the stage."""
    if column is None:
        return None
    cell = table.cell(row, column)
    if not cell:
        props["stage"] = None
        return None
    if not reader.mapping.knows_stage(cell):
        reader.unmapped_stage(cell, table.location(row, column))
        reader.batch.held[OPPORTUNITY] += 1
        return None
    stage = reader.mapping.stage(cell)
    if stage is not None:
        props["stage"] = stage.value
    return stage


def set_outcome(props: dict[str, Any], outcome: Outcome | None) -> None:
    """``outcome`` and ``closedAt`` (the close date of a closed deal); an open (or re-opened)
    deal has neither. A deal whose close date could not be read keeps its ``closedAt``."""
    if outcome is None:
        props["outcome"] = props["closedAt"] = None
        return
    props["outcome"] = outcome.value
    if "closeDate" in props:
        props["closedAt"] = props["closeDate"]


def _seats(reader: ExportReader, table: CsvTable) -> None:
    deal_column, contact_column = table.column("OpportunityId"), table.column("ContactId")
    role_column = table.column("Role")
    pairs: dict[tuple[str, str], list[RoleRow]] = {}
    first_row: dict[tuple[str, str], Location] = {}
    for row in table.rows:
        deal = reader.record_id(table, row, deal_column, SEAT, salesforce_id, "OpportunityId")
        if deal is None:
            continue
        contact = reader.record_id(table, row, contact_column, SEAT, salesforce_id, "ContactId")
        if contact is None:
            continue
        cell = table.cell(row, role_column)
        location = table.location(row, role_column)
        if not cell:
            blank = reader.mapping.blank_role
            meaning: Meaning | None = Meaning(blank)
            cell = "(no role)"
        else:
            meaning = reader.mapping.role(cell)
            if meaning is None:
                reader.unmapped_role(
                    cell,
                    location,
                    "that contact-role row stays out of the map until a mapping file says what"
                    " it means",
                )
        pairs.setdefault((contact, deal), []).append(RoleRow(meaning, cell, location))
        first_row.setdefault((contact, deal), table.location(row, contact_column))
    for (contact, deal), rows in pairs.items():
        chosen = choose_seat(
            reader, rows, f"contact {contact} on opportunity {deal}", "Salesforce contact role"
        )
        if chosen is None:
            if any(r.meaning is None for r in rows):
                reader.batch.held[SEAT] += 1
            continue
        role, stance, words = chosen
        reader.batch.seats.append(
            SeatRecord(contact, deal, role, stance, words, first_row[contact, deal])
        )


def _departures(reader: ExportReader, table: CsvTable) -> None:
    account_column, contact_column = table.column("AccountId"), table.column("ContactId")
    active_column, end_column = table.column("IsActive"), table.column("EndDate")
    today = reader.today.isoformat()
    for row in table.rows:
        account = reader.record_id(
            table, row, account_column, STAKEHOLDER, salesforce_id, "AccountId"
        )
        contact = (
            reader.record_id(table, row, contact_column, STAKEHOLDER, salesforce_id, "ContactId")
            if account is not None
            else None
        )
        if account is None or contact is None:
            continue
        active = reader.value(table, row, active_column, parse_boolean, STAKEHOLDER)
        end = reader.value(table, row, end_column, reader.parse_date, STAKEHOLDER)
        if active is False or (end is not None and end < today):
            left_at = end if end is not None and end <= today else None
            reader.batch.departures.append(
                DepartureRecord(contact, account, left_at, table.location(row, contact_column))
            )
