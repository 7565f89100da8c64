"""The pages in docs/ stay true to the code: the generated model page, the document example,
the GraphQL examples, and every link between the README and the pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from graphql import parse, validate

from graph_api.api.schema import schema
from graph_api.config import PROJECT_ROOT
from graph_api.domain.document import canonical, validate_document
from graph_api.domain.enums import ImportMode
from graph_api.domain.reference import model_markdown

DOCS = PROJECT_ROOT / "docs"
PAGES = [PROJECT_ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def test_graph_model_page_is_written_from_the_declarations() -> None:
    """Regenerate: python -m graph_api.domain.reference > docs/graph-model.md"""
    assert (DOCS / "graph-model.md").read_text("utf-8") == model_markdown()


def document_example() -> dict[str, object]:
    text = (DOCS / "document.md").read_text("utf-8")
    section = text.split("## A full example", 1)[1]
    (language, body), *_ = FENCE.findall(section)
    assert language == "json"
    example: dict[str, object] = json.loads(body)
    return example


@pytest.mark.parametrize("mode", list(ImportMode))
def test_the_document_example_is_valid_and_self_contained(mode: ImportMode) -> None:
    document = validate_document(document_example(), mode)
    assert document.accounts == ["acct-northwind", "acct-acme"]
    assert document.references == []  # every reference resolves inside the document


def test_the_document_example_in_canonical_form_leaves_defaults_out() -> None:
    (acme, _) = canonical(document_example())["accounts"]  # sorted by externalId
    assert "isReference" not in acme
    (deal,) = acme["opportunities"]
    assert "decisionRule" not in deal
    assert [a["externalId"] for a in deal["alternatives"]] == ["alt-sq", "alt-us"]
    assert all("voteWeight" not in seat for seat in deal["committee"])


def _operations() -> list[str]:
    blocks = [
        body
        for page in DOCS.glob("*.md")
        for language, body in FENCE.findall(page.read_text("utf-8"))
        if language == "graphql"
    ]
    return [part for block in blocks for part in re.split(r"\n\n(?=[{qm])", block.strip())]


@pytest.mark.parametrize("operation", _operations(), ids=lambda op: op.split("\n")[0][:40])
def test_docs_graphql_is_valid_against_the_schema(operation: str) -> None:
    assert validate(schema._schema, parse(operation)) == []


def _anchors(page: Path) -> set[str]:
    """The heading anchors a Markdown page gets on GitHub."""
    text = FENCE.sub("", page.read_text("utf-8"))
    headings = re.findall(r"^#{1,6} (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def _links() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = FENCE.sub("", page.read_text("utf-8"))
        found += [
            (page.relative_to(PROJECT_ROOT).as_posix(), target)
            for target in re.findall(r"\]\(([^)\s]+)\)", text)
            if not re.match(r"[a-z]+:", target)
        ]
    return sorted(set(found))


@pytest.mark.parametrize(("page", "target"), _links(), ids=lambda v: v)
def test_links_between_pages_resolve(page: str, target: str) -> None:
    path, _, anchor = target.partition("#")
    source = PROJECT_ROOT / page
    linked = (source.parent / path).resolve() if path else source
    assert linked.exists(), f"{page} links to {target}, which does not exist"
    if anchor and linked.suffix == ".md":
        assert anchor in _anchors(linked), f"{page} links to {target}: no such heading"
