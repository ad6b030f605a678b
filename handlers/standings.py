"""The leaders' console in chat: /stats (numbers and a per-day chart), /top [n] for the police
chief's letter of appreciation, and /leaders. Leader commands are refused for everyone else."""

from __future__ import annotations

import asyncio
import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import risk_reports, rules, standings
from bot.campaign.config import Round
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.i18n import chart_summary, format_day
from bot.keyboards import keyboard
from bot.media import pictures
from handlers import CALLBACK_PATTERNS
from handlers.common import button_data, leader_language, leader_press, number, reply
from storage import participants

MAX_TOP = 50


async def stats(update: Update, context: CampaignContext) -> None:
    """/stats: participants, certifications per day (chart), today, rewards."""
    language = await leader_language(update, context)
    if language is None:
        return
    figures = await standings.collect(context.db, context.campaign, context.now())
    if figures is None:
        await reply(update, context, language, "stats-no-round")
        return
    t = context.translator
    summary = figures.summary
    lines = [
        t(
            language,
            "stats-title",
            round=figures.round.name,
            day=format_day(language, figures.today),
        ),
        t(
            language,
            "stats-participants",
            approved=figures.by_status.get("approved", 0),
            pending=figures.by_status.get("pending", 0),
            applying=figures.by_status.get("applying", 0),
            rejected=figures.by_status.get("rejected", 0),
            active=figures.active,
            inactive=figures.inactive,
        ),
        t(
            language,
            "stats-categories",
            middle=figures.by_category.get("middle", 0),
            high=figures.by_category.get("high", 0),
            university=figures.by_category.get("university", 0),
            adult=figures.by_category.get("adult", 0),
        ),
        t(
            language,
            "stats-certifications",
            today=figures.today_count,
            round_total=summary.certifications,
            certified_once=summary.certified_once,
        ),
    ]
    for milestone in context.campaign.milestones:
        lines.append(
            t(
                language,
                "stats-reward-line",
                reward=milestone.reward,
                count=milestone.count,
                reached=figures.milestones.get(milestone.count, 0),
                handed=figures.handed_out.get(f"milestone:{milestone.count}", 0),
            )
        )
    through = min(figures.today, figures.round.end)
    found = await risk_reports.patrol_outcomes(context.db, context.campaign, figures.round, through)
    lines += risk_reports.outcome_lines(t, language, found, "risk-fixed-title-round")
    chat_id = await _send_lines(update, context, lines)
    if summary.chart_days:
        png = await asyncio.to_thread(
            pictures.render_daily_chart,
            days=summary.chart_days,
            counts=summary.chart_counts,
            title=t(language, "stats-chart-title", round=figures.round.name),
            axis_label=t(language, "stats-chart-axis"),
            summary=chart_summary(t, language, summary.chart_counts),
        )
        await context.bot.send_photo(chat_id, png)


TOP_SIZES = (10, 30, 50)


async def top(update: Update, context: CampaignContext) -> None:
    """/top [n] [round]: the ranking by certifications in the round, ties by longest streak.
    Other rounds and lengths are buttons under it (``top:<round number>:<n>``)."""
    language = await leader_language(update, context)
    if language is None:
        return
    args = list(context.args or [])
    limit = 10
    if args and args[0].isdigit():
        limit = max(1, min(MAX_TOP, int(args.pop(0))))
    today = rules.campaign_day(context.now(), context.campaign.timezone)
    round_ = standings.current_or_latest(context.campaign, today, args[0] if args else None)
    if round_ is None:
        names = ", ".join(r.name for r in context.campaign.rounds)
        await reply(update, context, language, "top-unknown-round", rounds=names)
        return
    body, markup = await _top_view(context, language, round_, limit)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, body, reply_markup=markup)


async def top_pressed(update: Update, context: CampaignContext) -> None:
    """Another round or length of the ranking, in the same message."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    rounds = context.campaign.rounds
    index, limit = (number(group) for group in button_data(context, "top:"))
    if index is None or index >= len(rounds) or limit is None or not 1 <= limit <= MAX_TOP:
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    await query.answer()
    body, markup = await _top_view(context, language, rounds[index], limit)
    await quietly(query.edit_message_text(body, reply_markup=markup), "showing the ranking")


async def _top_view(
    context: CampaignContext, language: str, round_: Round, limit: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The ranking's text; a hand-out button per person, then the rounds and lengths."""
    ranked = await standings.ranking(context.db, round_, limit)
    t = context.translator
    if ranked:
        lines = [t(language, "top-title", round=round_.name, count=len(ranked))]
        lines += [
            t(
                language,
                "top-line",
                rank=rank,
                name=person.name,
                certifications=person.in_round,
                streak=person.longest_streak,
                reports=person.useful_reports,
            )
            for rank, person in enumerate(ranked, start=1)
        ]
    else:
        lines = [t(language, "top-empty", round=round_.name)]
    # One button per person to mark the police chief's letter as handed out (labels are plain
    # text: the catalogue's HTML escaping of names is undone).
    rows = []
    for rank, person in enumerate(ranked, start=1):
        label = t(language, "button-handout-letter", rank=rank, name=person.name)
        callback = f"handout:letter:{person.user_id}"
        rows.append([InlineKeyboardButton(html.unescape(label)[:60], callback_data=callback)])
    rounds = context.campaign.rounds
    index = rounds.index(round_)
    if len(rounds) > 1:
        rows.append(
            [
                InlineKeyboardButton(
                    html.unescape(
                        t(language, "button-top-round", round=r.name, chosen=_yes(i == index))
                    ),
                    callback_data=f"top:{i}:{limit}",
                )
                for i, r in enumerate(rounds)
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                t(language, "button-top-size", count=size, chosen=_yes(size == limit)),
                callback_data=f"top:{index}:{size}",
            )
            for size in TOP_SIZES
        ]
    )
    return "\n".join(lines), keyboard(*rows)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


async def leaders(update: Update, context: CampaignContext) -> None:
    """/leaders: who holds leader rights (from LEADER_IDS)."""
    language = await leader_language(update, context)
    if language is None:
        return
    lines = [context.translator(language, "leaders-title")]
    async with context.db.read() as conn:
        for leader_id in sorted(context.settings.leader_ids):
            person = await participants.get(conn, leader_id)
            name = person.telegram_name if person and person.telegram_name else "?"
            lines.append(
                context.translator(language, "leaders-line", name=name, user_id=str(leader_id))
            )
    await _send_lines(update, context, lines)


async def _send_lines(update: Update, context: CampaignContext, lines: list[str]) -> int:
    """Send catalogue lines (each already rendered and escaped) as one message."""
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, "\n".join(lines))
    return chat.id


def register(application: AnyApplication) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("stats", stats, filters=private))
    application.add_handler(CommandHandler("top", top, filters=private))
    application.add_handler(CallbackQueryHandler(top_pressed, pattern=CALLBACK_PATTERNS["top:"]))
    application.add_handler(CommandHandler("leaders", leaders, filters=private))
