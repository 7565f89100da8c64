"""Mutations over HTTP with real keys: editors change the map, viewers and strangers cannot."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.neo4j

CREATE_ACCOUNT = """
mutation($input: CreateAccountInput!, $reason: String) {
  createAccount(input: $input, reason: $reason) {
    __typename
    ... on Account { id name updatedBy history { edges { node { field actor reason } } } }
    ... on UserError { code message }
  }
}
"""
CREATE_STAKEHOLDER = """
mutation($input: CreateStakeholderInput!) {
  createStakeholder(input: $input) {
    __typename
    ... on Stakeholder { id account { id } }
    ... on NotFoundError { code key }
  }
}
"""
ACCOUNTS = "{ accounts { totalCount } }"


def tenant() -> str:
    return f"http-{uuid.uuid4().hex[:8]}"


async def test_an_editor_creates_an_account_and_its_people(gql: Any, make_key: Any) -> None:
    key = await make_key(tenant(), "editor")
    body = await gql(key, CREATE_ACCOUNT, {"input": {"name": "Acme"}, "reason": "new logo"})
    account = body["data"]["createAccount"]
    assert account["__typename"] == "Account"
    assert account["name"] == "Acme"
    assert account["updatedBy"]
    [entry] = [e["node"] for e in account["history"]["edges"]]
    assert entry == {"field": "name", "actor": account["updatedBy"], "reason": "new logo"}

    body = await gql(key, CREATE_STAKEHOLDER, {"input": {"accountId": account["id"], "name": "D"}})
    assert body["data"]["createStakeholder"]["account"] == {"id": account["id"]}
    assert (await gql(key, ACCOUNTS))["data"]["accounts"]["totalCount"] == 1


async def test_a_viewer_gets_a_forbidden_error_and_nothing_is_written(
    gql: Any, make_key: Any
) -> None:
    name = tenant()
    viewer = await make_key(name, "viewer")
    body = await gql(viewer, CREATE_ACCOUNT, {"input": {"name": "Acme"}})
    assert "errors" not in body
    refused = body["data"]["createAccount"]
    assert (refused["__typename"], refused["code"]) == ("ForbiddenError", "FORBIDDEN")
    assert (await gql(viewer, ACCOUNTS))["data"]["accounts"]["totalCount"] == 0


async def test_another_tenants_account_is_not_found(gql: Any, make_key: Any) -> None:
    mine = await make_key(tenant(), "editor")
    theirs = await make_key(tenant(), "editor")
    account = (await gql(theirs, CREATE_ACCOUNT, {"input": {"name": "Theirs"}}))["data"]
    account_id = account["createAccount"]["id"]
    body = await gql(mine, CREATE_STAKEHOLDER, {"input": {"accountId": account_id, "name": "X"}})
    assert body["data"]["createStakeholder"] == {
        "__typename": "NotFoundError",
        "code": "NOT_FOUND",
        "key": account_id,
    }


async def test_without_a_key_a_mutation_is_refused_with_401(gql: Any) -> None:
    body = await gql(None, CREATE_ACCOUNT, {"input": {"name": "Acme"}}, expect_status=401)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
