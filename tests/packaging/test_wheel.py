"""The package installed from a built wheel works without the checkout.

The wheel is built from a copy of the sources (an in-tree build would leave ``build/`` behind),
installed with ``--no-deps`` into a fresh virtualenv that sees this interpreter's
dependencies through a ``.pth`` file (no network), and run from a directory outside the
checkout. The installed package must find its migrations, demo seeds, explorer build and
Neo4j launcher inside itself, and keep its data out of site-packages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph_api.config import PROJECT_ROOT
from graph_api.package_data import (
    DEMO_SEEDS_DIR,
    EXPLORER_DIST,
    MIGRATIONS_DIR,
    NEO4J_LAUNCHER_DIR,
)

# Runs inside the installed package; prints what the package's own lookups find.
PROBE = """
import asyncio, json, re, sys
from pathlib import Path
import httpx
from starlette.applications import Starlette
import graph_api
from graph_api.api.explorer import explorer_routes
from graph_api.config import Settings
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import load_migrations
from graph_api.package_data import DEMO_SEEDS_DIR, NEO4J_LAUNCHER_DIR

async def explorer() -> dict[str, object]:
    app = Starlette(routes=explorer_routes())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wheel") as client:
        page = await client.get("/explorer/")
        assets = re.findall(r'"(/explorer/assets/[^"]+)"', page.text)
        return {
            "status": page.status_code,
            "page": page.text,
            "assets": {url: (await client.get(url)).status_code for url in assets},
        }

launcher = LocalNeo4j(Path(sys.argv[1]) / "neo4j").launcher_dir
json.dump({
    "package": str(Path(graph_api.__file__).parent),
    "migrations": [m.version for m in load_migrations()],
    "seeds": sorted(p.name for p in DEMO_SEEDS_DIR.glob("*.json")),
    "explorer": asyncio.run(explorer()),
    "launcher": str(launcher),
    "launcher_sources": sorted(
        str(p.relative_to(launcher)) for p in launcher.rglob("*") if p.is_file()
    ),
    "data_dir": str(Settings().data_dir),
}, sys.stdout)
"""


@dataclass(frozen=True)
class Installed:
    venv: Path
    outside: Path  # a working directory with no checkout in it or above it
    wheel: Path

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        # No PYTHONPATH or settings from the caller's shell; data goes under XDG_DATA_HOME.
        env = {"PATH": f"{self.venv / 'bin'}:{os.environ['PATH']}", "HOME": str(self.outside)}
        env["XDG_DATA_HOME"] = str(self.outside / "xdg-data")
        return subprocess.run(
            argv,
            cwd=self.outside,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def _relative_files(directory: Path) -> list[str]:
    return sorted(
        str(p.relative_to(directory))
        for p in directory.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def _check(argv: list[str], cwd: Path) -> None:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    if not (EXPLORER_DIST / "index.html").is_file():
        pytest.fail(
            f"the explorer is not built ({EXPLORER_DIST} has no index.html), so a wheel built "
            "now would not carry it: run scripts/build-explorer (bin/setup does)",
            pytrace=False,
        )
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        PROJECT_ROOT / "graph_api",
        source / "graph_api",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT_ROOT / name, source / name)
    wheels = work / "wheels"
    _check(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        work,
    )
    (wheel,) = wheels.glob("flagbearer_graph_api-*.whl")
    venv = work / "venv"
    _check([sys.executable, "-m", "venv", "--without-pip", str(venv)], work)
    python = venv / "bin" / "python"
    _check(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        work,
    )
    # Only now make this interpreter's dependencies visible, after the venv's own
    # site-packages (where the wheel went), so pip never saw the checkout's editable install.
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    here = sysconfig.get_paths()
    dependencies = dict.fromkeys([here["purelib"], here["platlib"]])
    (site / "zz-test-dependencies.pth").write_text("\n".join(dependencies) + "\n", "utf-8")
    outside = work / "elsewhere"
    outside.mkdir()
    return Installed(venv=venv, outside=outside, wheel=wheel)


@pytest.fixture(scope="module")
def probe(installed: Installed) -> dict[str, Any]:
    done = installed.run("python", "-c", PROBE, str(installed.outside / "data"))
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_graph_api_schema_runs_from_the_installed_wheel(installed: Installed) -> None:
    done = installed.run("graph-api", "schema")
    assert done.returncode == 0, done.stderr
    published = (PROJECT_ROOT / "schema" / "schema.graphql").read_text("utf-8")
    assert done.stdout.strip() == published.strip()


def test_the_package_imported_is_the_installed_one(
    installed: Installed, probe: dict[str, Any]
) -> None:
    package = Path(probe["package"])
    assert package.is_relative_to(installed.venv), package
    assert not package.is_relative_to(PROJECT_ROOT)


def test_migrations_and_demo_seeds_are_package_data(probe: dict[str, Any]) -> None:
    assert probe["migrations"] == sorted(p.stem for p in MIGRATIONS_DIR.glob("*.cypher"))
    assert probe["migrations"], "no migrations found in the installed package"
    assert probe["seeds"] == sorted(p.name for p in DEMO_SEEDS_DIR.glob("*.json"))
    assert "00-playbook.json" in probe["seeds"]


def test_the_installed_package_serves_the_explorer_build(probe: dict[str, Any]) -> None:
    explorer = probe["explorer"]
    assert explorer["status"] == 200, explorer["page"][:500]
    assert explorer["page"] == (EXPLORER_DIST / "index.html").read_text("utf-8")
    assert explorer["assets"], "the page loads no /explorer/assets/ files"
    assert set(explorer["assets"].values()) == {200}, explorer["assets"]


def test_the_neo4j_launcher_sources_ship_with_the_package(probe: dict[str, Any]) -> None:
    launcher = Path(probe["launcher"])
    assert launcher.is_relative_to(Path(probe["package"]))
    shipped = probe["launcher_sources"]
    assert "pom.xml" in shipped
    assert shipped == [
        f for f in _relative_files(NEO4J_LAUNCHER_DIR) if f == "pom.xml" or f.endswith(".java")
    ]


def test_data_stays_out_of_site_packages(installed: Installed, probe: dict[str, Any]) -> None:
    assert Path(probe["data_dir"]) == installed.outside / "xdg-data" / "flagbearer"
