"""Who is calling: the bearer credential of a request, turned into a Principal.

API keys are checked against Neo4j once per ``FLAGBEARER_KEY_CACHE_SECONDS`` (5 s) per key and
process, not on every request: a process keeps what it found, by the key's SHA-256, for that
long. So a key revoked elsewhere (``graph-api keys revoke``, another API process) stops
working everywhere within that bound, and a key revoked or rotated through this process's API
stops at once (the mutation drops it here). Unknown and revoked keys are never kept: each try
asks Neo4j again.

A key's ``lastUsedAt`` moves in steps of :data:`~graph_api.repositories.keys.LAST_USED_GRANULARITY`
(a minute) and is written in batches, off the request path: uses are gathered for
:data:`LAST_USED_FLUSH_SECONDS` and then written, every key in one statement.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.requests import HTTPConnection

from graph_api.api.jwt_auth import JwtVerifier
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.principal import Principal
from graph_api.errors import Unauthenticated
from graph_api.repositories.keys import (
    KEY_PREFIX,
    KeyUse,
    StoredKey,
    authenticate_key,
    hash_key,
    is_key,
    needs_touch,
    touch_keys,
)

log = logging.getLogger("graph_api.auth")
LAST_USED_FLUSH_SECONDS = 1.0
"""How long uses of keys are gathered before their last-used times are written."""
MAX_CACHED_KEYS = 10_000
"""Keys kept at most per process; past that the oldest entries go first."""


def bearer_credential(connection: HTTPConnection) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated(
            "send 'Authorization: Bearer <key>' (make one with graph-api keys create)"
        )
    return credential.strip()


class KeyCache:
    """Live keys this process found recently, by the key's SHA-256, for ``ttl`` seconds.

    Example:
        ``cache.put(digest, stored)`` then ``cache.get(digest)`` is ``stored`` for ``ttl``
        seconds, and None after ``cache.forget(stored.id)``.
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, tuple[float, StoredKey]] = {}

    def get(self, digest: str) -> StoredKey | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            del self._entries[digest]
            return None
        return entry[1]

    def put(self, digest: str, key: StoredKey) -> None:
        if self.ttl <= 0:
            return
        now = self.clock()
        if len(self._entries) >= MAX_CACHED_KEYS:
            self._entries = {d: e for d, e in self._entries.items() if e[0] > now}
            while len(self._entries) >= MAX_CACHED_KEYS:
                del self._entries[next(iter(self._entries))]
        self._entries.pop(digest, None)  # re-inserted last: the dict stays oldest first
        self._entries[digest] = (now + self.ttl, key)

    def forget(self, key_id: str) -> None:
        """Drop the key ``key_id`` (revoked or rotated here): its next use asks Neo4j."""
        for digest in [d for d, (_, key) in self._entries.items() if key.id == key_id]:
            del self._entries[digest]


class KeyUses:
    """Last-used times of keys, written in batches off the request path.

    A use is noted when it moves the key's ``lastUsedAt`` (stored, or as last written by
    this process) by at least a granule; noted uses are written together
    :data:`LAST_USED_FLUSH_SECONDS` after the first of them.
    """

    def __init__(self, flush_after: float = LAST_USED_FLUSH_SECONDS) -> None:
        self.flush_after = flush_after
        self._known: dict[str, datetime] = {}
        self._pending: dict[str, datetime] = {}
        self._database: Database | None = None
        self._flusher: asyncio.Task[None] | None = None

    def learned(self, key: StoredKey) -> None:
        """What Neo4j says of the key's last use (read when the key was checked)."""
        if key.last_used_at is not None:
            known = self._known.get(key.id)
            if known is None or known < key.last_used_at:
                self._known[key.id] = key.last_used_at

    def note(self, database: Database, key_id: str) -> None:
        now = datetime.now(UTC)
        if not needs_touch(self._known.get(key_id), now):
            return
        self._known[key_id] = now
        self._pending[key_id] = now
        self._database = database
        if self._flusher is None or self._flusher.done():
            # a context of its own: the write belongs to no request (nor to its trace)
            self._flusher = asyncio.get_running_loop().create_task(
                self._flush_later(), context=contextvars.Context()
            )

    async def _flush_later(self) -> None:
        await asyncio.sleep(self.flush_after)
        await self.flush()

    async def flush(self) -> None:
        """Write the uses noted so far (one statement); a failure is logged, not raised."""
        pending, self._pending = self._pending, {}
        if not pending or self._database is None:
            return
        try:
            await touch_keys(self._database, [KeyUse(i, at) for i, at in pending.items()])
        except Exception as error:  # noqa: BLE001 - a background write: logged, retried later
            log.warning("could not record the last use of %d API key(s): %s", len(pending), error)
            for key_id in pending:  # noted again on their next use
                self._known.pop(key_id, None)

    async def aclose(self) -> None:
        """Write what is pending now (at shutdown)."""
        if self._flusher is not None and not self._flusher.done():
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        await self.flush()


class ApiKeys:
    """API key authentication with the process's cache and batched last-use writes."""

    def __init__(self, cache_seconds: float) -> None:
        self.cache = KeyCache(cache_seconds)
        self.uses = KeyUses()

    async def principal(self, database: Database, key: str) -> Principal | None:
        if not is_key(key):
            return None
        digest = hash_key(key)
        found = self.cache.get(digest)
        if found is None:
            found = await authenticate_key(database, key)
            if found is None:
                return None
            self.cache.put(digest, found)
            self.uses.learned(found)
        self.uses.note(database, found.id)
        return found.principal

    def forget(self, key_id: str) -> None:
        self.cache.forget(key_id)

    async def aclose(self) -> None:
        await self.uses.aclose()


class Authenticator:
    """API keys always; bearer JWTs when a JWKS URL, public key or HS256 secret is configured."""

    def __init__(self, settings: Settings) -> None:
        self.jwt = JwtVerifier(settings) if settings.jwt_enabled else None
        self.keys = ApiKeys(settings.key_cache_seconds)

    async def authenticate(self, connection: HTTPConnection, database: Database) -> Principal:
        credential = bearer_credential(connection)
        if credential.startswith(f"{KEY_PREFIX}_"):
            principal = await self.keys.principal(database, credential)
            if principal is not None:
                return principal
            raise Unauthenticated("the API key is unknown or revoked")
        if self.jwt is None:
            raise Unauthenticated("the bearer credential is not an API key this service issued")
        if self.jwt.fetches_keys:  # a JWKS fetch blocks; keep it off the event loop
            return await asyncio.to_thread(self.jwt.principal, credential)
        return self.jwt.principal(credential)
