# The bot with its database on the /data volume. Build: docker build -t safety-partner-bot .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/bot.sqlite3 \
    CAMPAIGN_FILE=/app/campaign.toml \
    BOT_WEBHOOK_LISTEN=0.0.0.0:8443 \
    CONSOLE_LISTEN=0.0.0.0:8081

WORKDIR /app
COPY . /app
# The versions in constraints.txt, exactly: the image runs what the tests ran with.
RUN pip install -c constraints.txt . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /data \
    && chown bot:bot /data \
    && chmod 0700 /data

USER bot
VOLUME ["/data"]
CMD ["python", "-m", "bot", "run"]
