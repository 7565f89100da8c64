"""Pure parts of metrics, traces and logs: label bounds, names, formats, settings."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

from graph_api.api.view import response_media_type
from graph_api.config import Settings
from graph_api.errors import NotFound, Unavailable
from graph_api.observability.logs import HumanFormatter, JsonFormatter
from graph_api.observability.metrics import OperationNames
from graph_api.observability.requests import actor_label, outcome_of_errors, route_of
from graph_api.observability.timing import count_entries, driver_error_name, work_name
from graph_api.observability.tracing import tracing_wanted

GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};charset=utf-8", GRAPHQL_RESPONSE),
        (f"application/json;q=0.9, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),  # a tie: the modern type
        (f"{GRAPHQL_RESPONSE};q=0, application/json", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0.2, */*;q=0.8", "application/json"),
        ("text/html", "application/json"),
        ("", "application/json"),
        (None, "application/json"),
    ],
)
def test_the_response_media_type_is_negotiated(accept: str | None, expected: str) -> None:
    assert response_media_type(accept) == expected


def test_operation_names_are_capped_and_must_be_graphql_names() -> None:
    names = OperationNames(capacity=2)
    assert names.label("Plan") == "Plan"
    assert names.label("Map") == "Map"
    assert names.label("Third") == "other"  # over capacity
    assert names.label("Plan") == "Plan"  # known names stay
    assert names.label(None) == "anonymous"
    fresh = OperationNames(capacity=10)
    assert fresh.label("x" * 65) == "other"
    assert fresh.label("drop table;") == "other"
    assert fresh.known == set()


def test_routes_are_a_fixed_set() -> None:
    assert [route_of(p) for p in ("/graphql", "/explorer/app.js", "/x/../../etc", "/metrics")] == [
        "/graphql",
        "/explorer",
        "other",
        "/metrics",
    ]


def test_work_names_are_the_repository_functions() -> None:
    def load_things() -> Any:
        async def work(tx: Any) -> None:
            return None

        return work

    assert work_name(load_things()) == "load_things"
    assert work_name(lambda tx: tx) == "test_work_names_are_the_repository_functions"
    assert work_name(len) == "len"


def test_driver_errors_are_named_and_the_callers_own_errors_are_not() -> None:
    assert driver_error_name(None) is None
    assert driver_error_name(NotFound("Account", "a")) is None
    unreachable = ServiceUnavailable("gone")
    assert driver_error_name(unreachable) == "ServiceUnavailable"
    mapped = Unavailable("Neo4j is not answering")
    mapped.__cause__ = unreachable
    assert driver_error_name(mapped) == "ServiceUnavailable"


def test_a_documents_size_counts_its_json_objects() -> None:
    document = {
        "playbook": {"concerns": [{"externalId": "c"}], "arguments": []},
        "accounts": [{"externalId": "a", "stakeholders": [{"externalId": "p"}], "tags": ["x"]}],
    }
    assert count_entries(document) == 5
    assert count_entries([]) == 0
    assert count_entries("not a document") == 0


def test_logs_name_keys_but_hash_token_subjects() -> None:
    assert actor_label("key:k_123") == "key:k_123"
    hashed = actor_label("jwt:dana.whitfield@example.com")
    assert hashed.startswith("jwt:")
    assert "dana" not in hashed
    assert hashed == actor_label("jwt:dana.whitfield@example.com")


def test_outcomes_come_from_error_codes_worst_first() -> None:
    def errors(*codes: str) -> list[dict[str, Any]]:
        return [{"message": "m", "extensions": {"code": code}} for code in codes]

    assert outcome_of_errors(None) == "ok"
    assert outcome_of_errors([]) == "ok"
    assert outcome_of_errors(errors("NOT_FOUND")) == "not_found"
    assert outcome_of_errors(errors("NOT_FOUND", "LIMIT_EXCEEDED")) == "limited"
    assert outcome_of_errors(errors("GRAPHQL_VALIDATION_FAILED")) == "invalid"
    assert outcome_of_errors(errors("NOT_FOUND", "INTERNAL")) == "error"
    assert outcome_of_errors([{"message": "no extensions"}]) == "error"


def _record(**extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("graph_api.access", logging.INFO, __file__, 1, "request", (), None)
    for name, value in extra.items():
        setattr(record, name, value)
    return record


def test_json_lines_carry_the_fields_and_the_request_id() -> None:
    record = _record(fields={"status": 429, "limit": "rate"}, request_id="r-1")
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "request"
    assert parsed["level"] == "info"
    assert parsed["logger"] == "graph_api.access"
    assert (parsed["status"], parsed["limit"], parsed["request_id"]) == (429, "rate", "r-1")
    assert parsed["ts"].endswith("Z")


def test_a_json_line_keeps_an_exception_inside_the_line() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord(
            "graph_api.graphql", logging.ERROR, __file__, 1, "unexpected", (), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "RuntimeError: boom" in json.loads(line)["exception"]


def test_human_lines_put_fields_after_the_message() -> None:
    line = HumanFormatter().format(_record(fields={"status": 200, "outcome": "ok"}))
    assert line.endswith("graph_api.access request status=200 outcome=ok")


@pytest.mark.parametrize(
    ("settings", "environ", "wanted"),
    [
        ({}, {}, False),
        ({"FLAGBEARER_TRACING": "true"}, {}, True),
        ({}, {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({}, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"FLAGBEARER_TRACING": "true"}, {"OTEL_SDK_DISABLED": "true"}, False),
        ({"FLAGBEARER_TRACING": "true"}, {"OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_tracing_is_off_unless_configured(
    settings: dict[str, str], environ: dict[str, str], wanted: bool
) -> None:
    assert tracing_wanted(Settings(**settings), environ) is wanted  # type: ignore[arg-type]


def test_production_refuses_a_short_metrics_token_and_plain_remote_redis() -> None:
    base = {
        "FLAGBEARER_ENV": "production",
        "NEO4J_URI": "neo4j+s://db.example.com",
        "NEO4J_PASSWORD": "a-real-password",
    }
    assert Settings(**base).production_problems() == []  # type: ignore[arg-type]
    problems = Settings(
        **base,  # type: ignore[arg-type]
        FLAGBEARER_METRICS_TOKEN="short",
        FLAGBEARER_REDIS_URL="redis://cache.internal:6379/0",
    ).production_problems()
    assert any("FLAGBEARER_METRICS_TOKEN" in p for p in problems)
    assert any("FLAGBEARER_REDIS_URL" in p for p in problems)
    fine = Settings(
        **base,  # type: ignore[arg-type]
        FLAGBEARER_METRICS_TOKEN="x" * 32,
        FLAGBEARER_REDIS_URL="rediss://cache.internal:6380/0",
    )
    assert fine.production_problems() == []
    loopback = Settings(**base, FLAGBEARER_REDIS_URL="redis://127.0.0.1:6379")  # type: ignore[arg-type]
    assert loopback.production_problems() == []


def test_the_metrics_address_must_be_host_and_port() -> None:
    assert Settings(FLAGBEARER_METRICS_ADDRESS="0.0.0.0:9464").metrics_listen == ("0.0.0.0", 9464)
    assert Settings(FLAGBEARER_METRICS_ADDRESS="[::1]:9464").metrics_listen == ("::1", 9464)
    with pytest.raises(ValueError, match="host:port"):
        Settings(FLAGBEARER_METRICS_ADDRESS="9464")
