"""Load and soak (issue 8): many clients reading, planning and editing across tenants at once,
then a check that nothing they were told was lost.

    .venv/bin/python -m benchmarks.load                       # 50 clients, 120 s, own server
    .venv/bin/python -m benchmarks.load --clients 8 --duration 10      # a short run
    .venv/bin/python -m benchmarks.load --url http://127.0.0.1:8000 --key t1=fbk_… --key t2=fbk_…

Bounded and loopback only: it refuses a server that is not on 127.0.0.1/::1/localhost, and
every client stops when the time is up. Without ``--url`` it starts its own Neo4j
(``.data/bench-load``, Bolt port 7762) and this checkout's API (``graph-api serve``, with the
per-key rate limit lifted: the clients of one tenant share a key), imports one generated
account per tenant with ``graph-api import`` and makes an editor key per tenant. With
``--url`` it imports the same accounts through the ``importDocument`` mutation, with the
editor keys given.

Each client belongs to one tenant and loops without pause over a weighted mix of operations:
reads (a stakeholder with influences, a page of stakeholders, the account graph), coaching
plans, and edits. Edits are built so the final state can be checked against what clients
were told:

- every client owns one stakeholder (title) and one influence (strength) that only it writes,
  so each must end equal to the client's last acknowledged write;
- the clients of a tenant all write one shared seat (stance + evidence naming the writer), so
  it must end as one acknowledged write, whole, and the seat's audit trail must chain (each
  stance entry's old value is the previous entry's new value; the newest is the stored one);
- they race to create the same few influences, none of which exists at first: at most one
  creation of each may be acknowledged, and at most one edge stored.

A write whose answer was lost (timeout, broken connection, 5xx) may or may not have landed;
the checks accept its value too. It prints throughput, p50/p99 per operation, every non-2xx
answer and GraphQL error (grouped, each logged whole to ``errors.log`` beside the data), and
ends with "0 server errors, 0 lost updates" or what failed (exit status 1).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import generate_account_document
from benchmarks.peers import servers

V = TypeVar("V")
DEFAULT_WORK_DIR = servers.REPO_ROOT / ".data" / "bench-load"
CONTESTED_PAIRS = 5
# What a writer was told: its write landed, was refused (a typed error), or no answer came.
ACK, REFUSED, UNKNOWN = "acknowledged", "refused", "unknown"
STANCES = ("CHAMPION", "SUPPORTER", "NEUTRAL", "SKEPTIC", "UNKNOWN")
WEIGHTS = {
    "read_stakeholder": 30,
    "read_page": 12,
    "read_graph": 4,
    "plan": 10,
    "edit_title": 16,
    "edit_influence": 12,
    "edit_shared_seat": 10,
    "race_create": 6,
}
# The soak measures correctness under load, not throttling: a shared key must not be refused.
SERVER_ENV = {"FLAGBEARER_RATE_LIMIT_COST": str(10**12)}

READ_STAKEHOLDER = """query($x: String!) { stakeholder(externalId: $x) {
  id name title influences { strength topics to { id name } } } }"""
READ_PAGE = """query($a: String!) { account(externalId: $a) { stakeholders(first: 20) {
  edges { node { id name title reportsTo { id name } influences { strength to { id } } } } } } }"""
READ_GRAPH = """query($a: ID!, $o: ID) { accountGraph(accountId: $a, opportunityId: $o) {
  nodes { id kind label role stance isApprover isChampion isOpponent }
  edges { id source target kind weight } } }"""
PLAN = """query($o: ID!) { coachingPlan(opportunityId: $o) { winProbability winProbabilityWithPlan
  approvers { approver { id name } status approvalProbability
    plays { champion { id } argument { id } value explanation } }
  plan { champion { id } approver { id } value } } }"""
EDIT_TITLE = """mutation($id: ID!, $title: String!) {
  updateStakeholder(id: $id, input: {title: $title}, reason: "load test") {
    __typename ... on Stakeholder { title } } }"""
EDIT_INFLUENCE = """mutation($from: ID!, $to: ID!, $strength: Float!) {
  updateInfluence(input: {fromId: $from, toId: $to, strength: $strength}) {
    __typename ... on Influence { strength } } }"""
EDIT_SEAT = """mutation($s: ID!, $o: ID!, $stance: Stance!, $evidence: String!) {
  updateSeat(input: {stakeholderId: $s, opportunityId: $o, stance: $stance,
                     stanceEvidence: $evidence}) {
    __typename ... on Seat { stance stanceEvidence } } }"""
RACE_CREATE = """mutation($from: ID!, $to: ID!) {
  createInfluence(input: {fromId: $from, toId: $to, strength: 0.5}) { __typename } }"""
IMPORT = """mutation($d: JSON!) { importDocument(document: $d, mode: MERGE) { __typename } }"""
LOOKUP = """query($a: String!, $after: String) { account(externalId: $a) { id
  opportunities(first: 1) { edges { node { id } } }
  stakeholders(first: 100, after: $after) { edges { node { id externalId } }
    pageInfo { hasNextPage endCursor } } } }"""
FINAL_PERSON = """query($x: String!) { stakeholder(externalId: $x) {
  title influences { to { id } strength }
  seats { opportunity { id } stance stanceEvidence } } }"""
SEAT_HISTORY = """query($x: String!, $after: String) { stakeholder(externalId: $x) {
  seats { opportunity { id } history(first: 100, after: $after) {
    edges { node { at field oldValue newValue } } pageInfo { hasNextPage endCursor } } } } }"""


# --- the data: per tenant one generated account, who owns what ----------------------------


@dataclass
class Tenant:
    name: str
    key: str
    document: dict[str, Any]
    account_id: str = ""
    opportunity_id: str = ""
    ids: dict[str, str] = field(default_factory=dict)  # externalId -> id

    @property
    def account(self) -> dict[str, Any]:
        return dict(self.document["accounts"][0])

    @property
    def people(self) -> list[str]:
        return [p["externalId"] for p in self.account["stakeholders"]]

    def title_of(self, person: str) -> str | None:
        found = next(p for p in self.account["stakeholders"] if p["externalId"] == person)
        title = found.get("title")
        return None if title is None else str(title)

    def strength_of(self, source: str, target: str) -> float:
        return float(
            next(
                i["strength"]
                for i in self.account["influences"]
                if (i["from"], i["to"]) == (source, target)
            )
        )

    @property
    def shared_seat_holder(self) -> str:
        return str(self.account["opportunities"][0]["committee"][0]["stakeholder"])

    def contested_pairs(self) -> list[tuple[str, str]]:
        """Pairs with no influence in the document, among people no client owns."""
        existing = {(i["from"], i["to"]) for i in self.account["influences"]}
        people = self.people[len(self.people) // 2 :]
        pairs: list[tuple[str, str]] = []
        for source, target in zip(people, reversed(people), strict=True):
            if source != target and (source, target) not in existing:
                pairs.append((source, target))
            if len(pairs) == CONTESTED_PAIRS:
                break
        return pairs


@dataclass
class Client:
    """One simulated user: its tenant, its own stakeholder and influence, what it was told."""

    index: int
    tenant: Tenant
    person: str  # externalId of the stakeholder whose title only this client writes
    influence_target: str  # externalId: the influence person -> target only this client writes
    # Per owned record: the writes in the order sent, each (value, ACK | REFUSED | UNKNOWN)
    titles: list[tuple[str, str]] = field(default_factory=list)
    strengths: list[tuple[float, str]] = field(default_factory=list)
    sequence: int = 0


@dataclass
class Outcome:
    operation: str
    seconds: float
    ok: bool
    server_error: bool  # a 5xx answer, a broken connection, or an INTERNAL GraphQL error
    message: str = ""
    timeout: bool = False


@dataclass
class Ledger:
    """Everything the clients were told, for the report and the final checks."""

    outcomes: list[Outcome] = field(default_factory=list)
    # tenant -> [((stance, evidence), ACK | REFUSED | UNKNOWN)] in the order sent
    seat_writes: dict[str, list[tuple[tuple[str, str], str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # (tenant, source, target) -> acknowledged creations
    creations: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # updates answered as a success that carry another value than the one written
    false_acknowledgements: list[str] = field(default_factory=list)
    error_log: list[str] = field(default_factory=list)


def assign_clients(tenants: Sequence[Tenant], count: int) -> list[Client]:
    """Client i belongs to tenant i mod T and owns a stakeholder no other client owns, and
    that stakeholder's first influence."""
    clients = []
    for index in range(count):
        tenant = tenants[index % len(tenants)]
        slot = index // len(tenants)
        people = tenant.people
        if slot >= len(people) // 2:
            msg = (
                f"{count} clients need {slot + 1} owned stakeholders per tenant; the accounts "
                f"have {len(people)} people (use --people or more --tenants)"
            )
            raise ValueError(msg)
        person = people[slot]
        target = next(i["to"] for i in tenant.account["influences"] if i["from"] == person)
        clients.append(Client(index, tenant, person, target))
    return clients


def told_of(kind: str, success: str, same_value: bool) -> str:
    """What an update's answer told its writer: a success carrying the written value is an
    acknowledgement; a typed error a refusal; a success carrying another value says nothing
    reliable (the write may or may not have landed) and is reported as a false answer."""
    if kind != success:
        return REFUSED
    return ACK if same_value else UNKNOWN


# --- talking to the server ---------------------------------------------------------------


class GraphQLFailure(Exception):
    def __init__(self, message: str, *, server_error: bool, timeout: bool = False) -> None:
        super().__init__(message)
        self.server_error = server_error
        self.timeout = timeout


async def call(
    http: httpx.AsyncClient, key: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """POST one operation; its ``data``, or GraphQLFailure naming the status and errors."""
    try:
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {key}"},
        )
    except httpx.TimeoutException as error:
        raise GraphQLFailure(
            f"no answer in time ({type(error).__name__})", server_error=False, timeout=True
        ) from error
    except httpx.HTTPError as error:
        raise GraphQLFailure(f"{type(error).__name__}: {error}", server_error=True) from error
    try:
        body = response.json()
    except ValueError:
        body = {}
    errors = body.get("errors") if isinstance(body, dict) else None
    if response.status_code // 100 != 2 or errors:
        codes = {str((e.get("extensions") or {}).get("code")) for e in errors or []}
        detail = json.dumps(errors)[:600] if errors else response.text[:300]
        raise GraphQLFailure(
            f"HTTP {response.status_code}: {detail}",
            server_error=response.status_code >= 500 or "INTERNAL" in codes,
        )
    data: dict[str, Any] = body["data"]
    return data


def typename_of(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (payload,) = data.values()
    return str(payload["__typename"]), payload


async def operate(
    http: httpx.AsyncClient, client: Client, operation: str, ledger: Ledger, rng: random.Random
) -> None:
    """Run one operation of the mix and record what the client was told."""
    tenant = client.tenant
    client.sequence += 1
    seq = client.sequence
    began = time.perf_counter()
    unexpected = ""
    try:
        if operation == "read_stakeholder":
            await call(http, tenant.key, READ_STAKEHOLDER, {"x": rng.choice(tenant.people)})
        elif operation == "read_page":
            await call(http, tenant.key, READ_PAGE, {"a": tenant.account["externalId"]})
        elif operation == "read_graph":
            await call(
                http, tenant.key, READ_GRAPH, {"a": tenant.account_id, "o": tenant.opportunity_id}
            )
        elif operation == "plan":
            await call(http, tenant.key, PLAN, {"o": tenant.opportunity_id})
        elif operation == "edit_title":
            title = f"Load title c{client.index} #{seq}"
            client.titles.append((title, UNKNOWN))
            kind, payload = typename_of(
                await call(
                    http, tenant.key, EDIT_TITLE, {"id": tenant.ids[client.person], "title": title}
                )
            )
            told = told_of(kind, "Stakeholder", payload.get("title") == title)
            client.titles[-1] = (title, told)
            if told != ACK:
                unexpected = f"updateStakeholder answered {kind} {json.dumps(payload)[:200]}"
        elif operation == "edit_influence":
            strength = (seq % 90 + 5) / 100  # consecutive writes always differ
            client.strengths.append((strength, UNKNOWN))
            kind, payload = typename_of(
                await call(
                    http,
                    tenant.key,
                    EDIT_INFLUENCE,
                    {
                        "from": tenant.ids[client.person],
                        "to": tenant.ids[client.influence_target],
                        "strength": strength,
                    },
                )
            )
            told = told_of(kind, "Influence", payload.get("strength") == strength)
            client.strengths[-1] = (strength, told)
            if told != ACK:
                unexpected = f"updateInfluence answered {kind} {json.dumps(payload)[:200]}"
        elif operation == "edit_shared_seat":
            stance, evidence = rng.choice(STANCES), f"client {client.index} write {seq}"
            writes = ledger.seat_writes[tenant.name]
            writes.append(((stance, evidence), UNKNOWN))
            position = len(writes) - 1
            kind, payload = typename_of(
                await call(
                    http,
                    tenant.key,
                    EDIT_SEAT,
                    {
                        "s": tenant.ids[tenant.shared_seat_holder],
                        "o": tenant.opportunity_id,
                        "stance": stance,
                        "evidence": evidence,
                    },
                )
            )
            answered = (payload.get("stance"), payload.get("stanceEvidence"))
            told = told_of(kind, "Seat", answered == (stance, evidence))
            writes[position] = ((stance, evidence), told)
            if told != ACK and kind != "ConflictError":  # a refused race is honest
                unexpected = f"updateSeat answered {kind} {json.dumps(payload)[:200]}"
        elif operation == "race_create":
            source, target = rng.choice(tenant.contested_pairs())
            kind, _ = typename_of(
                await call(
                    http,
                    tenant.key,
                    RACE_CREATE,
                    {"from": tenant.ids[source], "to": tenant.ids[target]},
                )
            )
            if kind == "Influence":
                ledger.creations[tenant.name, source, target] += 1
            elif kind != "ConflictError":
                unexpected = f"createInfluence answered {kind}"
        else:
            msg = f"unknown operation {operation}"
            raise ValueError(msg)
    except GraphQLFailure as failure:
        message = f"{operation} ({tenant.name}): {failure}"
        ledger.error_log.append(message)
        ledger.outcomes.append(
            Outcome(
                operation,
                time.perf_counter() - began,
                ok=False,
                server_error=failure.server_error,
                message=str(failure),
                timeout=failure.timeout,
            )
        )
        return
    seconds = time.perf_counter() - began
    if unexpected.startswith(
        (
            "updateStakeholder answered Stakeholder",
            "updateInfluence answered Influence",
            "updateSeat answered Seat",
        )
    ):
        ledger.false_acknowledgements.append(
            f"{tenant.name}: client {client.index} wrote write {seq}; the success answer "
            f"carried other values: {unexpected}"
        )
    if unexpected:
        ledger.error_log.append(f"{operation} ({tenant.name}): {unexpected}")
    ledger.outcomes.append(
        Outcome(operation, seconds, ok=not unexpected, server_error=False, message=unexpected)
    )


async def client_loop(
    http: httpx.AsyncClient, client: Client, ledger: Ledger, deadline: float, seed: int
) -> None:
    rng = random.Random(seed)
    operations, weights = list(WEIGHTS), list(WEIGHTS.values())
    while time.monotonic() < deadline:
        await operate(http, client, rng.choices(operations, weights)[0], ledger, rng)


# --- set-up ------------------------------------------------------------------------------


def documents(tenants: int, people: int) -> list[dict[str, Any]]:
    return [generate_account_document(people, seed=index + 1) for index in range(tenants)]


async def resolve_ids(http: httpx.AsyncClient, tenant: Tenant) -> None:
    after: str | None = None
    while True:
        data = await call(
            http, tenant.key, LOOKUP, {"a": tenant.account["externalId"], "after": after}
        )
        account = data["account"]
        tenant.account_id = account["id"]
        tenant.opportunity_id = account["opportunities"]["edges"][0]["node"]["id"]
        page = account["stakeholders"]
        tenant.ids.update({e["node"]["externalId"]: e["node"]["id"] for e in page["edges"]})
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    missing = [p for p in tenant.people if p not in tenant.ids]
    if missing:
        msg = f"tenant {tenant.name}: {len(missing)} stakeholders not found after the import"
        raise servers.BenchError(msg)


@contextlib.contextmanager
def own_server(
    work: Path, bolt_port: int, docs: Sequence[dict[str, Any]]
) -> Iterator[tuple[str, list[Tenant]]]:
    """This checkout's API on its own Neo4j, the accounts imported, an editor key each."""
    with servers.local_neo4j(work, bolt_port) as neo4j:
        tenants = []
        for index, document in enumerate(docs):
            name = f"load-{index + 1}"
            servers.import_document(document, name, neo4j.env, work)
            tenants.append(Tenant(name, servers.create_key(name, "editor", neo4j.env), document))
        api = servers.start_api(neo4j, work / "logs", extra_env=SERVER_ENV)
        try:
            yield api.url, tenants
        finally:
            api.stop()


async def import_over_http(http: httpx.AsyncClient, tenants: Sequence[Tenant]) -> None:
    for tenant in tenants:
        kind, _ = typename_of(await call(http, tenant.key, IMPORT, {"d": tenant.document}))
        if kind != "ImportResult":
            msg = f"importDocument for {tenant.name} answered {kind}"
            raise servers.BenchError(msg)


# --- the checks --------------------------------------------------------------------------


def acceptable(writes: Sequence[tuple[V, str]]) -> list[V]:
    """Values a record may hold after these writes, sent in this order by its one writer:
    its last acknowledged value, or one sent after it whose answer never came. (Before any
    acknowledgement, also its starting value, which the caller knows and checks.)"""
    last = max((i for i, (_, told) in enumerate(writes) if told == ACK), default=-1)
    return [
        value
        for i, (value, told) in enumerate(writes)
        if (i == last) or (i > last and told == UNKNOWN)
    ]


def audit_chain_breaks(entries_oldest_first: Sequence[dict[str, Any]], stored: str) -> list[str]:
    """Places where a seat's stance history does not chain (an entry's oldValue is not the
    previous entry's newValue), or does not end at ``stored``. Entries stamped with the same
    instant may be listed in either order: any order of them that chains is accepted."""
    stance = [e for e in entries_oldest_first if e.get("field") == "stance"]
    breaks: list[str] = []
    current: Any = None
    started = False
    for group in _same_instant(stance):
        if not started:
            current, started = group[0].get("oldValue"), True
        chained = _chain(current, group)
        if chained is None:
            breaks.append(
                f"at {group[0].get('at')}: {len(group)} entries whose oldValues "
                f"{[e.get('oldValue') for e in group]} do not follow {current!r}"
            )
            current = group[-1].get("newValue")
        else:
            current = chained
    if started and current != stored:
        breaks.append(f"the newest entry sets {current!r}; stored {stored!r}")
    return breaks


def _same_instant(entries: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: list[list[dict[str, Any]]] = []
    for entry in entries:
        if groups and groups[-1][0].get("at") == entry.get("at"):
            groups[-1].append(entry)
        else:
            groups.append([entry])
    return groups


def _chain(current: Any, group: Sequence[dict[str, Any]]) -> Any:
    """The value after ``group`` applied in an order that chains from ``current``, or None."""
    if not group:
        return current
    for index, entry in enumerate(group):
        if entry.get("oldValue") == current:
            rest = [*group[:index], *group[index + 1 :]]
            after = _chain(entry.get("newValue"), rest)
            if after is not None:
                return after
    return None


async def seat_history(http: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    """The shared seat's audit entries, oldest first."""
    entries: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        data = await call(
            http, tenant.key, SEAT_HISTORY, {"x": tenant.shared_seat_holder, "after": after}
        )
        seat = next(
            s
            for s in data["stakeholder"]["seats"]
            if s["opportunity"]["id"] == tenant.opportunity_id
        )
        page = seat["history"]
        entries += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return entries[::-1]  # served newest first


async def verify(
    http: httpx.AsyncClient,
    clients: Sequence[Client],
    tenants: Sequence[Tenant],
    ledger: Ledger,
) -> list[str]:
    """Every way the stored state differs from what the clients were told."""
    lost: list[str] = []
    checked = Counter[str]()
    for client in clients:
        key = client.tenant.key
        person = (await call(http, key, FINAL_PERSON, {"x": client.person}))["stakeholder"]
        if any(told != REFUSED for _, told in client.titles):
            checked["owned titles"] += 1
            allowed: list[str | None] = [*acceptable(client.titles)]
            if not any(told == ACK for _, told in client.titles):
                allowed.append(client.tenant.title_of(client.person))
            if person["title"] not in allowed:
                lost.append(
                    f"client {client.index}: title is {person['title']!r}, expected one "
                    f"of {allowed!r} (its last acknowledged write)"
                )
        if any(told != REFUSED for _, told in client.strengths):
            checked["owned influence strengths"] += 1
            target = client.tenant.ids[client.influence_target]
            stored = [i["strength"] for i in person["influences"] if i["to"]["id"] == target]
            allowed_strengths = acceptable(client.strengths)
            if not any(told == ACK for _, told in client.strengths):
                allowed_strengths.append(
                    client.tenant.strength_of(client.person, client.influence_target)
                )
            if len(stored) != 1 or stored[0] not in allowed_strengths:
                lost.append(
                    f"client {client.index}: influence strength {stored}, expected one "
                    f"of {allowed_strengths}"
                )
    for tenant in tenants:
        writes = ledger.seat_writes.get(tenant.name, [])
        holder = (await call(http, tenant.key, FINAL_PERSON, {"x": tenant.shared_seat_holder}))[
            "stakeholder"
        ]
        seat = next(s for s in holder["seats"] if s["opportunity"]["id"] == tenant.opportunity_id)
        if any(told == ACK for _, told in writes):
            checked["shared seats"] += 1
            stored_pair = (seat["stance"], seat["stanceEvidence"])
            if stored_pair not in [pair for pair, told in writes if told != REFUSED]:
                lost.append(
                    f"{tenant.name}: the shared seat holds {stored_pair}, which is no "
                    "acknowledged write (nor one whose answer was lost)"
                )
            try:
                history = await seat_history(http, tenant)
            except GraphQLFailure as failure:
                lost.append(f"{tenant.name}: the seat's history could not be read: {failure}")
            else:
                checked["seat audit entries"] += len(history)
                lost += [
                    f"{tenant.name}: audit trail: {b}"
                    for b in audit_chain_breaks(history, seat["stance"])
                ]
        for source, target in tenant.contested_pairs():
            created = ledger.creations[tenant.name, source, target]
            checked["contested creations"] += 1
            if created > 1:
                lost.append(
                    f"{tenant.name}: {created} racing creations of {source} -> {target} "
                    "were all acknowledged"
                )
            row = (await call(http, tenant.key, FINAL_PERSON, {"x": source}))["stakeholder"]
            stored_edges = sum(1 for i in row["influences"] if i["to"]["id"] == tenant.ids[target])
            if stored_edges > 1 or (created and stored_edges != 1):
                lost.append(
                    f"{tenant.name}: {stored_edges} stored influences {source} -> "
                    f"{target} after {created} acknowledged creations"
                )
    print("verified: " + ", ".join(f"{n} {what}" for what, n in checked.items()))
    return ledger.false_acknowledgements + lost


# --- the run -----------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(ledger: Ledger, seconds: float, clients: int, tenants: int) -> list[str]:
    lines = [
        f"{clients} clients, {len(WEIGHTS)} operations, {tenants} tenants, {seconds:.0f} s: "
        f"{len(ledger.outcomes)} requests, {len(ledger.outcomes) / seconds:.1f} req/s"
    ]
    lines.append(f"{'operation':<18} {'count':>7} {'failed':>7} {'p50 ms':>8} {'p99 ms':>8}")
    by_operation: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in ledger.outcomes:
        by_operation[outcome.operation].append(outcome)
    for operation in WEIGHTS:
        done = by_operation.get(operation, [])
        if not done:
            continue
        times = [o.seconds * 1000 for o in done]
        lines.append(
            f"{operation:<18} {len(done):>7} {sum(not o.ok for o in done):>7} "
            f"{statistics.median(times):>8.1f} {percentile(times, 0.99):>8.1f}"
        )
    return lines


def loopback_only(url: str) -> str:
    host = urlsplit(url).hostname or ""
    loopback = host == "localhost"
    with contextlib.suppress(ValueError):
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    if not loopback:
        msg = f"{url}: this load script only drives a server on the loopback interface"
        raise SystemExit(msg)
    return url.rstrip("/")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds")
    parser.add_argument("--tenants", type=int, default=3)
    parser.add_argument(
        "--people",
        type=int,
        default=100,
        help="stakeholders in each tenant's account (at least 20)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds a client waits for an answer"
    )
    parser.add_argument(
        "--url",
        help="drive this running server (loopback) instead of one of "
        "its own; needs --key for each tenant",
    )
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="TENANT=KEY",
        help="an editor key of a tenant of --url (repeat per tenant)",
    )
    parser.add_argument("--bolt-port", type=int, default=7762)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration <= 0 or args.tenants < 1 or args.people < 20:
        parser.error(
            "--clients and --tenants must be at least 1, --duration positive, --people at least 20"
        )
    if args.url:
        args.url = loopback_only(args.url)
        if not args.key:
            parser.error("--url needs --key TENANT=KEY for each tenant")
        for pair in args.key:
            if "=" not in pair:
                parser.error(f"--key {pair!r}: expected TENANT=KEY")
        args.tenants = len(args.key)
    return args


async def drive(url: str, tenants: list[Tenant], args: argparse.Namespace, imported: bool) -> int:
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=url, timeout=args.timeout, limits=limits) as http:
        if not imported:
            await import_over_http(http, tenants)
        for tenant in tenants:
            await resolve_ids(http, tenant)
        clients = assign_clients(tenants, args.clients)
        ledger = Ledger()
        print(f"driving {url} with {args.clients} clients for {args.duration:g} s …", flush=True)
        began = time.monotonic()
        deadline = began + args.duration
        await asyncio.gather(
            *(client_loop(http, c, ledger, deadline, args.seed * 1000 + c.index) for c in clients)
        )
        elapsed = time.monotonic() - began
        print("\n".join(summary(ledger, elapsed, args.clients, len(tenants))))
        lost = await verify(http, clients, tenants, ledger)
    failed = [o for o in ledger.outcomes if not o.ok]
    server_errors = sum(o.server_error for o in failed)
    timeouts = sum(o.timeout for o in failed)
    log = args.work_dir / "errors.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("\n".join(ledger.error_log) + ("\n" if ledger.error_log else ""), "utf-8")
    if failed:
        print(f"\nnon-2xx answers and errors ({len(failed)}; each one in {log}):")
        for (operation, message), count in Counter(
            (o.operation, o.message) for o in failed
        ).most_common():
            print(f"  {count:>5} × {operation}: {message[:300]}")  # noqa: RUF001 - a count
    for problem in lost:
        print(f"LOST: {problem}")
    others = len(failed) - server_errors - timeouts
    notes = [f"{timeouts} requests unanswered after {args.timeout:g} s"] if timeouts else []
    notes += [f"{others} other errors"] if others else []
    print(
        f"\n{server_errors} server errors, {len(lost)} lost updates"
        + (f" ({'; '.join(notes)})" if notes else "")
    )
    return 1 if failed or lost else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    docs = documents(args.tenants, args.people)
    try:
        if args.url:
            keys = dict(pair.split("=", 1) for pair in args.key)
            tenants = [
                Tenant(name, key, doc) for (name, key), doc in zip(keys.items(), docs, strict=True)
            ]
            return asyncio.run(drive(args.url, tenants, args, imported=False))
        args.work_dir.mkdir(parents=True, exist_ok=True)
        print(
            f"starting Neo4j (Bolt port {args.bolt_port}) and this API; importing "
            f"{args.tenants} accounts of {args.people} people …",
            flush=True,
        )
        with own_server(args.work_dir, args.bolt_port, docs) as (url, tenants):
            return asyncio.run(drive(url, tenants, args, imported=True))
    except (servers.BenchError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
