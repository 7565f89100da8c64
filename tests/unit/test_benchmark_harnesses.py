"""The benchmark harnesses' own logic (benchmarks/peers, benchmarks/load.py), without servers:
argument parsing, the answer normalisation that decides whether three servers agree, the
tables, wrk's result line, and the load script's lost-update checks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The benchmarks are scripts beside the package, not part of it: import them from the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks import load
from benchmarks.peers import __main__ as peers
from benchmarks.peers import workloads as w
from benchmarks.peers.load_tool import parse
from benchmarks.peers.report import NONE, Measurement, failures, median_of, tables


def api_stakeholder_body(strength: float = 0.5) -> dict:
    return {
        "data": {
            "stakeholder": {
                "id": "s1",
                "externalId": "p-1",
                "name": "Dana",
                "title": "VP",
                "influences": [
                    {
                        "strength": 0.8,
                        "topics": ["RISK", "FINANCIAL"],
                        "to": {"id": "s3", "externalId": "p-3", "name": "Lee"},
                    },
                    {
                        "strength": strength,
                        "topics": [],
                        "to": {"id": "s2", "externalId": "p-2", "name": "Sam"},
                    },
                ],
            }
        }
    }


def peer_stakeholder_body(count: int = 1) -> dict:
    node = {
        "id": "s1",
        "externalId": "p-1",
        "name": "Dana",
        "title": "VP",
        "influencesConnection": {
            "edges": [
                {
                    "properties": {"strength": 0.5, "topics": None},
                    "node": {"id": "s2", "externalId": "p-2", "name": "Sam"},
                },
                {
                    "properties": {"strength": 0.8, "topics": ["FINANCIAL", "RISK"]},
                    "node": {"id": "s3", "externalId": "p-3", "name": "Lee"},
                },
            ]
        },
    }
    return {"data": {"stakeholders": [node] * count}}


def test_the_same_stakeholder_in_three_shapes_is_one_answer():
    floor = {"stakeholder": api_stakeholder_body()["data"]["stakeholder"]}
    answers = {
        "api": w.api_stakeholder(api_stakeholder_body()),
        "peer": w.peer_stakeholder(peer_stakeholder_body()),
        "floor": w.floor_stakeholder(floor),
    }
    w.check_same("stakeholder", answers)
    assert [i["to"]["id"] for i in answers["api"]["influences"]] == ["s2", "s3"]
    assert answers["peer"]["influences"][1]["topics"] == ["FINANCIAL", "RISK"]


def test_a_different_value_is_a_mismatch_naming_the_place():
    answers = {
        "api": w.api_stakeholder(api_stakeholder_body(strength=0.5)),
        "peer": w.peer_stakeholder(peer_stakeholder_body()),
        "floor": w.api_stakeholder(api_stakeholder_body(strength=0.6)),
    }
    with pytest.raises(w.Mismatch, match=r"floor differ at \$\.influences\[0\]\.strength"):
        w.check_same("stakeholder", answers)


def test_a_peer_answer_with_two_tenants_rows_is_refused():
    with pytest.raises(w.Mismatch, match="tenant filter"):
        w.peer_stakeholder(peer_stakeholder_body(count=2))


def test_graphql_errors_are_a_mismatch():
    with pytest.raises(w.Mismatch, match="LIMIT_EXCEEDED"):
        w.api_first_stakeholders(
            {
                "data": None,
                "errors": [{"message": "cost limit", "extensions": {"code": "LIMIT_EXCEEDED"}}],
            }
        )


def test_first_difference_reports_lengths_and_missing_keys():
    assert w.first_difference([1, 2], [1, 2, 3]) == "$: 2 items against 3"
    assert w.first_difference({"a": 1}, {"a": 1, "b": 2}) == "$.b: present in only one answer"
    assert w.first_difference({"a": [1.0]}, {"a": [1]}) is None


def test_reporting_lines_as_list_or_object_compare_equal():
    node = {"id": "s1", "externalId": "p-1", "name": "A", "title": None, "influences": []}
    as_list = {**node, "reportsTo": [{"id": "m", "externalId": "p-m", "name": "M"}]}
    as_object = {**node, "reportsTo": {"id": "m", "externalId": "p-m", "name": "M"}}
    api = w.api_first_stakeholders(
        {"data": {"account": {"stakeholders": {"edges": [{"node": as_list}]}}}}
    )
    floor = w.floor_first_stakeholders({"stakeholders": [as_object]})
    assert api == floor


def graph_bodies() -> tuple[dict, dict]:
    """One seated champion who advocates a rival, one unseated person, one alternative."""
    api = {
        "data": {
            "accountGraph": {
                "nodes": [
                    {
                        "id": "s1",
                        "externalId": "p-1",
                        "kind": "Stakeholder",
                        "label": "Dana",
                        "title": "VP",
                        "department": "Ops",
                        "seniority": "VP",
                        "role": "ECONOMIC_BUYER",
                        "stance": "CHAMPION",
                        "veto": True,
                        "voteWeight": 2.0,
                        "stanceEvidence": None,
                        "isApprover": True,
                        "isChampion": True,
                        "isOpponent": True,
                        "alternativeKind": None,
                    },
                    {
                        "id": "s2",
                        "externalId": "p-2",
                        "kind": "Stakeholder",
                        "label": "Sam",
                        "title": None,
                        "department": "IT",
                        "seniority": "IC",
                        "role": None,
                        "stance": None,
                        "veto": None,
                        "voteWeight": None,
                        "stanceEvidence": None,
                        "isApprover": False,
                        "isChampion": False,
                        "isOpponent": False,
                        "alternativeKind": None,
                    },
                    {
                        "id": "x1",
                        "externalId": "alt",
                        "kind": "Alternative",
                        "label": "Rival",
                        "title": None,
                        "department": None,
                        "seniority": None,
                        "role": None,
                        "stance": None,
                        "veto": None,
                        "voteWeight": None,
                        "stanceEvidence": None,
                        "isApprover": False,
                        "isChampion": False,
                        "isOpponent": False,
                        "alternativeKind": "COMPETITOR",
                    },
                ],
                "edges": [
                    {
                        "id": "INFLUENCES:s1:s2",
                        "source": "s1",
                        "target": "s2",
                        "kind": "INFLUENCES",
                        "weight": 0.7,
                        "topics": ["RISK"],
                        "evidence": None,
                    },
                    {
                        "id": "REPORTS_TO:s2:s1",
                        "source": "s2",
                        "target": "s1",
                        "kind": "REPORTS_TO",
                        "weight": None,
                        "topics": [],
                        "evidence": None,
                    },
                    {
                        "id": "ADVOCATES_FOR:s1:x1",
                        "source": "s1",
                        "target": "x1",
                        "kind": "ADVOCATES_FOR",
                        "weight": 0.6,
                        "topics": [],
                        "evidence": None,
                    },
                ],
            }
        }
    }
    none: dict = {"edges": []}
    peer = {
        "data": {
            "accounts": [
                {
                    "stakeholders": [
                        {
                            "id": "s2",
                            "externalId": "p-2",
                            "name": "Sam",
                            "title": None,
                            "department": "IT",
                            "seniority": "IC",
                            "reportsTo": [{"id": "s1"}],
                            "influencesConnection": none,
                            "conflictsConnection": none,
                            "seatsConnection": none,
                            "advocacyConnection": none,
                        },
                        {
                            "id": "s1",
                            "externalId": "p-1",
                            "name": "Dana",
                            "title": "VP",
                            "department": "Ops",
                            "seniority": "VP",
                            "reportsTo": [],
                            "influencesConnection": {
                                "edges": [
                                    {
                                        "properties": {
                                            "strength": 0.7,
                                            "topics": ["RISK"],
                                            "evidence": None,
                                        },
                                        "node": {"id": "s2"},
                                    }
                                ]
                            },
                            "conflictsConnection": none,
                            "seatsConnection": {
                                "edges": [
                                    {
                                        "properties": {
                                            "role": "ECONOMIC_BUYER",
                                            "stance": "CHAMPION",
                                            "veto": True,
                                            "voteWeight": 2,
                                            "stanceEvidence": None,
                                        }
                                    }
                                ]
                            },
                            "advocacyConnection": {
                                "edges": [
                                    {
                                        "properties": {"strength": 0.6, "evidence": None},
                                        "node": {"id": "x1", "kind": "COMPETITOR"},
                                    }
                                ]
                            },
                        },
                    ],
                    "opportunities": [
                        {
                            "alternatives": [
                                {
                                    "id": "x1",
                                    "externalId": "alt",
                                    "name": "Rival",
                                    "kind": "COMPETITOR",
                                }
                            ]
                        }
                    ],
                }
            ]
        }
    }
    return api, peer


def test_the_peers_nested_graph_becomes_the_explorers_nodes_and_edges():
    api, peer = graph_bodies()
    w.check_same(
        "account_graph", {"api": w.api_account_graph(api), "peer": w.peer_account_graph(peer)}
    )


def test_a_wrong_flag_in_the_graph_is_a_mismatch():
    api, peer = graph_bodies()
    api["data"]["accountGraph"]["nodes"][0]["isOpponent"] = False
    with pytest.raises(w.Mismatch, match="isOpponent"):
        w.check_same(
            "account_graph", {"api": w.api_account_graph(api), "peer": w.peer_account_graph(peer)}
        )


def test_every_workload_has_an_api_request_and_an_answer_per_target():
    ids = w.Ids("p-1", "acct", "a1", "o1", "o2")
    names = [x.name for x in w.workloads(ids)]
    assert names == [
        "typename",
        "stakeholder",
        "first_stakeholders",
        "account_graph",
        "plan_200",
        "plan_1000",
    ]
    for workload in w.workloads(ids):
        assert "api" in workload.requests
        assert set(workload.requests) == set(workload.answers)
    assert set(w.FLOOR_CYPHER) == {"stakeholder", "first_stakeholders", "account_graph"}
    assert all("$tenantId" in cypher for cypher in w.FLOOR_CYPHER.values())


def test_peers_options_quick_and_refusals(capsys: pytest.CaptureFixture[str]):
    quick = peers.parse_options(["--quick"])
    assert (quick.duration, quick.rounds, quick.concurrency) == (2.0, 1, 4)
    full = peers.parse_options([])
    assert (full.duration, full.rounds, full.concurrency, full.api_workers) == (15.0, 3, 16, 2)
    assert peers.parse_options(["--workloads", "typename,plan_200"]).workloads == (
        "typename",
        "plan_200",
    )
    with pytest.raises(SystemExit):
        peers.parse_options(["--workloads", "nope"])
    assert "unknown workload 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        peers.parse_options(["--targets", "peer,floor"])


def test_run_length_covers_bursts_within_a_cap():
    options = peers.parse_options([])
    assert peers.run_length(options, 0.001, 16) == 15.0
    assert peers.run_length(options, 1.0, 1) == 15.0
    assert peers.run_length(options, 2.0, 1) == 20.0
    assert peers.run_length(options, 1.0, 16) == 32.0
    assert peers.run_length(options, 10.0, 16) == peers.MAX_RUN_SECONDS


def test_wrk_result_line_is_parsed():
    output = (
        'Running 2s test\nBENCH_RESULT {"requests": 200, "duration_us": 2000000, '
        '"connect": 0, "read": 1, "write": 0, "status": 2, "timeout": 0, '
        '"p50_us": 1500, "p99_us": 9000, "mean_us": 1700.5}\n'
    )
    result = parse(output)
    assert (result.requests, result.errors, result.p50_ms, result.p99_ms) == (198, 3, 1.5, 9.0)
    assert result.per_second == 99.0
    assert result.error_kinds == "read 1, status 2"
    with pytest.raises(RuntimeError, match="no result line"):
        parse("Running 2s test\n")


def measurement(target: str, c: int, round_: int, requests: int, cpu: float) -> Measurement:
    return Measurement(
        "stakeholder", target, c, round_, requests, 10.0, 0, 5.0 * round_, 20.0, cpu, 0.5
    )


def test_tables_show_medians_and_ratios():
    runs = [
        measurement(t, c, r, 100 * (2 if t == "peer" else 1), 1.0 * r)
        for t in ("api", "peer")
        for c in (1, 16)
        for r in (1, 2, 3)
    ]
    runs.append(measurement("api2", 16, 1, 150, 2.0))
    assert median_of(runs, "stakeholder", "api", 1, "p50_ms") == 10.0
    text = tables(runs, [("stakeholder", "one stakeholder")])
    assert (
        f"| one stakeholder | 10.0 ms | 10.0 ms | {NONE} | 10.0 | 20.0 | {NONE} "
        f"| 20.0 / 10.0 / {NONE} |"
    ) in text
    x = "\u00d7"  # the ratio sign
    assert f"| one stakeholder | 1.0{x} | {NONE} | 0.5{x} | {NONE} | 2.0{x} | {NONE} |" in text
    assert f"| one stakeholder | 10.0 | 15.0 | 1.5{x} |" in text
    assert failures(runs) == []
    broken = [*runs, Measurement("stakeholder", "api", 16, 4, 0, 10.0, 0, 0, 0, 0, 0)]
    assert failures(broken) == [
        "stakeholder on this API (c=16, round 4): 0 errors (none) and 0 answers"
    ]


# --- the load script ----------------------------------------------------------------------


def test_acceptable_values_after_a_writers_writes():
    ack, refused, unknown = load.ACK, load.REFUSED, load.UNKNOWN
    assert load.acceptable([("a", ack), ("b", ack)]) == ["b"]
    assert load.acceptable([("a", ack), ("b", unknown), ("c", refused)]) == ["a", "b"]
    assert load.acceptable([("a", unknown), ("b", ack), ("c", unknown)]) == ["b", "c"]
    assert load.acceptable([("a", refused)]) == []


def test_an_update_answered_with_another_value_is_no_acknowledgement():
    assert load.told_of("Seat", "Seat", same_value=True) == load.ACK
    assert load.told_of("ConflictError", "Seat", same_value=False) == load.REFUSED
    assert load.told_of("Seat", "Seat", same_value=False) == load.UNKNOWN


def entry(at: str, old: str | None, new: str) -> dict:
    return {"at": at, "field": "stance", "oldValue": old, "newValue": new}


def test_an_audit_trail_that_chains_passes_even_with_ties():
    history = [
        entry("t1", None, "NEUTRAL"),
        {"at": "t1", "field": "stanceEvidence"},
        entry("t2", "CHAMPION", "SKEPTIC"),
        entry("t2", "NEUTRAL", "CHAMPION"),
        entry("t3", "SKEPTIC", "SKEPTIC"),
    ]
    assert load.audit_chain_breaks(history, "SKEPTIC") == []


def test_a_falsified_audit_trail_or_a_lost_final_write_is_reported():
    history = [entry("t1", "NEUTRAL", "CHAMPION"), entry("t2", "NEUTRAL", "SKEPTIC")]
    breaks = load.audit_chain_breaks(history, "SKEPTIC")
    assert len(breaks) == 1
    assert "do not follow 'CHAMPION'" in breaks[0]
    assert load.audit_chain_breaks([entry("t1", "NEUTRAL", "CHAMPION")], "BLOCKER") == [
        "the newest entry sets 'CHAMPION'; stored 'BLOCKER'"
    ]


def test_clients_own_distinct_records_and_contested_pairs_are_new():
    tenants = [load.Tenant(f"t{i}", "key", doc) for i, doc in enumerate(load.documents(2, 40))]
    clients = load.assign_clients(tenants, 10)
    owned = {(c.tenant.name, c.person) for c in clients}
    assert len(owned) == 10
    for tenant in tenants:
        influences = {(i["from"], i["to"]) for i in tenant.account["influences"]}
        pairs = tenant.contested_pairs()
        assert len(pairs) == load.CONTESTED_PAIRS
        assert not set(pairs) & influences
        assert not {s for s, _ in pairs} & {c.person for c in clients}
    with pytest.raises(ValueError, match="owned stakeholders"):
        load.assign_clients(tenants, 100)


def test_load_arguments_refuse_a_server_off_loopback(capsys: pytest.CaptureFixture[str]):
    args = load.parse_args(["--url", "http://127.0.0.1:8000/", "--key", "a=k1", "--key", "b=k2"])
    assert (args.url, args.tenants, args.clients, args.duration) == (
        "http://127.0.0.1:8000",
        2,
        50,
        120.0,
    )
    with pytest.raises(SystemExit, match="loopback"):
        load.parse_args(["--url", "http://example.com", "--key", "a=k"])
    with pytest.raises(SystemExit):
        load.parse_args(["--url", "http://localhost:8000"])
    assert "needs --key" in capsys.readouterr().err
