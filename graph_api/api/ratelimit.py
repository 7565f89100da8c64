"""Per-caller rate limiting by query cost: one token bucket per actor, in this process.

Each API process keeps its own buckets, so N processes behind a balancer allow up to N times
the budget; that is the price of keeping no state outside Neo4j.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from graph_api.errors import LimitExceeded

MAX_TRACKED_ACTORS = 10_000


@dataclass
class Bucket:
    tokens: float
    updated: float


class CostRateLimiter:
    """A bucket of ``per_minute`` cost units per actor, refilled continuously.

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
        raise LimitExceeded(
            f"rate limit: this credential may spend {int(self.capacity)} cost units per minute;"
            f" this query costs {cost}, retry after {retry_after} s",
            limit="rate",
            retry_after=retry_after,
        )

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
