"""Plans out: a coaching plan as files a CRM or a planning tool takes, and champion briefs.

Pure renderers over the engine's :class:`CoachingResult` with the names of the loaded map
(:class:`PlanReport`):

* ``csv`` — one row per play of the plan, with ids, numbers and the sentence to read aloud;
* ``markdown`` — the whole plan as a document (approvers, plan, threats, warnings);
* Salesforce tasks — a Task import file (Subject, WhoId, WhatId, ActivityDate, Description,
  Priority) for Data Loader or the Data Import Wizard: one task per play, on the champion
  (WhoId, the Contact Id) and the opportunity (WhatId);
* HubSpot tasks — a task import file (Task Title, Notes, Due Date, Priority, Task Type,
  Status, Contact Record ID, Deal Record ID, Contact Email) for HubSpot's import tool;
* a champion brief (Markdown or a printable HTML page): for each of the champion's plays,
  whom to reach, through whom, which argument with its talk track and proof points, what that
  approver cares about, what they already heard, and who will argue against it.

A task's due date is a week from ``today``, or the day before the opportunity closes when
that is sooner (never before today); a play worth 0.25 or more (enough to cover its approver
alone) is high priority. CRM ids are filled in only when the map's externalId is that CRM's
id (a stakeholder made by hand has none: the task names them in its subject). Cells a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) are prefixed
with ``'``; every value in HTML is escaped.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from graph_api import engine
from graph_api.crm.ids import is_hubspot_id, is_salesforce_id
from graph_api.domain.enums import PlayAction
from graph_api.plan_report import PlanReport

COVERING_VALUE = 0.25  # docs/coaching-model.md: a play of this value covers its approver
TASK_LEAD_DAYS = 7
SUBJECT_MAX = 255  # Salesforce Task.Subject
_FORMULA = re.compile(r"^[=+@\t\r]|^-(?![\d.])")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>|#!])")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue()


def md(text: Any) -> str:
    """Text in Markdown, its markup characters escaped and line breaks kept."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", "  \n")


def _cell(text: Any) -> str:
    return md(text).replace("  \n", " ")


@dataclass(frozen=True)
class Person:
    id: str
    external_id: str | None
    name: str
    title: str | None
    email: str | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


class PlanView:
    """The plan with everything the renderers name: people, seats, concerns, arguments."""

    def __init__(self, report: PlanReport) -> None:
        self.report = report
        self.result = report.result
        account_map = report.account_map
        self.opportunity = account_map.opportunity
        self.people = {
            p.id: Person(p.id, p.external_id, p.name, p.title, p.email) for p in account_map.people
        }
        self.seats = {s.source_id: s for s in account_map.seats}
        concerns = {c.id: c for c in account_map.concerns}
        self.cares: dict[str, list[tuple[str, str, float]]] = {}
        for link in sorted(account_map.cares_about, key=lambda r: (-r.weight, r.target_id)):
            concern = concerns.get(link.target_id)
            if concern is not None:
                self.cares.setdefault(link.source_id, []).append(
                    (concern.name, concern.category.value, link.weight)
                )
        self.heard: dict[str, list[tuple[str, str]]] = {}
        for hearing in account_map.heard:
            argument = report.arguments.get(hearing.target_id)
            if argument is not None:
                self.heard.setdefault(hearing.source_id, []).append(
                    (argument.title, hearing.reception.value)
                )
        self.assessments = {a.approver_id: a for a in self.result.approvers}

    def person(self, stakeholder_id: str) -> Person:
        return self.people.get(
            stakeholder_id, Person(stakeholder_id, None, stakeholder_id, None, None)
        )

    def path(self, ids: Iterable[str]) -> str:
        return " → ".join(self.person(i).name for i in ids)

    def argument(self, argument_id: str) -> dict[str, Any]:
        """The argument's stored properties by name (its title alone when unknown)."""
        found = self.report.arguments.get(argument_id)
        if found is None:
            return {"title": argument_id}
        return {"externalId": found.external_id, **found.stored()}

    def stance(self, stakeholder_id: str) -> str | None:
        seat = self.seats.get(stakeholder_id)
        return None if seat is None else seat.stance.value

    @property
    def opportunity_name(self) -> str:
        return "" if self.opportunity is None else self.opportunity.name

    @property
    def opportunity_key(self) -> str | None:
        return None if self.opportunity is None else self.opportunity.external_id

    def threats_to(self, approver_id: str) -> list[str]:
        assessment = self.assessments.get(approver_id)
        if assessment is None:
            return []
        lines = []
        for threat in assessment.threats:
            opponent = self.person(threat.opponent_id)
            stance = self.stance(threat.opponent_id)
            pushing = (
                f", pushing '{self.report.alternatives[threat.alternative_id]}'"
                if threat.alternative_id in self.report.alternatives
                else ""
            )
            via = f" via {self.path(threat.path[1:-1])}" if len(threat.path) > 2 else ""
            lines.append(
                f"{opponent.label}{f', {stance}' if stance else ''}{pushing}; reaches them"
                f"{via} at {threat.reach:.2f}"
            )
        return lines

    def cares_about(self, approver_id: str) -> list[str]:
        return [
            f"{name} ({category}, weight {weight:.1f})"
            for name, category, weight in self.cares.get(approver_id, [])
        ]

    def due(self, today: date) -> date:
        due = today + timedelta(days=TASK_LEAD_DAYS)
        close = None if self.opportunity is None else self.opportunity.close_date
        if close:
            try:
                before_close = date.fromisoformat(str(close)) - timedelta(days=1)
            except ValueError:
                return due
            return max(today, min(due, before_close))
        return due

    def describe(self, play: engine.Play) -> str:
        """A task's description: the play, its path, the argument, the approver, the risks."""
        argument = self.argument(play.argument_id)
        approver = self.person(play.approver_id)
        lines = [
            f"{play.action.value} {self.person(play.champion_id).name} on"
            f' "{argument.get("title")}" to move {approver.label}.',
            f"Path: {self.path(play.path)} (reach {play.reach:.2f}, fit {play.fit:.2f},"
            f" value {play.value:.2f})",
            f"Why: {play.explanation}",
        ]
        if argument.get("talkTrack"):
            lines.append(f"Talk track: {argument['talkTrack']}")
        for point in argument.get("proofPoints") or []:
            lines.append(f"Proof point: {point}")
        cares = self.cares_about(play.approver_id)
        lines.append(
            f"{approver.name} cares about: {', '.join(cares)}"
            if cares
            else f"{approver.name}'s concerns are unknown: find them out first."
        )
        lines.extend(f"Will argue against it: {t}" for t in self.threats_to(play.approver_id))
        return "\n".join(lines)

    def subject(self, play: engine.Play) -> str:
        verb = "Coach" if play.action is PlayAction.COACH else "Deploy"
        text = (
            f"{verb} {self.person(play.champion_id).name}:"
            f" '{self.argument(play.argument_id).get('title')}' for"
            f" {self.person(play.approver_id).name}"
        )
        return text if len(text) <= SUBJECT_MAX else text[: SUBJECT_MAX - 1] + "…"


# --- the plan ---------------------------------------------------------------------------


def plan_csv(report: PlanReport) -> str:
    view = PlanView(report)
    header = [
        "rank",
        "opportunityExternalId",
        "opportunity",
        "approverExternalId",
        "approver",
        "approverRole",
        "approverStatus",
        "championExternalId",
        "champion",
        "action",
        "argumentExternalId",
        "argument",
        "path",
        "reach",
        "fit",
        "value",
        "explanation",
    ]
    rows = []
    for rank, play in enumerate(view.result.plan, start=1):
        assessment = view.assessments[play.approver_id]
        argument = view.argument(play.argument_id)
        approver, champion = view.person(play.approver_id), view.person(play.champion_id)
        rows.append(
            [
                rank,
                view.opportunity_key,
                view.opportunity_name,
                approver.external_id,
                approver.name,
                assessment.role.value,
                assessment.status.value,
                champion.external_id,
                champion.name,
                play.action.value,
                argument.get("externalId"),
                argument.get("title"),
                view.path(play.path),
                play.reach,
                play.fit,
                play.value,
                play.explanation,
            ]
        )
    return _csv(header, rows)


def plan_markdown(report: PlanReport) -> str:
    view = PlanView(report)
    r = view.result
    lines = [
        f"# Coaching plan: {md(view.opportunity_name)}",
        "",
        f"Decision rule **{r.decision_rule.value}**. Win probability **{r.win_probability:.2f}**"
        f" now, **{r.win_probability_with_plan:.2f}** with the plan.",
        "",
        "## Approvers",
        "",
        "| Approver | Role | Stance | Status | Now | With plan |",
        "|---|---|---|---|---:|---:|",
    ]
    lines += [
        f"| {_cell(view.person(a.approver_id).label)} | {a.role.value} | {a.stance.value} |"
        f" {a.status.value} | {a.approval_probability:.2f} |"
        f" {a.approval_probability_with_plan:.2f} |"
        for a in r.approvers
    ]
    lines += ["", "## The plan", ""]
    if not r.plan:
        lines.append("No play raises the win probability by 0.005 or more.")
    for number, play in enumerate(r.plan, start=1):
        argument = view.argument(play.argument_id)
        lines.append(
            f"{number}. **{play.action.value}** {md(view.person(play.champion_id).name)} on"
            f" *{md(argument.get('title'))}* → {md(view.person(play.approver_id).name)}"
            f" (value {play.value:.2f}; path {md(view.path(play.path))})  "
        )
        lines.append(f"   {md(play.explanation)}")
    threats = [(a, t) for a in r.approvers for t in view.threats_to(a.approver_id)]
    if threats:
        lines += ["", "## Threats", ""]
        lines += [f"- {md(view.person(a.approver_id).name)}: {md(t)}" for a, t in threats]
    develop = [(a, d) for a in r.approvers for d in a.develop_candidates]
    if develop:
        lines += ["", "## Who to develop", ""]
        for a, d in develop:
            by = ", ".join(view.person(c).name for c in d.reachable_by) or "no champion yet"
            lines.append(
                f"- {md(view.person(d.stakeholder_id).label)} reaches"
                f" {md(view.person(a.approver_id).name)} at {d.reach:.2f}; reachable by"
                f" {md(by)}"
            )
    if r.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {md(w)}" for w in r.warnings]
    return "\n".join(lines) + "\n"


def salesforce_tasks_csv(report: PlanReport, today: date) -> str:
    """A Salesforce Task import file, one task per play of the plan."""
    view = PlanView(report)
    what = view.opportunity_key if is_salesforce_id(view.opportunity_key) else ""
    due = view.due(today).isoformat()
    rows = []
    for play in view.result.plan:
        who = view.person(play.champion_id).external_id
        rows.append(
            [
                view.subject(play),
                who if is_salesforce_id(who) else "",
                what,
                due,
                view.describe(play),
                "High" if play.value >= COVERING_VALUE else "Normal",
            ]
        )
    return _csv(["Subject", "WhoId", "WhatId", "ActivityDate", "Description", "Priority"], rows)


def hubspot_tasks_csv(report: PlanReport, today: date) -> str:
    """A HubSpot task import file, one task per play of the plan, associated with the
    champion (contact) and the deal by their Record IDs."""
    view = PlanView(report)
    deal = view.opportunity_key if is_hubspot_id(view.opportunity_key) else ""
    due = view.due(today).isoformat()
    rows = []
    for play in view.result.plan:
        champion = view.person(play.champion_id)
        rows.append(
            [
                view.subject(play),
                view.describe(play),
                due,
                "HIGH" if play.value >= COVERING_VALUE else "MEDIUM",
                "TODO",
                "NOT_STARTED",
                champion.external_id if is_hubspot_id(champion.external_id) else "",
                deal,
                champion.email or "",
            ]
        )
    return _csv(
        [
            "Task Title",
            "Notes",
            "Due Date",
            "Priority",
            "Task Type",
            "Status",
            "Contact Record ID",
            "Deal Record ID",
            "Contact Email",
        ],
        rows,
    )


# --- champion briefs --------------------------------------------------------------------


@dataclass(frozen=True)
class BriefPlay:
    action: str
    approver: str
    approver_role: str
    approver_status: str
    approval: tuple[float, float]
    through: list[str]  # the people between the champion and the approver
    argument: str
    argument_kind: str
    readiness: float | None
    talk_track: str | None
    proof_points: list[str]
    cares_about: list[str]
    heard: list[str]
    against: list[str]
    explanation: str
    value: float


@dataclass(frozen=True)
class ChampionBrief:
    champion: str
    stance: str | None
    opportunity: str
    win: tuple[float, float]
    plays: list[BriefPlay]
    in_plan: bool  # False: no play of the plan is theirs; ``plays`` are the options listed


def champion_brief(report: PlanReport, champion_id: str) -> ChampionBrief:
    """What one champion reads before the closed-door meeting: their plays in the plan (or,
    when the plan gives them none, the plays listed for them)."""
    view = PlanView(report)
    r = view.result
    mine = [p for p in r.plan if p.champion_id == champion_id]
    in_plan = bool(mine)
    if not mine:
        mine = [p for a in r.approvers for p in a.plays if p.champion_id == champion_id]
    plays = []
    for play in mine:
        assessment = view.assessments[play.approver_id]
        argument = view.argument(play.argument_id)
        plays.append(
            BriefPlay(
                action=play.action.value,
                approver=view.person(play.approver_id).label,
                approver_role=assessment.role.value,
                approver_status=assessment.status.value,
                approval=(
                    assessment.approval_probability,
                    assessment.approval_probability_with_plan,
                ),
                through=[view.person(i).label for i in play.path[1:-1]],
                argument=str(argument.get("title")),
                argument_kind=str(argument.get("kind", "")),
                readiness=play.readiness,
                talk_track=argument.get("talkTrack"),
                proof_points=list(argument.get("proofPoints") or []),
                cares_about=view.cares_about(play.approver_id),
                heard=[
                    f"{title} ({reception})"
                    for title, reception in view.heard.get(play.approver_id, [])
                ],
                against=view.threats_to(play.approver_id),
                explanation=play.explanation,
                value=play.value,
            )
        )
    return ChampionBrief(
        champion=view.person(champion_id).label,
        stance=view.stance(champion_id),
        opportunity=view.opportunity_name,
        win=(r.win_probability, r.win_probability_with_plan),
        plays=plays,
        in_plan=in_plan,
    )


def _readiness(play: BriefPlay) -> str:
    if play.readiness is None:
        return "not coached on it yet"
    return f"readiness {play.readiness:.1f}"


def brief_markdown(brief: ChampionBrief) -> str:
    lines = [
        f"# Champion brief: {md(brief.champion)}",
        "",
        f"**{md(brief.opportunity)}**. Win probability {brief.win[0]:.2f} now,"
        f" {brief.win[1]:.2f} with the plan.",
        "",
    ]
    if not brief.plays:
        lines.append(
            "No play for this champion: they reach no approver with an argument that fits."
        )
    elif not brief.in_plan:
        lines.append("The plan gives this champion no play; these are the options listed.")
        lines.append("")
    for number, play in enumerate(brief.plays, start=1):
        lines += [
            f"## {number}. Reach {md(play.approver)}",
            "",
            f"- **Who**: {md(play.approver)}, {play.approver_role}, {play.approver_status};"
            f" approval {play.approval[0]:.2f} now, {play.approval[1]:.2f} with the plan",
            "- **Through**: " + (md(" → ".join(play.through)) if play.through else "directly"),
            f"- **Argument**: *{md(play.argument)}* ({play.argument_kind}); {play.action},"
            f" {_readiness(play)}; value {play.value:.2f}",
            f"- **Why**: {md(play.explanation)}",
            "",
        ]
        if play.talk_track:
            lines += ["### Talk track", "", md(play.talk_track), ""]
        if play.proof_points:
            lines += ["### Proof points", "", *(f"- {md(p)}" for p in play.proof_points), ""]
        lines += ["### What they care about", ""]
        lines += [f"- {md(c)}" for c in play.cares_about] or [
            "- Unknown: find out what they care about first."
        ]
        lines.append("")
        if play.heard:
            lines += ["### Already heard", "", *(f"- {md(h)}" for h in play.heard), ""]
        lines += ["### Who will argue against it", ""]
        lines += [f"- {md(a)}" for a in play.against] or ["- Nobody we know of."]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


_PAGE_STYLE = """
body { font: 11pt/1.45 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
       color: #1b1b1b; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem;
border-bottom: 1px solid #ccc; } h3 { font-size: .95rem; margin: 1rem 0 .3rem; }
dl { display: grid; grid-template-columns: 8rem 1fr; gap: .2rem .8rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; } .talk { white-space: pre-wrap;
border-left: 3px solid #2c6bed; padding-left: .8rem; } .muted { color: #555; }
section { break-inside: avoid-page; } @media print { body { margin: 0; } a { color: inherit; } }
"""


def brief_html(brief: ChampionBrief) -> str:
    """A printable page; every value is escaped."""
    e = html.escape

    def items(values: list[str], empty: str) -> str:
        if not values:
            return f"<p class=muted>{e(empty)}</p>"
        return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in values) + "</ul>"

    sections = []
    for number, play in enumerate(brief.plays, start=1):
        through = " → ".join(play.through) if play.through else "directly"
        talk = (
            f"<h3>Talk track</h3><p class=talk>{e(play.talk_track)}</p>" if play.talk_track else ""
        )
        proof = f"<h3>Proof points</h3>{items(play.proof_points, '')}" if play.proof_points else ""
        heard = f"<h3>Already heard</h3>{items(play.heard, '')}" if play.heard else ""
        sections.append(
            f"<section><h2>{number}. Reach {e(play.approver)}</h2><dl>"
            f"<dt>Who</dt><dd>{e(play.approver)}, {e(play.approver_role)},"
            f" {e(play.approver_status)}; approval {play.approval[0]:.2f} now,"
            f" {play.approval[1]:.2f} with the plan</dd>"
            f"<dt>Through</dt><dd>{e(through)}</dd>"
            f"<dt>Argument</dt><dd><em>{e(play.argument)}</em> ({e(play.argument_kind)});"
            f" {e(play.action)}, {e(_readiness(play))}; value {play.value:.2f}</dd>"
            f"<dt>Why</dt><dd>{e(play.explanation)}</dd></dl>"
            f"{talk}{proof}"
            f"<h3>What they care about</h3>"
            f"{items(play.cares_about, 'Unknown: find out what they care about first.')}"
            f"{heard}"
            f"<h3>Who will argue against it</h3>{items(play.against, 'Nobody we know of.')}"
            f"</section>"
        )
    if not brief.plays:
        sections.append(
            "<p>No play for this champion: they reach no approver with an argument that fits.</p>"
        )
    elif not brief.in_plan:
        sections.insert(
            0,
            "<p class=muted>The plan gives this champion no play; these are"
            " the options listed.</p>",
        )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>Champion brief: {e(brief.champion)} — {e(brief.opportunity)}</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>"
        f"<h1>Champion brief: {e(brief.champion)}</h1>"
        f"<p><strong>{e(brief.opportunity)}</strong>. Win probability {brief.win[0]:.2f} now,"
        f" {brief.win[1]:.2f} with the plan.</p>" + "".join(sections) + "</body></html>\n"
    )


# --- one entry point for every format -----------------------------------------------------


class PlanFormat(StrEnum):
    TEXT = "TEXT"
    JSON = "JSON"
    CSV = "CSV"
    MARKDOWN = "MARKDOWN"
    SALESFORCE_TASKS = "SALESFORCE_TASKS"
    HUBSPOT_TASKS = "HUBSPOT_TASKS"


@dataclass(frozen=True)
class Rendered:
    content: str
    content_type: str
    filename: str


_SUFFIX = {
    PlanFormat.TEXT: ("text/plain; charset=utf-8", "plan.txt"),
    PlanFormat.JSON: ("application/json", "plan.json"),
    PlanFormat.CSV: ("text/csv; charset=utf-8", "plan.csv"),
    PlanFormat.MARKDOWN: ("text/markdown; charset=utf-8", "plan.md"),
    PlanFormat.SALESFORCE_TASKS: ("text/csv; charset=utf-8", "salesforce-tasks.csv"),
    PlanFormat.HUBSPOT_TASKS: ("text/csv; charset=utf-8", "hubspot-tasks.csv"),
}


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower()[:60] or "opportunity"


def render_plan(report: PlanReport, plan_format: PlanFormat, today: date) -> Rendered:
    """The plan in ``plan_format``, with a content type and a file name."""
    if plan_format is PlanFormat.TEXT:
        content = report.as_text() + "\n"
    elif plan_format is PlanFormat.JSON:
        content = json.dumps(report.as_data(), indent=2, ensure_ascii=False) + "\n"
    elif plan_format is PlanFormat.CSV:
        content = plan_csv(report)
    elif plan_format is PlanFormat.MARKDOWN:
        content = plan_markdown(report)
    elif plan_format is PlanFormat.SALESFORCE_TASKS:
        content = salesforce_tasks_csv(report, today)
    else:
        content = hubspot_tasks_csv(report, today)
    content_type, suffix = _SUFFIX[plan_format]
    opportunity = report.account_map.opportunity
    name = _slug(opportunity.name) if opportunity is not None else "opportunity"
    return Rendered(content, content_type, f"{name}-{suffix}")
