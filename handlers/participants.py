"""/participant [name or id]: a leader picks a person from a list (or types part of a name) and
sees them, pauses or resumes them, removes them (the reason is shown to them), corrects their
name or 1365 ID, and marks rewards handed out (also from /top and the milestone notice)."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.campaign import camera, signup
from bot.campaign import participants_admin as admin
from bot.campaign.conversation import Expecting
from bot.context import AnyApplication, CampaignContext
from bot.errors import quietly
from bot.keyboards import button, keyboard
from bot.notices.participant_status import after_change, after_resume
from bot.notices.progress import progress_text
from handlers import CALLBACK_PATTERNS
from handlers.common import answer_stale, button_data, leader_language, leader_press, number, reply
from storage.participants import Participant

log = logging.getLogger(__name__)


def _buttons(
    context: CampaignContext, language: str, profile: admin.Profile, chat_photos: bool | None
) -> InlineKeyboardMarkup:
    uid = profile.person.user_id
    rows = []
    if chat_photos is not None:
        # Only where the campaign requires the camera: for a phone whose camera cannot.
        key, turn = (
            ("button-withdraw-chat-photos", "off")
            if chat_photos
            else ("button-allow-chat-photos", "on")
        )
        rows.append([button(context, language, key, f"person:chatphotos:{turn}:{uid}")])
    if profile.person.status == "approved":
        if profile.person.paused:
            rows.append([button(context, language, "button-resume", f"person:resume:{uid}")])
        else:
            rows.append([button(context, language, "button-pause", f"person:pause:{uid}")])
        rows.append([button(context, language, "button-remove", f"person:remove:{uid}")])
    rows.append(
        [
            button(context, language, "button-fix-name", f"person:name:{uid}"),
            button(context, language, "button-fix-volunteer-id", f"person:vid:{uid}"),
        ]
    )
    return keyboard(*rows)


async def _show(update: Update, context: CampaignContext, language: str, user_id: int) -> None:
    profile = await admin.profile(context.db, context.campaign, user_id, context.now())
    chat = update.effective_chat
    if profile is None or chat is None:
        return
    person = profile.person
    body = context.translator(
        language,
        "participant-card",
        name=person.full_name or person.telegram_name,
        status=person.status,
        paused="yes" if person.paused else "no",
        reason=person.paused_reason or person.rejection_reason or "",
        category=person.category or "none",
        affiliation=person.affiliation or "—",
        neighbourhood=person.neighbourhood or "—",
        volunteer_id=person.volunteer_id or "—",
        user_id=str(person.user_id),
        reachable="yes" if person.active else "no",
        handed_out=", ".join(sorted(profile.handed_out)) or "—",
    )
    chat_photos = None
    if context.campaign.fairness.camera == "required":
        chat_photos = await camera.may_send_chat_photos(context.db, user_id)
        if chat_photos:
            body += "\n" + context.translator(language, "participant-chat-photos-line")
    body += "\n\n" + progress_text(context, language, profile.progress)
    markup = _buttons(context, language, profile, chat_photos)
    await context.bot.send_message(chat.id, body, reply_markup=markup)


PAGE = 8  # people per page of the list: a phone screen of buttons


async def participant_command(update: Update, context: CampaignContext) -> None:
    """/participant [part of a name, or an id]: the list to tap, narrowed by what was typed."""
    language = await leader_language(update, context)
    if language is None:
        return
    query = " ".join(context.args or []).strip()
    if not query:
        body, markup = await _page(context, language, 0)
        await reply(update, context, language, body, markup)
        return
    found = await admin.find(context.db, query)
    if not found:
        await reply(update, context, language, "participant-none", query=query)
        return
    if len(found) == 1:
        await _show(update, context, language, found[0].user_id)
        return
    await reply(
        update,
        context,
        language,
        "participant-found",
        keyboard(*[[_person_button(context, language, person)] for person in found]),
        query=query,
        count=len(found),
    )


def _person_button(
    context: CampaignContext, language: str, person: Participant
) -> InlineKeyboardButton:
    label = context.translator(
        language,
        "button-participant",
        name=person.full_name or person.telegram_name,
        status=person.status,
        paused="yes" if person.paused else "no",
    )
    # A button's label is plain text: the catalogue's HTML escaping of the name is undone.
    return InlineKeyboardButton(
        html.unescape(label)[:60], callback_data=f"person:show:{person.user_id}"
    )


async def _page(
    context: CampaignContext, language: str, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The catalogue key of the list's text and its buttons: people, then previous / next."""
    people = await admin.directory(context.db, offset, PAGE + 1)
    if not people and offset == 0:
        return "participant-list-empty", None
    rows = [[_person_button(context, language, person)] for person in people[:PAGE]]
    turn = []
    if offset > 0:
        turn.append(
            button(context, language, "button-previous", f"person:list:{max(0, offset - PAGE)}")
        )
    if len(people) > PAGE:
        turn.append(button(context, language, "button-next", f"person:list:{offset + PAGE}"))
    return "participant-list", keyboard(*rows, turn)


async def person_pressed(update: Update, context: CampaignContext) -> None:
    """``person:<verb>:<id>``: the list (show one, turn the page) and a person's page's actions."""
    verb, _ = button_data(context, "person:")
    if verb in ("show", "list"):
        await list_pressed(update, context)
    elif verb is not None and verb.startswith("chatphotos:"):
        await chat_photos_pressed(update, context)
    else:
        await action_pressed(update, context)


async def list_pressed(update: Update, context: CampaignContext) -> None:
    """``person:show:<id>`` shows one person; ``person:list:<offset>`` turns the list's page."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    verb, value = button_data(context, "person:")
    if value is None:
        await answer_stale(update, context)
        return
    await query.answer()
    if verb == "show":
        await _show(update, context, language, int(value))
        return
    key, markup = await _page(context, language, int(value))
    await quietly(
        query.edit_message_text(context.translator(language, key), reply_markup=markup),
        "turning the list's page",
    )


KINDS = {
    "pause": (Expecting.PAUSE_REASON, "participant-ask-pause"),
    "remove": (Expecting.REMOVE_REASON, "participant-ask-remove"),
    "name": (Expecting.FIX_NAME, "participant-ask-name"),
    "vid": (Expecting.FIX_VOLUNTEER_ID, "participant-ask-volunteer-id"),
}


async def action_pressed(update: Update, context: CampaignContext) -> None:
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    verb, value = button_data(context, "person:")
    user_id = number(value)
    if verb is None or user_id is None:
        # Malformed or forged data: say so rather than leave the leader wondering.
        await answer_stale(update, context)
        return
    if verb == "resume":
        await query.answer()
        if await admin.resume(context.db, user_id, context.now()):
            await after_resume(context, user_id)
        await _show(update, context, language, user_id)
        return
    kind, prompt = KINDS[verb]
    await query.answer()
    if await admin.expect(context.db, query.from_user.id, kind, user_id, context.now()):
        await reply(update, context, language, prompt)
    else:
        await reply(update, context, language, "participant-unchanged")


async def text_typed(update: Update, context: CampaignContext, kind: str, user_id: int) -> None:
    """The leader's reason or correction (the inbox routes it here)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    language = context.language
    try:
        changed = await admin.apply_text(
            context.db, user.id, kind, user_id, message.text or "", context.now()
        )
    except signup.InvalidAnswer as problem:
        await reply(update, context, language, problem.reason, None, **problem.args_for_message)
        return
    if changed is None:
        await reply(update, context, language, "participant-unchanged")
        return
    await after_change(context, kind, user_id, (message.text or "").strip())
    await _show(update, context, language, user_id)


async def hand_out_pressed(update: Update, context: CampaignContext) -> None:
    """``handout:<reward>:<user>``: mark a badge, doll or letter as handed out (once);
    ``m<count>`` is the milestone of that many certifications."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    reward, user = button_data(context, "handout:")
    user_id = number(user)
    if reward is not None and reward.startswith("m"):
        reward = f"milestone:{reward[1:]}"
    result = (
        await admin.hand_out(
            context.db, context.campaign, user_id, reward, query.from_user.id, context.now()
        )
        if user_id is not None and reward is not None
        else None
    )
    key = {True: "handout-done", False: "handout-already", None: "handout-unknown"}[result]
    await query.answer(context.translator(language, key), show_alert=result is None)


async def chat_photos_pressed(update: Update, context: CampaignContext) -> None:
    """Let a person certify with chat photos where the camera is required (or not any more)."""
    pressed = await leader_press(update, context)
    if pressed is None:
        return
    query, language = pressed
    verb, value = button_data(context, "person:")
    user_id = number(value)
    turn = (verb or "").removeprefix("chatphotos:")
    if user_id is None or turn not in ("on", "off"):
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    allowed = turn == "on"
    done = await camera.allow_chat_photos(
        context.db, user_id, query.from_user.id, allowed, context.now()
    )
    if not done:
        await query.answer(context.translator(language, "button-stale"), show_alert=True)
        return
    profile = await admin.profile(context.db, context.campaign, user_id, context.now())
    name = (profile.person.full_name or profile.person.telegram_name) if profile else ""
    key = "participant-chat-photos-allowed" if allowed else "participant-chat-photos-withdrawn"
    await query.answer(context.translator(language, key, name=name), show_alert=True)
    await _show(update, context, language, user_id)


def register(application: AnyApplication) -> None:
    application.add_handler(
        CommandHandler("participant", participant_command, filters=filters.ChatType.PRIVATE)
    )
    application.add_handler(
        CallbackQueryHandler(person_pressed, pattern=CALLBACK_PATTERNS["person:"])
    )
    application.add_handler(
        CallbackQueryHandler(hand_out_pressed, pattern=CALLBACK_PATTERNS["handout:"])
    )
