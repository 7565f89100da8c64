"""Rules the test suite keeps so it passes on a slow day: no clock read at collection time.

A value like ``int(time.time()) + 600`` in a ``parametrize`` list or a module constant is
computed when pytest imports the file; by the time the test runs (minutes later in a long or
loaded run) a "future" timestamp may be in the past. Clock readings belong inside the test.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
CLOCK_CALLS = frozenset(
    {
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.perf_counter",
        "datetime.now",
        "datetime.utcnow",
        "datetime.today",
        "date.today",
    }
)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


class _ImportTimeClock(ast.NodeVisitor):
    """Clock calls outside any function or lambda body, i.e. run when the module loads
    (module and class bodies, decorators, default arguments)."""

    def __init__(self, imported: dict[str, str]) -> None:
        self.imported = imported  # local name -> what it is, e.g. {"now": "datetime.now"}
        self.found: list[int] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for expression in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if expression is not None:
                self.visit(expression)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 - the visitor's naming

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for expression in [*node.args.defaults, *node.args.kw_defaults]:
            if expression is not None:
                self.visit(expression)

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        if name is not None:
            head, _, rest = name.partition(".")
            resolved = self.imported.get(head, head) + (f".{rest}" if rest else "")
            if any(resolved == c or resolved.endswith(f".{c}") for c in CLOCK_CALLS):
                self.found.append(node.lineno)
        self.generic_visit(node)


def clock_reads_at_import(source: str) -> list[int]:
    """Line numbers of clock calls that run when ``source`` is imported."""
    tree = ast.parse(source)
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"time", "datetime"}:
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imported[alias.asname] = alias.name
    visitor = _ImportTimeClock(imported)
    visitor.visit(tree)
    return visitor.found


def test_no_test_module_reads_the_clock_at_collection_time() -> None:
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in clock_reads_at_import(path.read_text("utf-8"))
    ]
    assert offenders == [], "clock read when the module is imported: " + ", ".join(offenders)


def test_the_rule_sees_parametrize_lists_defaults_and_aliases_but_not_test_bodies() -> None:
    source = """
import time
import datetime as dt
from datetime import date

STAMP = dt.datetime.now()

@pytest.mark.parametrize("exp", [int(time.time()) + 600])
def test_a(exp, when=date.today()):
    assert time.time() < exp

def helper():
    return dt.datetime.now(), (lambda: time.monotonic())()

class TestB:
    started = time.time_ns()
"""
    assert clock_reads_at_import(source) == [6, 8, 9, 16]
