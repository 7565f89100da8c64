# The API process only; Neo4j runs as its own container (docker-compose.yml) or a cluster/Aura.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN useradd --create-home --uid 10001 flagbearer
COPY pyproject.toml README.md ./
COPY graph_api ./graph_api
COPY schema ./schema
COPY seeds ./seeds
COPY explorer/dist ./explorer/dist
RUN pip install --no-cache-dir -e .
USER flagbearer
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["graph-api", "serve", "--host", "0.0.0.0", "--port", "8000"]
