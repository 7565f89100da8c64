"""The collector settings a serving process runs with (``graph_api.server``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from graph_api.server import YOUNG_COLLECTION_THRESHOLD, tune_garbage_collector


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_collector")
def test_a_server_freezes_what_it_started_with_and_collects_its_young_less_often() -> None:
    kept = [[index] for index in range(1_000)]  # alive at start-up, like the schema
    _, middle, old = gc.get_threshold()
    tune_garbage_collector()
    assert gc.get_freeze_count() >= len(kept)
    assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, middle, old)
