"""What follows a certification and a review of it on the feed: each post's caption and
buttons per destination chat (planned in the outbox by ``bot.campaign.feed``), and every copy
redrawn when a note arrives, a leader revokes or restores, or someone cheers."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.campaign import cheers, review
from bot.campaign.feed import FeedItem, FeedPlanner, FeedPost
from bot.context import CampaignContext
from bot.i18n import format_clock, format_day, format_moment, language_for
from bot.keyboards import button, keyboard
from bot.notices.certification_replies import camera_stamp

log = logging.getLogger(__name__)


def destinations(context: CampaignContext) -> list[int]:
    """The campaign group when configured, else every leader's private chat."""
    group = context.settings.group_chat_id
    return [group] if group is not None else sorted(context.settings.leader_ids)


def card_text(context: CampaignContext, language: str, item: FeedItem, *, public: bool) -> str:
    cert, person = item.certification, item.participant
    tz = context.campaign.timezone
    # In the group only a first name is shown: no school, no 1365 id, no full name.
    name = (
        person.telegram_name.split(" ")[0] if public else (person.full_name or person.telegram_name)
    )
    body = context.translator(
        language,
        "review-card",
        name=name,
        mission=item.mission.title,
        day=format_day(language, cert.campaign_day) if cert.campaign_day else "",
        start=format_clock(cert.started_at, tz) if cert.started_at else "",
        end=format_clock(cert.ended_at, tz) if cert.ended_at else "",
        has_note="yes" if cert.note else "no",
        note=cert.note or "",
    )
    last = item.last_review
    if public and cert.status == "revoked":
        # The group learns only that it was withdrawn: never the reason, nor who decided.
        body += "\n\n" + context.translator(language, "review-revoked-public")
    elif public and last is not None and last.action == "restored":
        body += "\n\n" + context.translator(language, "review-restored-public")
    elif cert.status == "revoked" and last is not None:
        body += "\n\n" + context.translator(
            language,
            "review-revoked-line",
            leader=last.leader_name,
            when=format_moment(language, last.at, tz),
            reason=last.reason or "",
        )
    elif last is not None and last.action == "restored":
        body += "\n\n" + context.translator(
            language,
            "review-restored-line",
            leader=last.leader_name,
            when=format_moment(language, last.at, tz),
        )
    return body


def card_buttons(
    context: CampaignContext, language: str, item: FeedItem, *, cheer_count: int | None = None
) -> InlineKeyboardMarkup:
    """Revoke (or Restore); the group's copy also has the cheer button with its count."""
    cert_id = item.certification.id
    if item.certification.status == "revoked":
        return keyboard([button(context, language, "button-restore", f"rev:restore:{cert_id}")])
    revoke = button(context, language, "button-revoke", f"rev:revoke:{cert_id}")
    if cheer_count is None:
        return keyboard([revoke])
    label = context.translator(language, "cheers-button", count=cheer_count)
    return keyboard([InlineKeyboardButton(label, callback_data=f"cheer:{cert_id}"), revoke])


def feed_labels(context: CampaignContext, language: str, item: FeedItem) -> dict[str, str]:
    """The words on the feed picture: the mission, and each photo's role and time, written the
    way a timestamp camera stamps them."""
    cert, tz = item.certification, context.campaign.timezone

    def stamp(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%Y.%m.%d %H:%M") if moment else ""

    def camera(role: str, moment: datetime | None) -> str:
        if role not in item.camera_roles or moment is None:
            return ""
        return camera_stamp(context, language, moment)

    return {
        "title": item.mission.title,
        "start_role": context.translator(language, "feed-picture-start"),
        "end_role": context.translator(language, "feed-picture-end"),
        "start_stamp": stamp(cert.started_at),
        "end_stamp": stamp(cert.ended_at),
        "start_camera": camera("start", cert.started_at),
        "end_camera": camera("end", cert.ended_at),
    }


def feed_planner(context: CampaignContext) -> FeedPlanner:
    """How a certification's feed post looks in each destination chat (see bot.campaign.feed)."""
    group = context.settings.group_chat_id
    chats = destinations(context)

    def plan(item: FeedItem) -> list[FeedPost]:
        language = language_for(None, None)
        labels = feed_labels(context, language, item)
        return [
            FeedPost(
                chat_id=chat_id,
                caption=card_text(context, language, item, public=chat_id == group),
                reply_markup=card_buttons(
                    context, language, item, cheer_count=0 if chat_id == group else None
                ).to_dict(),
                labels=labels,
            )
            for chat_id in chats
        ]

    return plan


async def refresh_posts(context: CampaignContext, cert_id: int) -> None:
    """Show the current state (note, revoked, restored) on every feed copy."""
    item = await review.feed_item(context.db, cert_id)
    if item is None:
        return
    language = language_for(None, None)
    group = context.settings.group_chat_id
    cheer_count = await cheers.count(context.db, cert_id)
    for chat_id, message_id in item.posts:
        text = card_text(context, language, item, public=chat_id == group)
        markup = card_buttons(
            context, language, item, cheer_count=cheer_count if chat_id == group else None
        )
        try:
            if (chat_id, message_id) in item.picture_posts:
                await context.bot.edit_message_caption(
                    chat_id=chat_id, message_id=message_id, caption=text, reply_markup=markup
                )
            else:  # a text card under an album, from before the feed became one picture
                await context.bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                log.info("could not update feed post %s/%s: %s", chat_id, message_id, error)
