"""Pictures and downloads: certification and risk-report photos (fetched with getFile inside
the server and re-encoded without metadata; a Telegram file URL holds the bot token and never
reaches the page), the per-day chart, and the exports behind short-lived signed links."""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import quote

from aiohttp import web

from bot.campaign import rules, standings
from bot.console import auth
from bot.console.state import ConsoleState, language_of, opener_of, refuse, state_of
from bot.i18n import chart_summary
from bot.media import pictures
from bot.notices import risk_news
from bot.notices.export_files import hours_files
from bot.notices.participant_files import clean_copy
from storage import activity as reads
from storage import exports as stored_exports

log = logging.getLogger(__name__)

CACHE_SIZE = 64
KINDS = {
    "hours-xlsx": "xlsx",
    "hours-csv": "csv",
    "reports-xlsx": "xlsx",
    "reports-geojson": "geojson",
}
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}


async def _picture(state: ConsoleState, file_id: str) -> bytes | None:
    cached = state.photos.pop(file_id, None)
    if cached is not None:
        state.photos[file_id] = cached  # the newest last
        return cached
    picture = await clean_copy(state.application.bot, file_id)
    if picture is None:
        return None
    state.photos[file_id] = picture
    while len(state.photos) > CACHE_SIZE:
        state.photos.pop(next(iter(state.photos)))
    return picture


def _jpeg(picture: bytes | None) -> web.Response:
    if picture is None:
        return refuse(404, "no photo")
    return web.Response(
        body=picture, content_type="image/jpeg", headers={"Cache-Control": "private, no-store"}
    )


async def certification_photo(request: web.Request) -> web.Response:
    state = state_of(request)
    cert = request.match_info["cert_id"]
    role = request.match_info["role"]
    if not cert.isdigit() or len(cert) > 18:
        return refuse(404, "no photo")
    assert state.services.database is not None
    async with state.services.database.transaction() as conn:
        found = await reads.photo_file(conn, int(cert), role)
    return _jpeg(await _picture(state, found[0]) if found else None)


async def risk_photo(request: web.Request) -> web.Response:
    state = state_of(request)
    report = request.match_info["report_id"]
    if not report.isdigit() or len(report) > 18:
        return refuse(404, "no photo")
    assert state.services.database is not None
    async with state.services.database.transaction() as conn:
        file_id = await reads.risk_photo(conn, int(report))
    return _jpeg(await _picture(state, file_id) if file_id else None)


async def chart(request: web.Request) -> web.Response:
    """The /stats per-day chart, drawn by the same code as in chat."""
    state = state_of(request)
    language = await language_of(state, opener_of(request))
    campaign, translator, database = (
        state.services.campaign,
        state.services.translator,
        state.services.database,
    )
    assert campaign is not None and translator is not None and database is not None
    figures = await standings.collect(database, campaign, state.services.clock())
    if figures is None or not figures.summary.chart_days:
        return refuse(404, "no chart")
    png = await asyncio.to_thread(
        pictures.render_daily_chart,
        days=figures.summary.chart_days,
        counts=figures.summary.chart_counts,
        title=translator(language, "stats-chart-title", round=figures.round.name),
        axis_label=translator(language, "stats-chart-axis"),
        summary=chart_summary(translator, language, figures.summary.chart_counts),
    )
    return web.Response(body=png, content_type="image/png")


async def export_link(request: web.Request) -> web.Response:
    """A link for one download, valid for two minutes and for this leader only (a download
    cannot carry the initData header)."""
    state, opener = state_of(request), opener_of(request)
    kind = request.match_info["kind"]
    expires = int(state.clock()) + auth.LINK_SECONDS
    sig = auth.link_signature(state.settings.bot_token, kind, opener.user_id, expires)
    return web.json_response(
        {
            "url": f"download/{kind}?uid={opener.user_id}&exp={expires}&sig={sig}",
            "file_name": f"{kind}.{KINDS[kind]}",
        }
    )


async def download(request: web.Request) -> web.Response:
    state = state_of(request)
    kind = request.match_info["kind"]
    query = request.query
    uid, exp, sig = query.get("uid", ""), query.get("exp", ""), query.get("sig", "")
    if not (uid.isdigit() and exp.isdigit() and len(uid) < 20 and len(exp) < 12):
        return refuse(401, "link required")
    user_id = int(uid)
    if not auth.check_link(state.settings.bot_token, kind, user_id, int(exp), sig, state.clock()):
        return refuse(401, "link expired or forged")
    if user_id not in state.settings.leader_ids:
        return refuse(403, "leaders only")
    if not state.limiter.allow(user_id, time.monotonic()):
        return refuse(429, "too many requests")
    opener = auth.Opener(user_id, "", None, 0)
    language = await language_of(state, opener)
    context = state.context()
    campaign = context.campaign
    extension = KINDS[kind]
    if kind.startswith("hours"):
        today = rules.campaign_day(context.now(), campaign.timezone)
        chosen = campaign.round_on(today) or campaign.latest_round_before(today)
        if chosen is None:
            return refuse(404, "no round yet")
        async with context.db.transaction() as conn:
            people = await stored_exports.round_activity(conn, chosen.name)
        _, xlsx, csv = await hours_files(context, language, chosen.name, people)
        body = xlsx if extension == "xlsx" else csv
        name = context.translator(language, "export-file-name", round=chosen.name)
    else:
        files = await risk_news.report_files(context, language)
        if files is None:
            return refuse(404, "no reports yet")
        body = files[0] if extension == "xlsx" else files[1]
        name = risk_news.report_file_stem(context)
    filename = f"{name}.{extension}"
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return web.Response(
        body=body,
        headers={
            "Content-Type": MEDIA_TYPES[extension],
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
            ),
        },
    )


def routes(app: web.Application, base: str) -> None:
    app.router.add_get(base + r"/api/photo/{cert_id}/{role:start|end}", certification_photo)
    app.router.add_get(base + r"/api/risk-photo/{report_id}", risk_photo)
    app.router.add_get(base + "/api/chart.png", chart)
    kinds = "|".join(KINDS)
    app.router.add_post(base + f"/api/exports/{{kind:{kinds}}}", export_link)
    app.router.add_get(base + f"/download/{{kind:{kinds}}}", download)
