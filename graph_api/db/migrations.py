"""Schema migrations: the Cypher files under ``graph_api/migrations``, applied idempotently."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from neo4j import AsyncManagedTransaction

from graph_api.db.driver import Database
from graph_api.package_data import MIGRATIONS_DIR

RECORD_MIGRATION = """
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.appliedAt = $at
SET m.checksum = $checksum
"""
APPLIED_VERSIONS = "MATCH (m:SchemaMigration) RETURN m.version AS version"


@dataclass(frozen=True)
class Migration:
    version: str
    statements: tuple[str, ...]
    checksum: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Read each ``NNNN_name.cypher`` file; statements end with ``;``, ``//`` lines are comments."""
    migrations = []
    for path in sorted(directory.glob("*.cypher")):
        text = "\n".join(
            line
            for line in path.read_text("utf-8").splitlines()
            if not line.strip().startswith("//")
        )
        statements = tuple(s.strip() for s in text.split(";") if s.strip())
        checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        migrations.append(Migration(path.stem, statements, checksum))
    return migrations


async def apply_migrations(database: Database) -> list[str]:
    """Apply every migration (each statement is itself idempotent); return the new versions."""
    applied_before = await applied_versions(database)
    newly_applied = []
    for migration in load_migrations():
        for statement in migration.statements:
            async with database.driver.session(database=database.database) as session:
                result = await session.run(statement)
                await result.consume()

        async def record(tx: AsyncManagedTransaction, m: Migration = migration) -> None:
            await tx.run(
                RECORD_MIGRATION,
                version=m.version,
                checksum=m.checksum,
                at=datetime.now(UTC).isoformat(),
            )

        await database.write(record)
        if migration.version not in applied_before:
            newly_applied.append(migration.version)
    return newly_applied


async def applied_versions(database: Database) -> set[str]:
    async def work(tx: AsyncManagedTransaction) -> set[str]:
        result = await tx.run(APPLIED_VERSIONS)
        return {record["version"] async for record in result}

    return await database.read(work)


async def pending_migrations(database: Database) -> list[str]:
    done = await applied_versions(database)
    return [m.version for m in load_migrations() if m.version not in done]
