"""Cheering in the community feed: the 👏 button on the group's post (one cheer per person per
post, never one's own), the evening digest for authors and the weekly top list, driven through
real updates and the job callbacks with a controlled clock."""

import json

import pytest

from bot.context import CampaignContext
from scheduler.cheers import plan_digests, post_weekly_top
from storage import outbox, reviews
from tests.harness import start_harness, stop_harness
from tests.support import kst

GROUP = -1001234567890


@pytest.fixture
async def group_bot(tmp_path, campaign):
    harness = await start_harness(
        tmp_path, campaign, kst("2027-08-16", "19:00"), group_chat_id=GROUP
    )
    harness.tg.add_chat(harness.factory.group_chat(GROUP, "group"))
    yield harness
    await stop_harness(harness)
    assert harness.errors == []


NAMES = ["Minji Kim", "Jisoo Lee", "Hana Park", "Yuna Choi", "Sora Jung", "Dami Kang"]


async def _join(bot, count: int) -> tuple[list[dict], list[dict]]:
    leaders = await bot.open_leader_chats()
    members = []
    for i, name in enumerate(NAMES[:count], start=1):
        first, last = name.split(" ")
        person = bot.factory.user(1000 + i, first, last_name=last, language_code="ko")
        await bot.join(person, leaders[0], name=name)
        members.append(person)
    return leaders, members


@pytest.fixture
async def people(group_bot):
    return await _join(group_bot, 3)


def _card(bot, cert_id: int) -> dict:
    return bot.message_with_button(GROUP, f"cheer:{cert_id}")


def _buttons(message: dict) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


def _alert(bot) -> str:
    return bot.tg.calls_of("answerCallbackQuery")[-1].params.get("text", "")


async def _cheer_count(bot) -> int:
    async with bot.services.database.transaction() as conn:
        return (await (await conn.execute("SELECT COUNT(*) FROM cheers")).fetchone())[0]


async def run(bot, callback) -> None:
    job = bot.app.job_queue.run_once(callback, when=3600, name="test-cheers")
    try:
        await callback(CampaignContext.from_job(job, bot.app))
    finally:
        job.schedule_removal()


async def _planned(bot, prefix: str) -> dict[str, int]:
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(
            "SELECT key, chat_id FROM outbox WHERE key LIKE ? ORDER BY key", (prefix + "%",)
        )
        return {row[0]: row[1] for row in await cursor.fetchall()}


async def test_the_group_post_has_a_cheer_button_beside_revoke(group_bot, people):
    bot = group_bot
    _, (minji, *_) = people
    await bot.certify(minji)
    card = _card(bot, 1)
    assert _buttons(card) == [("👏", "cheer:1"), (bot.t("button-revoke"), "rev:revoke:1")]
    assert "photo" in card  # one picture, the card as its caption
    assert "Minji" in card["caption"] and "Kim" not in card["caption"]
    assert "minji1365" not in card["caption"] and "익산고등학교" not in card["caption"]


async def test_one_cheer_per_person_counted_on_the_button(group_bot, people):
    bot = group_bot
    _, (minji, jisoo, hana, *_) = people
    await bot.certify(minji)
    await bot.press(jisoo, "cheer:1", message=_card(bot, 1))
    assert _alert(bot) == bot.t("cheers-thanks")
    await bot.press(hana, "cheer:1", message=_card(bot, 1))
    assert _buttons(_card(bot, 1))[0] == ("👏 2", "cheer:1")
    assert _buttons(_card(bot, 1))[1][1] == "rev:revoke:1"

    edits = len(bot.tg.calls_of("editMessageReplyMarkup"))
    await bot.press(jisoo, "cheer:1", message=_card(bot, 1))  # again: nothing changes
    assert _alert(bot) == bot.t("cheers-already")
    await bot.press(minji, "cheer:1", message=_card(bot, 1))  # the author's own post
    assert _alert(bot) == bot.t("cheers-own")
    assert len(bot.tg.calls_of("editMessageReplyMarkup")) == edits
    assert await _cheer_count(bot) == 2
    assert _buttons(_card(bot, 1))[0] == ("👏 2", "cheer:1")


async def test_forged_cheer_buttons_change_nothing(group_bot, people):
    bot = group_bot
    _, (minji, jisoo, *_) = people
    await bot.certify(minji)
    card = _card(bot, 1)
    edits = len(bot.tg.calls_of("editMessageReplyMarkup"))
    for data in ("cheer:", "cheer:abc", "cheer:999", "cheer:1:2", "cheer:-1"):
        await bot.press(jisoo, data, message=card)
        assert _alert(bot) == bot.t("cheers-unknown"), data
    assert await _cheer_count(bot) == 0
    assert len(bot.tg.calls_of("editMessageReplyMarkup")) == edits


async def test_a_revoked_post_cannot_be_cheered_and_shows_restore_only(group_bot, people):
    bot = group_bot
    leaders, (minji, jisoo, *_) = people
    await bot.certify(minji)
    card = _card(bot, 1)
    await bot.press(jisoo, "cheer:1", message=card)
    await bot.press(leaders[0], "rev:revoke:1", message=_card(bot, 1))
    await bot.say(leaders[0], "blurry photo")
    card = bot.tg.message(GROUP, card["message_id"])
    assert [data for _, data in _buttons(card)] == ["rev:restore:1"]
    await bot.press(bot.person(1005), "cheer:1", message=card)
    assert _alert(bot) == bot.t("cheers-unknown")
    assert await _cheer_count(bot) == 1


async def test_the_evening_digest_tells_each_author_once_a_day(group_bot, people):
    bot = group_bot
    _, (minji, jisoo, hana, *_) = people
    bot.now = kst("2027-08-17", "10:00")
    await bot.certify(minji)
    await bot.certify(jisoo)
    await bot.press(jisoo, "cheer:1", message=_card(bot, 1))
    await bot.press(hana, "cheer:1", message=_card(bot, 1))
    await bot.press(minji, "cheer:2", message=_card(bot, 2))

    bot.now = kst("2027-08-17", "18:59")
    await run(bot, plan_digests)
    assert await _planned(bot, "cheers:") == {}
    bot.now = kst("2027-08-17", "19:00")
    await run(bot, plan_digests)
    late = bot.person(1006)
    bot.tg.set_chat_member(GROUP, late)  # a member of the group who is no participant
    await bot.press(late, "cheer:1", message=_card(bot, 1))  # after today's digest
    bot.now = kst("2027-08-17", "19:01")
    await run(bot, plan_digests)
    assert await _planned(bot, "cheers:") == {
        f"cheers:{minji['id']}:2027-08-17": minji["id"],
        f"cheers:{jisoo['id']}:2027-08-17": jisoo["id"],
    }
    await bot.services.outbox.drain(until_empty=True)
    digest = bot.t("cheers-digest", name="Minji", count=2, posts=1)
    assert bot.texts(minji["id"]).count(digest) == 1
    assert bot.t("cheers-digest", name="Jisoo", count=1, posts=1) in bot.texts(jisoo["id"])
    assert not any("👏" in text for text in bot.texts(hana["id"]))  # no cheers, no digest

    bot.now = kst("2027-08-17", "22:30")  # quiet hours: nothing, even the next day's
    await run(bot, plan_digests)
    bot.now = kst("2027-08-18", "07:30")
    await run(bot, plan_digests)
    assert len(await _planned(bot, "cheers:")) == 2
    bot.now = kst("2027-08-18", "19:00")  # the late cheer, in the next evening's digest
    await run(bot, plan_digests)
    assert await _planned(bot, f"cheers:{minji['id']}:2027-08-18") == {
        f"cheers:{minji['id']}:2027-08-18": minji["id"]
    }
    assert len(await _planned(bot, "cheers:")) == 3
    async with bot.services.database.transaction() as conn:
        (payload,) = await (
            await conn.execute(
                "SELECT payload FROM outbox WHERE key = ?", (f"cheers:{minji['id']}:2027-08-18",)
            )
        ).fetchone()
    assert json.loads(payload)["text"] == bot.services.translator(
        "ko", "cheers-digest", name="Minji", count=1, posts=1
    )


async def test_the_weekly_top_goes_to_the_group_on_sunday_morning(group_bot):
    bot = group_bot
    _, (minji, jisoo, hana, yuna, sora, dami) = await _join(bot, 6)
    plan = [
        (minji, ["2027-08-16", "2027-08-17"]),  # 2, streak 0 on Sunday
        (jisoo, ["2027-08-20", "2027-08-21"]),  # 2, streak 2: above Minji
        (hana, ["2027-08-16", "2027-08-17", "2027-08-18"]),  # 3: first
        (yuna, ["2027-08-18", "2027-08-19", "2027-08-20"]),  # 3, one revoked: 2, streak 0
        (sora, ["2027-08-19"]),
        (dami, ["2027-08-18"]),
    ]
    for person, days in plan:
        for day in days:
            bot.now = kst(day, "12:00")
            await bot.certify(person)
    async with bot.services.database.transaction() as conn:
        cursor = await conn.execute(
            "SELECT id FROM certifications WHERE participant_id = ? AND campaign_day = ?",
            (yuna["id"], "2027-08-20"),
        )
        (cert_id,) = await cursor.fetchone()
        await reviews.revoke(conn, cert_id, 9001, "test", bot.now)

    bot.now = kst("2027-08-21", "09:30")  # Saturday
    await run(bot, post_weekly_top)
    bot.now = kst("2027-08-22", "08:59")  # Sunday, before the morning time
    await run(bot, post_weekly_top)
    assert await _planned(bot, "top:") == {}
    bot.now = kst("2027-08-22", "09:00")
    await run(bot, post_weekly_top)
    await run(bot, post_weekly_top)
    assert await _planned(bot, "top:") == {"top:3차:2027-W33": GROUP}
    await bot.services.outbox.drain(until_empty=True)
    post = bot.last_text(GROUP)
    lines = post.splitlines()
    assert "TOP 5" in lines[0]
    assert lines[1:6] == [
        bot.t("cheers-top-line", rank=1, name="Hana", certifications=3, streak=0),
        bot.t("cheers-top-line", rank=2, name="Jisoo", certifications=2, streak=2),
        bot.t("cheers-top-line", rank=3, name="Minji", certifications=2, streak=0),
        bot.t("cheers-top-line", rank=4, name="Yuna", certifications=2, streak=0),
        bot.t("cheers-top-line", rank=5, name="Sora", certifications=1, streak=0),
    ]
    assert "Dami" not in post and "Kim" not in post
    async with bot.services.database.transaction() as conn:
        assert all(m.chat_id == GROUP for m in await outbox.due(conn, bot.now, 100)) is True


async def test_the_weekly_top_day_is_configurable(tmp_path):
    from bot.campaign.config import parse_campaign
    from tests.support import campaign_document

    document = campaign_document()
    document["schedule"] = {"weekly_top_day": "wednesday"}
    campaign = parse_campaign(document)
    assert campaign.schedule.weekly_top_day == 2
    from bot.campaign.cheers import is_top_time

    assert is_top_time(campaign, kst("2027-08-18", "09:00"))  # a Wednesday
    assert not is_top_time(campaign, kst("2027-08-22", "09:00"))  # Sunday


async def test_a_cheer_button_forged_in_a_private_chat_counts_nothing(group_bot, people):
    bot = group_bot
    _, (minji, jisoo, *_) = people
    await bot.certify(minji)
    strangers = [bot.person(7000 + i, f"손님{i}") for i in range(5)]
    for person in [*strangers, jisoo]:
        await bot.say(person, "/start")
        own_chat = bot.tg.last_sent_message(person["id"])
        await bot.press(person, "cheer:1", message=own_chat)
        assert _alert(bot) == bot.t("cheers-not-in-group")
    assert await _cheer_count(bot) == 0
    assert _buttons(_card(bot, 1))[0] == ("👏", "cheer:1")


async def test_only_participants_or_group_members_can_cheer_in_the_group(group_bot, people):
    bot = group_bot
    leaders, (minji, *_) = people
    await bot.certify(minji)
    outsider = bot.person(7100, "구경꾼")  # not a member (a public group's preview)
    await bot.press(outsider, "cheer:1", message=_card(bot, 1))
    assert _alert(bot) == bot.t("cheers-participants-only")
    assert await _cheer_count(bot) == 0
    bot.tg.set_chat_member(GROUP, leaders[1], "administrator")  # a leader in the group
    await bot.press(leaders[1], "cheer:1", message=_card(bot, 1))
    assert _alert(bot) == bot.t("cheers-thanks")
    assert await _cheer_count(bot) == 1
