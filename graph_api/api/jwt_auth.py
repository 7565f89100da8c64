"""Bearer JWTs from the organisation's identity provider, turned into a Principal.

The verification key decides the algorithm, never the token: an RSA key verifies RS256 only,
an EC key ES256 only, and HS256 needs its own explicitly configured secret. So ``alg: none``
and algorithm confusion (an HS256 token signed with the public key as secret) are refused.
"""

from __future__ import annotations

from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from graph_api.config import Settings
from graph_api.domain.enums import Role
from graph_api.domain.principal import Principal
from graph_api.errors import FlagbearerError, InvalidInput, Unauthenticated
from graph_api.repositories.keys import validate_tenant

REQUIRED_CLAIMS = ["exp", "iat", "sub"]
MAX_TOKEN_LENGTH = 8192


def asymmetric_algorithm(key: Any) -> str:
    """The one algorithm a public key may verify."""
    if isinstance(key, RSAPublicKey):
        return "RS256"
    if isinstance(key, EllipticCurvePublicKey) and key.curve.name == "secp256r1":
        return "ES256"
    raise InvalidInput("the JWT public key must be an RSA or P-256 EC public key")


class JwtVerifier:
    """Verifies tokens against a JWKS URL, a PEM public key or (explicitly) an HS256 secret.

    Example:
        ``JwtVerifier(settings).principal(token)`` gives ``Principal(tenant, role,
        "jwt:<sub>")`` or raises :class:`Unauthenticated` saying why.
    """

    def __init__(self, settings: Settings, jwks: jwt.PyJWKClient | None = None) -> None:
        """``jwks`` replaces the client built from ``jwt_jwks_url`` (tests pass a stub)."""
        self.settings = settings
        self.public_key: Any = None
        if settings.jwt_public_key:
            self.public_key = load_pem_public_key(settings.jwt_public_key.encode())
            asymmetric_algorithm(self.public_key)
        if jwks is None and settings.jwt_jwks_url:
            jwks = jwt.PyJWKClient(
                settings.jwt_jwks_url,
                cache_keys=True,
                lifespan=settings.jwks_cache_seconds,
                timeout=10,
            )
        self.jwks = jwks

    @property
    def fetches_keys(self) -> bool:
        """True when verifying may block on the network (call it off the event loop)."""
        return self.jwks is not None

    def principal(self, token: str) -> Principal:
        claims = self.verify(token)
        return Principal(
            tenant_id=self._tenant(claims), role=self._role(claims), actor=f"jwt:{claims['sub']}"
        )

    def verify(self, token: str) -> dict[str, Any]:
        if len(token) > MAX_TOKEN_LENGTH:
            raise Unauthenticated("the bearer token is too long")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"the bearer token is not a JWT: {error}") from error
        key, algorithm = self._key_for(token, str(header.get("alg", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={
                    "require": REQUIRED_CLAIMS,
                    "verify_aud": self.settings.jwt_audience is not None,
                    "verify_iss": self.settings.jwt_issuer is not None,
                },
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"the bearer token was refused: {error}") from error
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise Unauthenticated("the bearer token has no subject ('sub')")
        return claims

    def _key_for(self, token: str, algorithm: str) -> tuple[Any, str]:
        if algorithm == "HS256":
            if not self.settings.jwt_hs256_secret:
                raise Unauthenticated("HS256 tokens are not accepted by this service")
            return self.settings.jwt_hs256_secret, "HS256"
        if algorithm not in {"RS256", "ES256"}:
            raise Unauthenticated(f"the token algorithm '{algorithm}' is not accepted")
        if self.jwks is not None:
            try:
                key = self.jwks.get_signing_key_from_jwt(token).key
            except jwt.PyJWTError as error:
                raise Unauthenticated(f"no signing key for the token: {error}") from error
        elif self.public_key is not None:
            key = self.public_key
        else:
            raise Unauthenticated(f"{algorithm} tokens are not accepted by this service")
        try:
            expected = asymmetric_algorithm(key)
        except InvalidInput as error:
            raise Unauthenticated("the signing key is not an RSA or P-256 EC key") from error
        if expected != algorithm:
            raise Unauthenticated(f"the token says '{algorithm}' but its key verifies {expected}")
        return key, algorithm

    def _tenant(self, claims: dict[str, Any]) -> str:
        value = claims.get(self.settings.jwt_tenant_claim)
        if not isinstance(value, str):
            raise Unauthenticated(
                f"the token has no tenant claim '{self.settings.jwt_tenant_claim}'"
            )
        try:
            return validate_tenant(value)
        except FlagbearerError as error:
            raise Unauthenticated(f"the token's tenant is invalid: {error.message}") from error

    def _role(self, claims: dict[str, Any]) -> Role:
        value = claims.get(self.settings.jwt_role_claim)
        try:
            return Role(str(value))
        except ValueError as error:
            raise Unauthenticated(
                f"the token's role claim '{self.settings.jwt_role_claim}' must be one of"
                f" {', '.join(r.value for r in Role)}"
            ) from error
