"""Who is calling: the bearer credential of a request, turned into a Principal."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from graph_api.db.driver import Database
from graph_api.domain.principal import Principal
from graph_api.errors import Unauthenticated
from graph_api.repositories.keys import KEY_PREFIX, authenticate_key


def bearer_credential(connection: HTTPConnection) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthenticated("send 'Authorization: Bearer <key>' (make one with graph-api keys create)")
    return credential.strip()


async def authenticate(connection: HTTPConnection, database: Database) -> Principal:
    """The principal for an API key; anything else is refused."""
    credential = bearer_credential(connection)
    if credential.startswith(f"{KEY_PREFIX}_"):
        principal = await authenticate_key(database, credential)
        if principal is not None:
            return principal
        raise Unauthenticated("the API key is unknown or revoked")
    raise Unauthenticated("the bearer credential is not an API key this service issued")
