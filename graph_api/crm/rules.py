"""The merge rules, as pure functions: what a CRM record changes in what the map holds.

* Node properties the CRM owns (the record's ``props``) replace the stored ones; a property
  that already holds the value is not written, so an unchanged record writes nothing.
* A seat's role follows the CRM while the map's role is the one the CRM last stated
  (``crmRole``, kept on the seat): a role changed in the map is kept, and each run lists the
  difference for review. A seat made in the map keeps its role too.
* A stance is never guessed from a role. An explicit CRM stance (HubSpot's CHAMPION/BLOCKER,
  or a role value a mapping file maps to a stance) fills an UNKNOWN stance, or replaces one
  the CRM itself set earlier (``crmStance``) and nobody changed since; a stance set in the map
  is never overwritten: the difference is listed for review. A CRM that stops stating a stance
  leaves the seat's stance as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph_api.crm.records import SeatRecord
from graph_api.domain.enums import Stance


def same(stored: Any, wanted: Any) -> bool:
    """Stored and wanted values agree (``480000 == 480000.0``; absent is ``None``)."""
    if isinstance(stored, bool) or isinstance(wanted, bool):
        return stored is wanted
    return bool(stored == wanted)


def changed_props(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The properties of ``wanted`` whose stored value differs (``None`` removes one)."""
    return {k: v for k, v in wanted.items() if not same(stored.get(k), v)}


@dataclass
class SeatDecision:
    """What to write on a seat (``props``; empty: nothing), the changes a person would notice
    (field -> (old, new), audited and counted), and a disagreement for the review list."""

    props: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)  # field, CRM, map


def new_seat(seat: SeatRecord, now: str) -> dict[str, Any]:
    """A seat the CRM adds: its role, and stance UNKNOWN unless the CRM states one."""
    props: dict[str, Any] = {
        "role": seat.role.value,
        "crmRole": seat.role.value,
        "stance": (seat.stance or Stance.UNKNOWN).value,
    }
    if seat.stance is not None:
        props |= {
            "crmStance": seat.stance.value,
            "stanceUpdatedAt": now,
            "stanceEvidence": seat.words,
        }
    return props


def seat_decision(stored: Mapping[str, Any], seat: SeatRecord, now: str) -> SeatDecision:
    """What the CRM's statement ``seat`` changes on the stored seat ``stored``."""
    decision = SeatDecision()
    crm_role, base, role = seat.role.value, stored.get("crmRole"), stored.get("role")
    if base != crm_role:
        decision.props["crmRole"] = crm_role
        if role != crm_role and base is not None and role == base:
            decision.props["role"] = crm_role
            decision.changes["role"] = (role, crm_role)
            role = crm_role
    if role != crm_role:
        decision.disagreements.append(("role", crm_role, str(role)))

    if seat.stance is None:
        return decision
    crm_stance = seat.stance.value
    stance = stored.get("stance") or Stance.UNKNOWN.value
    base_stance = stored.get("crmStance")
    if stance != crm_stance and (
        stance == Stance.UNKNOWN.value or (base_stance is not None and stance == base_stance)
    ):
        decision.props |= {
            "stance": crm_stance,
            "stanceUpdatedAt": now,
            "stanceEvidence": seat.words,
        }
        decision.changes["stance"] = (stored.get("stance"), crm_stance)
        stance = crm_stance
    if base_stance != crm_stance:
        decision.props["crmStance"] = crm_stance
    if stance != crm_stance:
        decision.disagreements.append(("stance", crm_stance, stance))
    return decision
