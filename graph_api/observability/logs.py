"""Log lines: JSON in production (one object per line, for a log pipeline), human-readable
in development. Every line written while a request is served carries its request id.

What is logged about a request is fixed by :mod:`graph_api.observability.requests`: ids,
tenant, key id, operation name, timing and outcome — never keys, tokens, the query's
variables or anything stored in the map.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Literal

import orjson

from graph_api.config import Settings
from graph_api.observability.requests import current_request

HANDLER_NAME = "flagbearer"
QUIETED = {
    # uvicorn's access line is replaced by graph_api.access (one line per request).
    "uvicorn.access": logging.CRITICAL + 1,
    # strawberry logs every GraphQL error with a traceback, refusals included; the view logs
    # the unexpected ones itself, once, with the request id.
    "strawberry.execution": logging.CRITICAL + 1,
}


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to records logged while it is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            current = current_request()
            record.request_id = None if current is None else current.request_id
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = dict(getattr(record, "fields", None) or {})
    request_id = getattr(record, "request_id", None)
    if request_id is not None:
        fields.setdefault("request_id", request_id)
    return fields


class JsonFormatter(logging.Formatter):
    """``{"ts": …, "level": …, "logger": …, "message": …, <fields>}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class HumanFormatter(logging.Formatter):
    """``12:00:01 INFO  graph_api.access request status=200 …`` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-5s %(name)s %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = _fields(record)
        if not fields:
            return text
        head, _, rest = text.partition("\n")
        pairs = " ".join(f"{name}={value}" for name, value in fields.items())
        return f"{head} {pairs}" + (f"\n{rest}" if rest else "")


def formatter_for(kind: Literal["json", "human"]) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else HumanFormatter()


def configure_logging(settings: Settings) -> None:
    """One handler on the root logger, in the format the environment wants; idempotent.

    ``graph-api serve`` calls this before uvicorn starts (uvicorn is told to leave logging
    alone and not to write its own access line).
    """
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(existing)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(formatter_for(settings.effective_log_format))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # Neither format names the source file or line: skip looking them up for every record
    # (the optimisation the logging HOWTO documents; a tenth of a no-op request's CPU went to
    # logging its one line).
    logging._srcfile = None
    for name, level in QUIETED.items():
        logging.getLogger(name).setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


def quiet_duplicate_error_log() -> None:
    """Stop strawberry's per-error tracebacks (see :data:`QUIETED`), whoever set up logging."""
    logging.getLogger("strawberry.execution").setLevel(QUIETED["strawberry.execution"])
