"""One cost budget per key across API processes when FLAGBEARER_REDIS_URL is set: two real
``graph-api serve`` processes, one Redis (Debian's redis-server on a free port), one Neo4j."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from api_processes import ApiProcess, api_process, redis_server
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from graph_api.api.ratelimit import RedisCostRateLimiter, redis_key
from graph_api.config import Settings
from graph_api.errors import LimitExceeded
from graph_api.observability.metrics import REGISTRY

TENANT = "shared-limit"
BUDGET = 10  # cost units per key per minute; `{ __typename }` costs 1
METRICS_TOKEN = "t" * 40


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="module")
def two_processes(
    redis_url: str, neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ApiProcess, ApiProcess]]:
    logs = tmp_path_factory.mktemp("shared-limit")
    env = {
        "FLAGBEARER_REDIS_URL": redis_url,
        "FLAGBEARER_RATE_LIMIT_COST": str(BUDGET),
        "FLAGBEARER_METRICS_TOKEN": METRICS_TOKEN,
    }
    with (
        api_process(neo4j_settings, logs / "a.log", env) as first,
        api_process(neo4j_settings, logs / "b.log", env) as second,
    ):
        yield first, second


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def key(make_key: Any) -> str:
    return str(await make_key(TENANT, "viewer"))


def rate_refusals(server: ApiProcess) -> float:
    text = httpx.get(
        f"{server.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
    ).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "flagbearer_limit_refusals_total" and sample.labels == {"limit": "rate"}
    )


@pytest.mark.neo4j
def test_two_api_processes_spend_one_budget(
    two_processes: tuple[ApiProcess, ApiProcess], key: str
) -> None:
    first, second = two_processes
    headers = {"Authorization": f"Bearer {key}"}
    answers: dict[str, list[int]] = {first.url: [], second.url: []}
    retry_after: list[int] = []
    for turn in range(2 * BUDGET):
        server = (first, second)[turn % 2]
        response = httpx.post(
            server.graphql, json={"query": "{ __typename }"}, headers=headers, timeout=30
        )
        answers[server.url].append(response.status_code)
        if response.status_code == 429:
            retry_after.append(int(response.headers["retry-after"]))
    statuses = answers[first.url] + answers[second.url]
    assert set(statuses) == {200, 429}, answers
    # one budget of 10 for both (11 if a unit refilled during the run, 1 per 6 s), not 10 each
    assert BUDGET <= statuses.count(200) <= BUDGET + 1, answers
    assert 429 in answers[first.url], answers
    assert 429 in answers[second.url], answers
    assert all(1 <= wait <= math.ceil(60 / BUDGET) for wait in retry_after), retry_after
    assert rate_refusals(first) >= 1
    assert rate_refusals(second) >= 1


async def test_the_redis_bucket_refuses_with_a_retry_time_and_is_kept_per_key(
    redis_url: str,
) -> None:
    client = Redis.from_url(redis_url)
    limiter = RedisCostRateLimiter(client, per_minute=60)
    try:
        await client.delete(redis_key("key:redis-a"), redis_key("key:redis-b"))
        await limiter.spend("key:redis-a", 60)
        with pytest.raises(LimitExceeded) as refused:
            await limiter.spend("key:redis-a", 10)
        assert refused.value.limit == "rate"
        assert refused.value.retry_after is not None
        assert 9 <= refused.value.retry_after <= 10
        await limiter.spend("key:redis-b", 60)  # another key has its own bucket
        stored = await client.keys("flagbearer:rate:*")
        assert all(b"redis-a" not in name for name in stored)  # actors are stored hashed
        ttl = await client.ttl(redis_key("key:redis-a"))
        assert 0 < ttl <= 61  # a bucket idle for a minute is full again: it may expire
    finally:
        await limiter.aclose()


async def test_redis_down_falls_back_to_the_process_bucket_and_counts_it(tmp_path: Path) -> None:
    with redis_server(tmp_path / "redis-gone") as url:
        pass  # started and stopped: nothing listens on its port any more
    clock = [1000.0]
    limiter = RedisCostRateLimiter(
        Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1),
        per_minute=60,
        clock=lambda: clock[0],
    )
    errors = "flagbearer_rate_limit_backend_errors_total"
    before = REGISTRY.get_sample_value(errors) or 0.0
    try:
        await limiter.spend("key:offline", 60)  # Redis unreachable: the local bucket allows it
        assert limiter.redis_down_until is not None
        assert REGISTRY.get_sample_value(errors) == before + 1
        with pytest.raises(LimitExceeded):  # ... and still limits, per process
            await limiter.spend("key:offline", 1)
    finally:
        await limiter.aclose()
