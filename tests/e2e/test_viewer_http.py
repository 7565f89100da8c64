"""`viewer` tells a client what its key may do (the explorer disables editing from it)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.neo4j, pytest.mark.asyncio(loop_scope="session")]

QUERY = "{ viewer { tenant role actor canEdit } }"


@pytest.mark.parametrize(
    ("role", "can_edit"), [("viewer", False), ("editor", True), ("admin", True)]
)
async def test_viewer_names_tenant_and_role(
    gql: Any, make_key: Any, tenant: str, role: str, can_edit: bool
) -> None:
    key = await make_key(tenant, role)
    viewer = (await gql(key, QUERY))["data"]["viewer"]
    assert viewer["tenant"] == tenant
    assert viewer["role"] == role.upper()
    assert viewer["canEdit"] is can_edit
    assert viewer["actor"].startswith("key:")
    assert viewer["actor"][4:] in key


async def test_viewer_needs_a_key(gql: Any) -> None:
    await gql(None, QUERY, expect_status=401)
