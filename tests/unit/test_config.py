"""Production posture: the service refuses to start with unsafe settings and names each one."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from graph_api.app import create_app
from graph_api.cli import app as cli
from graph_api.config import DEFAULT_LOCAL_PASSWORD, Settings, UnsafeSettings

SAFE: dict[str, Any] = {
    "FLAGBEARER_ENV": "production",
    "NEO4J_URI": "neo4j+s://graph.example.com",
    "NEO4J_PASSWORD": "a-long-generated-password",
    "FLAGBEARER_CORS_ORIGINS": ["https://app.example.com"],
}


def production(**changes: Any) -> Settings:
    return Settings(**{**SAFE, **changes})


def test_safe_production_settings_have_no_problems() -> None:
    assert production().production_problems() == []
    assert production(NEO4J_URI="bolt://127.0.0.1:7687").production_problems() == []


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"NEO4J_URI": None}, "NEO4J_URI must be set"),
        ({"NEO4J_URI": "neo4j://graph.example.com"}, "NEO4J_URI must use TLS"),
        ({"NEO4J_URI": "bolt://10.0.0.5:7687"}, "NEO4J_URI must use TLS"),
        ({"NEO4J_PASSWORD": DEFAULT_LOCAL_PASSWORD}, "NEO4J_PASSWORD"),
        ({"NEO4J_PASSWORD": ""}, "NEO4J_PASSWORD"),
        ({"FLAGBEARER_CORS_ORIGINS": ["*"]}, "FLAGBEARER_CORS_ORIGINS"),
        ({"FLAGBEARER_CORS_ORIGINS": ["http://app.example.com"]}, "FLAGBEARER_CORS_ORIGINS"),
        ({"FLAGBEARER_JWT_JWKS_URL": "http://idp.example/jwks"}, "FLAGBEARER_JWT_JWKS_URL"),
        ({"FLAGBEARER_JWT_HS256_SECRET": "short"}, "FLAGBEARER_JWT_HS256_SECRET"),
    ],
)
def test_each_unsafe_setting_is_named(changes: dict[str, Any], named: str) -> None:
    problems = production(**changes).production_problems()
    assert len(problems) == 1
    assert named in problems[0]


@pytest.mark.parametrize("scheme", ["neo4j+s", "neo4j+ssc", "bolt+s", "bolt+ssc"])
def test_tls_schemes_are_accepted_for_remote_hosts(scheme: str) -> None:
    assert production(NEO4J_URI=f"{scheme}://graph.example.com").production_problems() == []


def test_create_app_refuses_unsafe_production_listing_every_problem() -> None:
    unsafe = production(NEO4J_URI=None, NEO4J_PASSWORD=DEFAULT_LOCAL_PASSWORD)
    with pytest.raises(UnsafeSettings) as caught:
        create_app(unsafe)
    assert len(caught.value.problems) == 2
    assert "NEO4J_URI" in caught.value.message
    assert "NEO4J_PASSWORD" in caught.value.message


def test_development_starts_with_the_defaults() -> None:
    assert create_app(Settings()) is not None


def test_serve_refuses_unsafe_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAGBEARER_ENV", "production")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("NEO4J_PASSWORD", DEFAULT_LOCAL_PASSWORD)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert "NEO4J_URI must be set" in result.stderr
    assert "NEO4J_PASSWORD" in result.stderr
    assert "refusing to start in production" in result.stderr


def test_cors_origins_read_comma_separated_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLAGBEARER_CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_page_size_cannot_be_configured_above_one_hundred() -> None:
    with pytest.raises(ValidationError):
        Settings(FLAGBEARER_MAX_PAGE_SIZE=500)
    with pytest.raises(ValidationError):
        Settings(FLAGBEARER_MAX_QUERY_DEPTH=0)
