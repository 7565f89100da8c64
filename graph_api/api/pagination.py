"""Relay connections: opaque cursors, ``first``/``after`` windows and page types."""

from __future__ import annotations

import base64
from typing import Any, Generic, TypeVar

import strawberry

from graph_api.api.context import Info
from graph_api.errors import InvalidInput

DEFAULT_PAGE_SIZE = 20
T = TypeVar("T")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset after which a page starts; a cursor is opaque to clients."""
    if cursor is None:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(value)
    except ValueError as error:
        raise InvalidInput(f"'after' is not a cursor this API issued: {cursor!r}") from error
    if kind != "offset" or offset < 0:
        raise InvalidInput(f"'after' is not a cursor this API issued: {cursor!r}")
    return offset + 1


def page_window(info: Info, first: int | None, after: str | None) -> tuple[int, int]:
    """(offset, limit) for ``first``/``after``; ``first`` is capped by the configured maximum."""
    return window(first, after, info.context.settings.max_page_size)


def window(first: int | None, after: str | None, maximum: int) -> tuple[int, int]:
    """(offset, limit) for ``first``/``after`` with pages of at most ``maximum``."""
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if limit < 0 or limit > maximum:
        raise InvalidInput(f"'first' must be between 0 and {maximum} (max page size), got {limit}")
    return decode_cursor(after), limit


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def of(items: list[Any], offset: int, total: int) -> Connection[Any]:
        edges = [Edge(node=item, cursor=encode_cursor(offset + i)) for i, item in enumerate(items)]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=offset + len(items) < total,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=total,
        )
