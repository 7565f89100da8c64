"""GraphQL over HTTP (the graphql-over-http draft): media types, status codes, GET, and the
graphql-http project's server audit run with node against a live ``graph-api serve``."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from api_processes import ApiProcess, api_process

from graph_api.config import Settings

pytestmark = pytest.mark.neo4j

TENANT = "http-conformance"
AUDIT_DIR = Path(__file__).parent / "graphql_http_audit"
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def key(make_key: Any) -> str:
    return str(await make_key(TENANT, "viewer"))


def post(client: httpx.AsyncClient, key: str, body: dict[str, Any], accept: str | None) -> Any:
    headers = {"Authorization": f"Bearer {key}"}
    if accept is not None:
        headers["Accept"] = accept
    return client.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (None, "application/json"),
    ],
)
async def test_the_response_media_type_follows_accept(
    client: httpx.AsyncClient, key: str, accept: str | None, media_type: str
) -> None:
    response = await post(client, key, {"query": "{ __typename }"}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{"},  # does not parse
        {"query": "{ noSuchField }"},  # does not validate
        {"query": "query Q($id: ID!) { node(id: $id) { id } }", "variables": {"id": None}},
        {"query": "{ accounts(first: 1000) { totalCount } }"},  # refused by a limit
    ],
    ids=["parse", "validation", "variables", "limit"],
)
async def test_a_request_that_never_ran_has_no_data_and_is_400_only_when_asked(
    client: httpx.AsyncClient, key: str, body: dict[str, Any]
) -> None:
    modern = await post(client, key, body, GRAPHQL_RESPONSE)
    assert modern.status_code == 400
    assert "data" not in modern.json()
    assert modern.json()["errors"]
    legacy = await post(client, key, body, "application/json")
    assert legacy.status_code == 200
    assert "data" not in legacy.json()
    assert legacy.json()["errors"] == modern.json()["errors"]


async def test_a_field_error_keeps_data_and_200_under_both_media_types(
    client: httpx.AsyncClient, key: str
) -> None:
    query = {"query": '{ coachingPlan(opportunityId: "opp_missing") { winProbability } }'}
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        response = await post(client, key, query, accept)
        assert response.status_code == 200
        assert response.json()["data"] is None  # execution ran: data is present, and null
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_get_runs_queries_and_refuses_mutations_with_405(
    client: httpx.AsyncClient, key: str
) -> None:
    headers = {"Authorization": f"Bearer {key}", "Accept": GRAPHQL_RESPONSE}
    query = await client.get("/graphql", params={"query": "{ __typename }"}, headers=headers)
    assert query.status_code == 200
    assert query.json() == {"data": {"__typename": "Query"}}
    mutation = await client.get(
        "/graphql",
        params={"query": 'mutation { revokeApiKey(id: "x") { __typename } }'},
        headers=headers,
    )
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"
    assert mutation.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_an_operation_name_that_is_not_a_string_is_refused_not_crashed(
    client: httpx.AsyncClient, key: str
) -> None:
    for name in (12345, True, ["a"]):
        response = await post(
            client, key, {"query": "{ __typename }", "operationName": name}, GRAPHQL_RESPONSE
        )
        assert 400 <= response.status_code < 500, response.text


# --- the graphql-http server audit against a live server ------------------------------


@pytest.fixture(scope="session")
def audit_script() -> Path:
    """audit.mjs with its npm dependencies installed from the committed package-lock.json."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("the GraphQL-over-HTTP audit needs Node.js and npm on PATH", pytrace=False)
    lock = (AUDIT_DIR / "package-lock.json").read_bytes()
    stamp = AUDIT_DIR / "node_modules" / ".installed-lock"
    wanted = hashlib.sha256(lock).hexdigest()
    if not stamp.is_file() or stamp.read_text() != wanted:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=AUDIT_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci failed in {AUDIT_DIR}:\n{result.stdout}\n{result.stderr}")
        stamp.write_text(wanted)
    return AUDIT_DIR / "audit.mjs"


@pytest.fixture(scope="module")
def live_server(
    neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiProcess]:
    """The real service under uvicorn, logging JSON lines as in production."""
    log = tmp_path_factory.mktemp("graphql-http") / "api.log"
    with api_process(neo4j_settings, log, {"FLAGBEARER_LOG_FORMAT": "json"}) as server:
        yield server


def test_the_graphql_http_server_audit_passes_without_warnings(
    audit_script: Path, live_server: ApiProcess, key: str
) -> None:
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, str(audit_script), live_server.graphql],
        cwd=AUDIT_DIR,
        env={"PATH": str(Path(node).parent), "FLAGBEARER_AUDIT_KEY": key},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    print(f"graphql-http audit: {report['counts']} of {report['total']}")
    assert report["total"] >= 61
    assert report["counts"]["error"] == 0, report["problems"]
    assert report["counts"]["warn"] == 0, report["problems"]
    assert report["counts"]["ok"] == report["total"], report["problems"]


def test_each_request_is_one_json_log_line_without_secrets_or_personal_data(
    live_server: ApiProcess, key: str
) -> None:
    headers = {"Authorization": f"Bearer {key}", "X-Request-Id": "log-probe-1"}
    variables = {"name": "Dana Whitfield", "email": "dana.whitfield@example.com"}
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        found = http.post(
            "/graphql",
            json={
                "query": "query FindByName($name: String!, $email: String!) {"
                " byName: stakeholder(externalId: $name) { id }"
                " byEmail: stakeholder(externalId: $email) { id } }",
                "variables": variables,
            },
            headers=headers,
        )
        assert found.status_code == 200, found.text
        refused = http.post(
            "/graphql",
            json={"query": "query TooBig { accounts(first: 1000) { totalCount } }"},
            headers={**headers, "X-Request-Id": "log-probe-2"},
        )
        assert refused.json()["errors"][0]["extensions"]["limit"] == "pageSize"
        anonymous = http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"Authorization": "Bearer fbk_not-a-real-key", "X-Request-Id": "log-probe-3"},
        )
        assert anonymous.status_code == 401
    wanted = {"log-probe-1", "log-probe-2", "log-probe-3"}
    deadline = time.monotonic() + 10
    while True:  # a request's line is written just after its response has gone out
        text = live_server.log.read_text("utf-8")
        lines = [json.loads(line) for line in text.splitlines()]  # each line: one JSON object
        by_id = {
            line["request_id"]: line for line in lines if line.get("logger") == "graph_api.access"
        }
        if wanted <= set(by_id) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert wanted <= set(by_id)
    assert [line.get("request_id") for line in lines].count("log-probe-2") == 1
    first = by_id["log-probe-1"]
    assert first["tenant"] == TENANT
    assert first["key"].startswith("key:")
    assert first["operation"] == "FindByName"
    assert first["operation_type"] == "query"
    assert first["outcome"] == "ok"
    assert first["status"] == 200
    assert isinstance(first["duration_ms"], float)
    limited = by_id["log-probe-2"]
    assert (limited["outcome"], limited["limit"], limited["operation"]) == (
        "limited",
        "pageSize",
        "TooBig",
    )
    assert by_id["log-probe-3"]["outcome"] == "unauthenticated"
    assert "Traceback" not in text
    for secret in (key, "fbk_not-a-real-key", *variables.values()):
        assert secret not in text
