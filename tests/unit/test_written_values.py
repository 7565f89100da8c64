"""What a write stores (``graph_api.domain.validation.written_values``): the stamps."""

from __future__ import annotations

from graph_api.domain.kinds import CONFLICT
from graph_api.domain.validation import written_values

NOW = "2026-12-01T04:00:00.000000Z"
TODAY = "2026-12-01"


def test_a_null_for_a_day_stamp_stamps_the_day_whatever_was_stored() -> None:
    """``verifiedAt: null`` in an update is "not given": the write stamps today. Stored as
    today already, it used to be cleared instead, and the export then lacked the day that
    its own import stamps (found by the round-trip property test)."""
    given = {"strength": 1.0, "verifiedAt": None}
    for stored in ("2026-06-01", TODAY):
        old = {"strength": 0.5, "verifiedAt": stored}
        changes = written_values(CONFLICT, old, given, now=NOW, today=TODAY)
        assert {**old, **changes}["verifiedAt"] == TODAY, (stored, changes)
    unchanged = {"strength": 1.0, "verifiedAt": TODAY}
    assert written_values(CONFLICT, unchanged, given, now=NOW, today=TODAY) == {}
