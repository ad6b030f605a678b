"""Webhook mode: an HTTP server that refuses a request before reading its body unless it carries
the secret header and announces a body within the size limit, then hands the update to PTB.

PTB's own webhook server reads the whole body (up to tornado's 100 MB default) before it looks
at the secret, and answers malformed JSON with a 500. Here the headers decide first: no secret
is a 403 and a larger ``Content-Length`` a 413, both before a byte of the body is read (tornado
then closes the connection rather than read the rest). A chunked body is counted as it streams
and dropped at the limit. Malformed JSON or an object that is no update is a 400.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import signal
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer

from bot.settings import Webhook

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A Telegram update is a few kilobytes (a 4096-character text with its entities is ~40 KB).
MAX_BODY_BYTES = 1024 * 1024
# Slow senders may not hold a connection open forever.
BODY_TIMEOUT_SECONDS = 30.0
IDLE_CONNECTION_SECONDS = 60.0


@tornado.web.stream_request_body
class UpdateReceiver(tornado.web.RequestHandler):
    """POSTs from Telegram at the webhook's path."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_app: Application[Any, Any, Any, Any, Any, Any], secret: str) -> None:
        self.bot_app = bot_app
        self.secret = secret
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        """Headers only: the secret, then the announced size."""
        token = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(token.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self.size += len(chunk)
        if self.size > MAX_BODY_BYTES:  # a chunked body without Content-Length
            self.chunks.clear()
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        self.chunks.append(chunk)

    async def post(self) -> None:
        if self._finished:
            return
        try:
            data = json.loads(b"".join(self.chunks))
            update = Update.de_json(data, self.bot_app.bot) if isinstance(data, dict) else None
        # Bad JSON, or an object PTB cannot read (it raises whatever its parsing meets:
        # AttributeError, KeyError, TypeError...): a bad request, never a 500.
        except Exception as error:
            log.info("webhook: a request with the secret was not an update: %s", error)
            update = None
        if update is None or not isinstance(update.update_id, int):
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        await self.bot_app.update_queue.put(update)
        self.set_status(HTTPStatus.OK)
        self.finish()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish()  # no body, no traceback

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, tornado.web.HTTPError):
            log.debug("webhook: refused with %s", value.status_code)
        else:
            log.error("webhook: unexpected error", exc_info=(typ, value, tb))


@tornado.web.stream_request_body
class NotHere(tornado.web.RequestHandler):
    """Any other path: 404 from the headers, the body never read (tornado's own 404 handler
    would read it whole)."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log.debug("webhook: a request for another path")


class _QuietApplication(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """Our own logging says what matters; access lines would repeat every update."""


def make_server(
    application: Application[Any, Any, Any, Any, Any, Any], webhook: Webhook
) -> HTTPServer:
    """The HTTP server (not yet listening) for ``webhook.path``."""
    path = re.escape(webhook.path.rstrip("/"))
    routes: list[Any] = [
        (rf"{path}/?", UpdateReceiver, {"bot_app": application, "secret": webhook.secret}),
        (r".*", NotHere),
    ]
    return HTTPServer(
        _QuietApplication(routes),
        # Requests that passed prepare() are held to MAX_BODY_BYTES there; this only keeps
        # tornado from answering a second time on a connection prepare() already refused.
        max_body_size=1 << 40,
        body_timeout=BODY_TIMEOUT_SECONDS,
        idle_connection_timeout=IDLE_CONNECTION_SECONDS,
    )


def run(
    application: Application[Any, Any, Any, Any, Any, Any],
    webhook: Webhook,
    allowed_updates: Sequence[str],
) -> None:
    """Register the webhook, serve it until SIGINT/SIGTERM, then stop the bot cleanly."""
    asyncio.run(_serve(application, webhook, allowed_updates))


async def _serve(
    application: Application[Any, Any, Any, Any, Any, Any],
    webhook: Webhook,
    allowed_updates: Sequence[str],
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.set_webhook(
            webhook.url,
            secret_token=webhook.secret,
            allowed_updates=list(allowed_updates),
            drop_pending_updates=False,
        )
        await application.start()
        server = make_server(application, webhook)
        server.listen(webhook.port, address=webhook.host)
        log.info("webhook: listening on %s:%s%s", webhook.host, webhook.port, webhook.path)
        try:
            await stop.wait()
        finally:
            server.stop()
            await server.close_all_connections()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
