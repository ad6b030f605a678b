"""Mid and final round reports: at the morning time of the round's midpoint and of the day
after it ends, each reachable participant gets their summary with a calendar picture and each
leader the round's summary with a per-day chart (all through the outbox, once per key)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from telegram.ext import Application

from bot.campaign import rhythm, rules
from bot.campaign.config import Campaign
from bot.campaign.rhythm import Planned
from bot.campaign.risk_reports import outcome_lines
from bot.campaign.round_reports import (
    FINAL,
    DueReport,
    PersonalSummary,
    RoundSummary,
    personal_summaries,
    reports_due,
    round_summary,
)
from bot.context import CampaignContext
from bot.i18n import Translator, chart_summary, language_for
from bot.media import pictures
from scheduler.repeat import run_every
from storage import participants, reports

log = logging.getLogger(__name__)

JOB_NAME = "round_reports"
CAPTION_LIMIT = 1024
MAX_REWARD_NAMES = 30


# ---- renderers: outbox payloads are JSON, so dates travel as ISO strings ----------------------


def render_calendar(params: dict[str, Any]) -> bytes:
    today = params.get("today")
    return pictures.render_calendar(
        days=[date.fromisoformat(d) for d in params["days"]],
        certified={date.fromisoformat(d): int(n) for d, n in params["certified"].items()},
        today=date.fromisoformat(today) if today else None,
        title=params["title"],
        weekday_labels=tuple(params["weekday_labels"]),
        legend=params["legend"],
    )


def render_chart(params: dict[str, Any]) -> bytes:
    return pictures.render_daily_chart(
        days=[date.fromisoformat(d) for d in params["days"]],
        counts=[int(n) for n in params["counts"]],
        title=params["title"],
        axis_label=params["axis_label"],
        summary=params.get("summary", ""),  # rows planned before the summary existed lack it
    )


# ---- texts ------------------------------------------------------------------------------------


def _per_hour(minutes_per: int) -> int:
    """Certifications per portal hour, or 0 when they do not divide an hour evenly."""
    return 60 // minutes_per if minutes_per <= 60 and 60 % minutes_per == 0 else 0


def personal_caption(
    t: Translator, language: str, campaign: Campaign, due: DueReport, s: PersonalSummary
) -> str:
    v = s.volunteer
    lines = [
        t(language, "report-personal-title", kind=due.kind, round=due.round.name),
        t(
            language,
            "report-personal-body",
            name=s.name,
            certified_days=s.certified_days,
            in_round=s.in_round,
            total=s.total,
            minutes=v.minutes,
            portal_hours=v.portal_hours,
            carried=v.carried_minutes,
        ),
    ]
    if s.risks is not None and s.risks.sent:
        lines.append(
            t(
                language,
                "report-personal-risks",
                sent=s.risks.sent,
                forwarded=s.risks.forwarded,
                resolved=s.risks.resolved,
            )
        )
    lines += outcome_lines(t, language, s.found_mine, "risk-fixed-title-mine")
    lines += outcome_lines(t, language, s.found_all, "risk-fixed-title-round")
    if s.rewards:
        names = ", ".join(m.reward for m in s.rewards)
        lines.append(t(language, "report-personal-rewards", rewards=names))
    else:
        lines.append(t(language, "report-personal-no-rewards"))
    if s.next_reward is not None:
        lines.append(
            t(
                language,
                "report-personal-next",
                reward=s.next_reward.milestone.reward,
                remaining=s.next_reward.remaining,
            )
        )
    if due.kind == FINAL:
        minutes_per = campaign.rules.minutes_per_certification
        lines.append(
            t(
                language,
                "report-final-registration",
                per_hour=_per_hour(minutes_per),
                minutes_per=minutes_per,
                portal_hours=s.round_volunteer.portal_hours,
                carried=s.round_volunteer.carried_minutes,
            )
        )
        lines.append(t(language, "report-final-thanks"))
    else:
        lines.append(t(language, "report-personal-cheer"))
    caption = "\n".join(lines)
    if len(caption) > CAPTION_LIMIT:  # very long reward names: keep the counts, drop the rest
        caption = "\n".join(lines[:2])
    return caption


def leader_text(
    t: Translator, language: str, campaign: Campaign, due: DueReport, s: RoundSummary
) -> str:
    lines = [
        t(language, "report-leader-title", kind=due.kind, round=due.round.name),
        t(
            language,
            "report-leader-counts",
            approved=s.approved,
            certified_once=s.figures.certified_once,
            certifications=s.figures.certifications,
        ),
        "",
        t(language, "report-leader-top-title"),
    ]
    if s.top:
        for rank, top in enumerate(s.top, start=1):
            lines.append(
                t(
                    language,
                    "report-leader-top-line",
                    rank=rank,
                    name=top.name,
                    count=top.in_round,
                    streak=top.longest_streak,
                )
            )
    else:
        lines.append(t(language, "report-leader-top-none"))
    lines += ["", t(language, "report-leader-rewards-title")]
    if s.rewards:
        for winners in s.rewards:
            shown = ", ".join(winners.names[:MAX_REWARD_NAMES])
            more = len(winners.names) - MAX_REWARD_NAMES
            if more > 0:
                shown += " " + t(language, "report-leader-reward-more", more=more)
            lines.append(
                t(
                    language,
                    "report-leader-reward-line",
                    reward=winners.milestone.reward,
                    count=winners.milestone.count,
                    people=len(winners.names),
                    names=shown,
                )
            )
    else:
        lines.append(t(language, "report-leader-rewards-none"))
    found = outcome_lines(t, language, s.found, "risk-fixed-title-round")
    if found:
        lines += ["", *found]
    if due.kind == FINAL:
        lines += [
            "",
            t(
                language,
                "report-leader-final-note",
                minutes_per=campaign.rules.minutes_per_certification,
            ),
        ]
    return "\n".join(lines)


# ---- the job ----------------------------------------------------------------------------------


def _expires(campaign: Campaign, due: DueReport) -> str:
    """Unsent reports lapse when the quiet hours begin (or at the end of the report day)."""
    tz = campaign.timezone
    morning = datetime.combine(due.day, campaign.schedule.morning_time, tzinfo=tz)
    return rules.lapses_at(due.day, morning, campaign.schedule.quiet_start, tz).isoformat()


async def send_reports(context: CampaignContext) -> None:
    """Plan today's report for everyone who has not had it (idempotent through the keys)."""
    for due in reports_due(context.campaign, context.now()):
        await _plan_report(context, due)


async def _plan_report(context: CampaignContext, due: DueReport) -> None:
    campaign, t, now = context.campaign, context.translator, context.now()
    async with context.db.read() as conn:
        planned = await reports.planned_keys(conn, due.key(""))
        reachable = {p.user_id for p in await participants.reachable(conn)}
    expires = _expires(campaign, due)
    messages: list[Planned] = []

    missing = {user_id for user_id in reachable if due.key(user_id) not in planned}
    if missing:
        for summary in await personal_summaries(context.db, campaign, due, missing):
            language = language_for(summary.language, None)
            params = {
                "days": [d.isoformat() for d in summary.round_days],
                "certified": {d.isoformat(): n for d, n in summary.certified.items()},
                "today": due.through.isoformat(),
                "title": t(language, "report-calendar-title", round=due.round.name),
                "weekday_labels": t(language, "report-weekdays").split(","),
                "legend": t(language, "report-calendar-legend"),
            }
            messages.append(
                Planned(
                    key=due.key(summary.user_id),
                    chat_id=summary.user_id,
                    kind="photo",
                    payload={
                        "render": {"name": "calendar", "params": params},
                        "caption": personal_caption(t, language, campaign, due, summary),
                        "expires_at": expires,
                    },
                )
            )

    leaders = sorted(
        leader
        for leader in context.settings.leader_ids
        if due.key(f"leader:{leader}") not in planned
    )
    if leaders:
        round_totals = await round_summary(context.db, campaign, due)
        language = language_for(None, None)
        text = leader_text(t, language, campaign, due, round_totals)
        chart = {
            "days": [d.isoformat() for d in round_totals.figures.chart_days],
            "counts": round_totals.figures.chart_counts,
            "title": t(language, "report-chart-title", round=due.round.name),
            "axis_label": t(language, "report-chart-axis"),
            "summary": chart_summary(t, language, round_totals.figures.chart_counts),
        }
        caption = t(language, "report-chart-caption", round=due.round.name)
        for leader in leaders:
            messages.append(
                Planned(
                    due.key(f"leader:{leader}"),
                    leader,
                    "text",
                    {"text": text, "expires_at": expires},
                )
            )
            if round_totals.figures.chart_days:
                messages.append(
                    Planned(
                        due.key(f"leader-chart:{leader}"),
                        leader,
                        "photo",
                        {
                            "render": {"name": "chart", "params": chart},
                            "caption": caption,
                            "expires_at": expires,
                        },
                    )
                )
    if messages:
        count = await rhythm.plan(context.db, messages, now)
        log.info("planned %d %s report messages for %s", count, due.kind, due.round.name)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    run_every(application, send_reports, name=JOB_NAME, first=3)
