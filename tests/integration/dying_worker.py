"""A pipeline batch that kills the worker process running it (imported by that process, so
it lives in a module of its own): ``test_deal_risk_api`` puts it in place of
``graph_api.processes._plan_batch`` to kill a worker mid-page."""

from __future__ import annotations

import os
import signal
from typing import Any


def plan_batch_and_die(*_: Any) -> None:
    """SIGKILL to the worker itself, as an out-of-memory killer or an operator would."""
    os.kill(os.getpid(), signal.SIGKILL)
