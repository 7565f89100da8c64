"""No Docker engine runs here: check the compose file parses and speaks the settings' names."""

from pathlib import Path
from typing import Any

import yaml

from graph_api.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    return document


def test_compose_runs_neo4j_526_community_with_a_healthcheck() -> None:
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "healthcheck" in neo4j
    assert _compose()["services"]["api"]["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_api_environment_names_are_settings_the_code_reads() -> None:
    read_by_code = {
        field.alias for field in Settings.model_fields.values() if field.alias is not None
    }
    environment = _compose()["services"]["api"]["environment"]
    assert set(environment) <= read_by_code, set(environment) - read_by_code
    assert {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"} <= set(environment)


def test_dockerfile_serves_the_api_on_all_interfaces() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert 'CMD ["graph-api", "serve", "--host", "0.0.0.0"' in dockerfile
    assert "FROM python:3.11" in dockerfile
