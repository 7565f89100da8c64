"""The `graph-api` commands against the test Neo4j (NEO4J_URI points them at it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_api.cli import app
from graph_api.config import Settings
from graph_api.package_data import DEMO_SEEDS_DIR

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def cli(neo4j_settings: Settings, database: object) -> CliRunner:
    """A runner whose commands reach the test database (``database`` has migrated it)."""
    assert neo4j_settings.neo4j_uri is not None
    return CliRunner(
        env={"NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_PASSWORD": neo4j_settings.neo4j_password}
    )


def _invoke(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_import_export_plan_round_trip(cli: CliRunner, tmp_path: Path, tenant: str) -> None:
    _invoke(cli, "import", str(DEMO_SEEDS_DIR / "00-playbook.json"), "--tenant", tenant)
    tessaro = DEMO_SEEDS_DIR / "50-tessaro-packaging.json"
    summary = json.loads(_invoke(cli, "import", str(tessaro), "--tenant", tenant))
    assert summary["mode"] == "MERGE"
    assert summary["accounts"][0]["created"] is True

    exported = _invoke(cli, "export", "--tenant", tenant, "--account", "acct-tessaro")
    copy = tmp_path / "tessaro.json"
    copy.write_text(exported, encoding="utf-8")
    again = json.loads(_invoke(cli, "import", str(copy), "--tenant", tenant, "--mode", "replace"))
    assert again["accounts"][0]["changed"] is False  # the export is what is stored

    other = f"{tenant}-b"
    _invoke(cli, "import", str(copy), "--tenant", other)
    text = _invoke(cli, "plan", "--tenant", other, "--opportunity", "opp-tessaro-lines")
    assert "Win probability: 0.50 now, 0.63 with the plan" in text
    assert "Pays for itself in nine months" in text
    data = json.loads(
        _invoke(cli, "plan", "--tenant", other, "--opportunity", "opp-tessaro-lines", "--json")
    )
    assert data["decisionRule"] == "ECONOMIC_BUYER"
    assert data["approvers"][0]["status"] == "COVERED"


def test_bad_document_is_refused_with_every_problem(
    cli: CliRunner, tmp_path: Path, tenant: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "accounts": [
                    {
                        "externalId": "x",
                        "name": "X",
                        "influences": [{"from": "a", "to": "a", "strength": 3}],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    result = cli.invoke(app, ["import", str(bad), "--tenant", tenant])
    assert result.exit_code == 1
    assert "$.accounts[0].influences[0].strength: must be in (0, 1]" in result.output
    assert "nothing was written" in result.output
    missing = cli.invoke(app, ["export", "--tenant", tenant, "--account", "x"])
    assert missing.exit_code == 1
    assert "not found" in missing.output


def test_keys_create_list_rotate_revoke(cli: CliRunner, tenant: str) -> None:
    key = _invoke(cli, "keys", "create", "--tenant", tenant, "--role", "viewer").strip()
    assert key.startswith("fbk_")
    key_id = key.split("_")[1]
    assert key_id in _invoke(cli, "keys", "list", "--tenant", tenant)
    rotated = _invoke(cli, "keys", "rotate", key_id).strip()
    assert rotated.startswith("fbk_")
    assert rotated != key
    listing = _invoke(cli, "keys", "list", "--tenant", tenant)
    old = next(line for line in listing.splitlines() if line.startswith(key_id))
    assert old.rstrip().endswith("+00:00")  # revoked at
    _invoke(cli, "keys", "revoke", rotated.split("_")[1])
    bad_role = cli.invoke(app, ["keys", "create", "--tenant", tenant, "--role", "owner"])
    assert bad_role.exit_code != 0
