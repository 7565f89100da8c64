"""Configuration from the environment: one Settings object, read once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCAL_PASSWORD = "flagbearer-local"  # noqa: S105 - the loopback-only dev server's password


class Settings(BaseSettings):
    """Every setting the service reads. Neo4j names are the driver's usual ones.

    Example:
        ``NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io NEO4J_PASSWORD=… graph-api serve``
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    neo4j_uri: str | None = Field(default=None, alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", alias="NEO4J_USER")
    neo4j_password: str = Field(default=DEFAULT_LOCAL_PASSWORD, alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", alias="NEO4J_DATABASE")
    neo4j_bolt_port: int = Field(default=7687, alias="NEO4J_BOLT_PORT")
    data_dir: Path = Field(default=PROJECT_ROOT / ".data", alias="FLAGBEARER_DATA_DIR")

    environment: Literal["development", "production"] = Field(
        default="development", alias="FLAGBEARER_ENV"
    )
    cors_origins: list[str] = Field(default_factory=list, alias="FLAGBEARER_CORS_ORIGINS")

    max_query_depth: int = Field(default=12, alias="FLAGBEARER_MAX_QUERY_DEPTH")
    max_query_tokens: int = Field(default=2000, alias="FLAGBEARER_MAX_QUERY_TOKENS")
    max_aliases: int = Field(default=30, alias="FLAGBEARER_MAX_ALIASES")
    max_query_cost: int = Field(default=5000, alias="FLAGBEARER_MAX_QUERY_COST")
    max_page_size: int = Field(default=100, alias="FLAGBEARER_MAX_PAGE_SIZE")
    max_body_bytes: int = Field(default=2_000_000, alias="FLAGBEARER_MAX_BODY_BYTES")
    allow_batching: bool = Field(default=False, alias="FLAGBEARER_ALLOW_BATCHING")
    rate_limit_cost_per_minute: int = Field(default=60_000, alias="FLAGBEARER_RATE_LIMIT_COST")

    jwt_jwks_url: str | None = Field(default=None, alias="FLAGBEARER_JWT_JWKS_URL")
    jwt_public_key: str | None = Field(default=None, alias="FLAGBEARER_JWT_PUBLIC_KEY")
    jwt_hs256_secret: str | None = Field(default=None, alias="FLAGBEARER_JWT_HS256_SECRET")
    jwt_audience: str | None = Field(default=None, alias="FLAGBEARER_JWT_AUDIENCE")
    jwt_issuer: str | None = Field(default=None, alias="FLAGBEARER_JWT_ISSUER")
    jwt_tenant_claim: str = Field(default="tenant", alias="FLAGBEARER_JWT_TENANT_CLAIM")
    jwt_role_claim: str = Field(default="role", alias="FLAGBEARER_JWT_ROLE_CLAIM")

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
