"""What the console's pages show, as JSON for its script: the session (texts in the leader's
language), today, participants, risk reports and stats.

Everything a person typed travels as data and is placed with ``textContent`` by the page, never
as markup."""

from __future__ import annotations

import functools
import html
import re
from datetime import date, datetime
from typing import Any

from aiohttp import web

from bot.campaign import approval, rules, standings
from bot.campaign import participants_admin as admin
from bot.campaign.risk_reports import CATEGORIES, LEGACY_AGENCY_CODES
from bot.client_input import parse_int
from bot.console.state import ConsoleState, language_of, opener_of, state_of
from bot.i18n import format_clock, format_day
from storage import activity as reads
from storage import handouts, participants, stats
from storage.clock import from_text
from storage.database import Database

JSON = dict[str, Any]
PAGE = 24  # certification pairs per page of the grid
TABLE_PAGE = 50
TEXT_FAMILIES = ("web-", "risk-category-", "risk-status-")
RISK_STATUSES = ("submitted", "forwarded", "resolved", "rejected")
_TAG = re.compile(r"<[^>]+>")


def _db(state: ConsoleState) -> Database:
    database = state.services.database
    assert database is not None
    return database


def _today(state: ConsoleState) -> date:
    campaign = state.services.campaign
    assert campaign is not None
    return rules.campaign_day(state.services.clock(), campaign.timezone)


def _clock(state: ConsoleState, moment: datetime | None) -> str:
    campaign = state.services.campaign
    assert campaign is not None
    return format_clock(moment, campaign.timezone) if moment else ""


@functools.lru_cache(maxsize=1024)
def _day(language: str, day: date) -> str:
    """format_day (Babel) once per language and day: a page may list thousands of reports."""
    return format_day(language, day)


def _moment(state: ConsoleState, language: str, moment: datetime | None) -> str:
    """A day and a time in the campaign's zone, as the chat's cards write them."""
    campaign = state.services.campaign
    assert campaign is not None
    if moment is None:
        return ""
    return f"{_day(language, moment.astimezone(campaign.timezone).date())} " + _clock(state, moment)


def _int(value: str | None, default: int = 0, top: int = 1_000_000) -> int:
    """A number the page sent (an offset, an id); anything else is ``default``."""
    number = parse_int(value or "")
    return default if number is None else min(number, top)


async def session(request: web.Request) -> web.Response:
    """Who is signed in, and every text the page shows, in their language."""
    state = state_of(request)
    opener = opener_of(request)
    language = await language_of(state, opener)
    translator = state.services.translator
    campaign = state.services.campaign
    assert translator is not None and campaign is not None
    texts = {
        key: html.unescape(_TAG.sub("", translator(language, key)))
        for key in sorted(translator.keys(language))
        if key.startswith(TEXT_FAMILIES)
    }
    return web.json_response(
        {
            "language": language,
            "name": opener.first_name,
            "campaign": campaign.name,
            "texts": texts,
            "agencies": list(campaign.risk_agencies),
            "categories": list(CATEGORIES),
            "risk_statuses": list(RISK_STATUSES),
            "tile_url": state.console.tile_url,
            "milestones": [{"count": m.count, "reward": m.reward} for m in campaign.milestones],
        }
    )


def _application(state: ConsoleState, language: str, person: Any) -> JSON:
    campaign = state.services.campaign
    assert campaign is not None
    applied = person.applied_at
    return {
        "id": person.user_id,
        "name": person.full_name or person.telegram_name,
        "telegram_name": person.telegram_name,
        "username": person.username,
        "category": person.category,
        "under_14": bool(person.under_14),
        "guardian_consent": bool(person.guardian_consent),
        "affiliation": person.affiliation,
        "neighbourhood": person.neighbourhood,
        "volunteer_id": person.volunteer_id,
        "applied": _moment(state, language, applied),
    }


def _risk(state: ConsoleState, language: str, row: Any) -> JSON:
    agency = row["agency"]
    if agency in LEGACY_AGENCY_CODES:
        translator = state.services.translator
        assert translator is not None
        agency = translator(language, f"risk-agency-{agency}")
    return {
        "id": row["id"],
        "status": row["status"],
        "category": row["category"] or "other",
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "address": row["address"],
        "description": row["description"],
        "agency": agency,
        "has_photo": bool(row["has_photo"]),
        "submitted": _moment(state, language, from_text(row["submitted_at"])),
        "name": row["name"],
    }


async def today(request: web.Request) -> web.Response:
    """Applications waiting, the day's certifications (a page of the grid), new risk reports."""
    state = state_of(request)
    language = await language_of(state, opener_of(request))
    day = _today(state)
    offset = _int(request.query.get("offset"))
    database = _db(state)
    waiting = await approval.pending_applications(database)
    async with database.read() as conn:
        total, certifications = await reads.certifications_on(conn, day, PAGE, offset)
        new_risks = await reads.risk_reports(conn, ("submitted",), limit=50)
        new_risk_count = await reads.new_risk_count(conn)
        pending = (await participants.count_by_status(conn)).get("pending", 0)
        accepted = await stats.accepted_on(conn, day)
    return web.json_response(
        {
            "day": format_day(language, day),
            "counts": {
                "pending": pending,
                "certified": accepted,
                "revoked": total - accepted,
                "risks": new_risk_count,
            },
            "applications": [_application(state, language, p) for p in waiting],
            "certifications": {
                "total": total,
                "offset": offset,
                "page": PAGE,
                "items": [
                    {
                        "id": c.id,
                        "participant": c.participant_id,
                        "name": c.name,
                        "mission": c.mission,
                        "status": c.status,
                        "start": _clock(state, c.started_at),
                        "end": _clock(state, c.ended_at),
                        "note": c.note,
                        "photos": list(c.roles),
                        "reason": c.revoke_reason,
                    }
                    for c in certifications
                ],
            },
            "risks": [_risk(state, language, row) for row in new_risks],
        }
    )


async def participant_table(request: web.Request) -> web.Response:
    state = state_of(request)
    campaign = state.services.campaign
    assert campaign is not None
    query = request.query
    round_ = standings.current_or_latest(campaign, _today(state))
    round_name = round_.name if round_ else ""
    minutes = campaign.rules.minutes_per_certification
    async with _db(state).read() as conn:
        total, rows = await reads.participants_table(
            conn,
            round_name,
            tuple(r.name for r in campaign.rounds),
            search=query.get("q", "").strip()[:100],
            status=query.get("status", ""),
            category=query.get("category", ""),
            missing_id=query.get("missing") == "1",
            sort=query.get("sort", "name"),
            descending=query.get("desc") == "1",
            limit=TABLE_PAGE,
            offset=_int(query.get("offset")),
        )
        streaks = await stats.longest_streaks(
            conn, round_name, [r.user_id for r in rows], round_.end if round_ else _today(state)
        )
    milestones = sorted(m.count for m in campaign.milestones)
    items = []
    for row in rows:
        time = rules.volunteer_time(row.total, minutes)
        items.append(
            {
                "id": row.user_id,
                "name": row.name,
                "status": "paused" if row.paused and row.status == "approved" else row.status,
                "category": row.category,
                "affiliation": row.affiliation,
                "neighbourhood": row.neighbourhood,
                "in_round": row.in_round,
                "total": row.total,
                "hours": time.portal_hours,
                "carried": time.carried_minutes,
                "streak": streaks.get(row.user_id, 0),
                "rewards": sum(1 for count in milestones if row.total >= count),
                "handed_out": row.handed_out,
                "missing_id": not row.has_volunteer_id,
            }
        )
    return web.json_response(
        {"total": total, "offset": _int(query.get("offset")), "page": TABLE_PAGE, "items": items}
    )


async def participant(request: web.Request) -> web.Response:
    """One person: their sign-up info, counts, the round's calendar and their history."""
    state = state_of(request)
    language = await language_of(state, opener_of(request))
    campaign = state.services.campaign
    assert campaign is not None
    user_id = _int(request.match_info["user_id"], -1, 10**19)
    database = _db(state)
    profile = await admin.profile(database, campaign, user_id, state.services.clock())
    if profile is None or profile.person.status in ("visitor", "applying"):
        return web.json_response({"error": "unknown"}, status=404)
    person, progress = profile.person, profile.progress
    round_ = progress.round
    async with database.read() as conn:
        days = await reads.certified_days(conn, user_id, round_.name) if round_ else {}
        history = await reads.history(conn, user_id)
    calendar = []
    if round_ is not None:
        for offset in range(round_.days):
            day = date.fromordinal(round_.start.toordinal() + offset)
            calendar.append({"day": day.isoformat(), "label": day.day, "count": days.get(day, 0)})
    return web.json_response(
        {
            **_application(state, language, person),
            "status": person.status,
            "paused": person.paused,
            "reason": person.paused_reason or person.rejection_reason,
            "reachable": person.active,
            "round": round_.name if round_ else "",
            "today": progress.tally.today,
            "in_round": progress.tally.this_round,
            "total": progress.tally.total,
            "hours": progress.volunteer.portal_hours,
            "carried": progress.volunteer.carried_minutes,
            "handed_out": sorted(profile.handed_out),
            "rewards": [
                {
                    "reward": f"milestone:{m.count}",
                    "name": m.reward,
                    "count": m.count,
                    "reached": progress.tally.total >= m.count,
                    "handed": f"milestone:{m.count}" in profile.handed_out,
                }
                for m in sorted(campaign.milestones, key=lambda m: m.count)
            ],
            "letter": "letter" in profile.handed_out,
            "calendar": calendar,
            "history": [
                {
                    "id": h.id,
                    "day": _day(language, h.day) if h.day else "",
                    "mission": h.mission,
                    "status": h.status,
                    "note": h.note,
                }
                for h in history
            ],
        }
    )


async def risk_list(request: web.Request) -> web.Response:
    state = state_of(request)
    language = await language_of(state, opener_of(request))
    wanted = request.query.get("status", "open")
    if wanted == "open":
        statuses: tuple[str, ...] = ("submitted", "forwarded")
    elif wanted in RISK_STATUSES:
        statuses = (wanted,)
    else:
        statuses = RISK_STATUSES
    category = request.query.get("category", "")
    category = category if category in CATEGORIES else ""
    async with _db(state).read() as conn:
        rows = await reads.risk_reports(conn, statuses, category)
    return web.json_response({"items": [_risk(state, language, row) for row in rows]})


async def statistics(request: web.Request) -> web.Response:
    """/stats and /top in one page: counts, the chart's numbers, rewards, the ranking."""
    state = state_of(request)
    language = await language_of(state, opener_of(request))
    campaign = state.services.campaign
    assert campaign is not None
    database = _db(state)
    figures = await standings.collect(database, campaign, state.services.clock())
    if figures is None:
        return web.json_response({"round": None})
    ranked = await standings.ranking(database, figures.round, 10)
    async with database.read() as conn:
        letters = {p.user_id for p in ranked if "letter" in await handouts.of(conn, p.user_id)}
    summary = figures.summary
    return web.json_response(
        {
            "round": figures.round.name,
            "day": format_day(language, figures.today),
            "by_status": dict(figures.by_status),
            "by_category": dict(figures.by_category),
            "active": figures.active,
            "inactive": figures.inactive,
            "today": figures.today_count,
            "certifications": summary.certifications,
            "certified_once": summary.certified_once,
            "chart": {
                "days": [d.isoformat() for d in summary.chart_days],
                "counts": summary.chart_counts,
            },
            "rewards": [
                {
                    "reward": m.reward,
                    "count": m.count,
                    "reached": figures.milestones.get(m.count, 0),
                    "handed": figures.handed_out.get(f"milestone:{m.count}", 0),
                }
                for m in campaign.milestones
            ],
            "top": [
                {
                    "id": p.user_id,
                    "name": p.name,
                    "in_round": p.in_round,
                    "streak": p.longest_streak,
                    "reports": p.useful_reports,
                    "letter": p.user_id in letters,
                }
                for p in ranked
            ],
        }
    )


def routes(app: web.Application, api: str) -> None:
    app.router.add_get(api + "/session", session)
    app.router.add_get(api + "/today", today)
    app.router.add_get(api + "/participants", participant_table)
    app.router.add_get(api + "/participants/{user_id}", participant)
    app.router.add_get(api + "/risks", risk_list)
    app.router.add_get(api + "/stats", statistics)
