"""The workloads of issue 10, as each of the three servers is asked them, and how their
answers are brought to one shape to be compared.

Per workload: the GraphQL document for this API, the equivalent document for the peer
(@neo4j/graphql 7), and the floor's route (one hand-written Cypher statement,
``FLOOR_CYPHER``). Each ``*_answer`` function turns one server's JSON body into the canonical
form; ``first_difference`` names where two canonical answers part. All of this is pure (no
I/O), so tests check it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

TARGETS = ("api", "peer", "floor")


class Mismatch(AssertionError):
    """Two servers gave different answers to one workload, or one gave an error."""


@dataclass(frozen=True)
class Ids:
    """What the workloads point at, in the generated data set."""

    stakeholder_external_id: str  # someone in the 1,000-person account
    account_external_id: str  # the 1,000-person account
    account_id: str
    opportunity_id: str  # the 1,000-person account's opportunity
    small_opportunity_id: str  # the 200-person account's opportunity


@dataclass(frozen=True)
class Request:
    """One request body for one server (``path`` under its base URL)."""

    path: str
    body: dict[str, Any]

    def encoded(self) -> bytes:
        return json.dumps(self.body, separators=(",", ":")).encode()


Answer = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    requests: dict[str, Request]  # by target
    answers: dict[str, Answer]  # by target: body -> canonical answer

    def targets(self) -> list[str]:
        return [t for t in TARGETS if t in self.requests]


# --- the documents ------------------------------------------------------------------------

TYPENAME = "{ __typename }"

INFLUENCE_FIELDS = "strength topics to { id externalId name }"
API_STAKEHOLDER = f"""query Stakeholder($externalId: String!) {{
  stakeholder(externalId: $externalId) {{
    id externalId name title influences {{ {INFLUENCE_FIELDS} }}
  }}
}}"""
PEER_INFLUENCES = (
    "influencesConnection { edges { properties { strength topics } node { id externalId name } } }"
)
PEER_STAKEHOLDER = f"""query Stakeholder($externalId: String!) {{
  stakeholders(where: {{ externalId: {{ eq: $externalId }} }}) {{
    id externalId name title {PEER_INFLUENCES}
  }}
}}"""

API_FIRST_STAKEHOLDERS = f"""query FirstStakeholders($account: String!, $first: Int!) {{
  account(externalId: $account) {{
    stakeholders(first: $first) {{ edges {{ node {{
      id externalId name title
      influences {{ {INFLUENCE_FIELDS} }}
      reportsTo {{ id externalId name }}
    }} }} }}
  }}
}}"""
# This API pages an account's stakeholders by name, then id: the peer is asked the same order.
PEER_FIRST_STAKEHOLDERS = f"""query FirstStakeholders($account: String!, $first: Int!) {{
  accounts(where: {{ externalId: {{ eq: $account }} }}) {{
    stakeholdersConnection(
      first: $first, sort: [{{ node: {{ name: ASC }} }}, {{ node: {{ id: ASC }} }}]
    ) {{
      edges {{ node {{
        id externalId name title
        {PEER_INFLUENCES}
        reportsTo {{ id externalId name }}
      }} }}
    }}
  }}
}}"""

NODE_FIELDS = (
    "id",
    "externalId",
    "kind",
    "label",
    "title",
    "department",
    "seniority",
    "role",
    "stance",
    "veto",
    "voteWeight",
    "stanceEvidence",
    "isApprover",
    "isChampion",
    "isOpponent",
    "alternativeKind",
)
EDGE_FIELDS = ("id", "source", "target", "kind", "weight", "topics", "evidence")
API_ACCOUNT_GRAPH = f"""query AccountGraph($account: ID!, $opportunity: ID) {{
  accountGraph(accountId: $account, opportunityId: $opportunity) {{
    nodes {{ {" ".join(NODE_FIELDS)} }}
    edges {{ {" ".join(EDGE_FIELDS)} }}
  }}
}}"""
# The same nodes and edges, as the peer nests them: the account's people with their outgoing
# reporting lines, influences, conflicts, their seat on the opportunity and their advocacy of
# its alternatives, and the opportunity's alternatives.
PEER_ACCOUNT_GRAPH = """query AccountGraph($account: ID!, $opportunity: ID!) {
  accounts(where: { id: { eq: $account } }) {
    stakeholders {
      id externalId name title department seniority
      reportsTo { id }
      influencesConnection { edges { properties { strength topics evidence } node { id } } }
      conflictsConnection { edges { properties { strength evidence } node { id } } }
      seatsConnection(where: { node: { id: { eq: $opportunity } } }) {
        edges { properties { role stance veto voteWeight stanceEvidence } }
      }
      advocacyConnection(
        where: { node: { opportunities: { some: { id: { eq: $opportunity } } } } }
      ) {
        edges { properties { strength evidence } node { id kind } }
      }
    }
    opportunities(where: { id: { eq: $opportunity } }) {
      alternatives { id externalId name kind }
    }
  }
}"""

API_COACHING_PLAN = """query Plan($id: ID!) {
  coachingPlan(opportunityId: $id) {
    decisionRule winProbability winProbabilityWithPlan warnings
    approvers {
      approver { id name title } role stance status
      approvalProbability approvalProbabilityWithPlan
      plays { action champion { id name } argument { id title kind } path { id name }
              reach fit value explanation }
      threats { opponent { id name } reach path { id name } alternative { id name kind } }
      developCandidates { stakeholder { id name } reach path { id } reachableBy { id name } }
    }
    plan {
      action champion { id name } argument { id title } approver { id name } value explanation
    }
  }
}"""

# The floor: one statement per workload, parameterised, scoped to the tenant, shaped in Cypher.
_FLOOR_INFLUENCES = """COLLECT {
    MATCH (s)-[r:INFLUENCES]->(t:Stakeholder) WHERE t.tenantId = $tenantId
    RETURN {strength: r.strength, topics: r.topics, to: t {.id, .externalId, .name}}
  }"""
FLOOR_CYPHER = {
    "stakeholder": f"""
MATCH (s:Stakeholder {{tenantId: $tenantId, externalId: $externalId}})
RETURN s {{.id, .externalId, .name, .title, influences: {_FLOOR_INFLUENCES}}} AS stakeholder
""",
    "first_stakeholders": f"""
MATCH (a:Account {{tenantId: $tenantId, externalId: $account}})<-[:WORKS_AT]-(s:Stakeholder)
WHERE s.tenantId = $tenantId
WITH s ORDER BY s.name, s.id LIMIT $first
RETURN collect(s {{.id, .externalId, .name, .title,
  influences: {_FLOOR_INFLUENCES},
  reportsTo: COLLECT {{
    MATCH (s)-[:REPORTS_TO]->(m:Stakeholder) WHERE m.tenantId = $tenantId
    RETURN m {{.id, .externalId, .name}}
  }}
}}) AS stakeholders
""",
    "account_graph": """
MATCH (a:Account {id: $account}) WHERE a.tenantId = $tenantId
OPTIONAL MATCH (a)-[:HAS_OPPORTUNITY]->(o:Opportunity {id: $opportunity})
WHERE o.tenantId = $tenantId
WITH a, o, COLLECT {
  MATCH (o)-[:CONSIDERS]->(x:Alternative)<-[r:ADVOCATES_FOR]-(s:Stakeholder)
  WHERE s.tenantId = $tenantId AND x.kind <> 'OURS' AND r.strength >= 0.5
  RETURN DISTINCT s.id
} AS rivals
WITH a, o, rivals, COLLECT {
  MATCH (s:Stakeholder)-[:WORKS_AT]->(a)
  OPTIONAL MATCH (s)-[seat:SITS_ON]->(o)
  WITH s, seat, coalesce(seat.stance, 'UNKNOWN') AS stance, coalesce(seat.veto, false) AS veto
  RETURN {id: s.id, externalId: s.externalId, kind: 'Stakeholder', label: s.name,
    title: s.title, department: s.department, seniority: s.seniority, role: seat.role,
    stance: CASE WHEN seat IS NULL THEN null ELSE stance END,
    veto: CASE WHEN seat IS NULL THEN null ELSE veto END,
    voteWeight: CASE WHEN seat IS NULL THEN null ELSE toFloat(coalesce(seat.voteWeight, 1)) END,
    stanceEvidence: seat.stanceEvidence,
    isApprover: seat IS NOT NULL AND (veto OR seat.role IN ['ECONOMIC_BUYER', 'APPROVER']),
    isChampion: seat IS NOT NULL AND stance IN ['CHAMPION', 'SUPPORTER'],
    isOpponent: s.id IN rivals OR (seat IS NOT NULL AND stance IN ['SKEPTIC', 'BLOCKER']),
    alternativeKind: null}
} + COLLECT {
  MATCH (o)-[:CONSIDERS]->(x:Alternative)
  RETURN {id: x.id, externalId: x.externalId, kind: 'Alternative', label: x.name,
    isApprover: false, isChampion: false, isOpponent: false, alternativeKind: x.kind}
} AS nodes
RETURN {nodes: nodes, edges: COLLECT {
  MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[:REPORTS_TO]->(t:Stakeholder)
  WHERE t.tenantId = $tenantId
  RETURN {id: 'REPORTS_TO:' + s.id + ':' + t.id, kind: 'REPORTS_TO', source: s.id,
          target: t.id, topics: []}
} + COLLECT {
  MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:INFLUENCES]->(t:Stakeholder)
  WHERE t.tenantId = $tenantId
  RETURN {id: 'INFLUENCES:' + s.id + ':' + t.id, kind: 'INFLUENCES', source: s.id,
          target: t.id, weight: r.strength, topics: coalesce(r.topics, []), evidence: r.evidence}
} + COLLECT {
  MATCH (s:Stakeholder)-[:WORKS_AT]->(a) MATCH (s)-[r:CONFLICTS_WITH]->(t:Stakeholder)
  WHERE t.tenantId = $tenantId
  RETURN {id: 'CONFLICTS_WITH:' + s.id + ':' + t.id, kind: 'CONFLICTS_WITH', source: s.id,
          target: t.id, weight: r.strength, topics: [], evidence: r.evidence}
} + COLLECT {
  MATCH (o)-[:CONSIDERS]->(x:Alternative)<-[r:ADVOCATES_FOR]-(s:Stakeholder)
  WHERE s.tenantId = $tenantId
  RETURN {id: 'ADVOCATES_FOR:' + s.id + ':' + x.id, kind: 'ADVOCATES_FOR', source: s.id,
          target: x.id, weight: r.strength, topics: [], evidence: r.evidence}
}} AS graph
""",
}


def graphql(document: str, variables: Mapping[str, Any] | None = None) -> Request:
    body: dict[str, Any] = {"query": document}
    if variables:
        body["variables"] = dict(variables)
    return Request("/graphql", body)


def workloads(ids: Ids, first: int = 100) -> list[Workload]:
    """Issue 10's workloads over the generated data set, in table order."""
    stakeholder = {"externalId": ids.stakeholder_external_id}
    page = {"account": ids.account_external_id, "first": first}
    graph = {"account": ids.account_id, "opportunity": ids.opportunity_id}
    return [
        Workload(
            "typename",
            "`{ __typename }` with a key",
            {"api": graphql(TYPENAME), "peer": graphql(TYPENAME)},
            {"api": typename_answer, "peer": typename_answer},
        ),
        Workload(
            "stakeholder",
            "one stakeholder by externalId with its influences",
            {
                "api": graphql(API_STAKEHOLDER, stakeholder),
                "peer": graphql(PEER_STAKEHOLDER, stakeholder),
                "floor": Request("/stakeholder", stakeholder),
            },
            {"api": api_stakeholder, "peer": peer_stakeholder, "floor": floor_stakeholder},
        ),
        Workload(
            "first_stakeholders",
            f"an account's first {first} stakeholders with influences and reporting lines",
            {
                "api": graphql(API_FIRST_STAKEHOLDERS, page),
                "peer": graphql(PEER_FIRST_STAKEHOLDERS, page),
                "floor": Request("/first_stakeholders", page),
            },
            {
                "api": api_first_stakeholders,
                "peer": peer_first_stakeholders,
                "floor": floor_first_stakeholders,
            },
        ),
        Workload(
            "account_graph",
            "a 1,000-person account's whole graph (`accountGraph`)",
            {
                "api": graphql(API_ACCOUNT_GRAPH, graph),
                "peer": graphql(PEER_ACCOUNT_GRAPH, graph),
                "floor": Request("/account_graph", graph),
            },
            {"api": api_account_graph, "peer": peer_account_graph, "floor": floor_account_graph},
        ),
        Workload(
            "plan_200",
            "`coachingPlan`, 200 people",
            {"api": graphql(API_COACHING_PLAN, {"id": ids.small_opportunity_id})},
            {"api": api_coaching_plan},
        ),
        Workload(
            "plan_1000",
            "`coachingPlan`, 1,000 people",
            {"api": graphql(API_COACHING_PLAN, {"id": ids.opportunity_id})},
            {"api": api_coaching_plan},
        ),
    ]


# --- canonical answers --------------------------------------------------------------------


def data_of(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``data`` of a GraphQL response; any ``errors`` is a mismatch, named."""
    if body.get("errors"):
        raise Mismatch(f"GraphQL errors: {json.dumps(body['errors'])[:1000]}")
    data = body.get("data")
    if not isinstance(data, dict):
        raise Mismatch(f"no data in the response: {json.dumps(body)[:1000]}")
    return data


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _person(p: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": p["id"], "externalId": p.get("externalId"), "name": p.get("name")}


def _influence(
    to: Mapping[str, Any], strength: Any, topics: Iterable[str] | None
) -> dict[str, Any]:
    return {"to": _person(to), "strength": _float(strength), "topics": sorted(topics or [])}


def _influences(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda i: (i["to"]["id"], i["strength"] or 0.0))


def _as_list(value: Any) -> list[Any]:
    """A to-one link that may be served as a list, one object or null."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _stakeholder(s: Mapping[str, Any], influences: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": s["id"],
        "externalId": s.get("externalId"),
        "name": s.get("name"),
        "title": s.get("title"),
        "influences": _influences(influences),
    }


def typename_answer(body: Mapping[str, Any]) -> Any:
    return data_of(body)


def api_stakeholder(body: Mapping[str, Any]) -> Any:
    found = data_of(body)["stakeholder"]
    if found is None:
        raise Mismatch("this API found no such stakeholder")
    return _stakeholder(
        found, [_influence(i["to"], i["strength"], i["topics"]) for i in found["influences"]]
    )


def _peer_influences(s: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        _influence(e["node"], e["properties"]["strength"], e["properties"]["topics"])
        for e in s["influencesConnection"]["edges"]
    ]


def peer_stakeholder(body: Mapping[str, Any]) -> Any:
    found = data_of(body)["stakeholders"]
    if len(found) != 1:
        raise Mismatch(
            f"the peer found {len(found)} stakeholders with that externalId (expected 1: "
            "externalIds are unique per tenant, so more means its tenant filter leaks)"
        )
    return _stakeholder(found[0], _peer_influences(found[0]))


def floor_stakeholder(body: Mapping[str, Any]) -> Any:
    found = body["stakeholder"]
    return _stakeholder(
        found, [_influence(i["to"], i["strength"], i["topics"]) for i in found["influences"]]
    )


def _page_entry(s: Mapping[str, Any], influences: list[dict[str, Any]]) -> dict[str, Any]:
    entry = _stakeholder(s, influences)
    entry["reportsTo"] = sorted(
        (_person(m) for m in _as_list(s.get("reportsTo"))), key=lambda m: m["id"]
    )
    return entry


def api_first_stakeholders(body: Mapping[str, Any]) -> Any:
    account = data_of(body)["account"]
    if account is None:
        raise Mismatch("this API found no such account")
    return [
        _page_entry(
            e["node"],
            [_influence(i["to"], i["strength"], i["topics"]) for i in e["node"]["influences"]],
        )
        for e in account["stakeholders"]["edges"]
    ]


def peer_first_stakeholders(body: Mapping[str, Any]) -> Any:
    accounts = data_of(body)["accounts"]
    if len(accounts) != 1:
        raise Mismatch(f"the peer found {len(accounts)} accounts with that externalId")
    return [
        _page_entry(e["node"], _peer_influences(e["node"]))
        for e in accounts[0]["stakeholdersConnection"]["edges"]
    ]


def floor_first_stakeholders(body: Mapping[str, Any]) -> Any:
    return [
        _page_entry(s, [_influence(i["to"], i["strength"], i["topics"]) for i in s["influences"]])
        for s in body["stakeholders"]
    ]


def canonical_graph(nodes: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]]) -> Any:
    """Nodes by id and edges by (kind, source, target), every field present; edge ids are
    left out (each server names edges its own way) but must be unique."""
    flags = ("isApprover", "isChampion", "isOpponent")
    canonical_nodes = []
    for n in nodes:
        node = {f: n.get(f) for f in NODE_FIELDS}
        node["voteWeight"] = _float(node["voteWeight"])
        for flag in flags:
            node[flag] = bool(node[flag])
        canonical_nodes.append(node)
    canonical_edges = [
        {
            "kind": e["kind"],
            "source": e["source"],
            "target": e["target"],
            "weight": _float(e.get("weight")),
            "topics": sorted(e.get("topics") or []),
            "evidence": e.get("evidence"),
        }
        for e in edges
    ]
    keys = [(e["kind"], e["source"], e["target"]) for e in canonical_edges]
    if len(set(keys)) != len(keys):
        raise Mismatch("the same edge (kind, source, target) is listed twice")
    return {
        "nodes": sorted(canonical_nodes, key=lambda n: n["id"]),
        "edges": sorted(canonical_edges, key=lambda e: (e["kind"], e["source"], e["target"])),
    }


def api_account_graph(body: Mapping[str, Any]) -> Any:
    graph = data_of(body)["accountGraph"]
    return canonical_graph(graph["nodes"], graph["edges"])


def floor_account_graph(body: Mapping[str, Any]) -> Any:
    graph = body["graph"]
    return canonical_graph(graph["nodes"], graph["edges"])


def peer_account_graph(body: Mapping[str, Any]) -> Any:
    """The peer's nested answer as nodes and edges, with the explorer's three flags derived
    from the seat and advocacy it returned (approver, champion, opponent as
    docs/coaching-model.md defines them)."""
    accounts = data_of(body)["accounts"]
    if len(accounts) != 1:
        raise Mismatch(f"the peer found {len(accounts)} accounts with that id")
    account = accounts[0]
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for s in account["stakeholders"]:
        seats = [e["properties"] for e in s["seatsConnection"]["edges"]]
        seat = seats[0] if seats else None
        stance = None if seat is None else (seat["stance"] or "UNKNOWN")
        veto = None if seat is None else bool(seat["veto"])
        advocacy = s["advocacyConnection"]["edges"]
        pushes_rival = any(
            a["node"]["kind"] != "OURS" and a["properties"]["strength"] >= 0.5 for a in advocacy
        )
        nodes.append(
            {
                "id": s["id"],
                "externalId": s["externalId"],
                "kind": "Stakeholder",
                "label": s["name"],
                "title": s["title"],
                "department": s["department"],
                "seniority": s["seniority"],
                "role": None if seat is None else seat["role"],
                "stance": stance,
                "veto": veto,
                "voteWeight": None if seat is None else (seat["voteWeight"] or 1.0),
                "stanceEvidence": None if seat is None else seat["stanceEvidence"],
                "isApprover": seat is not None
                and (bool(veto) or seat["role"] in ("ECONOMIC_BUYER", "APPROVER")),
                "isChampion": stance in ("CHAMPION", "SUPPORTER"),
                "isOpponent": pushes_rival or stance in ("SKEPTIC", "BLOCKER"),
            }
        )
        edges.extend(
            {"kind": "REPORTS_TO", "source": s["id"], "target": m["id"]} for m in s["reportsTo"]
        )
        edges.extend(
            {
                "kind": "INFLUENCES",
                "source": s["id"],
                "target": e["node"]["id"],
                "weight": e["properties"]["strength"],
                "topics": e["properties"]["topics"],
                "evidence": e["properties"]["evidence"],
            }
            for e in s["influencesConnection"]["edges"]
        )
        edges.extend(
            {
                "kind": "CONFLICTS_WITH",
                "source": s["id"],
                "target": e["node"]["id"],
                "weight": e["properties"]["strength"],
                "evidence": e["properties"]["evidence"],
            }
            for e in s["conflictsConnection"]["edges"]
        )
        edges.extend(
            {
                "kind": "ADVOCATES_FOR",
                "source": s["id"],
                "target": a["node"]["id"],
                "weight": a["properties"]["strength"],
                "evidence": a["properties"]["evidence"],
            }
            for a in advocacy
        )
    for opportunity in account["opportunities"]:
        nodes.extend(
            {
                "id": x["id"],
                "externalId": x["externalId"],
                "kind": "Alternative",
                "label": x["name"],
                "alternativeKind": x["kind"],
            }
            for x in opportunity["alternatives"]
        )
    return canonical_graph(nodes, edges)


def api_coaching_plan(body: Mapping[str, Any]) -> Any:
    """No peer or floor computes a plan: the check is that this API answers one."""
    plan = data_of(body)["coachingPlan"]
    if not plan["approvers"]:
        raise Mismatch("the coaching plan has no approvers; the generated committee has 3-5")
    return {"approvers": len(plan["approvers"]), "plays": len(plan["plan"])}


def first_difference(left: Any, right: Any, path: str = "$") -> str | None:
    """Where two canonical answers first differ (a JSON path and both values), or None."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                return f"{path}.{key}: present in only one answer"
            found = first_difference(left[key], right[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        for index, (a, b) in enumerate(zip(left, right, strict=False)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        if len(left) != len(right):
            return f"{path}: {len(left)} items against {len(right)}"
        return None
    if left != right:
        return f"{path}: {json.dumps(left)[:200]} against {json.dumps(right)[:200]}"
    return None


def check_same(workload: str, answers: Mapping[str, Any]) -> None:
    """Every target's canonical answer equals this API's; else Mismatch naming the place."""
    reference = answers["api"]
    for target, answer in answers.items():
        if target == "api":
            continue
        difference = first_difference(reference, answer)
        if difference is not None:
            raise Mismatch(f"{workload}: this API and the {target} differ at {difference}")
