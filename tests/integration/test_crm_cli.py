"""`graph-api import-crm`, `plan --format` and `brief` against the test Neo4j."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_api.cli import app
from graph_api.config import Settings

pytestmark = pytest.mark.neo4j

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crm"


@pytest.fixture(scope="module")
def cli(neo4j_settings: Settings, database: object) -> CliRunner:
    assert neo4j_settings.neo4j_uri is not None
    return CliRunner(
        env={"NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_PASSWORD": neo4j_settings.neo4j_password}
    )


def test_import_crm_prints_the_table_and_rerun_changes_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "salesforce", export)
    (export / "Lead.csv").write_text("Id\n1\n", encoding="utf-8")  # not part of the import
    dry = cli.invoke(
        app, ["import-crm", "salesforce", str(export), "--tenant", "cli-crm", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "(dry run: nothing was written)" in dry.stdout
    assert "ignored (not part of a Salesforce export): Lead.csv" in dry.stderr
    assert "creating stakeholders: 6/6" in dry.stderr  # plain progress lines when piped

    first = cli.invoke(app, ["import-crm", "salesforce", str(export), "--tenant", "cli-crm"])
    assert first.exit_code == 0, first.output
    table = first.stdout.splitlines()
    assert table[0] == (
        "Salesforce import into tenant 'cli-crm': 32 rows in 5 files (changed the map)"
    )
    assert table[2].split() == [
        "KIND",
        "CREATED",
        "UPDATED",
        "UNCHANGED",
        "DEPARTED",
        "REVIEW",
        "SKIPPED",
    ]
    assert table[4].split() == ["Stakeholder", "6", "0", "0", "1", "0", "3"]
    assert '"Procurement Lead": PROCUREMENT   # suggested' in first.stdout
    assert (
        "Contact.csv, line 8, column 2 (ACCOUNTID): no AccountId: a contact outside any account"
    ) in first.stdout

    mapping = tmp_path / "org.yaml"
    mapping.write_text((FIXTURES / "salesforce-mapping.yaml").read_text("utf-8"), "utf-8")
    mapped = cli.invoke(
        app,
        [
            "import-crm",
            "salesforce",
            str(export),
            "--tenant",
            "cli-crm",
            "--mapping",
            str(mapping),
            "--json",
        ],
    )
    assert mapped.exit_code == 0, mapped.output
    report = json.loads(mapped.stdout)
    assert report["review"] == []
    assert report["counts"]["Seat"]["created"] == 1
    assert report["counts"]["Opportunity"]["updated"] == 1

    again = cli.invoke(
        app,
        [
            "import-crm",
            "salesforce",
            str(export),
            "--tenant",
            "cli-crm",
            "--mapping",
            str(mapping),
            "--json",
        ],
    )
    assert json.loads(again.stdout)["changed"] is False


def test_unreadable_files_are_refused_and_nothing_is_written(
    cli: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "Account.csv").write_bytes(b"Id,Name\n001A000000Acme1,Caf\xe9\n")
    (tmp_path / "Contact.csv").write_text("Id,AccountId\n", encoding="utf-8")
    result = cli.invoke(app, ["import-crm", "salesforce", str(tmp_path), "--tenant", "cli-bad"])
    assert result.exit_code == 1
    assert "Account.csv, line 2, column 20: not UTF-8 (byte 0xE9)" in result.output
    assert "nothing was written" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    none = cli.invoke(app, ["import-crm", "hubspot", str(empty), "--tenant", "cli-bad"])
    assert none.exit_code == 1
    assert "no HubSpot export" in none.output
    bad_mapping = tmp_path / "m.json"
    bad_mapping.write_text('{"stages": {"Pilot": "TRIAL"}}', encoding="utf-8")
    refused = cli.invoke(
        app,
        [
            "import-crm",
            "hubspot",
            str(FIXTURES / "hubspot"),
            "--tenant",
            "cli-bad",
            "--mapping",
            str(bad_mapping),
        ],
    )
    assert refused.exit_code == 1
    assert '$.stages["Pilot"]: must be one of PROSPECTING' in refused.output


def test_plan_formats_and_the_brief(cli: CliRunner) -> None:
    seeded = cli.invoke(app, ["seed", "--tenant", "cli-plans"])
    assert seeded.exit_code == 0, seeded.output
    base = ["plan", "--tenant", "cli-plans", "--opportunity", "opp-tessaro-lines"]
    as_csv = cli.invoke(app, [*base, "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    plays = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert plays[0]["argument"] == "Pays for itself in nine months"
    markdown = cli.invoke(app, [*base, "--format", "markdown"]).stdout
    assert markdown.startswith("# Coaching plan: Packaging line monitoring, four plants")
    tasks = cli.invoke(app, [*base, "--format", "hubspot-tasks"]).stdout
    assert tasks.startswith("Task Title,Notes,Due Date,Priority")
    assert json.loads(cli.invoke(app, [*base, "--json"]).stdout)["decisionRule"] == (
        "ECONOMIC_BUYER"
    )
    brief = cli.invoke(
        app,
        [
            "brief",
            "--tenant",
            "cli-plans",
            "--opportunity",
            "opp-tessaro-lines",
            "--champion",
            "p-tessaro-stefan",
        ],
    )
    assert brief.exit_code == 0, brief.output
    assert "## 1. Reach Giulia Ferraro (Chief Financial Officer)" in brief.stdout
    page = cli.invoke(
        app,
        [
            "brief",
            "--tenant",
            "cli-plans",
            "--opportunity",
            "opp-tessaro-lines",
            "--champion",
            "p-tessaro-stefan",
            "--html",
        ],
    )
    assert page.stdout.startswith("<!doctype html>")
    nobody = cli.invoke(
        app,
        [
            "brief",
            "--tenant",
            "cli-plans",
            "--opportunity",
            "opp-tessaro-lines",
            "--champion",
            "p-nobody",
        ],
    )
    assert nobody.exit_code == 1
