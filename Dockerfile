# syntax=docker/dockerfile:1
# The API process only; Neo4j runs as its own container (docker-compose.yml) or a cluster/Aura.
# Three stages: the explorer's front end (Node), a wheel of the package that carries that build
# as package data, and a slim runtime that installs only the wheel (no source tree, no Node).
ARG PYTHON_VERSION=3.13

FROM node:20-slim AS explorer
WORKDIR /src/explorer
COPY explorer/package.json explorer/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY explorer/ ./
# vite.config.ts writes the build into the package: /src/graph_api/static/explorer
RUN npm run build

FROM python:${PYTHON_VERSION}-slim AS wheel
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graph_api ./graph_api
COPY --from=explorer /src/graph_api/static/explorer ./graph_api/static/explorer
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:${PYTHON_VERSION}-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 10001 flagbearer
COPY --from=wheel /wheels /tmp/wheels
RUN pip install --no-cache-dir /tmp/wheels/*.whl && rm -rf /tmp/wheels
USER flagbearer
WORKDIR /home/flagbearer
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["graph-api", "serve", "--host", "0.0.0.0", "--port", "8000"]
