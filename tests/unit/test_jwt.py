"""Bearer JWTs: the right tokens become principals, every wrong one is refused with a reason."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from graph_api.api.jwt_auth import JwtVerifier
from graph_api.config import Settings
from graph_api.domain.enums import Role
from graph_api.errors import Unauthenticated

AUDIENCE = "flagbearer-api"
ISSUER = "https://idp.example/"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(private: Any) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "sub": "dana@example.com",
        "tenant": "acme",
        "role": "editor",
        "aud": AUDIENCE,
        "iss": ISSUER,
        "iat": now,
        "exp": now + 300,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


TIME_CLAIMS = frozenset({"exp", "nbf", "iat"})


def at_run_time(overrides: dict[str, Any]) -> dict[str, Any]:
    """Time claims given as seconds from now, turned into timestamps now."""
    now = int(time.time())
    return {
        name: now + value if name in TIME_CLAIMS and value is not None else value
        for name, value in overrides.items()
    }


def settings(**values: Any) -> Settings:
    return Settings(FLAGBEARER_JWT_AUDIENCE=AUDIENCE, FLAGBEARER_JWT_ISSUER=ISSUER, **values)


@pytest.fixture(scope="module")
def rsa_private() -> rsa.RSAPrivateKey:
    return rsa_key()


@pytest.fixture(scope="module")
def rsa_verifier(rsa_private: rsa.RSAPrivateKey) -> JwtVerifier:
    return JwtVerifier(settings(FLAGBEARER_JWT_PUBLIC_KEY=public_pem(rsa_private)))


def refused(verifier: JwtVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        verifier.principal(token)
    return caught.value.message


def test_a_valid_rs256_token_gives_tenant_role_and_subject(
    rsa_verifier: JwtVerifier, rsa_private: rsa.RSAPrivateKey
) -> None:
    principal = rsa_verifier.principal(jwt.encode(claims(), rsa_private, algorithm="RS256"))
    assert (principal.tenant_id, principal.role, principal.actor) == (
        "acme",
        Role.EDITOR,
        "jwt:dana@example.com",
    )


def test_a_valid_es256_token_is_accepted() -> None:
    private = ec_key()
    verifier = JwtVerifier(settings(FLAGBEARER_JWT_PUBLIC_KEY=public_pem(private)))
    token = jwt.encode(claims(role="viewer"), private, algorithm="ES256")
    assert verifier.principal(token).role is Role.VIEWER


def test_tenant_and_role_come_from_the_configured_claims(rsa_private: rsa.RSAPrivateKey) -> None:
    verifier = JwtVerifier(
        settings(
            FLAGBEARER_JWT_PUBLIC_KEY=public_pem(rsa_private),
            FLAGBEARER_JWT_TENANT_CLAIM="https://flagbearer/org",
            FLAGBEARER_JWT_ROLE_CLAIM="fb_role",
        )
    )
    token = jwt.encode(
        claims(tenant=None, role=None, **{"https://flagbearer/org": "globex", "fb_role": "admin"}),
        rsa_private,
        algorithm="RS256",
    )
    principal = verifier.principal(token)
    assert (principal.tenant_id, principal.role) == ("globex", Role.ADMIN)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        # Times are offsets from the moment the test runs (see ``at_run_time``): a timestamp
        # taken at collection is already stale when a long suite reaches this test.
        ({"exp": -120}, "expired"),
        ({"nbf": +600}, "not yet valid"),
        ({"iat": +600}, "not yet valid"),
        ({"aud": "someone-else"}, "audience"),
        ({"iss": "https://evil.example/"}, "issuer"),
        ({"exp": None}, "exp"),
        ({"sub": None}, "sub"),
        ({"tenant": None}, "tenant claim"),
        ({"tenant": "bad tenant!"}, "tenant"),
        ({"role": None}, "role claim"),
        ({"role": "owner"}, "role claim"),
    ],
)
def test_wrong_claims_are_refused(
    rsa_verifier: JwtVerifier,
    rsa_private: rsa.RSAPrivateKey,
    overrides: dict[str, Any],
    reason: str,
) -> None:
    token = jwt.encode(claims(**at_run_time(overrides)), rsa_private, algorithm="RS256")
    assert reason.lower() in refused(rsa_verifier, token).lower()


def test_a_token_expired_within_the_leeway_still_passes(
    rsa_verifier: JwtVerifier, rsa_private: rsa.RSAPrivateKey
) -> None:
    token = jwt.encode(claims(exp=int(time.time()) - 5), rsa_private, algorithm="RS256")
    assert rsa_verifier.principal(token).tenant_id == "acme"


def test_a_token_signed_by_another_key_is_refused(rsa_verifier: JwtVerifier) -> None:
    token = jwt.encode(claims(), rsa_key(), algorithm="RS256")
    assert "Signature verification failed" in refused(rsa_verifier, token)


def test_alg_none_is_refused(rsa_verifier: JwtVerifier) -> None:
    token = jwt.encode(claims(), None, algorithm="none")
    assert "'none' is not accepted" in refused(rsa_verifier, token)


def test_hs256_signed_with_the_public_key_is_refused(
    rsa_verifier: JwtVerifier, rsa_private: rsa.RSAPrivateKey
) -> None:
    """Algorithm confusion: the public key (known to all) used as an HMAC secret."""
    import hashlib  # noqa: PLC0415
    import hmac  # noqa: PLC0415
    from base64 import urlsafe_b64encode  # noqa: PLC0415

    def b64(data: bytes) -> str:
        return urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = (
        b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        + "."
        + b64(json.dumps(claims()).encode())
    )
    secret = public_pem(rsa_private).encode()
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64(signature)}"
    assert "HS256 tokens are not accepted" in refused(rsa_verifier, token)


def test_an_es256_header_on_an_rsa_key_is_refused(rsa_verifier: JwtVerifier) -> None:
    token = jwt.encode(claims(), ec_key(), algorithm="ES256")
    assert "verifies RS256" in refused(rsa_verifier, token)


def test_hs256_works_only_with_an_explicit_secret() -> None:
    secret = "s" * 48
    token = jwt.encode(claims(), secret, algorithm="HS256")
    assert JwtVerifier(settings(FLAGBEARER_JWT_HS256_SECRET=secret)).principal(token)
    assert (
        "signature"
        in refused(JwtVerifier(settings(FLAGBEARER_JWT_HS256_SECRET="t" * 48)), token).lower()
    )


def test_garbage_is_not_a_jwt(rsa_verifier: JwtVerifier) -> None:
    assert "not a JWT" in refused(rsa_verifier, "not-a-token")


class StubJwks(jwt.PyJWKClient):
    """The JWKS client with the network replaced by a JSON document in memory."""

    def __init__(self, *privates: Any) -> None:
        super().__init__("https://idp.example/.well-known/jwks.json", cache_keys=True)
        self.fetches = 0
        self.keys = []
        for index, private in enumerate(privates):
            algorithm = (
                jwt.algorithms.RSAAlgorithm
                if isinstance(private, rsa.RSAPrivateKey)
                else jwt.algorithms.ECAlgorithm
            )
            jwk = json.loads(algorithm.to_jwk(private.public_key()))
            jwk["kid"] = f"k{index}"
            self.keys.append(jwk)

    def fetch_data(self) -> Any:
        self.fetches += 1
        return {"keys": self.keys}


def test_a_jwks_verifies_by_kid() -> None:
    rsa_private, ec_private = rsa_key(), ec_key()
    verifier = JwtVerifier(settings(), jwks=StubJwks(rsa_private, ec_private))
    assert verifier.fetches_keys
    rs = jwt.encode(claims(), rsa_private, algorithm="RS256", headers={"kid": "k0"})
    es = jwt.encode(claims(role="admin"), ec_private, algorithm="ES256", headers={"kid": "k1"})
    assert verifier.principal(rs).role is Role.EDITOR
    assert verifier.principal(es).role is Role.ADMIN
    unknown = jwt.encode(claims(), rsa_private, algorithm="RS256", headers={"kid": "k9"})
    assert "no signing key" in refused(verifier, unknown)
    swapped = jwt.encode(claims(), ec_private, algorithm="ES256", headers={"kid": "k0"})
    assert "verifies RS256" in refused(verifier, swapped)
    forged = jwt.encode(claims(), rsa_key(), algorithm="RS256", headers={"kid": "k0"})
    assert "Signature verification failed" in refused(verifier, forged)


def test_a_jwks_is_fetched_once_and_cached() -> None:
    private = rsa_key()
    stub = StubJwks(private)
    verifier = JwtVerifier(settings(), jwks=stub)
    token = jwt.encode(claims(), private, algorithm="RS256", headers={"kid": "k0"})
    for _ in range(5):
        assert verifier.principal(token).tenant_id == "acme"
    assert stub.fetches == 1


def test_a_jwks_url_is_only_fetched_over_http() -> None:
    with pytest.raises(jwt.PyJWKClientError):
        JwtVerifier(settings(FLAGBEARER_JWT_JWKS_URL="file:///etc/passwd"))
