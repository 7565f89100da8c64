"""The Grafana dashboard in docs/ reads only metrics this service exports."""

from __future__ import annotations

import json
import re

from graph_api.config import PROJECT_ROOT
from graph_api.observability.metrics import REGISTRY

SUFFIXES = re.compile(r"_(total|bucket|count|sum)$")


def test_every_dashboard_query_names_an_exported_metric() -> None:
    dashboard = json.loads((PROJECT_ROOT / "docs" / "grafana-dashboard.json").read_text("utf-8"))
    queries = [
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    ]
    assert len(queries) >= 20
    used = {
        SUFFIXES.sub("", name)
        for query in queries
        for name in re.findall(r"\b((?:flagbearer|process)_[a-z0-9_]+)\b", query)
    }
    exported = {family.name for family in REGISTRY.collect()}
    assert used - exported == set()
    flagbearer = {name for name in exported if name.startswith("flagbearer_")}
    assert flagbearer - used == set(), "a metric without a panel"
