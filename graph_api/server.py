"""Serving the app with uvicorn, with a shutdown that ends in bounded time.

On SIGTERM (or Ctrl-C) uvicorn stops accepting connections and lets the requests in flight
finish for ``FLAGBEARER_SHUTDOWN_GRACE_SECONDS``; requests still running then are cancelled
(the GraphQL endpoint answers them 503, and their transactions roll back), the driver closes
and the process exits. A watchdog ends the process :data:`FORCE_EXIT_MARGIN` seconds after
that, whatever happens (a request stuck on the event loop, a close that hangs), so an
orchestrator's SIGTERM is always honoured in ``grace + margin`` seconds.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from graph_api.config import Settings

log = logging.getLogger("graph_api.server")
FORCE_EXIT_MARGIN = 5.0
FORCED_EXIT_STATUS = 70  # EX_SOFTWARE: the graceful shutdown did not finish


class BoundedShutdownServer(uvicorn.Server):
    """uvicorn's server, plus a watchdog that ends the process ``force_exit_after`` seconds
    after the first exit signal."""

    def __init__(self, config: uvicorn.Config, force_exit_after: float) -> None:
        super().__init__(config)
        self.force_exit_after = force_exit_after
        self.watchdog: threading.Timer | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self.watchdog is None:
            log.info(
                "%s: draining requests in flight (exit within %.0f s)",
                signal.Signals(sig).name,
                self.force_exit_after,
            )
            self.watchdog = threading.Timer(self.force_exit_after, self.force_exit_now)
            self.watchdog.daemon = True
            self.watchdog.start()

    def force_exit_now(self) -> None:
        log.error("shutdown still running after %.0f s; exiting now", self.force_exit_after)
        logging.shutdown()
        os._exit(FORCED_EXIT_STATUS)


def serve(app: ASGIApp, host: str, port: int, settings: Settings) -> None:
    """Run ``app`` until SIGTERM or Ctrl-C, then drain and exit in bounded time."""
    grace = settings.shutdown_grace_seconds
    # graph_api.access writes one line per request; uvicorn keeps to its own start-up lines
    config = uvicorn.Config(
        app, host=host, port=port, log_level="info", timeout_graceful_shutdown=grace,
        log_config=None, access_log=False,
    )
    BoundedShutdownServer(config, force_exit_after=grace + FORCE_EXIT_MARGIN).run()
