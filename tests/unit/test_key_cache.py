"""The process's cache of API keys: kept for its bound, dropped when revoked here."""

from __future__ import annotations

from datetime import UTC, datetime

from graph_api.api.auth import KeyCache
from graph_api.domain.enums import Role
from graph_api.domain.principal import Principal
from graph_api.repositories.keys import StoredKey

LAST_USED = datetime(2026, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def stored(key_id: str) -> StoredKey:
    return StoredKey(key_id, Principal("t", Role.VIEWER, f"key:{key_id}"), LAST_USED)


def test_a_key_is_kept_for_the_bound_and_no_longer() -> None:
    clock = Clock()
    cache = KeyCache(5.0, clock)
    cache.put("digest-a", stored("a"))
    clock.now += 4.9
    assert cache.get("digest-a") == stored("a")
    clock.now += 0.2
    assert cache.get("digest-a") is None


def test_a_key_revoked_here_is_dropped_at_once() -> None:
    cache = KeyCache(5.0, Clock())
    cache.put("digest-a", stored("a"))
    cache.put("digest-b", stored("b"))
    cache.forget("a")
    assert cache.get("digest-a") is None
    assert cache.get("digest-b") == stored("b")


def test_a_zero_bound_keeps_nothing() -> None:
    cache = KeyCache(0.0, Clock())
    cache.put("digest-a", stored("a"))
    assert cache.get("digest-a") is None
