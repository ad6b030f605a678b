"""Memory of the webhook server under big POSTs without the secret: ``python -m bench.webhook``.

Four 80 MB POSTs without the secret header are sent at once to PTB's own webhook server (what
``run_webhook`` used) and to ours (``bot.webhook``), each in a fresh process; the figures are
the process's resident memory before, after and at its peak (VmHWM), and the statuses answered.
The client streams the body from one 64 KB buffer in the same event loop, so it adds no memory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import subprocess
import sys
import time
from typing import Any

from telegram.ext import Application, ApplicationBuilder

SECRET = "bench-secret-0123456789-abcdefghijklmnop"
TOKEN = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
PATH = "/hook"
CHUNK = b"x" * 65536


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    fields: dict[str, float] = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    if not fields:  # not Linux: only the peak is known
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak
    return fields["VmRSS"], fields["VmHWM"]


async def _post(port: int, size: int, secret: str | None) -> tuple[int, float]:
    """One POST of ``size`` bytes; the status answered and the seconds until the answer."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\n"
        + (f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n" if secret else "")
        + "\r\n"
    )
    writer.write(head.encode())

    async def send_body() -> None:
        sent = 0
        try:
            while sent < size:
                piece = CHUNK[: min(len(CHUNK), size - sent)]
                writer.write(piece)
                await writer.drain()
                sent += len(piece)
        except (ConnectionError, OSError):
            pass  # the server closed the connection: the rest is never read

    sender = asyncio.create_task(send_body())
    status_line = await reader.readline()
    elapsed = time.monotonic() - started
    sender.cancel()
    await asyncio.gather(sender, return_exceptions=True)
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()
    parts = status_line.split()
    return (int(parts[1]) if len(parts) > 1 else 0), elapsed


def _application() -> Application[Any, Any, Any, Any, Any, Any]:
    return ApplicationBuilder().token(TOKEN).updater(None).build()


async def _serve_and_measure(kind: str, posts: int, size: int) -> dict[str, Any]:
    application = _application()
    if kind == "ptb":
        from telegram.ext._utils.webhookhandler import WebhookAppClass, WebhookServer

        app = WebhookAppClass(PATH, application.bot, application.update_queue, SECRET)
        server: Any = WebhookServer("127.0.0.1", 0, app, None)
        server._http_server.listen(0, address="127.0.0.1")
        http = server._http_server
    else:
        from bot import webhook
        from bot.settings import Webhook

        http = webhook.make_server(
            application, Webhook(f"https://bench.invalid{PATH}", SECRET, "127.0.0.1", 0)
        )
        http.listen(0, address="127.0.0.1")
    port = next(iter(http._sockets.values())).getsockname()[1]
    await asyncio.sleep(0.2)
    before, _ = _rss_mb()
    results = await asyncio.gather(*(_post(port, size, None) for _ in range(posts)))
    await asyncio.sleep(0.5)
    after, peak = _rss_mb()
    http.stop()
    return {
        "kind": kind,
        "statuses": [status for status, _ in results],
        "seconds": round(max(seconds for _, seconds in results), 2),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "peak_mb": round(peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=4)
    parser.add_argument("--megabytes", type=int, default=80)
    parser.add_argument("--serve", choices=("ptb", "ours"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = args.megabytes * 1024 * 1024
    if args.serve:
        print(json.dumps(asyncio.run(_serve_and_measure(args.serve, args.posts, size))))
        return
    print(f"{args.posts} POSTs of {args.megabytes} MB without the secret, at once")
    print(
        f"{'server':<28} {'statuses':<22} {'answered':>9} {'RSS before':>11} "
        f"{'after':>8} {'peak':>8}"
    )
    for kind, label in (("ptb", "PTB run_webhook (before)"), ("ours", "bot.webhook (now)")):
        output = subprocess.run(
            [sys.executable, "-m", "bench.webhook", "--serve", kind,
             "--posts", str(args.posts), "--megabytes", str(args.megabytes)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        figures = json.loads(output.strip().splitlines()[-1])
        print(
            f"{label:<28} {figures['statuses']!s:<22} {figures['seconds']:>8.2f}s "
            f"{figures['rss_before_mb']:>9.1f}MB {figures['rss_after_mb']:>6.1f}MB "
            f"{figures['peak_mb']:>6.1f}MB"
        )


if __name__ == "__main__":
    main()
