"""The files the package ships beside its code, found wherever the package is installed.

They live inside ``graph_api/`` so that a wheel carries them and an installed ``graph-api``
needs no checkout. All are committed except the explorer, which ``scripts/build-explorer``
builds into :data:`EXPLORER_DIST` (git-ignored; the wheel includes it when it is there).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
"""The Cypher migrations, ``NNNN_name.cypher``, applied in name order."""

DEMO_SEEDS_DIR = PACKAGE_DIR / "seeds" / "demo"
"""The demo tenant's account documents, imported in name order by ``graph-api seed``."""

EXPLORER_DIST = PACKAGE_DIR / "static" / "explorer"
"""The built graph explorer (``index.html`` and ``assets/``), served at ``/explorer``."""

NEO4J_LAUNCHER_DIR = PACKAGE_DIR / "neo4j_launcher"
"""The local Neo4j's launcher: ``pom.xml`` and its Java sources, compiled on first start."""
