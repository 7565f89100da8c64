"""A run's report for people (a table, the review list, the problems) and for programs."""

from __future__ import annotations

import json
from typing import Any

from graph_api.crm.records import CrmReport, Severity

_COLUMNS = ("created", "updated", "unchanged", "departed", "review", "skipped")


def report_data(report: CrmReport) -> dict[str, Any]:
    """The report as plain JSON-ready data (``graph-api import-crm --json``)."""
    return {
        "source": report.source.value,
        "dryRun": report.dry_run,
        "changed": report.changed,
        "rows": report.rows,
        "counts": {kind: vars(c).copy() for kind, c in report.counts.items()},
        "review": [
            {
                "kind": r.kind,
                "field": r.field,
                "value": r.value,
                "message": r.message,
                "suggestion": r.suggestion,
                "occurrences": r.occurrences,
                "mappingSection": r.mapping_section,
                "file": r.first.file,
                "line": r.first.line,
                "column": r.first.column,
            }
            for r in report.review
        ],
        "problems": [
            {
                "severity": p.severity.value,
                "kind": p.kind,
                "file": p.location.file,
                "line": p.location.line,
                "column": p.location.column,
                "columnName": p.location.column_name,
                "message": p.message,
            }
            for p in report.problems
        ],
    }


def mapping_suggestions(report: CrmReport) -> str:
    """The unmapped values as a mapping file to edit (each with its suggestion), or ""."""
    sections: dict[str, list[str]] = {}
    for item in report.review:
        section = item.mapping_section
        if section is None:
            continue
        value = item.suggestion or "null"
        note = "suggested" if item.suggestion else "no suggestion: fill in or keep null"
        sections.setdefault(section, []).append(
            f"  {json.dumps(item.value, ensure_ascii=False)}: {value}   # {note},"
            f" {item.occurrences}x, first at {item.first}"
        )
    lines: list[str] = []
    for section, entries in sections.items():
        lines += [f"{section}:", *entries]
    return "\n".join(lines)


def report_text(report: CrmReport, tenant: str) -> str:
    """The per-kind table, then the review list and the problems, for a terminal."""
    what = (
        "dry run: nothing was written"
        if report.dry_run
        else ("changed the map" if report.changed else "nothing changed")
    )
    rows = sum(report.rows.values())
    lines = [
        f"{report.source.label} import into tenant '{tenant}': {rows} rows in"
        f" {len(report.rows)} files ({what})",
        "",
        f"{'KIND':14}" + "".join(f"{c.upper():>11}" for c in _COLUMNS),
    ]
    for kind, counts in report.counts.items():
        values = vars(counts)
        lines.append(f"{kind:14}" + "".join(f"{values[c]:>11}" for c in _COLUMNS))
    if report.review:
        lines += ["", f"NEEDS REVIEW ({len(report.review)})"]
        lines += [
            f"  {r.kind} {r.field} {r.value!r} x{r.occurrences} ({r.first}): {r.message}"
            + (f" -> suggested: {r.suggestion}" if r.suggestion else "")
            for r in report.review
        ]
        snippet = mapping_suggestions(report)
        if snippet:
            lines += ["", "  A mapping file for these (check each, then --mapping FILE):", ""]
            lines += [f"    {line}" for line in snippet.splitlines()]
    errors = [p for p in report.problems if p.severity is Severity.ERROR]
    warnings = [p for p in report.problems if p.severity is Severity.WARNING]
    for title, problems in (("NOT IMPORTED", errors), ("WARNINGS", warnings)):
        if problems:
            lines += ["", f"{title} ({len(problems)})"]
            lines += [f"  {p}" for p in problems]
    return "\n".join(lines)
