"""Watching the service run: Prometheus metrics, OpenTelemetry traces and request logs.

- ``metrics``: the registry and every metric (README "Operations" lists them), the
  operation-name cap, the Neo4j pool collector, the ``/metrics`` endpoint and listener.
- ``tracing``: off unless configured; span helpers that cost a check of one attribute when off.
- ``requests``: the per-request record, the HTTP middleware (one log line, one span, metrics).
- ``graphql``: the schema extension that names the operation and spans its execution.
- ``timing``: the small helpers callers wrap around engine runs and imports.
- ``logs``: JSON lines in production, human lines in development.
"""
