"""Configuration from the environment: one Settings object, read once per process."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph_api.errors import FlagbearerError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCAL_PASSWORD = "flagbearer-local"  # noqa: S105 - the loopback-only dev server's password
TLS_SCHEMES = frozenset({"neo4j+s", "neo4j+ssc", "bolt+s", "bolt+ssc"})
MIN_HS256_SECRET_BYTES = 32
PAGE_SIZE_CEILING = 100
MIN_METRICS_TOKEN_CHARS = 32


def default_data_dir() -> Path:
    """Where the local Neo4j keeps its data when ``FLAGBEARER_DATA_DIR`` is not set.

    Run from a checkout (an editable install) it is the checkout's ``.data``; installed from
    a wheel it is the user's data directory, ``$XDG_DATA_HOME/flagbearer`` or
    ``~/.local/share/flagbearer``: never inside site-packages, and the same database whichever
    directory ``graph-api`` is started from.
    """
    pyproject = PROJECT_ROOT / "pyproject.toml"
    if pyproject.is_file() and 'name = "flagbearer-graph-api"' in pyproject.read_text("utf-8"):
        return PROJECT_ROOT / ".data"
    xdg_data_home = Path(os.environ.get("XDG_DATA_HOME", ""))
    base = xdg_data_home if xdg_data_home.is_absolute() else Path.home() / ".local" / "share"
    return base / "flagbearer"


class UnsafeSettings(FlagbearerError):
    """Production refuses to start with these settings; ``problems`` names every one."""

    code = "UNSAFE_SETTINGS"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("refusing to start in production: " + "; ".join(problems))
        self.problems = problems


def split_address(address: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:9464`` for IPv6) as a pair; a clear error when malformed."""
    host, sep, port = address.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected host:port (e.g. 127.0.0.1:9464), got '{address}'")
    return host, int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Every setting the service reads. Neo4j names are the driver's usual ones.

    Example:
        ``NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io NEO4J_PASSWORD=… graph-api serve``
    """

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, allow_inf_nan=False
    )

    neo4j_uri: str | None = Field(default=None, alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", alias="NEO4J_USER")
    neo4j_password: str = Field(default=DEFAULT_LOCAL_PASSWORD, alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", alias="NEO4J_DATABASE")
    neo4j_bolt_port: int = Field(default=7687, alias="NEO4J_BOLT_PORT")
    data_dir: Path = Field(default_factory=default_data_dir, alias="FLAGBEARER_DATA_DIR")
    # How long the driver may wait, in seconds: for a new connection; for a pooled one
    # (including connecting); for retries of a managed transaction to keep starting. Pooled
    # connections idle longer than the liveness timeout are checked before use.
    neo4j_connection_timeout: float = Field(default=5.0, gt=0, alias="NEO4J_CONNECTION_TIMEOUT")
    neo4j_connection_acquisition_timeout: float = Field(
        default=10.0, gt=0, alias="NEO4J_CONNECTION_ACQUISITION_TIMEOUT"
    )
    neo4j_max_transaction_retry_time: float = Field(
        default=2.0, ge=0, alias="NEO4J_MAX_TRANSACTION_RETRY_TIME"
    )
    neo4j_liveness_check_timeout: float = Field(
        default=2.0, ge=0, alias="NEO4J_LIVENESS_CHECK_TIMEOUT"
    )

    environment: Literal["development", "production"] = Field(
        default="development", alias="FLAGBEARER_ENV"
    )
    # Comma-separated in the environment: FLAGBEARER_CORS_ORIGINS=https://a.example,https://b…
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, alias="FLAGBEARER_CORS_ORIGINS"
    )

    max_query_depth: int = Field(default=12, gt=0, alias="FLAGBEARER_MAX_QUERY_DEPTH")
    max_query_tokens: int = Field(default=2000, gt=0, alias="FLAGBEARER_MAX_QUERY_TOKENS")
    max_aliases: int = Field(default=30, ge=0, alias="FLAGBEARER_MAX_ALIASES")
    # Steps to check one document: selections plus the pairs GraphQL's field-merging rule
    # compares (graph_api/api/limits.py); 10 000 keeps validation well under a second.
    max_validation_work: int = Field(default=10_000, gt=0, alias="FLAGBEARER_MAX_VALIDATION_WORK")
    max_query_cost: int = Field(default=5000, gt=0, alias="FLAGBEARER_MAX_QUERY_COST")
    max_page_size: int = Field(
        default=PAGE_SIZE_CEILING, gt=0, le=PAGE_SIZE_CEILING, alias="FLAGBEARER_MAX_PAGE_SIZE"
    )
    max_body_bytes: int = Field(default=2_000_000, gt=0, alias="FLAGBEARER_MAX_BODY_BYTES")
    allow_batching: bool = Field(default=False, alias="FLAGBEARER_ALLOW_BATCHING")
    max_batch_operations: int = Field(default=10, gt=0, alias="FLAGBEARER_MAX_BATCH_OPERATIONS")
    # After SIGTERM, requests in flight may finish for this long; then they are cancelled
    # (503) and the process exits, at the latest 5 s later (graph_api/server.py). 5 + 5 fits
    # the 10 s Docker allows by default before SIGKILL; raise it where the orchestrator waits
    # longer (Kubernetes: 30 s).
    shutdown_grace_seconds: int = Field(default=5, gt=0, alias="FLAGBEARER_SHUTDOWN_GRACE_SECONDS")
    # The coaching engine's budget per request (plans, paths, what-ifs): past it the request
    # answers LIMIT_EXCEEDED (limit engineTime or engineVisits) instead of running on.
    engine_time_budget_seconds: float = Field(
        default=2.0, gt=0, le=600, alias="FLAGBEARER_ENGINE_TIME_BUDGET_SECONDS"
    )
    engine_visit_budget: int = Field(
        default=50_000_000, gt=0, alias="FLAGBEARER_ENGINE_VISIT_BUDGET"
    )
    rate_limit_cost_per_minute: int = Field(
        default=60_000, gt=0, alias="FLAGBEARER_RATE_LIMIT_COST"
    )
    # A process keeps an API key it has checked for this long before asking Neo4j again, so
    # a key revoked elsewhere (the CLI, another API process) stops working within this
    # bound; revoking or rotating through this process's API drops it at once. 0: no cache.
    key_cache_seconds: float = Field(default=5.0, ge=0, le=60, alias="FLAGBEARER_KEY_CACHE_SECONDS")

    jwt_jwks_url: str | None = Field(default=None, alias="FLAGBEARER_JWT_JWKS_URL")
    jwt_public_key: str | None = Field(default=None, alias="FLAGBEARER_JWT_PUBLIC_KEY")
    jwt_hs256_secret: str | None = Field(default=None, alias="FLAGBEARER_JWT_HS256_SECRET")
    jwt_audience: str | None = Field(default=None, alias="FLAGBEARER_JWT_AUDIENCE")
    jwt_issuer: str | None = Field(default=None, alias="FLAGBEARER_JWT_ISSUER")
    jwt_tenant_claim: str = Field(default="tenant", alias="FLAGBEARER_JWT_TENANT_CLAIM")
    jwt_role_claim: str = Field(default="role", alias="FLAGBEARER_JWT_ROLE_CLAIM")
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300, alias="FLAGBEARER_JWT_LEEWAY")
    jwks_cache_seconds: int = Field(default=300, gt=0, alias="FLAGBEARER_JWKS_CACHE_SECONDS")

    # Shared rate limit: with a Redis URL every API process spends from one budget per key.
    redis_url: str | None = Field(default=None, alias="FLAGBEARER_REDIS_URL")
    redis_timeout_seconds: float = Field(
        default=0.25, gt=0, le=10, alias="FLAGBEARER_REDIS_TIMEOUT"
    )

    # Operations: /metrics, traces and logs (README "Operations").
    metrics_token: str | None = Field(default=None, alias="FLAGBEARER_METRICS_TOKEN")
    metrics_address: str | None = Field(default=None, alias="FLAGBEARER_METRICS_ADDRESS")
    metrics_max_operations: int = Field(
        default=200, ge=0, le=10_000, alias="FLAGBEARER_METRICS_MAX_OPERATIONS"
    )
    tracing: bool = Field(default=False, alias="FLAGBEARER_TRACING")
    log_format: Literal["json", "human"] | None = Field(default=None, alias="FLAGBEARER_LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="FLAGBEARER_LOG_LEVEL"
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("metrics_address")
    @classmethod
    def _check_metrics_address(cls, value: str | None) -> str | None:
        if value is not None:
            split_address(value)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def metrics_listen(self) -> tuple[str, int] | None:
        """The separate address /metrics is served on, if any."""
        return None if self.metrics_address is None else split_address(self.metrics_address)

    @property
    def effective_log_format(self) -> Literal["json", "human"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.production else "human"

    @property
    def jwt_enabled(self) -> bool:
        return bool(self.jwt_jwks_url or self.jwt_public_key or self.jwt_hs256_secret)

    def production_problems(self) -> list[str]:
        """Every reason this configuration is unsafe to serve in production (empty: safe).

        Example:
            ``Settings(FLAGBEARER_ENV="production").production_problems()`` names the missing
            ``NEO4J_URI`` and the default ``NEO4J_PASSWORD``.
        """
        problems: list[str] = []
        if self.neo4j_uri is None:
            problems.append("NEO4J_URI must be set explicitly (no local server in production)")
        else:
            parts = urlsplit(self.neo4j_uri)
            host = parts.hostname or ""
            if not is_loopback(host) and parts.scheme not in TLS_SCHEMES:
                problems.append(
                    f"NEO4J_URI must use TLS for the non-loopback host '{host}'"
                    f" (scheme one of {', '.join(sorted(TLS_SCHEMES))}, got '{parts.scheme}')"
                )
        if not self.neo4j_password or self.neo4j_password == DEFAULT_LOCAL_PASSWORD:
            problems.append("NEO4J_PASSWORD must be set and not the local default")
        for origin in self.cors_origins:
            if origin == "*" or not origin.startswith("https://"):
                problems.append(f"FLAGBEARER_CORS_ORIGINS must list https origins, not '{origin}'")
        if self.jwt_jwks_url and not self.jwt_jwks_url.startswith("https://"):
            problems.append("FLAGBEARER_JWT_JWKS_URL must be an https URL")
        if self.jwt_hs256_secret and len(self.jwt_hs256_secret.encode()) < MIN_HS256_SECRET_BYTES:
            problems.append(
                f"FLAGBEARER_JWT_HS256_SECRET must be at least {MIN_HS256_SECRET_BYTES} bytes"
            )
        if self.metrics_token is not None and len(self.metrics_token) < MIN_METRICS_TOKEN_CHARS:
            problems.append(
                f"FLAGBEARER_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_CHARS} characters"
            )
        if self.redis_url is not None:
            parts = urlsplit(self.redis_url)
            host = parts.hostname or ""
            if parts.scheme != "unix" and not is_loopback(host) and parts.scheme != "rediss":
                problems.append(
                    f"FLAGBEARER_REDIS_URL must use TLS (rediss://) for the non-loopback host"
                    f" '{host}'"
                )
        return problems

    def refuse_if_unsafe(self) -> None:
        """Raise :class:`UnsafeSettings` listing every problem when production is unsafe."""
        if self.production and (problems := self.production_problems()):
            raise UnsafeSettings(problems)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def local_neo4j_home(self) -> Path:
        return self.data_dir / "neo4j"

    @property
    def effective_neo4j_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"


def load_settings() -> Settings:
    return Settings()
