"""Who is calling: the bearer credential of a request, turned into a Principal."""

from __future__ import annotations

import asyncio

from starlette.requests import HTTPConnection

from graph_api.api.jwt_auth import JwtVerifier
from graph_api.config import Settings
from graph_api.db.driver import Database
from graph_api.domain.principal import Principal
from graph_api.errors import Unauthenticated
from graph_api.repositories.keys import KEY_PREFIX, authenticate_key


def bearer_credential(connection: HTTPConnection) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated(
            "send 'Authorization: Bearer <key>' (make one with graph-api keys create)"
        )
    return credential.strip()


class Authenticator:
    """API keys always; bearer JWTs when a JWKS URL, public key or HS256 secret is configured."""

    def __init__(self, settings: Settings) -> None:
        self.jwt = JwtVerifier(settings) if settings.jwt_enabled else None

    async def authenticate(self, connection: HTTPConnection, database: Database) -> Principal:
        credential = bearer_credential(connection)
        if credential.startswith(f"{KEY_PREFIX}_"):
            principal = await authenticate_key(database, credential)
            if principal is not None:
                return principal
            raise Unauthenticated("the API key is unknown or revoked")
        if self.jwt is None:
            raise Unauthenticated("the bearer credential is not an API key this service issued")
        if self.jwt.fetches_keys:  # a JWKS fetch blocks; keep it off the event loop
            return await asyncio.to_thread(self.jwt.principal, credential)
        return self.jwt.principal(credential)
