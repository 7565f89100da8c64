"""What a CRM export becomes: a normalised batch of records, and what a run reports.

The adapters (``salesforce``, ``hubspot``) turn the vendor's CSV files into a
:class:`CrmBatch`; the repository merges it into the map and answers a :class:`CrmReport`.
Both are plain data, so the parsing and the rendering are tested without a database.

A record's ``props`` holds the CRM-owned properties the export carries: a key present with
``None`` means the CRM has no value (the stored one is removed); a key absent means the
export says nothing about it (a column left out, or a value that could not be read and was
reported), so the stored value stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from graph_api.domain.enums import CommitteeRole, Stance
from graph_api.errors import InvalidInput, Problem

# The kinds a run counts, in the order they are reported.
ACCOUNT = "Account"
STAKEHOLDER = "Stakeholder"
REPORTING_LINE = "ReportingLine"
OPPORTUNITY = "Opportunity"
SEAT = "Seat"
KINDS = (ACCOUNT, STAKEHOLDER, REPORTING_LINE, OPPORTUNITY, SEAT)


class CrmSource(StrEnum):
    SALESFORCE = "SALESFORCE"
    HUBSPOT = "HUBSPOT"

    @property
    def label(self) -> str:
        return "Salesforce" if self is CrmSource.SALESFORCE else "HubSpot"


class Severity(StrEnum):
    """``ERROR``: the row (or the record it names) did not land. ``WARNING``: it landed, but
    one value in it did not (the stored value stays) or something in it was decided for you."""

    ERROR = "ERROR"
    WARNING = "WARNING"


@dataclass(frozen=True)
class Location:
    """Where something came from: a file, the line its row starts on, and a column."""

    file: str
    line: int
    column: int | None = None  # 1-based
    column_name: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
            if self.column_name:
                where += f" ({self.column_name})"
        return where


@dataclass(frozen=True)
class CrmProblem:
    location: Location
    message: str
    severity: Severity = Severity.ERROR
    kind: str | None = None  # the record kind it concerns

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def as_problem(self) -> Problem:
        return Problem(str(self.location), self.message)


class CrmFilesRefused(InvalidInput):
    """The files cannot be read as the export they claim to be; nothing was written."""

    def __init__(self, problems: list[CrmProblem]) -> None:
        super().__init__([p.as_problem() for p in problems])
        self.crm_problems = problems


@dataclass
class ReviewItem:
    """Something a person should look at: a CRM value nobody mapped (kept out of the map until
    a mapping file says what it means), or a CRM statement the map disagrees with."""

    kind: str  # the record kind held back or concerned (Seat, Opportunity)
    field: str  # role, stage, stance
    value: str  # the CRM's own words
    message: str
    first: Location
    suggestion: str | None = None  # a mapping-file value, e.g. ``PROCUREMENT``
    occurrences: int = 1
    unmapped: bool = True  # False: a disagreement, which no mapping settles

    @property
    def mapping_section(self) -> str | None:
        """The mapping file's section that would settle it (unmapped values only)."""
        return {"role": "roles", "stage": "stages"}.get(self.field) if self.unmapped else None


@dataclass(frozen=True)
class AccountRecord:
    external_id: str
    props: Mapping[str, Any]
    source: Location


@dataclass(frozen=True)
class StakeholderRecord:
    external_id: str
    account: str
    props: Mapping[str, Any]
    source: Location


@dataclass(frozen=True)
class ReportingLineRecord:
    """``stakeholder`` reports to ``manager``; ``None``: the CRM names no manager."""

    stakeholder: str
    manager: str | None
    source: Location


@dataclass(frozen=True)
class OpportunityRecord:
    external_id: str
    account: str
    props: Mapping[str, Any]
    source: Location


@dataclass(frozen=True)
class SeatRecord:
    """A committee seat as the CRM states it: a role, and a stance only when the CRM states
    one explicitly (HubSpot's CHAMPION/BLOCKER, a mapped custom role value); never guessed."""

    stakeholder: str
    opportunity: str
    role: CommitteeRole
    stance: Stance | None
    words: str  # the CRM's own words for it, kept as the stance's evidence
    source: Location


@dataclass(frozen=True)
class DepartureRecord:
    """``stakeholder`` left ``account`` on ``left_at`` (``None``: the CRM gives no date)."""

    stakeholder: str
    account: str
    left_at: str | None
    source: Location


@dataclass
class CrmBatch:
    """One export, normalised: records ready to merge and what could not be read."""

    source: CrmSource
    accounts: list[AccountRecord] = field(default_factory=list)
    stakeholders: list[StakeholderRecord] = field(default_factory=list)
    reporting_lines: list[ReportingLineRecord] = field(default_factory=list)
    opportunities: list[OpportunityRecord] = field(default_factory=list)
    seats: list[SeatRecord] = field(default_factory=list)
    departures: list[DepartureRecord] = field(default_factory=list)
    problems: list[CrmProblem] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # rows that did not land, by kind
    held: Counter[str] = field(default_factory=Counter)  # records with a value held back
    rows: dict[str, int] = field(default_factory=dict)  # data rows read, by file

    def problem(
        self,
        location: Location,
        message: str,
        kind: str | None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Report a problem; an ERROR counts its row as skipped."""
        self.problems.append(CrmProblem(location, message, severity, kind))
        if severity is Severity.ERROR and kind is not None:
            self.skipped[kind] += 1


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departed: int = 0
    review: int = 0  # records held back or listed for review
    skipped: int = 0  # rows that did not land (each reported as an ERROR)


@dataclass
class CrmReport:
    """What a run did (or, in a dry run, would do), per kind, with every problem and the
    review list. Re-running the same files reports everything unchanged."""

    source: CrmSource
    dry_run: bool
    counts: dict[str, KindCounts] = field(
        default_factory=lambda: {kind: KindCounts() for kind in KINDS}
    )
    problems: list[CrmProblem] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.departed for c in self.counts.values())
