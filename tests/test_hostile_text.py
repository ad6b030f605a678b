"""Text that is hostile or odd: HTML and Markdown meta-characters, ``<script>``, 10,000
characters, zero-width and right-to-left characters, emoji, SQL fragments.

The bot sends every message with HTML parse mode and the fake Bot API parses it like Telegram
(an unescaped ``<`` is a 400 error, so a handler error here), and refuses texts over 4,096
characters. What a person typed must come back exactly as typed.
"""

from __future__ import annotations

import pytest

from storage import participants
from tests.harness import Harness

NAMES = [
    "<script>alert(1)</script>",
    "김<b>민</b>지 & 친구",
    "*민지* _김_ `x` [a](b)",
    'O\'Brien "Ann"; DROP TABLE--',
    "\u202e지민김\u202c",
    "민\u200b지\u200d",
    "👮‍♀️민지🚓",
    "&amp; &lt;민지&gt;",
    "</pre>민지<pre>",
]
ODD_TEXTS = [
    "<script>alert('x')</script>",
    "<b>unclosed <i>tags",
    "a < b && c > d",
    "**bold** __under__ ~~strike~~ ||spoiler|| `code` ```block```",
    "'); DELETE FROM certifications; --",
    "1' OR '1'='1",
    "\u202eRTL override\u202c and \u200bzero\u200dwidth\ufeff",
    "🧑‍🤝‍🧑🏳️‍🌈👍🏽" * 20,
    "<" * 4000,
    "&" * 4096,
    "가" * 10_000,
    "x" * 10_000,
]


def _person_text(bot: Harness, chat_id: int) -> str:
    return "\n".join(bot.texts(chat_id))


async def _stored(bot: Harness, user_id: int):
    async with bot.services.database.transaction() as conn:
        return await participants.get(conn, user_id)


@pytest.mark.parametrize("name", NAMES)
async def test_a_name_with_markup_or_odd_characters_is_shown_back_exactly(bot, name):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0], name=name, affiliation=f"{name} 학교")
    assert (await _stored(bot, 1001)).full_name == name
    (card,) = [t for t in bot.texts(9001) if "1001" in t]  # the card as leaders read it
    assert name in card and f"{name} 학교" in card
    await bot.say(minji, "/me")
    assert bot.last_text(1001).startswith(bot.t("me-title", name=name))
    assert name in bot.last_text(1001)


@pytest.mark.parametrize("first_name", ["<b>굵게</b>", "&lt;", "<script>", "ㅋ" * 64, "😀\u202e"])
async def test_a_telegram_name_with_markup_is_greeted_exactly(bot, first_name):
    await bot.say(bot.person(1001, first_name), "/start")
    assert f"안녕하세요, {first_name.strip()}님!" in bot.last_text(1001)


@pytest.mark.parametrize("text", ODD_TEXTS)
async def test_odd_text_at_every_typed_step_gets_a_plain_answer(bot, text):
    """Each step either takes the text as typed or says why not; nothing breaks."""
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    # Nothing expected yet, then the application's typed questions.
    await bot.say(minji, text)
    assert bot.last_text(1001) == bot.t("not-understood")
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    await bot.say(minji, text)
    stored = await _stored(bot, 1001)
    if stored.full_name is None:
        assert bot.last_text(1001) == bot.t("signup-ask-name")
        await bot.say(minji, "김민지")
    else:
        assert stored.full_name == text.strip()
    await bot.press(minji, "apply:category:high")
    await bot.say(minji, text)  # affiliation
    if (await _stored(bot, 1001)).affiliation is None:
        await bot.say(minji, "익산고")
    await bot.say(minji, "영등동")
    await bot.say(minji, text)  # volunteer id: only letters, digits and ._@-
    assert bot.texts(1001)[-2] == bot.t("signup-invalid-volunteer-id")
    await bot.press(minji, "apply:volunteer_id:skip")
    await bot.press(minji, "apply:consent:yes")
    await bot.approve(minji, leaders[0])
    # The note after a certification.
    await bot.certify(minji, skip_note=False)
    await bot.say(minji, text)
    async with bot.services.database.transaction() as conn:
        (note,) = await (await conn.execute("SELECT note FROM certifications")).fetchone()
    if note is None:
        assert bot.last_text(1001) == bot.t("note-invalid", limit=200)
    else:
        assert note == text.strip() and bot.last_text(1001) == bot.t("note-saved")
    # An idea, then the leader's list of ideas.
    await bot.say(minji, "/idea")
    await bot.say(minji, text)
    await bot.say(leaders[0], "/ideas")
    # A leader's broadcast of that text: the preview shows it exactly.
    await bot.say(leaders[0], "/broadcast")
    await bot.say(leaders[0], text)
    if len(text) <= 4096:
        assert bot.last_text(9001) == text.strip()
    else:
        assert bot.last_text(9001) == bot.t("broadcast-too-long", limit=4096)


@pytest.mark.parametrize("reason", ["<b>서류</b> & '확인' 필요", "x" * 10_000, "\u202e이유"])
async def test_a_rejection_reason_with_markup_reaches_the_applicant_exactly(bot, reason):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.press(leaders[0], "decide:reject:1001")
    await bot.say(leaders[0], reason)
    if len(reason) > 300:
        assert bot.last_text(9001) == bot.t("reject-reason-invalid", limit=300)
        await bot.say(leaders[0], "서류 확인 필요")
        reason = "서류 확인 필요"
    assert reason.strip() in bot.last_text(1001)
    assert (await _stored(bot, 1001)).status == "rejected"


async def test_many_long_ideas_still_fit_in_the_leaders_list(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0], name="<i>민지</i>")
    for n in range(12):
        await bot.say(minji, "/idea")
        await bot.say(minji, f"{n} " + "<아이디어> & " * 40)
    await bot.say(leaders[0], "/ideas")
    assert any("<i>민지</i>" in text for text in bot.texts(9001))


async def test_a_broadcast_photo_with_a_caption_over_1024_characters_is_refused_kindly(bot):
    """Telegram Premium lets people write 4,096-character captions; bots may send 1,024."""
    leaders = await bot.open_leader_chats()
    await bot.say(leaders[0], "/broadcast")
    caption = "<공지> & " * 300
    await bot.send(
        bot.factory.photo_from_bytes(bot.tg, leaders[0], bot.next_photo(), caption=caption)
    )
    assert bot.last_text(9001) == bot.t("broadcast-too-long", limit=1024)
    await bot.send(
        bot.factory.photo_from_bytes(bot.tg, leaders[0], bot.next_photo(), caption="<공지> &")
    )
    assert bot.last_text(9001) == "<공지> &"  # the preview, exactly as typed


async def test_the_groups_copy_shows_a_marked_up_name_and_note_exactly(tmp_path, campaign):
    from tests.harness import start_harness, stop_harness
    from tests.support import kst

    group = -1001234567890
    bot = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=group)
    bot.tg.add_chat(bot.factory.group_chat(group, "치안협력관 단체방"))
    try:
        leaders = await bot.open_leader_chats()
        # The group sees only the first word of the Telegram name (privacy of minors).
        minji = bot.factory.user(1001, "<b>민지</b>&co", last_name="<script>")
        await bot.join(minji, leaders[0], name="김민지", affiliation="<i>익산고</i>")
        await bot.certify(minji, note="</a> 보안등 <고장> & '확인'")
        feed = "\n".join(bot.texts(group))
        assert (
            "<b>민지</b>&co" in feed
            and "<script>" not in feed
            and "</a> 보안등 <고장> & '확인'" in feed
        )
    finally:
        await stop_harness(bot)
    assert bot.errors == []
