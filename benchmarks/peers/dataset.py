"""The benchmark's data: a 1,000-person and a 200-person account shaped like the demo
(``benchmarks/generate.py``: departments, an org chart, ~10 influences each, a committee),
imported with the project's own ``graph-api import`` for the measured tenant and, identically,
for a second tenant that no answer may include (externalIds repeat across the two, so a
leaking tenant filter shows up as a mismatch)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from benchmarks.generate import generate_account_document
from benchmarks.peers.servers import BenchError, import_document
from benchmarks.peers.workloads import Ids

TENANT = "bench"
OTHER_TENANT = "bench-other"
LARGE, SMALL, SEED = 1000, 200, 1
LOOKUP = """query Ids($large: String!, $small: String!) {
  large: account(externalId: $large) { id opportunities(first: 1) { edges { node { id } } } }
  small: account(externalId: $small) { id opportunities(first: 1) { edges { node { id } } } }
}"""


def documents() -> list[dict[str, Any]]:
    return [generate_account_document(LARGE, SEED), generate_account_document(SMALL, SEED)]


def load(
    env: Mapping[str, str], work_dir: Path, tenants: tuple[str, ...] = (TENANT, OTHER_TENANT)
) -> None:
    for tenant in tenants:
        for document in documents():
            import_document(document, tenant, env, work_dir)


def lookup_ids(api_url: str, key: str) -> Ids:
    """The ids the workloads need, asked of this API itself."""
    large, small = (d["accounts"][0] for d in documents())
    response = httpx.post(
        f"{api_url}/graphql",
        json={
            "query": LOOKUP,
            "variables": {"large": large["externalId"], "small": small["externalId"]},
        },
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        msg = f"looking up the data set's ids failed ({response.status_code}): {body}"
        raise BenchError(msg)

    def opportunity(alias: str) -> str:
        return str(body["data"][alias]["opportunities"]["edges"][0]["node"]["id"])

    # Someone in the middle of the large account: a typical number of influences.
    person = large["stakeholders"][LARGE // 2 + 37]["externalId"]
    return Ids(
        stakeholder_external_id=person,
        account_external_id=large["externalId"],
        account_id=str(body["data"]["large"]["id"]),
        opportunity_id=opportunity("large"),
        small_opportunity_id=opportunity("small"),
    )
