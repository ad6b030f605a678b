"""/start, /lang and the application conversation: every answer checked, /cancel anywhere."""

from storage import participants
from tests.support import real_photo


async def test_start_welcomes_in_korean_with_the_safety_note_and_an_apply_button(bot):
    await bot.say(bot.person(1001), "/start")
    welcome = bot.last_text(1001)
    assert "안녕하세요, 민지님" in welcome and "112" in welcome and "우리동네 치안협력관" in welcome
    assert bot.buttons(1001) == ["apply:begin"]


async def test_start_answers_an_english_telegram_user_in_english(bot):
    await bot.say(bot.person(1002, "Alex", language="en"), "/start")
    assert "Welcome to" in bot.last_text(1002) and "112" in bot.last_text(1002)


async def test_lang_switches_the_language_and_it_sticks(bot):
    minji = bot.person(1001)
    await bot.say(minji, "/lang")
    await bot.press(minji, "lang:en")
    assert bot.last_text(1001) == bot.t("lang-set", "en")
    await bot.say(minji, "/help")
    assert "How it works" in bot.last_text(1001)


async def test_commands_are_registered_for_everyone_and_for_each_leader(bot):
    scopes = [
        (call.params["scope"]["type"], call.params["scope"].get("chat_id"))
        for call in bot.tg.calls_of("setMyCommands")
        if call.ok
    ]
    assert ("all_private_chats", None) in scopes
    leader_menus = [
        call.params
        for call in bot.tg.calls_of("setMyCommands")
        if call.params["scope"]["type"] == "chat"
    ]
    assert {p["scope"]["chat_id"] for p in leader_menus} == {9001, 9002}
    assert all("pending" in [c["command"] for c in p["commands"]] for p in leader_menus)
    everyone = next(
        c.params for c in bot.tg.calls_of("setMyCommands") if c.params["scope"]["type"] != "chat"
    )
    assert "pending" not in [c["command"] for c in everyone["commands"]]


async def _stored(bot, user_id):
    async with bot.services.database.transaction() as conn:
        return await participants.get(conn, user_id)


async def test_each_answer_is_validated_and_the_question_asked_again(bot):
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    await bot.say(minji, "12345")
    assert bot.texts(1001)[-2:] == [bot.t("signup-invalid-name"), bot.t("signup-ask-name")]
    await bot.say(minji, "가" * 41)
    assert bot.texts(1001)[-2] == bot.t("signup-invalid-too-long", limit=40)
    await bot.say(minji, "김\n민지")
    assert bot.texts(1001)[-2] == bot.t("signup-invalid-one-line")
    await bot.say(minji, "김민지")
    assert bot.last_text(1001) == bot.t("signup-ask-category")
    await bot.say(minji, "고등학생")  # typed instead of pressing a button
    assert bot.texts(1001)[-2] == bot.t("signup-invalid-press-button")
    await bot.press(minji, "apply:category:high")
    await bot.send_photo(minji, real_photo("Landscape_6.jpg"))
    assert bot.texts(1001)[-2] == bot.t("signup-invalid-not-text")
    await bot.say(minji, "익산고등학교")
    await bot.say(minji, "영등동")
    await bot.say(minji, "not valid!")
    assert bot.texts(1001)[-2] == bot.t("signup-invalid-volunteer-id")
    person = await _stored(bot, 1001)
    assert person.status == "applying" and person.full_name == "김민지"
    assert person.volunteer_id is None


async def test_names_are_kept_exactly_as_typed(bot):
    leaders = await bot.open_leader_chats()
    odd = "<b>Kim</b> & 'Lee' 🚓 \u200d"
    await bot.apply(bot.person(1001), name=odd)
    assert (await _stored(bot, 1001)).full_name == odd.strip()
    assert odd.strip() in bot.last_text(leaders[0]["id"])


async def test_consent_text_is_shown_in_full_and_required(bot):
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    for answer in ("김민지",):
        await bot.say(minji, answer)
    await bot.press(minji, "apply:category:university")
    await bot.say(minji, "원광대학교")
    await bot.say(minji, "모현동")
    await bot.press(minji, "apply:volunteer_id:skip")
    consent = bot.last_text(1001)
    assert "개인정보 수집·이용 동의" in consent and "보관 기간" in consent
    assert "익산경찰서" in consent
    await bot.press(minji, "apply:consent:no")
    assert bot.last_text(1001) == bot.t("signup-withdrawn")
    assert (await _stored(bot, 1001)).status == "visitor"


async def test_under_14_needs_a_guardians_consent(bot):
    leaders = await bot.open_leader_chats()
    young = bot.person(1003, "서준")
    await bot.say(young, "/start")
    await bot.press(young, "apply:begin")
    await bot.say(young, "이서준")
    await bot.press(young, "apply:category:middle")
    await bot.press(young, "apply:under_14:yes")
    assert "법정대리인" in bot.last_text(1003)
    await bot.press(young, "apply:guardian:no")
    assert (await _stored(bot, 1003)).status == "visitor"

    await bot.apply(young, name="이서준", category="middle", under_14=True)
    person = await _stored(bot, 1003)
    assert person.status == "pending" and person.under_14 and person.guardian_consent
    assert "보호자 동의 받음" in bot.last_text(leaders[0]["id"])


async def test_a_14_year_old_middle_schooler_is_not_asked_for_a_guardian(bot):
    await bot.apply(bot.person(1004), category="middle", under_14=False)
    person = await _stored(bot, 1004)
    assert person.status == "pending" and person.under_14 is False
    assert person.guardian_consent is None


async def test_cancel_works_at_any_step_and_start_offers_to_apply_again(bot):
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    await bot.say(minji, "김민지")
    await bot.say(minji, "/cancel")
    assert bot.last_text(1001) == bot.t("cancel-done")
    assert (await _stored(bot, 1001)).status == "visitor"
    await bot.say(minji, "아무 말")
    assert bot.last_text(1001) == bot.t("not-understood")
    await bot.say(minji, "/cancel")
    assert bot.last_text(1001) == bot.t("cancel-nothing")


async def test_an_old_question_button_changes_nothing(bot):
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    await bot.say(minji, "김민지")
    card = bot.message_with_button(1001, "apply:category:high")
    await bot.press(minji, "apply:category:high")
    await bot.press(minji, "apply:category:adult", message=card)  # pressed again later
    answer = bot.tg.calls_of("answerCallbackQuery")[-1]
    assert answer.params.get("text") == bot.t("signup-stale-button")
    assert (await _stored(bot, 1001)).category == "high"


async def test_a_second_application_while_one_is_pending_is_not_started(bot):
    minji = bot.person(1001)
    await bot.apply(minji)
    await bot.say(minji, "/start")
    assert "리더가 확인하고 있어요" in bot.last_text(1001)
    assert bot.buttons(1001) == []


async def test_the_form_survives_a_restart(tmp_path, campaign):
    from tests.harness import start_harness, stop_harness
    from tests.support import kst

    first = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:00"))
    minji = first.person(1001)
    await first.say(minji, "/start")
    await first.press(minji, "apply:begin")
    await first.say(minji, "김민지")
    await stop_harness(first)

    second = await start_harness(tmp_path, campaign, kst("2027-08-16", "19:05"), continuing=first)
    second.tg.add_chat(second.factory.private_chat(minji))
    await second.say(minji, "무슨 질문이었지?")  # free text at a button question
    assert second.last_text(1001) == second.t("signup-ask-category")
    await stop_harness(second)
    assert first.errors == second.errors == []


async def test_an_edited_answer_in_the_form_is_not_used_and_the_person_is_told(bot):
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    answer = bot.factory.text(minji, "김민지")
    await bot.send(answer)
    await bot.send(bot.factory.edited_text(answer, "이서연"))
    assert bot.last_text(1001) == bot.t("edited-not-used")
    assert (await _stored(bot, 1001)).full_name == "김민지"
    await bot.press(minji, "apply:category:high")  # the form carries on where it was
    assert bot.last_text(1001) == bot.t("signup-ask-affiliation", category="high")


async def test_an_edited_command_is_not_run_again(bot):
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    await bot.press(minji, "apply:begin")
    command = bot.factory.text(minji, "/help")
    await bot.send(command)
    sent = len(bot.texts(1001))
    await bot.send(bot.factory.edited_text(command, "/cancel"))
    assert bot.texts(1001)[sent:] == [bot.t("edited-not-used")]
    assert (await _stored(bot, 1001)).status == "applying"  # /cancel did not run


async def test_an_edit_when_nothing_is_pending_gets_no_reply(bot):
    minji = bot.person(1001)
    hello = bot.factory.text(minji, "안녕하세요")
    await bot.send(hello)
    sent = len(bot.texts(1001))
    await bot.send(bot.factory.edited_text(hello, "안녕하세요!"))
    await bot.send(bot.factory.edited_text(hello, "/start"))
    assert len(bot.texts(1001)) == sent


async def test_an_edit_in_a_group_is_ignored(bot):
    minji = bot.person(1001)
    post = bot.factory.group_text(minji, -1001234567890, "안녕")
    await bot.send(bot.factory.edited_text(post, "/start"))
    assert bot.tg.sent_messages() == []


async def test_a_forged_language_button_on_another_message_does_not_overwrite_it(bot):
    """Found by the property test: ``lang:en`` forged onto the welcome replaced its text."""
    minji = bot.person(1001)
    await bot.say(minji, "/start")
    welcome = bot.tg.last_sent_message(1001)
    await bot.press(minji, "lang:en", message=welcome)
    assert bot.tg.message(1001, welcome["message_id"])["text"] == welcome["text"]
    assert bot.last_text(1001) == bot.t("lang-set", "en")
