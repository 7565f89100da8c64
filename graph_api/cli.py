"""``graph-api``: serve the API, run the local Neo4j, migrate, seed, import/export, keys, plan."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from graph_api.config import Settings, UnsafeSettings, load_settings
from graph_api.db.driver import Database, open_database, wait_until_ready
from graph_api.db.local_server import LocalNeo4j
from graph_api.db.migrations import apply_migrations
from graph_api.domain.enums import ImportMode, Role
from graph_api.domain.principal import Principal
from graph_api.errors import FlagbearerError, InvalidInput, NotFound
from graph_api.package_data import DEMO_SEEDS_DIR
from graph_api.repositories import keys as keys_repo
from graph_api.repositories.documents import export_document, import_document

T = TypeVar("T")
DEMO_TENANT = "demo"

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
neo4j_app = typer.Typer(
    no_args_is_help=True, help="The local Neo4j (data under FLAGBEARER_DATA_DIR/neo4j)."
)
keys_app = typer.Typer(no_args_is_help=True, help="API keys: create, list, revoke, rotate.")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(keys_app, name="keys")


class ModeOption(StrEnum):
    MERGE = "merge"
    REPLACE = "replace"


class RoleOption(StrEnum):
    viewer = "viewer"
    editor = "editor"
    admin = "admin"


def fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def local_server(settings: Settings, bolt_port: int | None = None) -> LocalNeo4j:
    return LocalNeo4j(
        settings.local_neo4j_home,
        bolt_port=bolt_port or settings.neo4j_bolt_port,
        password=settings.neo4j_password,
    )


def ensure_neo4j(settings: Settings) -> None:
    """Start the local Neo4j when no NEO4J_URI points elsewhere."""
    if settings.neo4j_uri is None:
        status = local_server(settings).start()
        typer.echo(f"local Neo4j running at {status.bolt_uri} (pid {status.pid})", err=True)


def run_with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Open the database, apply migrations, run ``work``; errors become clear messages."""

    async def main() -> T:
        database = open_database(settings)
        try:
            await wait_until_ready(database, timeout=30)
            await apply_migrations(database)
            return await work(database)
        finally:
            await database.close()

    try:
        return asyncio.run(main())
    except InvalidInput as error:
        for problem in error.problems:
            typer.secho(f"  {problem.path}: {problem.message}", fg=typer.colors.RED, err=True)
        fail(f"{len(error.problems)} problem(s); nothing was written")
    except FlagbearerError as error:
        fail(error.message)
    raise AssertionError("unreachable")  # fail() always exits


def cli_principal(tenant: str) -> Principal:
    return Principal(keys_repo.validate_tenant(tenant), Role.ADMIN, actor="cli")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option(help="Load the demo tenant and print a demo key.")] = False,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Worker processes sharing the port (one per core)."),
    ] = 1,
) -> None:
    """Serve GraphQL at /graphql (starts the local Neo4j first when NEO4J_URI is unset)."""
    from graph_api.app import create_app  # noqa: PLC0415 - only serve needs the server
    from graph_api.observability.logs import configure_logging  # noqa: PLC0415
    from graph_api.server import serve as run_server  # noqa: PLC0415
    from graph_api.server import serve_processes  # noqa: PLC0415

    settings = load_settings()
    if workers > 1 and settings.metrics_address is not None:
        fail(
            "FLAGBEARER_METRICS_ADDRESS binds one listener per process: with --workers, set"
            " FLAGBEARER_METRICS_TOKEN instead (each worker serves /metrics on the API port)"
        )
    try:
        settings.refuse_if_unsafe()
    except UnsafeSettings as error:
        for problem in error.problems:
            typer.secho(f"  {problem}", fg=typer.colors.RED, err=True)
        fail(f"refusing to start in production: {len(error.problems)} unsafe setting(s)")
    try:
        ensure_neo4j(settings)
    except FlagbearerError as error:
        fail(error.message)
    if demo:
        key = run_with_database(settings, _seed_demo_and_key)
        base = f"http://{host}:{port}"
        typer.echo(f"GraphQL:  {base}/graphql")
        typer.echo(f"Explorer: {base}/explorer/#key={key}&account=acct-halden")
        typer.echo(f"Demo key (tenant '{DEMO_TENANT}', editor): {key}")
    configure_logging(settings)
    if workers > 1:
        serve_processes(host, port, settings, workers)
        return
    run_server(create_app(settings), host, port, settings)


async def _seed_demo_and_key(database: Database) -> str:
    await seed_tenant(database, DEMO_TENANT)
    new = await keys_repo.create_key(database, DEMO_TENANT, Role.EDITOR, name="demo")
    return new.secret


async def seed_tenant(database: Database, tenant: str) -> int:
    """Import every seed document, in name order, as one tenant; returns the file count."""
    files = sorted(DEMO_SEEDS_DIR.glob("*.json"))
    principal = cli_principal(tenant)
    for path in files:
        document = json.loads(path.read_text("utf-8"))
        await import_document(database, principal, document, ImportMode.REPLACE, reason="seed")
    return len(files)


@app.command("schema")
def print_schema() -> None:
    """Print the GraphQL SDL (schema/schema.graphql is this output, checked by a test)."""
    from graph_api.api.schema import schema  # noqa: PLC0415 - only this command needs it

    typer.echo(schema.as_str())


@app.command()
def migrate() -> None:
    """Apply the schema migrations the package ships (idempotent)."""
    settings = load_settings()
    ensure_neo4j(settings)

    async def work(database: Database) -> None:
        return None  # run_with_database has applied them

    run_with_database(settings, work)
    typer.echo("schema is up to date")


@app.command()
def seed(
    tenant: Annotated[str, typer.Option(help="Tenant to load the demo data into.")] = DEMO_TENANT,
) -> None:
    """Load the demo tenant (the seed documents the package ships; idempotent)."""
    settings = load_settings()
    ensure_neo4j(settings)
    count = run_with_database(settings, lambda db: seed_tenant(db, tenant))
    typer.echo(f"loaded {count} seed documents into tenant '{tenant}'")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    tenant: Annotated[str, typer.Option(help="Tenant to import into.")],
    mode: Annotated[ModeOption, typer.Option(case_sensitive=False)] = ModeOption.MERGE,
) -> None:
    """Import an account document (docs/document.md); atomic: all or nothing."""
    settings = load_settings()
    try:
        document = json.loads(file.read_text("utf-8"))
    except json.JSONDecodeError as error:
        fail(f"{file} is not JSON: {error}")
    ensure_neo4j(settings)
    summary = run_with_database(
        settings,
        lambda db: import_document(
            db, cli_principal(tenant), document, ImportMode(mode.value.upper())
        ),
    )
    typer.echo(json.dumps(_plain(summary), indent=2))


@app.command("export")
def export_(
    tenant: Annotated[str, typer.Option(help="Tenant the account belongs to.")],
    account: Annotated[str, typer.Option(help="The account's externalId.")],
) -> None:
    """Print one account as an account document."""
    settings = load_settings()
    ensure_neo4j(settings)
    document = run_with_database(
        settings,
        lambda db: export_document(db, cli_principal(tenant), account_external_id=account),
    )
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


@keys_app.command("create")
def keys_create(
    tenant: Annotated[str, typer.Option(help="Tenant the key belongs to.")],
    role: Annotated[RoleOption, typer.Option(case_sensitive=False)],
    name: Annotated[str | None, typer.Option(help="A label for the key.")] = None,
) -> None:
    """Create an API key and print it alone on stdout (it is shown only once)."""
    settings = load_settings()
    ensure_neo4j(settings)
    new = run_with_database(
        settings, lambda db: keys_repo.create_key(db, tenant, Role(role.value), name)
    )
    typer.echo(new.secret)


@keys_app.command("list")
def keys_list(
    tenant: Annotated[str | None, typer.Option(help="Only this tenant's keys.")] = None,
) -> None:
    """List keys (never their secrets) with role, creation, last use and revocation."""
    settings = load_settings()
    ensure_neo4j(settings)
    found = run_with_database(settings, lambda db: keys_repo.list_keys(db, tenant))
    typer.echo(f"{'KEY ID':14} {'TENANT':16} {'ROLE':7} {'CREATED':32} {'LAST USED':32} REVOKED")
    for k in found:
        typer.echo(
            f"{k.id:14} {k.tenant_id:16} {k.role.value:7} {k.created_at:32} "
            f"{k.last_used_at or '-':32} {k.revoked_at or '-'}"
        )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id from 'keys list'.")],
) -> None:
    """Revoke a key: it stops working at once."""
    settings = load_settings()
    ensure_neo4j(settings)
    run_with_database(settings, lambda db: keys_repo.revoke_key(db, key_id))
    typer.echo(f"revoked {key_id}")


@keys_app.command("rotate")
def keys_rotate(
    key_id: Annotated[str, typer.Argument(help="The key id from 'keys list'.")],
) -> None:
    """Replace a key: print the new one alone on stdout and revoke the old one."""
    settings = load_settings()
    ensure_neo4j(settings)
    new = run_with_database(settings, lambda db: keys_repo.rotate_key(db, key_id))
    typer.echo(
        f"revoked {key_id}; new key {new.info.id} ({new.info.tenant_id}, {new.info.role.value})",
        err=True,
    )
    typer.echo(new.secret)


@neo4j_app.command("start")
def neo4j_start(bolt_port: Annotated[int | None, typer.Option()] = None) -> None:
    """Start the local Neo4j and wait until Bolt answers."""
    server = local_server(load_settings(), bolt_port)
    try:
        status = server.start()
    except FlagbearerError as error:
        fail(error.message)
    typer.echo(f"running at {status.bolt_uri} (pid {status.pid}, data in {status.home})")


@neo4j_app.command("stop")
def neo4j_stop(bolt_port: Annotated[int | None, typer.Option()] = None) -> None:
    """Stop the local Neo4j cleanly."""
    server = local_server(load_settings(), bolt_port)
    server.stop()
    typer.echo("stopped")


@neo4j_app.command("status")
def neo4j_status(bolt_port: Annotated[int | None, typer.Option()] = None) -> None:
    """Say whether the local Neo4j runs (exit code 3 when it does not)."""
    status = local_server(load_settings(), bolt_port).status()
    if status.running:
        typer.echo(f"running at {status.bolt_uri} (pid {status.pid}, data in {status.home})")
    else:
        typer.echo(f"not running (data in {status.home})")
        raise typer.Exit(3)


class PlanFormatOption(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    salesforce_tasks = "salesforce-tasks"
    hubspot_tasks = "hubspot-tasks"


@app.command()
def plan(
    tenant: Annotated[str, typer.Option(help="Tenant the opportunity belongs to.")],
    opportunity: Annotated[str, typer.Option(help="The opportunity's externalId.")],
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output_format: Annotated[
        PlanFormatOption,
        typer.Option(
            "--format",
            case_sensitive=False,
            help="text, json, csv (one row per play), markdown, or a task import"
            " file for Salesforce or HubSpot (one task per play).",
        ),
    ] = PlanFormatOption.text,
    max_hops: Annotated[
        int | None, typer.Option(help="Longest influence path, 1-6 (default: tenant's, 3).")
    ] = None,
    capacity: Annotated[
        int | None, typer.Option(help="Plays per champion, 1-10 (default: tenant's, 2).")
    ] = None,
    without: Annotated[
        list[str] | None,
        typer.Option(help="What if this stakeholder (externalId) left; repeat for several."),
    ] = None,
) -> None:
    """Print the coaching plan of one opportunity: approvers and their criticality, plays,
    threats, the champion test, the plan, what losing someone costs, and warnings — or the
    plays as rows (csv, markdown) or as CRM task imports."""
    from graph_api import coaching  # noqa: PLC0415
    from graph_api.crm.out import PlanFormat, render_plan  # noqa: PLC0415
    from graph_api.plan_report import load_plan_report  # noqa: PLC0415
    from graph_api.repositories.graph import nodes_by_keys  # noqa: PLC0415

    settings = load_settings()
    principal = cli_principal(tenant)
    chosen = PlanFormat.JSON if as_json else PlanFormat[output_format.name.upper()]

    async def work(database: Database) -> Any:
        gone = await nodes_by_keys(
            database, principal.tenant_id, "Stakeholder", without or [], "externalId"
        )
        unknown = sorted(set(without or []) - set(gone))
        if unknown:
            raise NotFound("Stakeholder", ", ".join(unknown))
        asked = coaching.Asked(
            max_hops=max_hops,
            capacity_per_champion=capacity,
            without=frozenset(p.id for p in gone.values()),
        )
        return await load_plan_report(
            database,
            settings,
            principal.tenant_id,
            opportunity_external_id=opportunity,
            asked=asked,
        )

    ensure_neo4j(settings)
    report = run_with_database(settings, work)
    typer.echo(render_plan(report, chosen, today()).content, nl=False)


@app.command()
def brief(
    tenant: Annotated[str, typer.Option(help="Tenant the opportunity belongs to.")],
    opportunity: Annotated[str, typer.Option(help="The opportunity's externalId.")],
    champion: Annotated[str, typer.Option(help="The champion's externalId.")],
    as_html: Annotated[bool, typer.Option("--html", help="A printable HTML page.")] = False,
) -> None:
    """Print a champion's brief: whom to reach, through whom, with which argument."""
    from graph_api.crm.out import brief_html, brief_markdown, champion_brief  # noqa: PLC0415
    from graph_api.plan_report import load_plan_report  # noqa: PLC0415

    settings = load_settings()
    principal = cli_principal(tenant)
    ensure_neo4j(settings)
    report = run_with_database(
        settings,
        lambda db: load_plan_report(
            db, settings, principal.tenant_id, opportunity_external_id=opportunity
        ),
    )
    person = next((p for p in report.account_map.people if p.external_id == champion), None)
    if person is None:
        fail(f"Stakeholder '{champion}' was not found on this opportunity's account")
        return
    found = champion_brief(report, person.id)
    typer.echo(brief_html(found) if as_html else brief_markdown(found), nl=False)


class CrmSourceOption(StrEnum):
    salesforce = "salesforce"
    hubspot = "hubspot"


@app.command("import-crm")
def import_crm(
    source: Annotated[CrmSourceOption, typer.Argument(case_sensitive=False)],
    directory: Annotated[
        Path,
        typer.Argument(
            exists=True,
            file_okay=False,
            readable=True,
            help="The folder holding the export's CSV files.",
        ),
    ],
    tenant: Annotated[str, typer.Option(help="Tenant to import into.")],
    mapping: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A mapping file (JSON or YAML) for custom roles and stages.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Merge a Salesforce or HubSpot CSV export into the map, atomically (README, CRM files in).

    Prints the counts per kind, the review list and every row that did not land."""
    from graph_api.crm import EXPORT_FILES, read_export  # noqa: PLC0415
    from graph_api.crm.csvfile import decode  # noqa: PLC0415
    from graph_api.crm.mapping import parse_mapping_text  # noqa: PLC0415
    from graph_api.crm.records import CrmSource  # noqa: PLC0415
    from graph_api.crm.summary import report_data, report_text  # noqa: PLC0415
    from graph_api.repositories.crm import merge_batch  # noqa: PLC0415

    settings = load_settings()
    crm = CrmSource[source.name.upper()]
    expected = {name.lower() for name in EXPORT_FILES[crm]}
    present = sorted(p for p in directory.iterdir() if p.is_file())
    chosen = [p for p in present if p.name.lower() in expected]
    if not chosen:
        fail(f"no {crm.label} export in {directory} (expected {', '.join(EXPORT_FILES[crm])})")
    ignored = [p.name for p in present if p not in chosen and p.suffix.lower() == ".csv"]
    if ignored:
        typer.echo(f"ignored (not part of a {crm.label} export): {', '.join(ignored)}", err=True)
    progress = _Progress()
    try:
        files = {p.name: decode(p.name, p.read_bytes()) for p in chosen}
        given = None
        if mapping is not None:
            given = parse_mapping_text(mapping.name, mapping.read_text("utf-8"))
        progress.note(f"reading {', '.join(files)}")
        batch = read_export(crm, files, given, today())
    except InvalidInput as error:
        for problem in error.problems:
            typer.secho(f"  {problem.path}: {problem.message}", fg=typer.colors.RED, err=True)
        fail(f"{len(error.problems)} problem(s); nothing was written")
        return
    ensure_neo4j(settings)
    with progress:
        report = run_with_database(
            settings,
            lambda db: merge_batch(
                db,
                cli_principal(tenant),
                batch,
                dry_run=dry_run,
                today=today(),
                progress=progress.step,
            ),
        )
    typer.echo(
        json.dumps(report_data(report), indent=2, ensure_ascii=False)
        if as_json
        else report_text(report, tenant)
    )


class _Progress:
    """A rich progress bar per step on a terminal; plain lines on stderr when piped."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        self.terminal = sys.stderr.isatty()

    def __enter__(self) -> _Progress:
        if self.terminal:
            from rich.console import Console  # noqa: PLC0415
            from rich.progress import Progress  # noqa: PLC0415

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def note(self, message: str) -> None:
        typer.echo(message, err=True)

    def step(self, name: str, done: int, total: int) -> None:
        if self.bar is None:
            typer.echo(f"{name}: {done}/{total}", err=True)
            return
        if name not in self.tasks:
            self.tasks[name] = self.bar.add_task(name, total=total)
        self.bar.update(self.tasks[name], completed=done)


def today() -> date:
    """The calendar day (UTC) that dates departures and tasks."""
    return datetime.now(UTC).date()


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
