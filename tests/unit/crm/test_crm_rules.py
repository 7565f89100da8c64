"""The seat merge rules: the CRM's role follows the CRM, a hand-set stance is never lost."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.crm.records import Location, SeatRecord
from graph_api.crm.rules import changed_props, new_seat, same, seat_decision
from graph_api.domain.enums import CommitteeRole, Stance

NOW = "2026-06-01T10:00:00.000000+00:00"


def seat(role: str = "APPROVER", stance: str | None = None) -> SeatRecord:
    return SeatRecord(
        "p",
        "o",
        CommitteeRole(role),
        Stance(stance) if stance else None,
        "HubSpot buying role: x",
        Location("f.csv", 2),
    )


def test_values_compare_like_the_store_keeps_them() -> None:
    assert same(480000, 480000.0)
    assert not same(1, True)
    assert same(None, None)
    assert changed_props({"a": 1, "b": "x"}, {"a": 1.0, "b": None, "c": None}) == {"b": None}


def test_a_new_seat_has_the_crm_role_and_no_guessed_stance() -> None:
    assert new_seat(seat(), NOW) == {"role": "APPROVER", "crmRole": "APPROVER", "stance": "UNKNOWN"}
    made = new_seat(seat(stance="CHAMPION"), NOW)
    assert (made["stance"], made["crmStance"], made["stanceUpdatedAt"]) == (
        "CHAMPION",
        "CHAMPION",
        NOW,
    )


@pytest.mark.parametrize(
    ("stored", "crm", "role", "written", "disagrees"),
    [
        ({"role": "APPROVER", "crmRole": "APPROVER"}, "APPROVER", "APPROVER", {}, False),
        (
            {"role": "INFLUENCER", "crmRole": "INFLUENCER"},
            "APPROVER",
            "APPROVER",
            {"role": "APPROVER", "crmRole": "APPROVER"},
            False,
        ),  # the CRM changed it
        (
            {"role": "LEGAL", "crmRole": "INFLUENCER"},
            "APPROVER",
            "LEGAL",
            {"crmRole": "APPROVER"},
            True,
        ),  # changed in the map since: kept
        ({"role": "LEGAL", "crmRole": "APPROVER"}, "APPROVER", "LEGAL", {}, True),
        ({"role": "LEGAL"}, "APPROVER", "LEGAL", {"crmRole": "APPROVER"}, True),  # made by hand
        ({"role": "APPROVER"}, "APPROVER", "APPROVER", {"crmRole": "APPROVER"}, False),
    ],
)
def test_roles(
    stored: dict[str, Any], crm: str, role: str, written: dict[str, Any], disagrees: bool
) -> None:
    decision = seat_decision(stored, seat(crm), NOW)
    assert decision.props == written
    assert written.get("role", stored.get("role")) == role
    assert bool(decision.disagreements) is disagrees
    assert bool(decision.changes) is ("role" in written)


@pytest.mark.parametrize(
    ("stored", "crm", "stance", "disagrees"),
    [
        ({}, "CHAMPION", "CHAMPION", False),  # no stance yet
        ({"stance": "UNKNOWN"}, "BLOCKER", "BLOCKER", False),
        ({"stance": "CHAMPION", "crmStance": "CHAMPION"}, "BLOCKER", "BLOCKER", False),
        ({"stance": "SUPPORTER", "crmStance": "CHAMPION"}, "BLOCKER", "SUPPORTER", True),
        ({"stance": "SKEPTIC"}, "CHAMPION", "SKEPTIC", True),  # set by hand: never overwritten
        ({"stance": "CHAMPION", "crmStance": "CHAMPION"}, None, "CHAMPION", False),
    ],
)
def test_stances(stored: dict[str, Any], crm: str | None, stance: str, disagrees: bool) -> None:
    base = {"role": "APPROVER", "crmRole": "APPROVER", **stored}
    decision = seat_decision(base, seat(stance=crm), NOW)
    assert decision.props.get("stance", base.get("stance")) == stance
    assert bool(decision.disagreements) is disagrees
    if "stance" in decision.props:
        assert decision.props["stanceUpdatedAt"] == NOW
        assert decision.props["stanceEvidence"] == "HubSpot buying role: x"
        assert decision.changes["stance"] == (stored.get("stance"), stance)
    again = seat_decision({**base, **decision.props}, seat(stance=crm), NOW)
    assert again.props == {}  # the same statement a second time writes nothing
