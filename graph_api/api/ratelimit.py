"""Per-caller rate limiting by query cost: a token bucket of ``per_minute`` cost units per actor.

Two places can hold the buckets:

- this process (:class:`CostRateLimiter`, the default): N API processes behind a balancer
  then allow each key up to N times the budget;
- Redis (:class:`RedisCostRateLimiter`, when ``FLAGBEARER_REDIS_URL`` is set): every process
  spends from the same bucket, checked and taken in one atomic round trip (a Lua script run
  on Redis's own clock).

Redis down: the check fails open to this process's own bucket (so a key is still limited,
per process) and says so once in the log and in ``flagbearer_rate_limit_backend_errors_total``;
Redis is tried again after :data:`RETRY_REDIS_AFTER` seconds. The limit protects the service
from abuse, and an outage of the limiter's store should not become an outage of the API.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from graph_api.config import Settings
from graph_api.errors import LimitExceeded
from graph_api.observability.metrics import RATE_LIMIT_BACKEND_ERRORS

log = logging.getLogger("graph_api.ratelimit")
MAX_TRACKED_ACTORS = 10_000
RETRY_REDIS_AFTER = 5.0
REDIS_KEY_PREFIX = "flagbearer:rate:"


class CostBudget(Protocol):
    """Where a request's cost is spent; raises LimitExceeded (limit ``rate``) when it cannot be."""

    async def spend(self, actor: str, cost: int) -> None: ...

    async def aclose(self) -> None: ...


def refusal(capacity: float, cost: int, retry_after: int) -> LimitExceeded:
    return LimitExceeded(
        f"rate limit: this credential may spend {int(capacity)} cost units per minute;"
        f" this query costs {cost}, retry after {retry_after} s",
        limit="rate",
        retry_after=retry_after,
    )


@dataclass
class Bucket:
    tokens: float
    updated: float


class CostRateLimiter:
    """A bucket of ``per_minute`` cost units per actor, refilled continuously, in this process.

    A query dearer than the whole budget is let through when the bucket is full (the cost
    limit bounds it) and empties it, so it never blocks forever.

    Example:
        ``CostRateLimiter(per_minute=60).charge("key:a", 60)`` empties key:a's bucket; a
        further ``charge("key:a", 10)`` raises LimitExceeded with ``retry_after == 10``.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.clock = clock
        self.buckets: dict[str, Bucket] = {}
        self.lock = threading.Lock()

    async def spend(self, actor: str, cost: int) -> None:
        self.charge(actor, cost)

    async def aclose(self) -> None:
        return None

    def charge(self, actor: str, cost: int) -> None:
        """Take ``cost`` from the actor's bucket or raise LimitExceeded with ``retry_after``."""
        wanted = min(float(max(cost, 1)), self.capacity)
        with self.lock:
            now = self.clock()
            bucket = self._refilled(actor, now)
            if bucket.tokens >= wanted:
                bucket.tokens -= wanted
                return
            retry_after = math.ceil((wanted - bucket.tokens) / self.refill_per_second)
        raise refusal(self.capacity, cost, retry_after)

    def _refilled(self, actor: str, now: float) -> Bucket:
        bucket = self.buckets.get(actor)
        if bucket is None:
            if len(self.buckets) >= MAX_TRACKED_ACTORS:
                self._forget_full_buckets(now)
            bucket = self.buckets[actor] = Bucket(self.capacity, now)
            return bucket
        elapsed = max(now - bucket.updated, 0.0)
        bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.refill_per_second)
        bucket.updated = now
        return bucket

    def _forget_full_buckets(self, now: float) -> None:
        """A full bucket is the same as none; dropping them bounds memory."""
        full_after = self.capacity / self.refill_per_second
        self.buckets = {
            actor: bucket
            for actor, bucket in self.buckets.items()
            if now - bucket.updated < full_after
        }


# KEYS[1] the actor's bucket; ARGV capacity, refill per second, wanted, expiry (s).
# Returns {1 or 0 (taken or not), tokens left as a string (Lua numbers would be truncated)}.
TAKE_FROM_BUCKET = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = capacity
  updated = now
end
tokens = math.min(capacity, tokens + math.max(now - updated, 0) * rate)
local taken = 0
if tokens >= wanted then
  tokens = tokens - wanted
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return {taken, tostring(tokens)}
"""


def redis_key(actor: str) -> str:
    """The actor's bucket key; hashed, so token subjects (often e-mails) are not stored."""
    return REDIS_KEY_PREFIX + hashlib.sha256(actor.encode()).hexdigest()[:32]


class RedisCostRateLimiter:
    """The same bucket as :class:`CostRateLimiter`, kept in Redis for every API process.

    Example:
        ``RedisCostRateLimiter(Redis.from_url("redis://127.0.0.1:6379/0"), per_minute=60)``
    """

    def __init__(
        self, client: Redis, per_minute: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.client = client
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.expiry = math.ceil(self.capacity / self.refill_per_second) + 1
        self.script = client.register_script(TAKE_FROM_BUCKET)
        self.fallback = CostRateLimiter(per_minute, clock)
        self.clock = clock
        self.redis_down_until: float | None = None

    async def spend(self, actor: str, cost: int) -> None:
        if self.redis_down_until is not None and self.clock() < self.redis_down_until:
            self.fallback.charge(actor, cost)
            return
        wanted = min(float(max(cost, 1)), self.capacity)
        try:
            taken, tokens = await self.script(
                keys=[redis_key(actor)],
                args=[self.capacity, self.refill_per_second, wanted, self.expiry],
            )
        except (RedisError, OSError) as error:
            self._redis_failed(error)
            self.fallback.charge(actor, cost)
            return
        if self.redis_down_until is not None:
            self.redis_down_until = None
            log.warning("shared rate limit: Redis answers again; every process shares budgets")
        if int(taken) != 1:
            retry_after = math.ceil((wanted - float(tokens)) / self.refill_per_second)
            raise refusal(self.capacity, cost, max(retry_after, 1))

    def _redis_failed(self, error: Exception) -> None:
        RATE_LIMIT_BACKEND_ERRORS.inc()
        if self.redis_down_until is None:
            log.warning(
                "shared rate limit: Redis is not answering (%s); each process uses its own"
                " bucket until it does",
                type(error).__name__,
            )
        self.redis_down_until = self.clock() + RETRY_REDIS_AFTER

    async def aclose(self) -> None:
        await self.client.aclose()


def rate_limiter_for(settings: Settings) -> CostBudget:
    """The shared (Redis) limiter when ``FLAGBEARER_REDIS_URL`` is set, else this process's."""
    per_minute = settings.rate_limit_cost_per_minute
    if settings.redis_url is None:
        return CostRateLimiter(per_minute)
    client = Redis.from_url(
        settings.redis_url,
        socket_timeout=settings.redis_timeout_seconds,
        socket_connect_timeout=settings.redis_timeout_seconds,
        retry=Retry(NoBackoff(), 0),
        health_check_interval=30,
    )
    return RedisCostRateLimiter(client, per_minute)
