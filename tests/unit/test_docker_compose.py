"""docker-compose.yml and the Dockerfile, read the way Compose and Docker read them.

No Docker engine runs here, so nothing is built or started: the compose file is parsed and
interpolated as Compose does (``$$``, ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}`` …),
the API's settings are built from the environment its container would get, and the app is
created from them, which refuses unsafe production settings. The Dockerfile is parsed into its
stages and instructions.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shlex
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.specifiers import SpecifierSet

from graph_api.app import create_app
from graph_api.config import PROJECT_ROOT, Settings, UnsafeSettings, is_loopback
from graph_api.package_data import EXPLORER_DIST

PASSWORD = "compose-test-password"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
BRACED = re.compile(r"(?s)([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?")
# Variables the neo4j image's entrypoint reads itself; every other NEO4J_* becomes a setting.
NEO4J_IMAGE_CONTROLS = {"NEO4J_AUTH", "NEO4J_AUTH_PATH", "NEO4J_PLUGINS", "NEO4J_DEBUG"}


class ComposeError(Exception):
    """What ``docker compose`` would refuse, with its reason."""


# --- Compose: interpolation as the Compose specification defines it -----------------------


def interpolate(text: str, env: Mapping[str, str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != "$":
            out.append(text[i])
            i += 1
            continue
        following = text[i + 1 : i + 2]
        if following == "$":
            out.append("$")
            i += 2
        elif following == "{":
            end = _closing_brace(text, i + 2)
            out.append(_expand(text[i + 2 : end], env))
            i = end + 1
        elif match := NAME.match(text, i + 1):
            out.append(env.get(match.group(), ""))
            i = match.end()
        else:
            raise ComposeError(f"invalid interpolation format in {text!r}")
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ComposeError(f"unclosed '${{' in {text!r}")


def _expand(body: str, env: Mapping[str, str]) -> str:
    match = BRACED.fullmatch(body)
    if match is None:
        raise ComposeError(f"invalid interpolation format '${{{body}}}'")
    name, operator, argument = match.groups()
    value = env.get(name)
    if operator is None:
        return value or ""
    present = bool(value) if operator.startswith(":") else value is not None
    kind = operator[-1]
    if kind == "-":
        return value if present and value is not None else interpolate(argument, env)
    if kind == "+":
        return interpolate(argument, env) if present else ""
    if present and value is not None:
        return value
    raise ComposeError(f"required variable {name} is missing a value: {interpolate(argument, env)}")


def _interpolate_values(node: Any, env: Mapping[str, str]) -> Any:
    """Compose interpolates values, never keys."""
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, dict):
        return {key: _interpolate_values(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [_interpolate_values(value, env) for value in node]
    return node


def compose(env: Mapping[str, str]) -> dict[str, Any]:
    raw = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text("utf-8"))
    resolved: dict[str, Any] = _interpolate_values(raw, env)
    return resolved


def service_environment(service: Mapping[str, Any], shell: Mapping[str, str]) -> dict[str, str]:
    """The ``environment`` section as the container sees it; a bare name passes the shell's."""
    assert "env_file" not in service, "read env_file here too before relying on this test"
    entries = service.get("environment") or {}
    if isinstance(entries, list):
        entries = dict(entry.split("=", 1) if "=" in entry else (entry, None) for entry in entries)
    found: dict[str, str] = {}
    for key, value in entries.items():
        if value is None:
            if key in shell:
                found[key] = shell[key]
        else:
            found[key] = str(value).lower() if isinstance(value, bool) else str(value)
    return found


# --- Dockerfile: instructions and stages ----------------------------------------------------


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def dockerfile_stages() -> list[Stage]:
    text = (PROJECT_ROOT / "Dockerfile").read_text("utf-8")
    logical: list[str] = []
    pending = ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append(pending + line.strip())
        pending = ""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for instruction in logical:
        keyword, _, args = instruction.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "ARG" and not stages:
            name, _, default = args.partition("=")
            global_args[name] = default
        elif keyword == "FROM":
            image = interpolate(args, global_args).split()
            named = len(image) == 3 and image[1].upper() == "AS"
            stages.append(Stage(image[0], image[2] if named else None))
        else:
            stages[-1].instructions.append((keyword, args))
    return stages


def _copy_parts(args: str) -> tuple[str | None, list[str], str]:
    """``COPY [--from=stage] src… dest`` as (stage, sources, destination)."""
    words = shlex.split(args)
    flags = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
    return stage, paths[:-1], paths[-1]


# --- the API container's settings -----------------------------------------------------------


def container_settings(monkeypatch: pytest.MonkeyPatch, shell: Mapping[str, str]) -> Settings:
    """Settings built from exactly the environment compose gives the api container."""
    services = compose(shell)["services"]
    environment = dict(
        arg.split("=", 1)
        for args in dockerfile_stages()[-1].all("ENV")
        for arg in shlex.split(args)
    )
    environment |= service_environment(services["api"], shell)
    read = {f.alias.upper() for f in Settings.model_fields.values() if f.alias}
    for name in list(os.environ):
        if name.upper() in read:
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return Settings()


@pytest.fixture
def no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The container's working directory holds no .env file; neither does this one."""
    monkeypatch.chdir(tmp_path)


def test_compose_defaults_start_the_api_in_production(
    monkeypatch: pytest.MonkeyPatch, no_dotenv: None
) -> None:
    settings = container_settings(monkeypatch, {"NEO4J_PASSWORD": PASSWORD})
    assert settings.production
    assert settings.production_problems() == []
    app = create_app(settings)  # raises UnsafeSettings naming every problem
    assert app.router.routes
    assert settings.neo4j_password == PASSWORD
    assert settings.cors_origins == []


def test_compose_refuses_to_start_without_a_neo4j_password() -> None:
    with pytest.raises(ComposeError, match="NEO4J_PASSWORD"):
        compose({})
    with pytest.raises(ComposeError, match="NEO4J_PASSWORD"):
        compose({"NEO4J_PASSWORD": ""})


def test_origins_from_the_shell_reach_the_api_and_production_checks_them(
    monkeypatch: pytest.MonkeyPatch, no_dotenv: None
) -> None:
    shell = {
        "NEO4J_PASSWORD": PASSWORD,
        "FLAGBEARER_CORS_ORIGINS": "https://a.example,https://b.example",
    }
    settings = container_settings(monkeypatch, shell)
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    create_app(settings)
    shell["FLAGBEARER_CORS_ORIGINS"] = "http://plain.example"
    with pytest.raises(UnsafeSettings, match=r"http://plain\.example"):
        create_app(container_settings(monkeypatch, shell))


def test_development_mode_is_one_variable_away(
    monkeypatch: pytest.MonkeyPatch, no_dotenv: None
) -> None:
    shell = {"NEO4J_PASSWORD": PASSWORD, "FLAGBEARER_ENV": "development"}
    assert not container_settings(monkeypatch, shell).production


def test_api_environment_names_are_settings_the_code_reads() -> None:
    read_by_code = {f.alias for f in Settings.model_fields.values() if f.alias is not None}
    api = service_environment(compose({"NEO4J_PASSWORD": PASSWORD})["services"]["api"], {})
    assert set(api) <= read_by_code, set(api) - read_by_code


def test_api_reaches_neo4j_on_loopback_inside_neo4j_network_namespace() -> None:
    services = compose({"NEO4J_PASSWORD": PASSWORD})["services"]
    api, neo4j = services["api"], services["neo4j"]
    uri = urlsplit(service_environment(api, {})["NEO4J_URI"])
    assert uri.hostname is not None
    if is_loopback(uri.hostname):
        # loopback is the api container itself unless it shares the neo4j container's network
        assert api.get("network_mode") == "service:neo4j"
        assert "ports" not in api, "a service on another's network publishes on that service"
        published = {str(p).rsplit(":", 1)[-1] for p in neo4j.get("ports", [])}
        assert {str(uri.port), "8000"} <= published
    else:
        assert uri.hostname == "neo4j" or uri.hostname in services
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    auth = service_environment(neo4j, {})["NEO4J_AUTH"]
    assert auth == f"neo4j/{service_environment(api, {})['NEO4J_PASSWORD']}"


def test_neo4j_runs_526_community_and_reads_no_unknown_settings() -> None:
    neo4j = compose({"NEO4J_PASSWORD": PASSWORD})["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    for name in service_environment(neo4j, {}):
        assert name.startswith("NEO4J_")
        if name not in NEO4J_IMAGE_CONTROLS:
            # NEO4J_server_memory_heap_max__size is the setting server.memory.heap.max_size
            setting = name.removeprefix("NEO4J_").replace("__", "\0").replace("_", ".")
            assert re.fullmatch(r"(server|db|dbms|initial)\.[a-z0-9_.\0]+", setting), name


def test_neo4j_healthcheck_logs_in_with_the_compose_password(tmp_path: Path) -> None:
    """Runs the healthcheck's shell line with the container's environment and a stand-in
    ``cypher-shell`` that records its arguments."""
    neo4j = compose({"NEO4J_PASSWORD": PASSWORD})["services"]["neo4j"]
    form, line = neo4j["healthcheck"]["test"]
    assert form == "CMD-SHELL"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    recorder = bin_dir / "cypher-shell"
    recorder.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$RECORD"\n', "utf-8")
    recorder.chmod(0o755)
    env = service_environment(neo4j, {}) | {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "RECORD": str(tmp_path / "args"),
    }
    done = subprocess.run(
        ["/bin/sh", "-c", line], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    args = (tmp_path / "args").read_text("utf-8").splitlines()
    assert args[args.index("-u") + 1] == "neo4j"
    assert args[args.index("-p") + 1] == PASSWORD
    assert urlsplit(args[args.index("-a") + 1]).port == 7687


# --- Dockerfile -----------------------------------------------------------------------------


def test_image_installs_a_built_wheel_not_the_source_tree() -> None:
    stages = dockerfile_stages()
    runtime = stages[-1]
    builders = [s for s in stages[:-1] if any("pip wheel" in r for r in s.all("RUN"))]
    assert len(builders) == 1, "one stage builds the wheel"
    builder = builders[0]
    wheel_dir = re.search(r"--wheel-dir[= ](\S+)", " ".join(builder.all("RUN")))
    assert wheel_dir is not None
    copies = [_copy_parts(args) for args in runtime.all("COPY")]
    assert all(stage is not None for stage, _, _ in copies), "runtime copies only built files"
    (destination,) = [d for s, src, d in copies if s == builder.name and src == [wheel_dir[1]]]
    installs = [r for r in runtime.all("RUN") if "pip install" in r]
    assert any(f"{destination}/*.whl" in r for r in installs), installs
    for stage in stages:
        for run in stage.all("RUN"):
            assert not re.search(r"pip install\b.*\s(-e|--editable)\b", run), run


def test_wheel_carries_the_explorer_built_in_the_node_stage() -> None:
    stages = {s.name: s for s in dockerfile_stages()}
    builder = next(s for s in stages.values() if any("pip wheel" in r for r in s.all("RUN")))
    node_copies = [_copy_parts(args) for args in builder.all("COPY") if "--from=" in args]
    ((node_stage, (built,), destination),) = node_copies
    assert stages[node_stage].base.startswith("node:")
    inside_package = EXPLORER_DIST.relative_to(PROJECT_ROOT).as_posix()
    workdir = builder.all("WORKDIR")[-1]
    assert posixpath.normpath(posixpath.join(workdir, destination)) == f"{workdir}/{inside_package}"
    # where vite writes the build, from the node stage's working directory
    vite = (PROJECT_ROOT / "explorer" / "vite.config.ts").read_text("utf-8")
    out_dir = re.search(r'outDir:\s*"([^"]+)"', vite)
    assert out_dir is not None
    node_workdir = stages[node_stage].all("WORKDIR")[-1]
    assert posixpath.normpath(posixpath.join(node_workdir, out_dir[1])) == built


def test_build_context_holds_every_file_the_dockerfile_copies() -> None:
    ignored = [
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for stage in dockerfile_stages():
        for args in stage.all("COPY"):
            from_stage, sources, _ = _copy_parts(args)
            if from_stage is not None:
                continue
            for source in sources:
                path = source.rstrip("/")
                assert (PROJECT_ROOT / path).exists(), f"COPY {source}: not in the repository"
                assert not any(fnmatch(path, p) for p in ignored), f"{source} is dockerignored"


def test_image_serves_on_all_interfaces_as_a_non_root_user() -> None:
    runtime = dockerfile_stages()[-1]
    assert re.fullmatch(r"python:3\.\d+-slim", runtime.base), runtime.base
    python = runtime.base.removeprefix("python:").removesuffix("-slim")
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))
    assert python + ".0" in SpecifierSet(pyproject["project"]["requires-python"])
    (user,) = runtime.all("USER")
    assert user not in {"root", "0"}
    assert any(user in run for run in runtime.all("RUN") if "useradd" in run)
    (cmd,) = runtime.all("CMD")
    argv = json.loads(cmd)
    assert argv[:2] == ["graph-api", "serve"]
    assert argv[argv.index("--host") + 1] == "0.0.0.0"
    port = argv[argv.index("--port") + 1]
    assert runtime.all("EXPOSE") == [port]
    (healthcheck,) = runtime.all("HEALTHCHECK")
    assert f"127.0.0.1:{port}/healthz" in healthcheck
