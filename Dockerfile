# Mirrors `make run`: install, then `python -m bot` applies migrations and starts polling (or webhooks).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Pango, HarfBuzz and a Cyrillic font for the brief's PDF (WeasyPrint).
RUN apt-get update -q \
    && apt-get install -y -q --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY handlers ./handlers
COPY ui ./ui
COPY dialogs ./dialogs
COPY migrations ./migrations
COPY templates ./templates
RUN pip install . \
    && useradd --create-home --uid 10001 smartbrief \
    && mkdir -p /app/data && chown smartbrief /app/data

USER smartbrief
VOLUME ["/app/data"]
# One image for both modes: long polling by default; set WEBHOOK_URL (and WEBHOOK_SECRET) to serve
# webhooks and GET /healthz on WEBHOOK_PORT, 8080 by default.
EXPOSE 8080
CMD ["python", "-m", "bot"]
