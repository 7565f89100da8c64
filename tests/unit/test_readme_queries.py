"""The README's example queries are valid against the schema (so the README stays true)."""

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from graph_api.api.schema import schema

README = Path(__file__).resolve().parents[2] / "README.md"


def _operations() -> list[str]:
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text("utf-8"), re.S)
    return [part for block in blocks for part in re.split(r"\n\n(?=[{qm])", block.strip())]


def test_the_readme_has_examples() -> None:
    assert len(_operations()) >= 5


@pytest.mark.parametrize("operation", _operations(), ids=lambda op: op.split("\n")[0][:40])
def test_readme_operation_is_valid(operation: str) -> None:
    assert validate(schema._schema, parse(operation)) == []
