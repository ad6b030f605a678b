"""Officers tap, they don't type: /export offers which export and which round, /top offers
the other rounds and lengths, /participant offers a short list of people (and narrows it by
what was typed). Every press is a leader's, checked on the press."""

from tests.harness import LEADER_IDS
from tests.test_exports import _certification, _documents
from tests.test_hours_across_rounds import two_rounds  # noqa: F401 (a fixture)

LEADER = LEADER_IDS[0]


async def test_export_offers_both_exports_and_the_hours_button_sends_the_files(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0], name="김민지")
    await _certification(bot, 1001, "2027-08-16")
    await bot.say(leaders[0], "/export")
    assert bot.buttons(LEADER) == ["export:hours", "export:reports"]
    await bot.press(leaders[0], "export:hours")  # one round: no need to ask which
    files = _documents(bot, LEADER)
    assert [f.filename.rsplit(".", 1)[1] for f in files] == ["xlsx", "csv"]
    assert "3차" in files[0].filename

    await bot.say(leaders[0], "/export")
    await bot.press(leaders[0], "export:reports")
    assert bot.last_text(LEADER) == bot.t("risk-export-none")


async def test_export_asks_which_round_when_there_are_several(two_rounds):  # noqa: F811
    bot, leader, _ = two_rounds
    await bot.say(leader, "/export")
    await bot.press(leader, "export:hours")
    assert bot.last_text(LEADER) == bot.t("export-choose-round")
    assert bot.buttons(LEADER) == ["export:hours:0", "export:hours:1"]
    await bot.press(leader, "export:hours:1")
    files = _documents(bot, LEADER)
    assert len(files) == 2 and "4차" in files[0].filename


async def test_a_forged_export_button_from_a_participant_sends_nothing(bot):
    leaders = await bot.open_leader_chats()
    minji = bot.person(1001)
    await bot.join(minji, leaders[0], name="김민지")
    await bot.say(leaders[0], "/export")
    card = bot.message_with_button(LEADER, "export:hours")
    await bot.press(minji, "export:hours", message=card)
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("leaders-only")
    await bot.press(leaders[0], "export:hours:7", message=card)  # no such round
    assert bot.tg.calls_of("answerCallbackQuery")[-1].params["text"] == bot.t("button-stale")
    assert bot.tg.calls_of("sendDocument") == []


async def test_top_switches_round_and_length_with_buttons(two_rounds):  # noqa: F811
    bot, leader, _ = two_rounds
    await bot.say(leader, "/top")  # 10-18: round 4 ended last
    assert "4차" in bot.last_text(LEADER)
    assert {"top:0:10", "top:1:10", "top:1:30", "top:1:50"} <= set(bot.buttons(LEADER))
    sent = len(bot.tg.calls_of("sendMessage"))
    await bot.press(leader, "top:0:10")
    assert bot.last_text(LEADER).startswith("🏆 3차")
    assert "handout:letter:1001" in bot.buttons(LEADER)
    await bot.press(leader, "top:0:30")
    assert {"top:0:30", "top:1:30"} <= set(bot.buttons(LEADER))
    assert len(bot.tg.calls_of("sendMessage")) == sent  # the same message, edited


async def test_participant_without_a_name_lists_people_to_tap_page_by_page(bot):
    leaders = await bot.open_leader_chats()
    for i in range(10):
        person = bot.person(1001 + i, f"참여자{i}")
        await bot.apply(person, name=f"학생{i:02d}")
    await bot.say(leaders[0], "/participant")
    assert bot.last_text(LEADER) == bot.t("participant-list")
    first_page = bot.buttons(LEADER)
    assert first_page == [f"person:show:{1001 + i}" for i in range(8)] + ["person:list:8"]
    await bot.press(leaders[0], "person:list:8")
    assert bot.buttons(LEADER) == ["person:show:1009", "person:show:1010", "person:list:0"]
    await bot.press(leaders[0], "person:show:1010")
    assert "학생09" in bot.last_text(LEADER) and "person:name:1010" in bot.buttons(LEADER)


async def test_participant_with_part_of_a_name_offers_the_matches(bot):
    leaders = await bot.open_leader_chats()
    await bot.apply(bot.person(1001, "민지"), name="김민지")
    await bot.apply(bot.person(1002, "민수"), name="김민수")
    await bot.apply(bot.person(1003, "서연"), name="박서연")
    await bot.say(leaders[0], "/participant 김민")
    assert bot.last_text(LEADER) == bot.t("participant-found", query="김민", count=2)
    assert bot.buttons(LEADER) == ["person:show:1002", "person:show:1001"]
    await bot.say(leaders[0], "/participant 서연")
    assert "박서연" in bot.last_text(LEADER)  # one match: the page itself


async def test_names_on_buttons_read_as_typed(bot):
    leaders = await bot.open_leader_chats()
    await bot.apply(bot.person(1001, "민지"), name="김&민지")
    await bot.say(leaders[0], "/participant")
    label = bot.tg.last_sent_message(LEADER)["reply_markup"]["inline_keyboard"][0][0]["text"]
    assert label.startswith("김&민지 · ")
