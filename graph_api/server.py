"""Serving the app with uvicorn, with a shutdown that ends in bounded time.

On SIGTERM (or Ctrl-C) uvicorn stops accepting connections and lets the requests in flight
finish for ``FLAGBEARER_SHUTDOWN_GRACE_SECONDS``; requests still running then are cancelled
(the GraphQL endpoint answers them 503, and their transactions roll back), the driver closes
and the process exits. A watchdog ends the process :data:`FORCE_EXIT_MARGIN` seconds after
that, whatever happens (a request stuck on the event loop, a close that hangs), so an
orchestrator's SIGTERM is always honoured in ``grace + margin`` seconds.

uvicorn runs on uvloop with the httptools parser (both dependencies), without its access log
(the service writes one line per request itself). :func:`serve_processes` runs several
such servers as worker processes sharing one listening socket (``graph-api serve
--workers N``): each has its own driver, caches and rate-limit buckets; SIGTERM to the
parent reaches every worker, and each drains and exits within the same bound.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from graph_api.config import Settings, load_settings

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


def _server(app: ASGIApp, host: str, port: int, settings: Settings) -> BoundedShutdownServer:
    grace = settings.shutdown_grace_seconds
    # graph_api.access writes one line per request; uvicorn keeps to its own start-up lines
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=grace,
        log_config=None,
        access_log=False,
        loop="uvloop",
        http="httptools",
    )
    return BoundedShutdownServer(config, force_exit_after=grace + FORCE_EXIT_MARGIN)


YOUNG_COLLECTION_THRESHOLD = 20_000
"""Allocations between two collections of the youngest generation (Python's default: 2,000).

A coaching plan of a 1,000-person account holds some 80,000 container objects (its map's rows,
the engine's subgraph and indexes) for the few tens of milliseconds it runs. With the default,
the cycle collector ran some 40 times during one plan and promoted the map into the old
generation, whose collections then walked the whole heap: a fifth of the request's time. A
threshold ten times higher lets a request's objects be freed by their reference counts before
a collection ever sees them."""


def tune_garbage_collector() -> None:
    """Set the collector for a server: everything loaded at start-up (modules, the schema,
    compiled documents) is moved out of the collector's reach (``gc.freeze``: it lives as long
    as the process, and walking it again on every full collection is pure cost), and the
    youngest generation is collected after :data:`YOUNG_COLLECTION_THRESHOLD` allocations.
    Called once the app is built, before it serves (``benchmarks/peers`` measures the effect
    on the 1,000-person plan)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


def serve(app: ASGIApp, host: str, port: int, settings: Settings) -> None:
    """Run ``app`` until SIGTERM or Ctrl-C, then drain and exit in bounded time."""
    tune_garbage_collector()
    _server(app, host, port, settings).run()


WORKER_START_SECONDS = 30.0
"""A worker that dies sooner than this after it started is not restarted (it cannot start)."""


def _worker(listener: socket.socket, host: str, port: int) -> None:
    """One worker process: the app from the environment's settings, on the shared socket."""
    from graph_api.app import create_app  # noqa: PLC0415 - a fresh process imports it here
    from graph_api.observability.logs import configure_logging  # noqa: PLC0415

    settings = load_settings()
    configure_logging(settings)
    app = create_app(settings)
    tune_garbage_collector()
    _server(app, host, port, settings).run(sockets=[listener])


def serve_processes(host: str, port: int, settings: Settings, workers: int) -> None:
    """``workers`` processes serving the app on one socket until SIGTERM or Ctrl-C.

    The parent binds the socket, starts the workers and forwards SIGTERM and SIGINT to
    them; a worker that dies is replaced (unless it died while starting, when the parent
    stops them all). The parent exits once every worker has, killing any still running
    ``grace + margin`` seconds after the signal.
    """
    listener = uvicorn.Config(
        "graph_api.app:create_app", host=host, port=port, log_config=None
    ).bind_socket()
    spawn = multiprocessing.get_context("spawn")
    stop = threading.Event()

    def start() -> tuple[BaseProcess, float]:
        process = spawn.Process(target=_worker, args=(listener, host, port), daemon=False)
        process.start()
        return process, time.monotonic()

    def on_signal(sig: int, _: FrameType | None) -> None:
        stop.set()
        for process, _started in running:
            if process.pid is not None and process.exitcode is None:
                os.kill(process.pid, sig)

    running = [start() for _ in range(workers)]
    log.info("started %d worker processes on %s:%d", workers, host, port)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    while not stop.wait(0.5):
        for index, (process, started) in enumerate(running):
            if process.exitcode is None:
                continue
            if time.monotonic() - started < WORKER_START_SECONDS:
                log.error(
                    "worker %s exited while starting (%s); stopping", process.pid, process.exitcode
                )
                on_signal(signal.SIGTERM, None)
                break
            log.error("worker %s exited (%s); starting another", process.pid, process.exitcode)
            running[index] = start()
    deadline = time.monotonic() + settings.shutdown_grace_seconds + FORCE_EXIT_MARGIN
    for process, _started in running:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.exitcode is None:
            process.kill()
            process.join()
    listener.close()
