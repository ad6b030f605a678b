"""What follows a certification step, from the chat or the camera page: the reply in the
participant's chat (what happened, what to send next), the feed's preview and the rewards."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.campaign import certify
from bot.campaign.certify import Status, Step
from bot.campaign.fairness import Check, Whose
from bot.context import CampaignContext
from bot.i18n import format_clock, format_day
from bot.keyboards import button, keyboard
from bot.notices import rewards
from bot.notices.progress import progress_text
from bot.outbox_sender import send_or_queue

REFUSAL_MESSAGES = {
    (Check.FORWARDED, None): "fair-forwarded",
    (Check.SAME_FILE, Whose.OWN): "fair-same-file-own",
    (Check.SAME_FILE, Whose.OTHER): "fair-same-file-other",
    (Check.SAME_FILE, Whose.THIS_CERTIFICATION): "fair-same-as-start",
    (Check.REUSED_PICTURE, Whose.OWN): "fair-reused-own",
    (Check.REUSED_PICTURE, Whose.OTHER): "fair-reused-other",
    (Check.REUSED_PICTURE, Whose.THIS_CERTIFICATION): "fair-same-as-start",
    (Check.NOT_TODAY, None): "fair-not-today",
}

# The steps whose answer asks for a photo (now or after a wait): they offer the camera page.
PHOTO_STEPS = (
    Status.AWAITING_START,
    Status.AWAITING_END,
    Status.START_RECORDED,
    Status.REFUSED,
    Status.TOO_SOON,
    Status.END_BEFORE_START,
)
CAMERA_PATH = "camera/"


def camera_url(context: CampaignContext) -> str | None:
    """The camera page's address, when the campaign offers it and the console is served."""
    console = context.settings.console
    if console is None or context.campaign.fairness.camera == "off":
        return None
    return console.url.rstrip("/") + "/" + CAMERA_PATH


def camera_required(context: CampaignContext) -> bool:
    """Chat photos are refused (unless a leader allowed the person): the camera page only."""
    return camera_url(context) is not None and context.campaign.fairness.camera == "required"


def camera_button(context: CampaignContext, language: str) -> list[InlineKeyboardButton]:
    """The "📷 take it with the camera" row (a web_app button: private chats only), or none."""
    url = camera_url(context)
    if url is None:
        return []
    label = context.translator(language, "button-camera")
    return [InlineKeyboardButton(label, web_app=WebAppInfo(url))]


def camera_stamp(context: CampaignContext, language: str, moment: datetime) -> str:
    """The stamp of a camera photo ("📷 Camera · Dec 8 19:02" in English): the server's time, as
    the chat and the feed picture show it."""
    local = moment.astimezone(context.campaign.timezone)
    day = format_skeleton("MMMd", local.date(), locale=language)
    time = format_clock(moment, context.campaign.timezone)
    return context.translator(language, "camera-stamp", day=day, time=time)


def _certify_button(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    return keyboard([button(context, language, "button-certify", "cert:begin")])


def _photo_step_buttons(context: CampaignContext, language: str) -> InlineKeyboardMarkup:
    return keyboard(
        camera_button(context, language),
        [button(context, language, "button-cancel-certification", "cert:cancel")],
    )


def _camera_only(context: CampaignContext, language: str) -> InlineKeyboardMarkup | None:
    # The page that sent a photo too soon has closed: the end photo is taken from here later.
    row = camera_button(context, language)
    return keyboard(row) if row else None


def step_reply(
    context: CampaignContext, language: str, step: Step
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Say what happened and what to send next."""
    t = context.translator
    lines: list[str] = []
    if step.expired_day is not None and step.status is not Status.START_EXPIRED:
        lines.append(
            t(language, "cert-earlier-start-expired", day=format_day(language, step.expired_day))
        )
    markup: InlineKeyboardMarkup | None = None
    mission = step.mission.title if step.mission else ""
    status = step.status
    if status is Status.NOT_PARTICIPANT:
        lines.append(t(language, "cert-not-participant"))
        markup = keyboard([button(context, language, "button-apply", "apply:begin")])
    elif status is Status.NO_ROUND:
        nxt = step.next_round
        lines.append(
            t(
                language,
                "cert-no-round",
                has_next="yes" if nxt else "no",
                next_round=nxt.name if nxt else "",
                next_start=format_day(language, nxt.start) if nxt else "",
            )
        )
    elif status is Status.DAILY_LIMIT:
        lines.append(
            t(language, "cert-daily-limit", limit=context.campaign.rules.max_per_mission_per_day)
        )
    elif status is Status.CHOOSE_MISSION:
        lines.append(t(language, "cert-choose-mission"))
        # Mission titles are the campaign's own words, not catalogue text: shown as written.
        markup = keyboard(
            *[
                [InlineKeyboardButton(m.title[:60], callback_data=f"cert:mission:{m.id}")]
                for m in step.missions
            ]
        )
    elif status is Status.AWAITING_START:
        description = step.mission.description if step.mission else ""
        lines.append(t(language, "cert-send-start", mission=mission, description=description))
        markup = _photo_step_buttons(context, language)
    elif status is Status.AWAITING_END:
        lines.append(t(language, "cert-send-end", mission=mission))
        markup = _photo_step_buttons(context, language)
    elif status is Status.START_RECORDED:
        lines.append(
            t(
                language,
                "cert-start-recorded",
                mission=mission,
                minutes=context.campaign.rules.min_minutes_between_photos,
            )
        )
        markup = _photo_step_buttons(context, language)
    elif status is Status.TOO_SOON:
        lines.append(t(language, "cert-too-soon", minutes=step.minutes_to_wait))
        markup = _camera_only(context, language)
    elif status is Status.END_BEFORE_START:
        lines.append(t(language, "cert-end-before-start"))
        markup = _camera_only(context, language)
    elif status is Status.START_EXPIRED:
        day = step.expired_day
        lines.append(
            t(language, "cert-start-expired", day=format_day(language, day) if day else "")
        )
        markup = _certify_button(context, language)
    elif status is Status.ACCEPTED:
        assert step.progress is not None and step.certification is not None
        lines.append(t(language, "cert-accepted", mission=mission))
        lines.append(progress_text(context, language, step.progress))
        lines.append(t(language, "cert-ask-note"))
        markup = keyboard(
            [
                button(
                    context, language, "button-skip-note", f"cert:skipnote:{step.certification.id}"
                ),
                button(context, language, "button-risk-report", "risk:begin"),
            ]
        )
    elif status is Status.NOTHING_OPEN:
        lines.append(t(language, "cert-nothing-open"))
        markup = _certify_button(context, language)
    elif status is Status.REFUSED:
        assert step.refusal is not None
        refusal = step.refusal
        first_used = format_day(language, refusal.day) if refusal.day else ""
        lines.append(t(language, REFUSAL_MESSAGES[(refusal.check, refusal.whose)], day=first_used))
        role = (
            "end" if step.certification and step.certification.status == "awaiting_end" else "start"
        )
        lines.append(t(language, f"cert-send-again-{role}"))
        markup = _photo_step_buttons(context, language)
    elif status is Status.UNKNOWN_MISSION:
        lines.append(t(language, "cert-unknown-mission"))
        markup = _certify_button(context, language)
    if status in PHOTO_STEPS and camera_required(context):
        lines.append(t(language, "camera-required-hint"))
    return "\n\n".join(lines), markup


async def reply_to_step(
    context: CampaignContext, chat_id: int, language: str, step: Step, key: str
) -> None:
    """Send the step's answer to the participant's chat; ``key`` makes it once only."""
    text, markup = step_reply(context, language, step)
    # A step already stored (a start photo kept, a certification accepted) must not look lost
    # because its answer failed: Telegram unreachable just now, the outbox answers later.
    await send_or_queue(
        context.bot,
        context.db,
        chat_id,
        text,
        key=key,
        now=context.now(),
        reply_markup=markup,
    )


async def ask_for_the_camera(
    context: CampaignContext, chat_id: int, language: str, key: str
) -> None:
    """A chat photo where the campaign requires the camera: the camera button instead."""
    await send_or_queue(
        context.bot,
        context.db,
        chat_id,
        context.translator(language, "camera-required"),
        key=key,
        now=context.now(),
        reply_markup=keyboard(
            camera_button(context, language),
            [button(context, language, "button-cancel-certification", "cert:cancel")],
        ),
    )


async def after_photo(
    context: CampaignContext, user_id: int, step: Step, preview: bytes | None
) -> None:
    """After the reply to a kept photo: keep its feed preview, then announce any reward."""
    kept = {Status.START_RECORDED: "start", Status.ACCEPTED: "end"}.get(step.status)
    if kept is None or step.certification is None:
        return
    # After the reply, so the participant never waits for it; before this person's next
    # update (theirs run in order), so the feed post planned by the note has it.
    if preview is not None:
        await certify.keep_preview(context.db, step.certification.id, kept, preview, context.now())
    if step.status is Status.ACCEPTED:
        # The feed post waits for the note step (see bot.campaign.feed); nothing here waits for
        # the group.
        await rewards.announce(context, user_id, step.certification.round_name)
