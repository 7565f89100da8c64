"""CRM files in, plans out, over GraphQL: ``importCrm``, ``coachingPlanExport`` and
``championBrief`` (the brief is also served as a printable page, see ``api/briefs.py``)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from graph_api import coaching
from graph_api.api.coaching.types import CoachingOptions
from graph_api.api.context import Info
from graph_api.api.results import UserErrors, user_error
from graph_api.crm import read_export
from graph_api.crm import records as crm_records
from graph_api.crm.out import (
    PlanFormat,
    Rendered,
    brief_html,
    brief_markdown,
    champion_brief,
    render_plan,
)
from graph_api.crm.records import CrmReport
from graph_api.errors import FlagbearerError, InvalidInput, NotFound, Problem
from graph_api.plan_report import PlanReport, load_plan_report
from graph_api.repositories.crm import merge_batch

MAX_CRM_FILES = 10

CrmSource = strawberry.enum(crm_records.CrmSource, description="The CRM an export comes from.")
CrmProblemSeverity = strawberry.enum(
    crm_records.Severity,
    name="CrmProblemSeverity",
    description="ERROR: the row (or the record it names) did not land. WARNING: it landed,"
    " but a value in it did not (the stored one stays), or something was decided for you.",
)
PlanExportFormat = strawberry.enum(
    PlanFormat,
    name="PlanExportFormat",
    description="TEXT and JSON as `graph-api plan` prints them; CSV one row per play;"
    " MARKDOWN a document; SALESFORCE_TASKS and HUBSPOT_TASKS a task import file, one task"
    " per play on the champion and the opportunity.",
)


@strawberry.enum(description="A champion brief as Markdown, or as a printable HTML page.")
class BriefFormat(StrEnum):
    MARKDOWN = "MARKDOWN"
    HTML = "HTML"


@strawberry.input(description="One exported CSV file: its name (e.g. `Contact.csv`) and text.")
class CrmFileInput:
    name: str
    content: str


@strawberry.type(description="What a CRM run did with one kind of record.")
class CrmKindCount:
    kind: str
    created: int
    updated: int
    unchanged: int
    departed: int = strawberry.field(description="Stakeholders marked as having left.")
    needs_review: int = strawberry.field(
        description="Records held back, or that the CRM and the map disagree on."
    )
    skipped: int = strawberry.field(description="Rows that did not land (each an ERROR).")


@strawberry.type(description="A row or value of the export that did not land as it is.")
class CrmProblem:
    severity: CrmProblemSeverity  # type: ignore[valid-type]
    kind: str | None
    file: str
    line: int
    column: int | None
    column_name: str | None
    message: str


@strawberry.type(
    description="A CRM value nobody mapped (kept out of the map until a mapping says what it"
    " means; `suggestion` is a mapping value), or a CRM statement the map disagrees with."
)
class CrmReviewItem:
    kind: str
    field: str
    value: str
    message: str
    suggestion: str | None
    mapping_section: str | None
    occurrences: int
    file: str
    line: int
    column: int | None


@strawberry.type(
    description="What an import did (a dry run: would do). Re-running the same files reports"
    " everything unchanged."
)
class CrmImportResult:
    source: CrmSource  # type: ignore[valid-type]
    dry_run: bool
    changed: bool
    counts: list[CrmKindCount]
    review: list[CrmReviewItem]
    problems: list[CrmProblem]

    @staticmethod
    def from_report(report: CrmReport) -> CrmImportResult:
        return CrmImportResult(
            source=report.source,
            dry_run=report.dry_run,
            changed=report.changed,
            counts=[
                CrmKindCount(
                    kind=kind,
                    created=c.created,
                    updated=c.updated,
                    unchanged=c.unchanged,
                    departed=c.departed,
                    needs_review=c.review,
                    skipped=c.skipped,
                )
                for kind, c in report.counts.items()
            ],
            review=[
                CrmReviewItem(
                    kind=r.kind,
                    field=r.field,
                    value=r.value,
                    message=r.message,
                    suggestion=r.suggestion,
                    mapping_section=r.mapping_section,
                    occurrences=r.occurrences,
                    file=r.first.file,
                    line=r.first.line,
                    column=r.first.column,
                )
                for r in report.review
            ],
            problems=[
                CrmProblem(
                    severity=p.severity,
                    kind=p.kind,
                    file=p.location.file,
                    line=p.location.line,
                    column=p.location.column,
                    column_name=p.location.column_name,
                    message=p.message,
                )
                for p in report.problems
            ],
        )


ImportCrmResult = Annotated[CrmImportResult | UserErrors, strawberry.union("ImportCrmResult")]


@strawberry.type(description="A rendered document: its text, content type and a file name.")
class PlanExport:
    content: str
    content_type: str
    filename: str

    @staticmethod
    def of(rendered: Rendered) -> PlanExport:
        return PlanExport(
            content=rendered.content,
            content_type=rendered.content_type,
            filename=rendered.filename,
        )


def _today() -> datetime:
    return datetime.now(UTC)


def _check_files(files: list[CrmFileInput], limit: int) -> None:
    """The input's size cap: at most MAX_CRM_FILES files and ``limit`` characters in all."""
    problems = []
    if not files:
        problems.append(Problem("files", "give at least one exported file"))
    if len(files) > MAX_CRM_FILES:
        problems.append(Problem("files", f"at most {MAX_CRM_FILES} files per run"))
    size = sum(len(f.content) for f in files)
    if size > limit:
        problems.append(
            Problem(
                "files",
                f"{size} characters in all; at most {limit} per run"
                " (import large exports with graph-api import-crm)",
            )
        )
    if problems:
        raise InvalidInput(problems)


async def plan_of(
    info: Info, opportunity_id: strawberry.ID, options: CoachingOptions | None
) -> PlanReport:
    given = options or CoachingOptions()
    asked = coaching.Asked(
        max_hops=given.max_hops,
        capacity_per_champion=given.capacity_per_champion,
        top_plays_per_approver=given.top_plays_per_approver,
        without=frozenset(str(i) for i in given.without or ()),
    )
    context = info.context
    return await load_plan_report(
        context.database,
        context.settings,
        context.tenant_id,
        opportunity_id=str(opportunity_id),
        asked=asked,
    )


def brief_of(report: PlanReport, champion_id: str, html: bool) -> Rendered:
    """A champion's brief; the champion must be a stakeholder of the opportunity's account.

    Raises:
        NotFound: no such stakeholder on that account (another tenant's look the same).
    """
    if champion_id not in {p.id for p in report.account_map.people}:
        raise NotFound("Stakeholder", champion_id)
    brief = champion_brief(report, champion_id)
    if html:
        return Rendered(brief_html(brief), "text/html; charset=utf-8", "champion-brief.html")
    return Rendered(brief_markdown(brief), "text/markdown; charset=utf-8", "champion-brief.md")


@strawberry.type
class CrmQuery:
    @strawberry.field(
        description="The coaching plan of one opportunity as a file: text, JSON, one CSV row"
        " per play, Markdown, or a Salesforce / HubSpot task import file (one task per play)."
    )
    async def coaching_plan_export(
        self,
        info: Info,
        opportunity_id: strawberry.ID,
        format: PlanExportFormat,  # type: ignore[valid-type]
        options: CoachingOptions | None = None,
    ) -> PlanExport:
        report = await plan_of(info, opportunity_id, options)
        return PlanExport.of(render_plan(report, PlanFormat(format), _today().date()))

    @strawberry.field(
        description="What one champion reads before the closed-door meeting: for each of their"
        " plays, whom to reach, through whom, the argument with its talk track and proof"
        " points, what that approver cares about, and who will argue against it. Also served"
        " as a printable page at GET /briefs/{opportunityId}/{championId}."
    )
    async def champion_brief(
        self,
        info: Info,
        opportunity_id: strawberry.ID,
        champion_id: strawberry.ID,
        format: BriefFormat = BriefFormat.MARKDOWN,
    ) -> PlanExport:
        report = await plan_of(info, opportunity_id, None)
        return PlanExport.of(brief_of(report, str(champion_id), format is BriefFormat.HTML))


@strawberry.type
class CrmMutation:
    @strawberry.mutation(
        description="Merge a Salesforce (Account.csv, Contact.csv, Opportunity.csv,"
        " OpportunityContactRole.csv, AccountContactRelation.csv) or HubSpot (companies.csv,"
        " contacts.csv, deals.csv) export into the map in one transaction. `mapping` maps"
        " custom roles and stages (the mapping-file format, as JSON); `dryRun` reports without"
        " writing. Files that cannot be read as the export are refused, every problem listed."
    )
    async def import_crm(
        self,
        info: Info,
        source: CrmSource,  # type: ignore[valid-type]
        files: list[CrmFileInput],
        mapping: JSON | None = None,
        dry_run: bool = False,
        reason: str | None = None,
    ) -> ImportCrmResult:
        context = info.context
        try:
            context.require_writer()
            _check_files(files, context.settings.max_body_bytes)
            today = _today().date()
            batch = read_export(
                crm_records.CrmSource(source),
                {f.name: f.content for f in files},
                mapping,
                today,
                mapping_root="mapping",
            )
            report = await merge_batch(
                context.database,
                context.principal,
                batch,
                dry_run=dry_run,
                today=today,
                reason=reason,
            )
        except FlagbearerError as error:
            return user_error(error)
        return CrmImportResult.from_report(report)
